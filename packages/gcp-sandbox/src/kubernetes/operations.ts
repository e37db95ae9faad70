/**
 * The API server's verbs on stored objects: get, list, create, update (PUT), patch (merge,
 * strategic-as-merge, JSON patch, server-side apply), delete and deletecollection, with
 * resourceVersion/generation bookkeeping, status subresource rules, dry run, and garbage
 * collection of dependents (ownerReferences) and namespace contents.
 */
import YAML from 'yaml';
import { Admission } from './admission';
import { jsonPatch, mergePatch, recordUpdate, serverSideApply } from './apply';
import { RESOURCE_TYPES, ResourceType, apiVersionOf } from './discovery';
import {
  KubeError,
  alreadyExists,
  badRequest,
  conflict,
  notFound,
} from './errors';
import { clone, deepEqual } from './json';
import { ObjectStore } from './ObjectStore';
import {
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';
import { KubernetesObject } from './types';

/** Options common to writes. */
export interface WriteOptions {
  dryRun?: boolean;
  fieldManager?: string;
  /** Server-side apply: take conflicting fields. */
  force?: boolean;
  /** 'status' to write the status subresource. */
  subresource?: string;
}

/** List query. */
export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

/** Content types a PATCH may use. */
export const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Spec-ish content: everything but metadata and status (what bumps generation). */
function specOf(obj: KubernetesObject): unknown {
  const { metadata, status, apiVersion, kind, ...rest } = obj;
  return rest;
}

/** API verbs over an {@link ObjectStore}. */
export class ApiOperations {
  private generated = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly admission: Admission,
    /** Simulated now (RFC 3339) for creationTimestamp and managedFields. */
    private readonly now: () => string,
    /** Called after every committed change, so controllers can react. */
    private readonly onChange: () => void,
  ) {}

  get(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject {
    const obj = this.store.get(type, namespace, name);
    if (!obj) throw notFound(type.plural, type.group, name);
    return obj;
  }

  /** A `<Kind>List` with label/field selection and limit/continue paging. */
  list(
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions = {},
  ): KubernetesObject {
    const labels = parseLabelSelector(options.labelSelector);
    const fields = parseFieldSelector(options.fieldSelector);
    let items = this.store
      .list(type, namespace)
      .filter(
        o =>
          matchesRequirements(o.metadata?.labels, labels) &&
          matchesFields(o, fields),
      );
    const start = options.continue
      ? Number(Buffer.from(options.continue, 'base64').toString('utf8')) || 0
      : 0;
    let next: string | undefined;
    if (options.limit && options.limit > 0) {
      if (start + options.limit < items.length)
        next = Buffer.from(String(start + options.limit)).toString('base64');
      items = items.slice(start, start + options.limit);
    } else if (start) {
      items = items.slice(start);
    }
    return {
      kind: `${type.kind}List`,
      apiVersion: apiVersionOf(type),
      metadata: {
        resourceVersion: this.store.resourceVersion(),
        ...(next ? { continue: next } : {}),
      },
      items,
    };
  }

  /** POST: creates; 409 AlreadyExists if the name is taken. */
  create(
    type: ResourceType,
    namespace: string | undefined,
    body: KubernetesObject,
    options: WriteOptions = {},
  ): KubernetesObject {
    this.checkBody(type, body, namespace, undefined);
    const obj = clone(body);
    obj.metadata = { ...obj.metadata };
    if (type.namespaced) obj.metadata.namespace = namespace;
    if (!obj.metadata.name && obj.metadata.generateName)
      obj.metadata.name = this.generateName(obj.metadata.generateName);
    const name = obj.metadata.name ?? '';
    if (name && this.store.get(type, namespace, name))
      throw alreadyExists(type.plural, type.group, name);
    const prepared = this.prepare(
      type,
      obj,
      undefined,
      options.fieldManager ?? 'unknown',
      'Update',
      options,
    );
    return this.commit(type, prepared, options);
  }

  /** PUT: replaces the object (or its status). 409 on a stale resourceVersion. */
  replace(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubernetesObject,
    options: WriteOptions = {},
  ): KubernetesObject {
    this.checkBody(type, body, namespace, name);
    const current = this.get(type, namespace, name);
    const rv = body.metadata?.resourceVersion;
    if (rv && rv !== current.metadata?.resourceVersion)
      throw conflict(type.plural, type.group, name);
    const obj = clone(body);
    obj.metadata = {
      ...obj.metadata,
      namespace: current.metadata?.namespace,
      name,
    };
    const prepared = this.prepare(
      type,
      obj,
      current,
      options.fieldManager ?? 'unknown',
      'Update',
      options,
    );
    return this.commit(type, prepared, options);
  }

  /** PATCH in any of the four content types. Apply creates a missing object. */
  patch(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    rawBody: string,
    contentType: string,
    options: WriteOptions = {},
  ): KubernetesObject {
    const mediaType = contentType.split(';')[0].trim().toLowerCase();
    const current = this.store.get(type, namespace, name);
    if (mediaType === PATCH_TYPES.apply) {
      if (!options.fieldManager) {
        throw new KubeError(
          422,
          'Invalid',
          'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        );
      }
      let config: KubernetesObject;
      try {
        config = YAML.parse(rawBody);
      } catch (e) {
        throw badRequest(`error decoding YAML: ${(e as Error).message}`);
      }
      this.checkBody(type, config, namespace, name);
      if (!config.apiVersion || !config.kind) {
        throw badRequest('apiVersion and kind are required for an apply patch');
      }
      config.metadata = { ...config.metadata, name };
      if (type.namespaced) config.metadata.namespace = namespace;
      const applied = serverSideApply({
        current,
        config,
        manager: options.fieldManager,
        force: !!options.force,
        statusSubresource:
          !!type.statusSubresource && options.subresource !== 'status',
        now: this.now(),
        apiVersion: apiVersionOf(type),
      });
      return this.commit(
        type,
        this.prepare(
          type,
          applied,
          current,
          options.fieldManager,
          'Apply',
          options,
        ),
        options,
      );
    }
    if (options.force)
      throw badRequest('force is only allowed for apply patches');
    if (!current) throw notFound(type.plural, type.group, name);
    let patch: unknown;
    try {
      patch = JSON.parse(rawBody);
    } catch (e) {
      throw badRequest(`error decoding patch: ${(e as Error).message}`);
    }
    let next: KubernetesObject;
    if (mediaType === PATCH_TYPES.json) next = jsonPatch(current, patch);
    else if (
      mediaType === PATCH_TYPES.merge ||
      mediaType === PATCH_TYPES.strategic
    ) {
      // Strategic merge is treated as JSON merge: lists are replaced, not merged by key.
      next = mergePatch(current, patch) as KubernetesObject;
    } else {
      throw new KubeError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
      );
    }
    const rv = (patch as KubernetesObject)?.metadata?.resourceVersion;
    if (
      mediaType !== PATCH_TYPES.json &&
      rv &&
      rv !== current.metadata?.resourceVersion
    ) {
      throw conflict(type.plural, type.group, name);
    }
    next.metadata = {
      ...next.metadata,
      name,
      namespace: current.metadata?.namespace,
    };
    const prepared = this.prepare(
      type,
      next,
      current,
      options.fieldManager ?? 'unknown',
      'Update',
      options,
    );
    return this.commit(type, prepared, options);
  }

  /** DELETE: removes the object and (unless orphaned) its dependents. Returns a Status. */
  delete(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: { dryRun?: boolean; propagationPolicy?: string } = {},
  ): KubernetesObject {
    const current = this.get(type, namespace, name);
    if (!options.dryRun) {
      this.store.remove(type, namespace, name);
      if (type.kind === 'Namespace') this.deleteNamespaceContents(name);
      if (options.propagationPolicy !== 'Orphan')
        this.collectGarbage(current.metadata!.uid!);
      this.onChange();
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: {
        name,
        group: type.group,
        kind: type.plural,
        uid: current.metadata?.uid,
      },
    };
  }

  /** DELETE on a collection: every selected object. Returns the deleted objects as a list. */
  deleteCollection(
    type: ResourceType,
    namespace: string | undefined,
    options: ListOptions & { dryRun?: boolean },
  ): KubernetesObject {
    const list = this.list(type, namespace, options);
    if (!options.dryRun)
      for (const item of list.items)
        this.delete(type, item.metadata.namespace, item.metadata.name);
    return list;
  }

  private checkBody(
    type: ResourceType,
    body: KubernetesObject,
    namespace: string | undefined,
    name: string | undefined,
  ): void {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('the body of the request was in an unknown format');
    if (body.kind && body.kind !== type.kind) {
      throw badRequest(
        `the kind in the data (${body.kind}) does not match the expected kind (${type.kind})`,
      );
    }
    if (body.apiVersion && body.apiVersion !== apiVersionOf(type)) {
      throw badRequest(
        `the API version in the data (${body.apiVersion}) does not match the expected API version (${apiVersionOf(type)})`,
      );
    }
    const ns = body.metadata?.namespace;
    if (type.namespaced && ns && namespace && ns !== namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
    if (name && body.metadata?.name && body.metadata.name !== name) {
      throw badRequest(
        'the name of the object does not match the name on the URL',
      );
    }
  }

  /**
   * Status subresource rules, defaulting, validation, generation and managedFields: the
   * object exactly as it would be stored.
   */
  private prepare(
    type: ResourceType,
    obj: KubernetesObject,
    current: KubernetesObject | undefined,
    manager: string,
    operation: 'Apply' | 'Update',
    options: WriteOptions,
  ): KubernetesObject {
    let next = clone(obj);
    if (type.statusSubresource) {
      if (options.subresource === 'status') {
        if (!current)
          throw notFound(type.plural, type.group, obj.metadata?.name ?? '');
        next = { ...clone(current), status: next.status };
        if (operation === 'Apply')
          next.metadata = {
            ...current.metadata,
            managedFields: obj.metadata?.managedFields,
          };
      } else if (current) {
        next.status = clone(current.status);
      } else {
        delete next.status;
      }
    }
    next.metadata = { ...next.metadata };
    delete next.metadata.resourceVersion;
    if (current) {
      next.metadata.uid = current.metadata?.uid;
      next.metadata.creationTimestamp = current.metadata?.creationTimestamp;
    } else {
      delete next.metadata.uid;
      delete next.metadata.creationTimestamp;
    }
    this.admission.default(type, next, current);
    this.admission.validate(type, next, current);
    if (type.generation) {
      const previous = current?.metadata?.generation ?? 0;
      const specChanged = !current || !deepEqual(specOf(current), specOf(next));
      next.metadata.generation = specChanged ? previous + 1 : previous;
    } else {
      delete next.metadata.generation;
    }
    if (operation === 'Update') {
      next = recordUpdate(
        current,
        next,
        manager,
        apiVersionOf(type),
        this.now(),
        !!type.statusSubresource,
        options.subresource,
      );
    }
    return next;
  }

  private commit(
    type: ResourceType,
    obj: KubernetesObject,
    options: WriteOptions,
  ): KubernetesObject {
    if (options.dryRun) {
      const current = this.store.get(
        type,
        obj.metadata?.namespace,
        obj.metadata!.name!,
      );
      return {
        ...obj,
        apiVersion: apiVersionOf(type),
        kind: type.kind,
        metadata: {
          ...obj.metadata,
          uid: current?.metadata?.uid ?? this.store.nextUid(),
          creationTimestamp: current?.metadata?.creationTimestamp ?? this.now(),
          resourceVersion: current?.metadata?.resourceVersion,
        },
      };
    }
    const before = this.store.get(
      type,
      obj.metadata?.namespace,
      obj.metadata!.name!,
    );
    const stored = this.store.put(type, obj, this.now);
    if (
      !before ||
      before.metadata?.resourceVersion !== stored.metadata?.resourceVersion
    )
      this.onChange();
    return stored;
  }

  private generateName(prefix: string): string {
    this.generated += 1;
    let n = this.generated * 7919;
    let suffix = '';
    for (let i = 0; i < 5; i++) {
      suffix += SUFFIX_ALPHABET[n % SUFFIX_ALPHABET.length];
      n = Math.floor(n / SUFFIX_ALPHABET.length) + i * 13;
    }
    return `${prefix}${suffix}`;
  }

  private deleteNamespaceContents(namespace: string): void {
    for (const type of RESOURCE_TYPES) {
      if (!type.namespaced || type.virtual) continue;
      for (const obj of this.store.list(type, namespace))
        this.store.remove(type, namespace, obj.metadata!.name!);
    }
  }

  /** Removes every object whose ownerReferences name `uid`, recursively (background policy). */
  collectGarbage(uid: string): void {
    for (const type of RESOURCE_TYPES) {
      if (type.virtual) continue;
      for (const obj of this.store.peek(type)) {
        if (obj.metadata?.ownerReferences?.some(r => r.uid === uid)) {
          const removed = this.store.remove(
            type,
            obj.metadata.namespace,
            obj.metadata.name!,
          );
          if (removed) this.collectGarbage(removed.metadata!.uid!);
        }
      }
    }
  }
}
