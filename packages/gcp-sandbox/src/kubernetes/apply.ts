/**
 * How writes change an object: JSON merge patch (strategic merge is treated as merge), JSON
 * patch, and server-side apply with field ownership.
 *
 * Server-side apply model (deliberately smaller than the real structured-merge-diff):
 * - A field manager owns a set of *leaf paths*. Maps (objects) are granular; lists are atomic
 *   (a list is one leaf), which is how the API server treats lists without merge keys. Lists
 *   with merge keys (containers by name…) are treated as atomic too: an applier that sends the
 *   whole list, as every manifest does, sees the same result.
 * - Re-applying the same configuration changes nothing: no resourceVersion bump.
 * - Fields the manager applied before and omits now are removed, unless another manager also
 *   owns them.
 * - Setting a field another manager owns to a different value is a 409 conflict unless
 *   `force=true`, which transfers ownership.
 * - Update operations (PUT, merge/JSON patch) take ownership of the leaves they change.
 */
import { KubeError } from './errors';
import { clone, deepEqual, isPlainObject } from './json';
import { KubernetesObject, ManagedFieldsEntry } from './types';

/** A path of object keys from the root, e.g. ['spec', 'replicas']. */
export type FieldPath = string[];

/** Metadata fields the server owns; never part of anybody's field set. */
const SERVER_METADATA = new Set([
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
  'selfLink',
]);

/** Leaf paths of a configuration, skipping identity fields (and status when it is a subresource). */
export function leafPaths(obj: unknown, skipStatus: boolean): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (value: unknown, path: FieldPath) => {
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, child] of Object.entries(value)) {
        if (child === undefined) continue;
        if (path.length === 0 && (key === 'apiVersion' || key === 'kind'))
          continue;
        if (path.length === 0 && key === 'status' && skipStatus) continue;
        if (
          path.length === 1 &&
          path[0] === 'metadata' &&
          SERVER_METADATA.has(key)
        )
          continue;
        walk(child, [...path, key]);
      }
    } else if (path.length > 0) {
      out.push(path);
    }
  };
  walk(obj, []);
  return out;
}

/** Reads the value at a path (undefined when absent). */
export function getPath(obj: unknown, path: FieldPath): unknown {
  let current: any = obj;
  for (const key of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Removes the value at a path, and maps left empty by the removal (apply-created parents). */
function deletePath(obj: Record<string, any>, path: FieldPath): void {
  const parents: Array<[Record<string, any>, string]> = [];
  let current: any = obj;
  for (const key of path.slice(0, -1)) {
    if (!isPlainObject(current[key])) return;
    parents.push([current, key]);
    current = current[key];
  }
  delete current[path[path.length - 1]];
  for (let i = parents.length - 1; i >= 0; i--) {
    const [parent, key] = parents[i];
    if (isPlainObject(parent[key]) && Object.keys(parent[key]).length === 0)
      delete parent[key];
    else break;
  }
}

/** fieldsV1 (`{"f:spec":{"f:replicas":{}}}`) from leaf paths. */
export function toFieldsV1(paths: FieldPath[]): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const path of paths) {
    let node = root;
    for (const key of path) {
      node[`f:${key}`] ??= {};
      node = node[`f:${key}`];
    }
  }
  return root;
}

/** Leaf paths from fieldsV1. */
export function fromFieldsV1(
  fields: Record<string, unknown> | undefined,
): FieldPath[] {
  const out: FieldPath[] = [];
  const walk = (node: Record<string, any>, path: FieldPath) => {
    const keys = Object.keys(node).filter(k => k.startsWith('f:'));
    if (keys.length === 0 && path.length > 0) out.push(path);
    for (const k of keys) walk(node[k] ?? {}, [...path, k.slice(2)]);
  };
  walk(fields ?? {}, []);
  return out;
}

