import type { INamespace } from 'protobufjs';
import type { DiscoveryDocument } from '../../validation/RequestValidator';
import { DISCOVERY_DOCUMENTS } from '../../validation/RequestValidator';
import { ProtoSchema, schemaFromJson } from './ProtoSchema';

type Property = {
  type?: string;
  format?: string;
  $ref?: string;
  items?: Property;
  additionalProperties?: Property;
};

function scalar(p: Property): string {
  if (p.type === 'integer') return p.format === 'int64' ? 'int64' : 'int32';
  if (p.type === 'number') return 'double';
  if (p.type === 'boolean') return 'bool';
  if (p.format === 'int64') return 'int64';
  if (p.format === 'byte') return 'bytes';
  return 'string';
}

/**
 * The schemas of a discovery document as protobuf messages (package = the API's name), so the
 * sandbox parses REST-only APIs' bodies with the same Google-shaped errors as the gax ones.
 * Properties typed `any` (free-form objects of responses) are left out.
 */
export function discoveryAsProto(doc: DiscoveryDocument): INamespace {
  const nested: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(doc.schemas)) {
    const fields: Record<string, unknown> = {};
    let id = 1;
    for (const [field, p] of Object.entries(
      (schema.properties ?? {}) as Record<string, Property>,
    )) {
      const item = p.type === 'array' ? (p.items ?? {}) : p;
      if (item.additionalProperties || item.type === 'any') continue;
      fields[field] = {
        type: item.$ref ?? scalar(item),
        id: id++,
        ...(p.type === 'array' ? { rule: 'repeated' } : {}),
      };
    }
    nested[name] = { fields };
  }
  const pkg = doc.id.split(':')[0];
  return { nested: { [pkg]: { nested } } } as INamespace;
}

/** The ProtoSchema of a stored discovery document (`iam`, `servicenetworking`). */
export function discoverySchema(
  api: 'iam' | 'servicenetworking' | 'iap',
): ProtoSchema {
  return schemaFromJson(
    `discovery:${api}`,
    discoveryAsProto(DISCOVERY_DOCUMENTS[api]),
  );
}
