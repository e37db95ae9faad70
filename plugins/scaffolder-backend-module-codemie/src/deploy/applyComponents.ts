/**
 * Server-side apply of rendered objects: one field manager, everything in parallel, ordered
 * only where Kubernetes needs it — cluster-scoped foundations (namespaces, the StorageClass,
 * cluster roles) first; then every component at once, each applying what its pods read at
 * start (Secrets, ConfigMaps, service accounts, role bindings) before its workloads.
 */
import {
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { parseMemoryMiB } from '@codemie-gcp/plugin-codemie-common';
import type { DeployComponentId, RenderedComponent } from './render';

/** The field manager of every object `codemie:deploy` applies. @internal */
export const DEPLOY_FIELD_MANAGER = 'codemie-backstage';

const STAGES: string[][] = [
  ['Namespace', 'StorageClass', 'ClusterRole', 'IngressClass', 'PriorityClass'],
  [
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
  ],
];

/**
 * Apply stage of a kind: 0, 1, or 2 (everything else).
 *
 * @public
 */
export function applyStage(kind: string | undefined): number {
  const i = STAGES.findIndex(s => s.includes(kind ?? ''));
  return i < 0 ? STAGES.length : i;
}

/** `Kind namespace/name`, for messages. */
export function describeObject(o: KubernetesObject): string {
  return `${o.kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata?.name}`;
}

/** The Kubernetes Status message of a failed call; never the request (it may hold a Secret). */
export function apiErrorMessage(e: unknown): string {
  const err = e as { code?: number; body?: unknown; message?: string };
  let body: any = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      // not JSON
    }
  }
  if (typeof err.code === 'number') {
    const message =
      body?.message ??
      (typeof body === 'string' ? body : undefined) ??
      'no message';
    return `HTTP ${err.code}${body?.reason ? ` ${body.reason}` : ''}: ${message}`;
  }
  return err.message ?? String(e);
}

/** One or more objects could not be applied. */
export class ApplyError extends Error {
  constructor(readonly failures: Array<{ object: string; message: string }>) {
    super(
      `Could not apply ${failures.length} object(s):\n${failures.map(f => `- ${f.object}: ${f.message}`).join('\n')}`,
    );
    this.name = 'ApplyError';
  }
}

/**
 * Options of {@link applyComponents}.
 *
 * @public
 */
export interface ApplyOptions {
  /** Requests in flight at once (default 16). */
  concurrency?: number;
  /** Aborts the apply (the scaffolder task was cancelled). */
  signal?: AbortSignal;
  /** Notes worth a log line (e.g. a volume grown, a volume that cannot shrink). */
  onNote?: (line: string) => void;
}

/**
 * Components whose pods take longest to become ready (large images, JVM start-up, cluster
 * formation): their objects are sent first, so the environment is ready soon after the slowest
 * component would be on its own.
 */
export const SLOW_STARTING_COMPONENTS: readonly DeployComponentId[] = [
  'elasticsearch',
  'keycloak',
  'kibana',
  'keycloak-db',
  'codemie-api',
  'llm-proxy',
];

/**
 * A limit on requests in flight, shared by every component; when a slot frees, the waiting
 * request of the highest priority (lowest number) goes next, so a slow-starting component's
 * workload is not queued behind every other component's Secrets.
 */
function priorityLimiter(limit: number) {
  let active = 0;
  const waiting: Array<{ priority: number; seq: number; start: () => void }> =
    [];
  let seq = 0;
  const next = () => {
    if (active >= limit || waiting.length === 0) return;
    waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
    active += 1;
    waiting.shift()!.start();
  };
  return async <T>(priority: number, fn: () => Promise<T>): Promise<T> => {
    await new Promise<void>(resolve => {
      waiting.push({ priority, seq: seq++, start: resolve });
      next();
    });
    try {
      return await fn();
    } finally {
      active -= 1;
      next();
    }
  };
}

/**
 * Applies rendered components: the foundations of all of them first (stage 0), then every
 * component concurrently — its Secrets, ConfigMaps, service accounts and bindings, then its
 * workloads, Services, Ingresses and PDBs — the slowest-starting components first.
 *
 * @throws ApplyError listing every object that failed.
 *
 * @public
 */
