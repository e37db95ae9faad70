import * as protobuf from 'protobufjs';
import { GoogleApiError } from '../errors';

/** One problem found in a request body, as Google's `BadRequest.fieldViolations[]` reports it. */
export interface FieldViolation {
  field: string;
  description: string;
}

const INT32 = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const FLOAT = new Set(['double', 'float']);
const WRAPPERS: Record<string, string> = {
  'google.protobuf.DoubleValue': 'double',
  'google.protobuf.FloatValue': 'float',
  'google.protobuf.Int64Value': 'int64',
  'google.protobuf.UInt64Value': 'uint64',
  'google.protobuf.Int32Value': 'int32',
  'google.protobuf.UInt32Value': 'uint32',
  'google.protobuf.BoolValue': 'bool',
  'google.protobuf.StringValue': 'string',
  'google.protobuf.BytesValue': 'bytes',
};

function snake(name: string): string {
  return name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
}

function typeLabel(type: string): string {
  return `TYPE_${type.toUpperCase()}`;
}

/**
 * Validates JSON request bodies against protobuf message definitions the way Google's front end
 * parses them (proto3 JSON mapping): unknown fields and values of the wrong type are rejected with
 * Google's messages ("Invalid JSON payload received. Unknown name … Cannot find field.",
 * "Invalid value at '…' (TYPE_INT32), …"), enums are accepted by name or number, 64-bit integers
 * and wrapper types as numbers or strings, and both lowerCamel and snake_case field names.
 *
 * It also converts enum values between names and numbers, so the sandbox can store names and
 * answer with numbers when the client asks for `$alt=json;enum-encoding=int`.
 */
export class ProtoSchema {
  private readonly root: protobuf.Root;
  private readonly fieldIndex = new Map<
    protobuf.Type,
    Map<string, protobuf.Field>
  >();

  constructor(json: protobuf.INamespace) {
    this.root = protobuf.Root.fromJSON(json);
    this.root.resolveAll();
  }

  /** The message type by full name (without leading dot). */
  type(fullName: string): protobuf.Type {
    return this.root.lookupType(fullName);
  }

  /** Returns every violation in `value` as a message of `typeName`; `at` prefixes paths. */
  violations(typeName: string, value: unknown, at = ''): FieldViolation[] {
    const out: FieldViolation[] = [];
    this.checkMessage(this.type(typeName), value, at, out);
    return out;
  }

  /** Throws Google's 400 INVALID_ARGUMENT if `value` is not a valid `typeName`. */
  validate(typeName: string, value: unknown, at = ''): void {
    const found = this.violations(typeName, value, at);
    if (found.length) throw invalidPayload(found);
  }

  /** A deep copy of `value` with enum values as names (`'name'`) or numbers (`'number'`). */
  convertEnums<T>(typeName: string, value: T, to: 'name' | 'number'): T {
    return this.convertMessage(this.type(typeName), value, to) as T;
  }

  private fieldsOf(type: protobuf.Type): Map<string, protobuf.Field> {
    let index = this.fieldIndex.get(type);
    if (!index) {
      index = new Map();
      for (const field of type.fieldsArray) {
        index.set(field.name, field);
        index.set(snake(field.name), field);
      }
      this.fieldIndex.set(type, index);
    }
    return index;
  }

