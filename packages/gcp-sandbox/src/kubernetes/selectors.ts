/**
 * Label and field selectors, both the query-string form (`app=api,tier in (web,api)`) and
 * the structured `LabelSelector` form workloads, PDBs and affinity terms carry.
 */
import { KubeError } from './errors';
import { KubernetesObject } from './types';

/** One parsed requirement of a label selector. */
export interface LabelRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: string[];
}

/** A structured label selector (`matchLabels` / `matchExpressions`). */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{
    key: string;
    operator: string;
    values?: string[];
  }>;
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

/**
 * Parses a label selector query (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`).
 * Throws a 400 BadRequest on syntax the API server would reject.
 */
export function parseLabelSelector(
  text: string | undefined | null,
): LabelRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map(part => {
    let m = /^([A-Za-z0-9./_-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]
        .split(',')
        .map(v => v.trim())
        .filter(v => v.length > 0);
      return { key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values };
    }
    m = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(part);
    if (m)
      return {
        key: m[1],
        operator: m[2] === '!=' ? 'NotIn' : 'In',
        values: [m[3]],
      };
    m = /^!\s*([A-Za-z0-9./_-]+)$/.exec(part);
    if (m) return { key: m[1], operator: 'DoesNotExist', values: [] };
    m = /^([A-Za-z0-9./_-]+)$/.exec(part);
    if (m) return { key: m[1], operator: 'Exists', values: [] };
    throw new KubeError(
      400,
      'BadRequest',
      `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`,
    );
  });
}

/** Converts a structured selector to requirements (an empty selector matches everything). */
export function requirementsOf(
  selector: LabelSelector | undefined | null,
): LabelRequirement[] {
  if (!selector) return [];
  const reqs: LabelRequirement[] = Object.entries(
    selector.matchLabels ?? {},
  ).map(([key, value]) => ({
    key,
    operator: 'In' as const,
    values: [String(value)],
  }));
  for (const e of selector.matchExpressions ?? []) {
    reqs.push({
      key: e.key,
      operator: e.operator as LabelRequirement['operator'],
      values: e.values ?? [],
    });
  }
  return reqs;
}

/** True if `labels` satisfy every requirement. */
export function matchesRequirements(
  labels: Record<string, string> | undefined,
  reqs: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return reqs.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(l[r.key]);
      case 'NotIn':
        return !has || !r.values.includes(l[r.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
      default:
        return false;
    }
  });
}

/**
 * True if `labels` match a structured selector. A null selector matches nothing (as for
 * workloads), an empty one everything.
 */
export function matchesSelector(
  labels: Record<string, string> | undefined,
  selector: LabelSelector | undefined | null,
): boolean {
  if (!selector) return false;
  return matchesRequirements(labels, requirementsOf(selector));
}

/** One parsed field selector term. */
export interface FieldRequirement {
  path: string;
  equals: boolean;
  value: string;
}

/** Parses `involvedObject.name=x,type!=Normal`. */
export function parseFieldSelector(
  text: string | undefined | null,
): FieldRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map(part => {
    const m = /^([A-Za-z0-9._-]+)\s*(==|=|!=)\s*(.*)$/.exec(part);
    if (!m)
      throw new KubeError(
        400,
        'BadRequest',
        `invalid selector: '${part}'; can't understand '${part}'`,
      );
    return { path: m[1], equals: m[2] !== '!=', value: m[3] };
  });
}

/** Reads a dotted path (`involvedObject.name`) as a string ('' when absent, like the API server). */
function fieldValue(obj: KubernetesObject, path: string): string {
  let current: any = obj;
  for (const key of path.split('.')) {
    if (current === null || current === undefined) return '';
    current = current[key];
  }
  return current === undefined || current === null ? '' : String(current);
}

/** True if the object satisfies every field requirement. */
export function matchesFields(
  obj: KubernetesObject,
  reqs: FieldRequirement[],
): boolean {
  return reqs.every(r => (fieldValue(obj, r.path) === r.value) === r.equals);
}