export async function applyComponents(
  kc: KubeConfig,
  components: RenderedComponent[],
  options: ApplyOptions = {},
): Promise<{ applied: number }> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  // Few requests in flight: an API server (and the sandbox even more) works through what it has
  // been sent in order, so a deep pipeline would make the slow component's workload wait
  // behind everything dispatched before its Secrets were done.
  const limit = priorityLimiter(options.concurrency ?? 4);
  const failures: Array<{ object: string; message: string }> = [];
  let applied = 0;
  const applyOne = (o: KubernetesObject, priority: number) =>
    limit(priority, async () => {
      if (options.signal?.aborted) return;
      try {
        const body =
          o.kind === 'StatefulSet'
            ? await keepClaimTemplates(api, o, options.onNote)
            : o;
        await api.patch(
          body,
          undefined,
          undefined,
          DEPLOY_FIELD_MANAGER,
          true,
          PatchStrategy.ServerSideApply,
        );
        if (o.kind === 'StatefulSet' && body !== o)
          await growClaims(api, o, body, options.onNote);
        applied += 1;
      } catch (e) {
        failures.push({
          object: describeObject(o),
          message: apiErrorMessage(e),
        });
      }
    });
  const rank = (c: RenderedComponent) => {
    const i = SLOW_STARTING_COMPONENTS.indexOf(c.componentId);
    return i < 0 ? SLOW_STARTING_COMPONENTS.length : i;
  };
  const ordered = [...components].sort((a, b) => rank(a) - rank(b));
  const all = ordered.flatMap(c => c.objects);

  // Discovery once per API group, before the concurrent writes (each would otherwise miss the
  // client's cache and fetch it again).
  const groups = new Map<string, KubernetesObject>();
  for (const o of all)
    if (!groups.has(o.apiVersion!)) groups.set(o.apiVersion!, o);
  await Promise.all(
    [...groups.values()].map(o =>
      (api as any).resource(o.apiVersion, o.kind).catch(() => undefined),
    ),
  );

  await Promise.all(
    all.filter(o => applyStage(o.kind) === 0).map(o => applyOne(o, -1)),
  );
  options.signal?.throwIfAborted();
  if (failures.length > 0) throw new ApplyError(failures);
  await Promise.all(
    ordered.map(async (c, priority) => {
      for (const stage of [1, 2]) {
        const objects = c.objects.filter(
          o => Math.min(applyStage(o.kind), 2) === stage,
        );
        const before = failures.length;
        await Promise.all(objects.map(o => applyOne(o, priority)));
        // A component whose Secrets failed does not get workloads that would wait for them.
        if (failures.length > before) return;
      }
    }),
  );
  options.signal?.throwIfAborted();
  if (failures.length > 0) throw new ApplyError(failures);
  return { applied };
}

function claimStorage(template: any): string | undefined {
  return template?.spec?.resources?.requests?.storage;
}

/**
 * A StatefulSet's volumeClaimTemplates cannot change. When a new tier asks for bigger volumes,
 * the StatefulSet keeps its templates and the existing claims are grown in place instead
 * (the StorageClass allows expansion); see {@link growClaims}.
 */
async function keepClaimTemplates(
  api: KubernetesObjectApi,
  desired: KubernetesObject,
  onNote?: (line: string) => void,
): Promise<KubernetesObject> {
  const templates = (desired as any).spec?.volumeClaimTemplates;
  if (!templates?.length) return desired;
  let current: any;
  try {
    current = await api.read({
      apiVersion: desired.apiVersion!,
      kind: desired.kind!,
      metadata: {
        name: desired.metadata!.name!,
        namespace: desired.metadata!.namespace!,
      },
    });
  } catch (e) {
    if ((e as { code?: number }).code === 404) return desired;
    throw e;
  }
  const existing = current?.spec?.volumeClaimTemplates ?? [];
  const same =
    existing.length === templates.length &&
    templates.every(
      (t: any, i: number) => claimStorage(t) === claimStorage(existing[i]),
    );
  if (same) return desired;
  onNote?.(
    `${describeObject(desired)}: volumes change from ${existing.map(claimStorage).join(', ')} to ${templates
      .map(claimStorage)
      .join(', ')}; growing the existing claims in place`,
  );
  return {
    ...desired,
    spec: {
      ...(desired as any).spec,
      volumeClaimTemplates: templates.map((t: any, i: number) => ({
        ...t,
        spec: {
          ...t.spec,
          resources: existing[i]?.spec?.resources ?? t.spec.resources,
        },
      })),
    },
  } as KubernetesObject;
}

/** Grows the claims of each replica to the desired template size (claims never shrink). */
async function growClaims(
  api: KubernetesObjectApi,
  desired: KubernetesObject,
  applied: KubernetesObject,
  onNote?: (line: string) => void,
): Promise<void> {
  const spec = (desired as any).spec;
  const name = desired.metadata!.name!;
  const namespace = desired.metadata!.namespace!;
  for (const [i, template] of (spec.volumeClaimTemplates as any[]).entries()) {
    const want = claimStorage(template);
    if (
      !want ||
      claimStorage((applied as any).spec.volumeClaimTemplates[i]) === want
    )
      continue;
    for (let ordinal = 0; ordinal < (spec.replicas ?? 1); ordinal++) {
      const claim = `${template.metadata.name}-${name}-${ordinal}`;
      let current: any;
      try {
        current = await api.read({
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: claim, namespace },
        });
      } catch (e) {
        if ((e as { code?: number }).code === 404) continue; // created at the new size later
        throw e;
      }
      const have = claimStorage(current);
      if (parseMemoryMiB(have) >= parseMemoryMiB(want)) {
        if (parseMemoryMiB(have) > parseMemoryMiB(want)) {
          onNote?.(
            `PersistentVolumeClaim ${namespace}/${claim} stays at ${have}: volumes cannot shrink to ${want}`,
          );
        }
        continue;
      }
      await api.patch(
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: claim, namespace },
          spec: { resources: { requests: { storage: want } } },
        } as KubernetesObject,
        undefined,
        undefined,
        DEPLOY_FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      );
      onNote?.(
        `PersistentVolumeClaim ${namespace}/${claim} grown from ${have} to ${want}`,
      );
    }
  }
}