  private checkMessage(
    type: protobuf.Type,
    value: unknown,
    at: string,
    out: FieldViolation[],
  ): void {
    const full = type.fullName.replace(/^\./, '');
    if (value === null || value === undefined) return;
    if (WRAPPERS[full]) {
      this.checkScalar(WRAPPERS[full], value, at, out);
      return;
    }
    if (this.checkWellKnown(full, value, at, out)) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      out.push(invalidValue(at, `type.googleapis.com/${full}`, value));
      return;
    }
    const fields = this.fieldsOf(type);
    for (const [key, fieldValue] of Object.entries(
      value as Record<string, unknown>,
    )) {
      const field = fields.get(key);
      if (!field) {
        out.push({
          field: at,
          description: `Invalid JSON payload received. Unknown name "${key}"${at ? ` at '${at}'` : ''}: Cannot find field.`,
        });
        continue;
      }
      const path = at ? `${at}.${snake(field.name)}` : snake(field.name);
      this.checkField(field, fieldValue, path, out);
    }
  }

  private checkField(
    field: protobuf.Field,
    value: unknown,
    path: string,
    out: FieldViolation[],
  ): void {
    if (value === null || value === undefined) return;
    if (field instanceof protobuf.MapField) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        out.push(invalidValue(path, 'map', value));
        return;
      }
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (field.keyType !== 'string' && !/^-?\d+$/.test(k)) {
          out.push(invalidValue(`${path}[${k}]`, typeLabel(field.keyType), k));
        }
        this.checkSingle(field, v, `${path}[${JSON.stringify(k)}]`, out);
      }
      return;
    }
    if (field.repeated) {
      if (!Array.isArray(value)) {
        out.push({
          field: path,
          description: `Invalid value at '${path}', ${JSON.stringify(value)}: Proto field is repeating, cannot start object or scalar.`,
        });
        return;
      }
      value.forEach((item, i) =>
        this.checkSingle(field, item, `${path}[${i}]`, out),
      );
      return;
    }
    if (Array.isArray(value)) {
      out.push({
        field: path,
        description: `Invalid JSON payload received. Unknown name "${path.split('.').pop()}": Proto field is not repeating, cannot start list.`,
      });
      return;
    }
    this.checkSingle(field, value, path, out);
  }

  private checkSingle(
    field: protobuf.Field,
    value: unknown,
    path: string,
    out: FieldViolation[],
  ): void {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type) {
      this.checkMessage(resolved, value, path, out);
    } else if (resolved instanceof protobuf.Enum) {
      const ok =
        (typeof value === 'string' && value in resolved.values) ||
        (typeof value === 'number' &&
          Number.isInteger(value) &&
          value in resolved.valuesById);
      if (!ok)
        out.push(
          invalidValue(
            path,
            `type.googleapis.com/${resolved.fullName.replace(/^\./, '')}`,
            value,
          ),
        );
    } else {
      this.checkScalar(field.type, value, path, out);
    }
  }

  private checkScalar(
    type: string,
    value: unknown,
    path: string,
    out: FieldViolation[],
  ): void {
    if (value === null) return;
    let ok: boolean;
    if (type === 'string') ok = typeof value === 'string';
    else if (type === 'bool') ok = typeof value === 'boolean';
    else if (type === 'bytes')
      ok = typeof value === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(value);
    else if (INT32.has(type)) {
      const n =
        typeof value === 'string' && /^-?\d+$/.test(value)
          ? Number(value)
          : value;
      const unsigned = type.startsWith('u') || type === 'fixed32';
      ok =
        typeof n === 'number' &&
        Number.isInteger(n) &&
        n <= (unsigned ? 4294967295 : 2147483647) &&
        n >= (unsigned ? 0 : -2147483648);
    } else if (INT64.has(type)) {
      ok =
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && /^-?\d+$/.test(value));
    } else if (FLOAT.has(type)) {
      ok =
        typeof value === 'number' ||
        (typeof value === 'string' &&
          (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ||
            ['NaN', 'Infinity', '-Infinity'].includes(value)));
    } else ok = true;
    if (!ok) out.push(invalidValue(path, typeLabel(type), value));
  }

  /** Well-known types with special JSON forms; returns true when `full` is one of them. */
  private checkWellKnown(
    full: string,
    value: unknown,
    at: string,
    out: FieldViolation[],
  ): boolean {
    switch (full) {
      case 'google.protobuf.Timestamp':
        if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
          out.push(
            invalidValue(
              at,
              'type.googleapis.com/google.protobuf.Timestamp',
              value,
            ),
          );
        }
        return true;
      case 'google.protobuf.Duration':
        if (typeof value !== 'string' || !/^-?\d+(\.\d+)?s$/.test(value)) {
          out.push(
            invalidValue(
              at,
              'type.googleapis.com/google.protobuf.Duration',
              value,
            ),
          );
        }
        return true;
      case 'google.protobuf.FieldMask':
        if (typeof value !== 'string')
          out.push(
            invalidValue(
              at,
              'type.googleapis.com/google.protobuf.FieldMask',
              value,
            ),
          );
        return true;
      case 'google.protobuf.Struct':
      case 'google.protobuf.Any':
        if (typeof value !== 'object' || Array.isArray(value)) {
          out.push(invalidValue(at, `type.googleapis.com/${full}`, value));
        }
        return true;
      case 'google.protobuf.Value':
        return true;
      case 'google.protobuf.ListValue':
        if (!Array.isArray(value))
          out.push(invalidValue(at, `type.googleapis.com/${full}`, value));
        return true;
      default:
        return false;
    }
  }

  private convertMessage(
    type: protobuf.Type,
    value: unknown,
    to: 'name' | 'number',
  ): unknown {
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return value;
    const full = type.fullName.replace(/^\./, '');
    if (WRAPPERS[full] || full.startsWith('google.protobuf.')) return value;
    const fields = this.fieldsOf(type);
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const field = fields.get(key);
      if (!field || v === null || v === undefined) {
        copy[key] = v;
        continue;
      }
      const one = (x: unknown) => this.convertSingle(field, x, to);
      if (field instanceof protobuf.MapField) {
        copy[key] = Object.fromEntries(
          Object.entries(v as Record<string, unknown>).map(([k, x]) => [
            k,
            one(x),
          ]),
        );
      } else if (field.repeated && Array.isArray(v)) {
        copy[key] = v.map(one);
      } else {
        copy[key] = one(v);
      }
    }
    return copy;
  }

  private convertSingle(
    field: protobuf.Field,
    value: unknown,
    to: 'name' | 'number',
  ): unknown {
    const resolved = field.resolvedType;
    if (resolved instanceof protobuf.Type)
      return this.convertMessage(resolved, value, to);
    if (resolved instanceof protobuf.Enum) {
      if (
        to === 'number' &&
        typeof value === 'string' &&
        value in resolved.values
      )
        return resolved.values[value];
      if (
        to === 'name' &&
        typeof value === 'number' &&
        value in resolved.valuesById
      )
        return resolved.valuesById[value];
    }
    return value;
  }
}

