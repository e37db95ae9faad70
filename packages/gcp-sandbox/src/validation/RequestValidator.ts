/*
 * Validates every request a Google client is asked to send, BEFORE serialization: protobufjs
 * (inside the gax clients) silently drops fields its message type does not declare, and the
 * googleapis/REST clients send whatever they are given, so neither the sandbox nor Google's
 * answer would reveal a misspelt or misplaced field. Here a request is checked against:
 *
 * - the proto descriptors the installed gax client itself loaded (`client._protos`), for the
 *   method's request message: unknown fields, wrong shapes, enum values that do not exist;
 * - the sandbox's copies of the published discovery documents (data/discovery/*.json, each with
 *   its source and date) for the REST-only APIs: IAM (@googleapis/iam) and Service Networking
 *   (plain authenticated REST): unknown parameters and body properties, missing required ones.
 */
import * as protobuf from 'protobufjs';
import iamDiscovery from '../google/data/discovery/iam-v1.json';
import serviceNetworkingDiscovery from '../google/data/discovery/servicenetworking-v1.json';
import iapDiscovery from '../google/data/discovery/iap-v1.json';

/**
 * One discovery document (the subset of the format this validator reads).
 *
 * @public
 */
export interface DiscoveryDocument {
  /** The API's id, e.g. `container:v1`. */
  id: string;
  /** The API's root URL. */
  rootUrl: string;
  /** Parameters every method takes. */
  parameters: Record<string, DiscoveryParameter>;
  /** The API's resources. */
  resources?: Record<string, DiscoveryResource>;
  /** Schemas by id. */
  schemas: Record<string, DiscoverySchema>;
}

/**
 * A resource of a discovery document: its methods and nested resources.
 *
 * @public
 */
export interface DiscoveryResource {
  /** Methods by name. */
  methods?: Record<string, DiscoveryMethod>;
  /** Nested resources by name. */
  resources?: Record<string, DiscoveryResource>;
}

/**
 * A method of a discovery document: its HTTP method, path, parameters and request body schema.
 *
 * @public
 */
export interface DiscoveryMethod {
  /** The method's id, e.g. `container.projects.locations.clusters.create`. */
  id: string;
  /** HTTP method. */
  httpMethod: string;
  /** Path template with reserved expansion, e.g. `v1/{+parent}/clusters`. */
  path: string;
  /** Path template with every parameter flat. */
  flatPath: string;
  /** Parameters by name. */
  parameters?: Record<string, DiscoveryParameter>;
  /** The request body's schema. */
  request?: { $ref: string };
}

/**
 * A parameter of a discovery document: its type, where it goes (path or query), and whether it is required.
 *
 * @public
 */
export interface DiscoveryParameter {
  /** JSON type. */
  type: string;
  /** `path` or `query`. */
  location: string;
  /** Whether the method needs it. */
  required?: boolean;
}

/**
 * A JSON schema of a discovery document (the subset the validator reads).
 *
 * @public
 */
export interface DiscoverySchema {
  /** JSON type. */
  type?: string;
  /** Id of the schema this one refers to. */
  $ref?: string;
  /** An object's properties. */
  properties?: Record<string, DiscoverySchema>;
  /** An array's items. */
  items?: DiscoverySchema;
  /** A map's values. */
  additionalProperties?: DiscoverySchema;
  /** The allowed values. */
  enum?: string[];
  /** Format of a string, e.g. `int64`. */
  format?: string;
}

/**
 * The discovery documents the sandbox keeps, by API name.
 *
 * @public
 */
export const DISCOVERY_DOCUMENTS: Record<string, DiscoveryDocument> = {
  iam: iamDiscovery as unknown as DiscoveryDocument,
  servicenetworking: serviceNetworkingDiscovery as unknown as DiscoveryDocument,
  iap: iapDiscovery as unknown as DiscoveryDocument,
};

/**
 * Thrown (and recorded) when a request does not match its API's definition.
 *
 * @public
 */
export class RequestValidationError extends Error {
  constructor(
    /** The validated call, e.g. a gax method's name. */
    readonly call: string,
    /** What is wrong with the request. */
    readonly violations: string[],
  ) {
    super(
      `Request validation failed for ${call} (checked before serialization): ${violations.join('; ')}`,
    );
    this.name = 'RequestValidationError';
  }
}

/**
 * What the validator saw: every validated call by name, and every failure.
 *
 * @public
 */
