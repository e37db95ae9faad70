/**
 * In-memory storage of Kubernetes objects: one map per cluster, a cluster-wide
 * resourceVersion counter (as etcd's revision), deterministic uids. It knows nothing about
 * semantics; `operations.ts` (API writes) and the controllers decide what to store.
 */
import { ResourceType, apiVersionOf } from './discovery';
import { clone, deepEqual, fnv32a } from './json';
import { KubernetesObject } from './types';

function typeKey(type: ResourceType): string {
  return `${type.group}/${type.plural}`;
}

/** Stores objects by type, namespace and name. Reads and writes copy. */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, KubernetesObject>>();
  private revision = 1000;
  private uids = 0;

  constructor(private readonly seed: string) {}

  /** The current resourceVersion of the whole store (list metadata). */
  resourceVersion(): string {
    return String(this.revision);
  }

  /** A deterministic RFC 4122-shaped uid, unique within this store. */
  nextUid(): string {
    this.uids += 1;
    const parts = [0, 1, 2, 3].map(i =>
      fnv32a(`${this.seed}/${this.uids}/${i}`).toString(16).padStart(8, '0'),
    );
    const hex = parts.join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  private bucket(type: ResourceType): Map<string, KubernetesObject> {
    const key = typeKey(type);
    let bucket = this.objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }

  private static itemKey(namespace: string | undefined, name: string): string {
    return `${namespace ?? ''}/${name}`;
  }

  /** One object, or undefined. */
  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const found = this.bucket(type).get(
      ObjectStore.itemKey(type.namespaced ? namespace : undefined, name),
    );
    return found ? clone(found) : undefined;
  }

  /** Objects of a type, in one namespace or all, ordered by namespace then name. */
  list(type: ResourceType, namespace?: string): KubernetesObject[] {
    const items = [...this.bucket(type).values()].filter(
      o =>
        !type.namespaced ||
        namespace === undefined ||
        o.metadata?.namespace === namespace,
    );
    items.sort((a, b) =>
      `${a.metadata?.namespace ?? ''}/${a.metadata?.name}`.localeCompare(
        `${b.metadata?.namespace ?? ''}/${b.metadata?.name}`,
      ),
    );
    return items.map(o => clone(o));
  }

  /** Internal read without copying, for controllers that only read. */
  peek(type: ResourceType, namespace?: string): readonly KubernetesObject[] {
    return [...this.bucket(type).values()].filter(
      o =>
        !type.namespaced ||
        namespace === undefined ||
        o.metadata?.namespace === namespace,
    );
  }

  /**
   * Stores `obj` as given, except for server-owned identity: a new object gets uid,
   * creationTimestamp and kind/apiVersion; every stored change gets the next resourceVersion.
   * If nothing differs from what is stored, nothing is written and the stored copy is returned.
   */
  put(
    type: ResourceType,
    obj: KubernetesObject,
    creationTimestamp: () => string,
  ): KubernetesObject {
    const bucket = this.bucket(type);
    const name = obj.metadata?.name;
    if (!name) throw new Error('object without metadata.name');
    const key = ObjectStore.itemKey(
      type.namespaced ? obj.metadata?.namespace : undefined,
      name,
    );
    const existing = bucket.get(key);
    const next = clone(obj);
    next.apiVersion = apiVersionOf(type);
    next.kind = type.kind;
    next.metadata = { ...next.metadata };
    if (!type.namespaced) delete next.metadata.namespace;
    if (existing) {
      next.metadata.uid = existing.metadata!.uid;
      next.metadata.creationTimestamp = existing.metadata!.creationTimestamp;
      next.metadata.resourceVersion = existing.metadata!.resourceVersion;
      if (deepEqual(existing, next)) return clone(existing);
    } else {
      next.metadata.uid = next.metadata.uid ?? this.nextUid();
      next.metadata.creationTimestamp =
        next.metadata.creationTimestamp ?? creationTimestamp();
    }
    this.revision += 1;
    next.metadata.resourceVersion = String(this.revision);
    bucket.set(key, next);
    return clone(next);
  }

  /** Removes and returns an object. */
  remove(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    const bucket = this.bucket(type);
    const key = ObjectStore.itemKey(
      type.namespaced ? namespace : undefined,
      name,
    );
    const existing = bucket.get(key);
    if (!existing) return undefined;
    bucket.delete(key);
    this.revision += 1;
    return clone(existing);
  }
}