function invalidValue(
  path: string,
  typeLabelText: string,
  value: unknown,
): FieldViolation {
  return {
    field: path,
    description: `Invalid value at '${path}' (${typeLabelText}), ${JSON.stringify(value)}`,
  };
}

/** Google's 400 for a body that does not parse as the request message. */
export function invalidPayload(violations: FieldViolation[]): GoogleApiError {
  return new GoogleApiError({
    httpStatus: 400,
    status: 'INVALID_ARGUMENT',
    withStatus: true,
    reason: 'invalid',
    message: violations.map(v => v.description).join('\n'),
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: violations,
      },
    ],
  });
}

const cache = new Map<string, ProtoSchema>();

/** Official client packages whose protobuf definitions the sandbox validates against. */
export type ClientPackage =
  | '@google-cloud/container'
  | '@google-cloud/sql'
  | '@google-cloud/secret-manager'
  | '@google-cloud/resource-manager'
  | '@google-cloud/service-usage';

/* eslint-disable @typescript-eslint/no-require-imports */
const LOADERS: Record<ClientPackage, () => protobuf.INamespace> = {
  '@google-cloud/container': () =>
    require('@google-cloud/container/build/protos/protos.json'),
  '@google-cloud/sql': () =>
    require('@google-cloud/sql/build/protos/protos.json'),
  // Optional: product code brings these clients; without them the sandbox skips body validation.
  '@google-cloud/secret-manager': () =>
    require(optional('@google-cloud/secret-manager')),
  '@google-cloud/resource-manager': () =>
    require(optional('@google-cloud/resource-manager')),
  '@google-cloud/service-usage': () =>
    require(optional('@google-cloud/service-usage')),
};

function optional(pkg: string): string {
  return `${pkg}/build/protos/protos.json`;
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The schema shipped with an official client package, loaded once per process (or jest module
 * registry). Undefined when the package is not installed (the sandbox then checks bodies less).
 */
export function schemaOf(
  pkg: '@google-cloud/container' | '@google-cloud/sql',
): ProtoSchema;
export function schemaOf(pkg: ClientPackage): ProtoSchema | undefined;
export function schemaOf(pkg: ClientPackage): ProtoSchema | undefined {
  let schema = cache.get(pkg);
  if (!schema) {
    let json: protobuf.INamespace;
    try {
      json = LOADERS[pkg]();
    } catch (e) {
      if (pkg === '@google-cloud/container' || pkg === '@google-cloud/sql')
        throw e;
      return undefined;
    }
    schema = new ProtoSchema(json);
    cache.set(pkg, schema);
  }
  return schema;
}

/** A schema from protobufjs JSON kept in this package (Compute subset, DNS). */
export function schemaFromJson(
  key: string,
  json: protobuf.INamespace,
): ProtoSchema {
  let schema = cache.get(key);
  if (!schema) {
    schema = new ProtoSchema(json);
    cache.set(key, schema);
  }
  return schema;
}

/** A value computed on first use (schemas load only when an API is first called). */
export function lazy<T>(make: () => T): () => T {
  let value: T;
  let made = false;
  return () => {
    if (!made) {
      value = make();
      made = true;
    }
    return value;
  };
}