export class RequestValidationLog {
  /** Calls validated, by name. */
  readonly calls = new Map<string, number>();
  /** Every failed validation. */
  readonly failures: RequestValidationError[] = [];

  /** Counts a validated call; throws a {@link RequestValidationError} when it has violations. */
  record(call: string, violations: string[]): void {
    this.calls.set(call, (this.calls.get(call) ?? 0) + 1);
    if (violations.length > 0) {
      const error = new RequestValidationError(call, violations);
      this.failures.push(error);
      throw error;
    }
  }

  /** Total calls validated. */
  get count(): number {
    let n = 0;
    for (const c of this.calls.values()) n += c;
    return n;
  }

  /** Forgets every call and failure. */
  reset(): void {
    this.calls.clear();
    this.failures.length = 0;
  }
}

// --- protobuf (gax clients) ------------------------------------------------------------------

const INTEGER = new Set([
  'int32',
  'uint32',
  'sint32',
  'fixed32',
  'sfixed32',
  'double',
  'float',
]);
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    !ArrayBuffer.isView(v)
  );
}

/**
 * Violations of `value` as the JS object form of message `type`, paths prefixed with `at`.
 *
 * @public
 */
export function protoViolations(
  type: protobuf.Type,
  value: unknown,
  at = '',
): string[] {
  if (!isPlainObject(value)) {
    return [
      `${at || '(request)'}: expected an object for ${type.fullName.slice(1)}`,
    ];
  }
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const path = at ? `${at}.${key}` : key;
    const field = type.fields[key];
    // protobufjs message objects (e.g. a policy the client just read) carry each oneof's name
    // as a virtual property holding the name of the field that is set: not a field, harmless.
    if (
      !field &&
      type.oneofs?.[key] &&
      (typeof v === 'string' || v === undefined)
    )
      continue;
    if (!field) {
      out.push(`${path}: unknown field (not in ${type.fullName.slice(1)})`);
      continue;
    }
    field.resolve();
    if (v === null) continue;
    if (field.map) {
      if (!isPlainObject(v)) {
        out.push(`${path}: expected a map`);
        continue;
      }
      for (const [k, item] of Object.entries(v))
        out.push(...fieldValue(field, item, `${path}.${k}`));
    } else if (field.repeated) {
      if (!Array.isArray(v)) {
        out.push(`${path}: expected a list`);
        continue;
      }
      v.forEach((item, i) =>
        out.push(...fieldValue(field, item, `${path}[${i}]`)),
      );
    } else {
      out.push(...fieldValue(field, v, path));
    }
  }
  return out;
}

function fieldValue(field: protobuf.Field, v: unknown, path: string): string[] {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type)
    return protoViolations(resolved, v, path);
  if (resolved instanceof protobuf.Enum) {
    const ok =
      typeof v === 'number'
        ? Object.values(resolved.values).includes(v)
        : typeof v === 'string' && v in resolved.values;
    return ok
      ? []
      : [
          `${path}: ${JSON.stringify(v)} is not a value of ${resolved.fullName.slice(1)}`,
        ];
  }
  const t = field.type;
  const ok = scalarMatches(t, v);
  return ok ? [] : [`${path}: ${JSON.stringify(v)} is not a ${t}`];
}

/** Whether `v` is an acceptable JS value for protobuf scalar type `t`. */
function scalarMatches(t: string, v: unknown): boolean {
  if (t === 'string') return typeof v === 'string';
  if (t === 'bool') return typeof v === 'boolean';
  if (INTEGER.has(t))
    return (
      typeof v === 'number' ||
      (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v))
    );
  if (INT64.has(t))
    return (
      typeof v === 'number' ||
      (typeof v === 'string' && /^-?\d+$/.test(v)) ||
      (isPlainObject(v) && 'low' in v)
    );
  if (t === 'bytes') return typeof v === 'string' || ArrayBuffer.isView(v);
  return true;
}

function servicesOf(root: protobuf.NamespaceBase): protobuf.Service[] {
  const out: protobuf.Service[] = [];
  for (const nested of root.nestedArray) {
    if (nested instanceof protobuf.Service) out.push(nested);
    else if (nested instanceof protobuf.Namespace)
      out.push(...servicesOf(nested));
  }
  return out;
}

const PAGINATION_SUFFIXES = /(Async|Stream)$/;