function overlaps(a: FieldPath, b: FieldPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function pathKey(path: FieldPath): string {
  return JSON.stringify(path);
}

function dotted(path: FieldPath): string {
  return `.${path.join('.')}`;
}

/** JSON merge patch (RFC 7386): null deletes, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: Record<string, any> = isPlainObject(target)
    ? clone(target)
    : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

/** Decodes a JSON pointer segment. */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** JSON patch (RFC 6902): add, remove, replace, move, copy, test. */
export function jsonPatch(
  target: KubernetesObject,
  operations: unknown,
): KubernetesObject {
  if (!Array.isArray(operations))
    throw new KubeError(
      400,
      'BadRequest',
      'json patch must be a list of operations',
    );
  const doc: any = clone(target);
  const locate = (pointer: string): [any, string] => {
    const parts = pointer.split('/').slice(1).map(unescapePointer);
    let parent = doc;
    for (const part of parts.slice(0, -1)) {
      parent = Array.isArray(parent) ? parent[Number(part)] : parent?.[part];
      if (parent === undefined || parent === null) {
        throw new KubeError(
          422,
          'Invalid',
          `the server rejected our request due to an error in our request: jsonpatch: missing path ${pointer}`,
        );
      }
    }
    return [parent, parts[parts.length - 1]];
  };
  const read = (pointer: string) => {
    const [parent, key] = locate(pointer);
    return Array.isArray(parent) ? parent[Number(key)] : parent[key];
  };
  const remove = (pointer: string) => {
    const [parent, key] = locate(pointer);
    if (Array.isArray(parent)) parent.splice(Number(key), 1);
    else delete parent[key];
  };
  const add = (pointer: string, value: unknown) => {
    const [parent, key] = locate(pointer);
    if (Array.isArray(parent)) {
      if (key === '-') parent.push(value);
      else parent.splice(Number(key), 0, value);
    } else parent[key] = value;
  };
  for (const op of operations as Array<{
    op: string;
    path: string;
    from?: string;
    value?: unknown;
  }>) {
    switch (op.op) {
      case 'add':
        add(op.path, clone(op.value));
        break;
      case 'remove':
        remove(op.path);
        break;
      case 'replace': {
        const [parent, key] = locate(op.path);
        if (Array.isArray(parent)) parent[Number(key)] = clone(op.value);
        else parent[key] = clone(op.value);
        break;
      }
      case 'move': {
        const value = read(op.from!);
        remove(op.from!);
        add(op.path, value);
        break;
      }
      case 'copy':
        add(op.path, clone(read(op.from!)));
        break;
      case 'test':
        if (!deepEqual(read(op.path), op.value)) {
          throw new KubeError(
            422,
            'Invalid',
            `the server rejected our request due to an error in our request: testing value ${op.path} failed`,
          );
        }
        break;
      default:
        throw new KubeError(400, 'BadRequest', `unexpected kind: ${op.op}`);
    }
  }
  return doc;
}

/** Deep merge for apply: objects merge recursively, lists and scalars replace. */
function applyMerge(target: unknown, config: unknown): unknown {
  if (!isPlainObject(config) || !isPlainObject(target)) return clone(config);
  const result: Record<string, any> = clone(target);
  for (const [key, value] of Object.entries(config)) {
    if (value === undefined) continue;
    // An explicit null in an apply configuration means "no value": drop the field.
    if (value === null) delete result[key];
    else result[key] = applyMerge(result[key], value);
  }
  return result;
}

function managedPaths(
  obj: KubernetesObject,
): Array<{ entry: ManagedFieldsEntry; paths: FieldPath[] }> {
  return (obj.metadata?.managedFields ?? []).map(entry => ({
    entry,
    paths: fromFieldsV1(entry.fieldsV1),
  }));
}

function entriesFrom(
  list: Array<{ entry: ManagedFieldsEntry; paths: FieldPath[] }>,
): ManagedFieldsEntry[] {
  return list
    .filter(m => m.paths.length > 0)
    .map(m => ({ ...m.entry, fieldsV1: toFieldsV1(m.paths) }));
}

/** Inputs to {@link serverSideApply}. */
export interface ApplyRequest {
  /** The object as stored, or undefined to create. */
  current: KubernetesObject | undefined;
  /** The apply configuration. */
  config: KubernetesObject;
  manager: string;
  force: boolean;
  /** Whether `.status` is a subresource (then it is not applied through the main resource). */
  statusSubresource: boolean;
  /** Simulated time, RFC 3339. */
  now: string;
  /** For conflict messages: `apps/v1`. */
  apiVersion: string;
}

/**
 * Server-side apply. Returns the new object (metadata.managedFields updated); the caller
 * compares it with `current` to decide whether anything changed.
 */
export function serverSideApply(req: ApplyRequest): KubernetesObject {
  const { current, manager, force, statusSubresource, now, apiVersion } = req;
  const config = clone(req.config);
  if (statusSubresource) delete config.status;
  const configPaths = leafPaths(config, statusSubresource);
  const newEntry = (paths: FieldPath[]): ManagedFieldsEntry => ({
    manager,
    operation: 'Apply',
    apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(paths),
  });

  if (!current) {
    const created = clone(config);
    created.metadata = {
      ...(created.metadata ?? {}),
      managedFields: [newEntry(configPaths)],
    };
    return created;
  }

  const managers = managedPaths(current);
  const mine = managers.find(
    m => m.entry.manager === manager && m.entry.operation === 'Apply',
  );
  const others = managers.filter(m => m !== mine);

  // Conflicts: a leaf someone else owns, which this apply would change.
  const conflicts: Array<{ manager: string; path: FieldPath }> = [];
  for (const path of configPaths) {
    for (const other of others) {
      for (const owned of other.paths) {
        if (!overlaps(owned, path)) continue;
        // Compare at the deeper of the two paths: that is the value both sides claim.
        const longer = owned.length >= path.length ? owned : path;
        if (!deepEqual(getPath(current, longer), getPath(config, longer))) {
          conflicts.push({ manager: other.entry.manager, path: owned });
        }
      }
    }
  }
  if (conflicts.length > 0 && !force) {
    const unique = [
      ...new Map(
        conflicts.map(c => [`${c.manager} ${pathKey(c.path)}`, c]),
      ).values(),
    ];
    const lines = unique.map(
      c => `conflict with "${c.manager}": ${dotted(c.path)}`,
    );
    const message =
      unique.length === 1
        ? `Apply failed with 1 conflict: ${lines[0]}`
        : `Apply failed with ${unique.length} conflicts: ${lines.join('\n')}`;
    throw new KubeError(409, 'Conflict', message, {
      causes: unique.map(c => ({
        reason: 'FieldManagerConflict',
        message: `conflict with "${c.manager}"`,
        field: dotted(c.path),
      })),
    });
  }
  // Forced: conflicting leaves move to this manager.
  for (const c of conflicts) {
    for (const other of others) {
      if (other.entry.manager === c.manager)
        other.paths = other.paths.filter(p => !overlaps(p, c.path));
    }
  }

  let next: KubernetesObject = clone(current);
  // Removals: leaves this manager applied before, omitted now, owned by no one else.
  const configKeys = new Set(configPaths.map(pathKey));
  for (const path of mine?.paths ?? []) {
    if (configKeys.has(pathKey(path))) continue;
    if (configPaths.some(p => overlaps(p, path))) continue;
    if (others.some(o => o.paths.some(p => overlaps(p, path)))) continue;
    deletePath(next, path);
  }
  const { metadata: configMeta, ...configRest } = config;
  next = applyMerge(next, configRest) as KubernetesObject;
  const metaWithoutIdentity = Object.fromEntries(
    Object.entries(configMeta ?? {}).filter(([k]) => !SERVER_METADATA.has(k)),
  );
  next.metadata = applyMerge(
    next.metadata ?? {},
    metaWithoutIdentity,
  ) as KubernetesObject['metadata'];

  // Field sets: this manager now owns exactly the configuration's leaves. Keep the old
  // entry (and its timestamp) when the set did not change, so a re-apply is a no-op.
  const samePaths =
    mine !== undefined &&
    mine.paths.length === configPaths.length &&
    mine.paths.every(p => configKeys.has(pathKey(p)));
  const myEntry = samePaths
    ? { ...mine!.entry, fieldsV1: toFieldsV1(configPaths) }
    : newEntry(configPaths);
  const otherEntries = entriesFrom(others);
  const ordered: ManagedFieldsEntry[] = [];
  let placed = false;
  for (const entry of current.metadata?.managedFields ?? []) {
    if (entry === mine?.entry) {
      ordered.push(myEntry);
      placed = true;
    } else {
      const kept = otherEntries.find(
        e =>
          e.manager === entry.manager &&
          e.operation === entry.operation &&
          e.subresource === entry.subresource,
      );
      if (kept) ordered.push(kept);
    }
  }
  if (!placed) ordered.push(myEntry);
  next.metadata!.managedFields = ordered;
  return next;
}

/**
 * Records an Update operation (PUT or a merge/JSON patch) in managedFields: `manager` takes
 * the leaves that changed between `before` and `after`; other managers lose them.
 */
export function recordUpdate(
  before: KubernetesObject | undefined,
  after: KubernetesObject,
  manager: string,
  apiVersion: string,
  now: string,
  statusSubresource: boolean,
  subresource?: string,
): KubernetesObject {
  const afterPaths = leafPaths(
    after,
    statusSubresource && subresource !== 'status',
  );
  const beforePaths = before
    ? leafPaths(before, statusSubresource && subresource !== 'status')
    : [];
  const changed = afterPaths.filter(
    p => !before || !deepEqual(getPath(before, p), getPath(after, p)),
  );
  const afterKeys = new Set(afterPaths.map(pathKey));
  const removed = beforePaths.filter(p => !afterKeys.has(pathKey(p)));
  const managers = before ? managedPaths(before) : [];
  for (const m of managers) {
    m.paths = m.paths.filter(
      p =>
        !changed.some(c => overlaps(c, p)) &&
        !removed.some(r => overlaps(r, p)),
    );
  }
  const result = clone(after);
  let mine = managers.find(
    m =>
      m.entry.manager === manager &&
      m.entry.operation === 'Update' &&
      m.entry.subresource === subresource,
  );
  if (changed.length > 0) {
    if (!mine) {
      mine = {
        entry: {
          manager,
          operation: 'Update',
          apiVersion,
          time: now,
          fieldsType: 'FieldsV1',
          fieldsV1: {},
          ...(subresource ? { subresource } : {}),
        },
        paths: [],
      };
      managers.push(mine);
    }
    const keys = new Set(mine.paths.map(pathKey));
    for (const c of changed) if (!keys.has(pathKey(c))) mine.paths.push(c);
    mine.entry = { ...mine.entry, time: now };
  }
  result.metadata = {
    ...(result.metadata ?? {}),
    managedFields: entriesFrom(managers),
  };
  return result;
}