/**
 * Wraps a gax client so that each RPC method first validates its request against the message
 * type of that method in the client's own proto descriptors (`client._protos`); the service is
 * the one named like the client class (`ClusterManagerClient` → `ClusterManager`).
 *
 * @public
 */
export function validatingGaxClient<T extends object>(
  client: T,
  log: RequestValidationLog,
): T {
  const root = (client as any)._protos as protobuf.Root | undefined;
  if (!root) return client;
  const serviceName = client.constructor.name.replace(/Client$/, '');
  const service = servicesOf(root).find(s => s.name === serviceName);
  if (!service) return client;
  service.resolveAll();
  const label = service.fullName.slice(1);
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const rpc = prop.replace(PAGINATION_SUFFIXES, '');
      const method =
        service.methods[rpc.charAt(0).toUpperCase() + rpc.slice(1)];
      if (!method) return value;
      return (request: unknown, ...rest: unknown[]) => {
        const requestType = method.resolvedRequestType!;
        log.record(
          `${label}.${method.name}`,
          protoViolations(requestType, request ?? {}),
        );
        return value.call(target, request, ...rest);
      };
    },
  });
}

// --- discovery documents (REST-only APIs) ------------------------------------------------------

/**
 * Violations of `value` against a discovery schema.
 *
 * @public
 */
export function discoveryViolations(
  doc: DiscoveryDocument,
  schema: DiscoverySchema,
  value: unknown,
  at: string,
): string[] {
  if (value === undefined || value === null) return [];
  if (schema.$ref) {
    const ref = doc.schemas[schema.$ref];
    if (!ref)
      return [
        `${at}: schema ${schema.$ref} is not in the stored discovery document`,
      ];
    return discoveryViolations(doc, ref, value, at);
  }
  switch (schema.type) {
    case 'any':
      return [];
    case 'string': {
      const isString =
        typeof value === 'string' ||
        (schema.format === 'int64' && typeof value === 'number');
      if (!isString) return [`${at}: ${JSON.stringify(value)} is not a string`];
      if (schema.enum && !schema.enum.includes(value as string))
        return [
          `${at}: ${JSON.stringify(value)} is not one of ${schema.enum.join(', ')}`,
        ];
      return [];
    }
    case 'integer':
    case 'number':
      return typeof value === 'number' ||
        (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value))
        ? []
        : [`${at}: ${JSON.stringify(value)} is not a number`];
    case 'boolean':
      return typeof value === 'boolean'
        ? []
        : [`${at}: ${JSON.stringify(value)} is not a boolean`];
    case 'array':
      return Array.isArray(value)
        ? value.flatMap((item, i) =>
            discoveryViolations(
              doc,
              schema.items ?? { type: 'any' },
              item,
              `${at}[${i}]`,
            ),
          )
        : [`${at}: expected a list`];
    default: {
      if (!isPlainObject(value)) return [`${at}: expected an object`];
      const out: string[] = [];
      for (const [key, v] of Object.entries(value)) {
        const property =
          schema.properties?.[key] ?? schema.additionalProperties;
        if (!property) {
          out.push(`${at ? `${at}.` : ''}${key}: unknown field`);
          continue;
        }
        out.push(
          ...discoveryViolations(doc, property, v, at ? `${at}.${key}` : key),
        );
      }
      return out;
    }
  }
}

function methodAt(
  doc: DiscoveryDocument,
  path: string[],
): DiscoveryMethod | undefined {
  let resources = doc.resources;
  for (let i = 0; i < path.length - 1; i++) {
    const resource = resources?.[path[i]];
    if (!resource) return undefined;
    if (i === path.length - 2) return resource.methods?.[path[i + 1]];
    resources = resource.resources;
  }
  return undefined;
}

/** Violations of a googleapis-style call's parameters (`{ name, requestBody, … }`). */
function paramsViolations(
  doc: DiscoveryDocument,
  method: DiscoveryMethod,
  params: Record<string, unknown>,
): string[] {
  const out: string[] = [];
  const declared = { ...doc.parameters, ...(method.parameters ?? {}) };
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (key === 'requestBody') continue;
    if (!declared[key]) out.push(`${key}: unknown parameter of ${method.id}`);
  }
  for (const [key, p] of Object.entries(method.parameters ?? {})) {
    if (p.required && params[key] === undefined)
      out.push(`${key}: required parameter of ${method.id} missing`);
  }
  if (method.request) {
    out.push(
      ...discoveryViolations(
        doc,
        { $ref: method.request.$ref },
        params.requestBody ?? {},
        'requestBody',
      ),
    );
  } else if (params.requestBody !== undefined) {
    out.push(`requestBody: ${method.id} takes no body`);
  }
  return out;
}

/**
 * Wraps a googleapis client (e.g. `iam({ version: 'v1' })`) so that each method call first
 * validates its parameters and body against the stored discovery document.
 *
 * @public
 */
export function validatingGoogleapisClient<T extends object>(
  api: T,
  doc: DiscoveryDocument,
  log: RequestValidationLog,
  path: string[] = [],
): T {
  // An empty target: the client's own properties are read-only and non-configurable, which a
  // proxy over them could not replace with validating wrappers.
  return new Proxy({} as T, {
    get(_empty, prop) {
      const target = api;
      const value = Reflect.get(target, prop, target);
      if (typeof prop !== 'string' || prop === 'context') return value;
      const here = [...path, prop];
      if (typeof value === 'function') {
        const method = methodAt(doc, here);
        if (!method) return value;
        return (params: Record<string, unknown> = {}, ...rest: unknown[]) => {
          log.record(method.id, paramsViolations(doc, method, params));
          return value.call(target, params, ...rest);
        };
      }
      if (typeof value === 'object' && value !== null)
        return validatingGoogleapisClient(value as object, doc, log, here);
      return value;
    },
  });
}

function allMethods(
  resources: Record<string, DiscoveryResource> | undefined,
): DiscoveryMethod[] {
  return Object.values(resources ?? {}).flatMap(r => [
    ...Object.values(r.methods ?? {}),
    ...allMethods(r.resources),
  ]);
}

/**
 * A discovery path template part as a regular expression: `{x}` is one segment, `{+x}`
 * (reserved expansion) what the parameter's own pattern allows.
 */
function templatePart(method: DiscoveryMethod, part: string): string {
  const reserved = /^\{\+([^}]+)\}$/.exec(part);
  if (reserved) {
    const pattern = (method.parameters?.[reserved[1]] as { pattern?: string })
      ?.pattern;
    return pattern ? `(?:${pattern.replace(/^\^|\$$/g, '')})` : '.+';
  }
  if (/^\{[^}]+\}$/.test(part)) return '[^/]+';
  return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Validates a plain REST call (`{ url, method, data }`, as `GoogleClients.request` makes them)
 * against the discovery document of its host: the method must exist (path and HTTP method), its
 * query parameters be declared and its body match the request schema.
 *
 * @public
 */
export function validateRestCall(
  call: { url: string; method?: string; data?: unknown },
  log: RequestValidationLog,
): void {
  const url = new URL(call.url);
  const doc = Object.values(DISCOVERY_DOCUMENTS).find(
    d => new URL(d.rootUrl).host === url.host,
  );
  const httpMethod = (call.method ?? 'GET').toUpperCase();
  if (!doc) {
    log.record(`${httpMethod} ${url.host}`, [
      `no stored discovery document for ${url.host}: add one to validate this call`,
    ]);
    return;
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  // `{x}` is one path segment, `{+x}` (reserved expansion) any number of them.
  const matches = (method: DiscoveryMethod, template: string) =>
    new RegExp(
      `^${template
        .split(/(\{\+?[^}]+\})/)
        .map(part => templatePart(method, part))
        .join('')}$`,
    ).test(path);
  // The flat paths first (exact segments); `{+x}` paths only for methods on any resource (IAP).
  const candidates = allMethods(doc.resources).filter(
    m => m.httpMethod === httpMethod,
  );
  const method =
    candidates.find(m => matches(m, m.flatPath)) ??
    candidates.find(m => matches(m, m.path));
  if (!method) {
    log.record(`${httpMethod} ${url.host}/${path}`, [
      `${httpMethod} ${path} is not a method of ${doc.id}`,
    ]);
    return;
  }
  const violations: string[] = [];
  for (const key of url.searchParams.keys()) {
    const p = method.parameters?.[key] ?? doc.parameters[key];
    if (!p || p.location !== 'query')
      violations.push(`${key}: unknown query parameter of ${method.id}`);
  }
  if (method.request) {
    violations.push(
      ...discoveryViolations(
        doc,
        { $ref: method.request.$ref },
        call.data ?? {},
        'body',
      ),
    );
  } else if (call.data !== undefined) {
    violations.push(`body: ${method.id} takes no body`);
  }
  log.record(method.id, violations);
}
