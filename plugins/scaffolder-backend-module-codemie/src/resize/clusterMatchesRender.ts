/**
 * Whether a cluster already runs an environment as rendered — its workloads with the rendered
 * replicas, images and resources, rolled out; its PodDisruptionBudgets; its volumes at least the
 * rendered size; nothing left of components the rendering no longer has — by reading only. A
 * resize that finds nothing different changes nothing (not even a no-op apply).
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  PolicyV1Api,
} from '@kubernetes/client-node';
import {
  parseCpuMillis,
  parseMemoryMiB,
} from '@codemie-gcp/plugin-codemie-common';
import { DEPLOY_LABELS, RenderedComponent, allObjects } from '../deploy/render';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];
const CHECKED_KINDS = [...WORKLOAD_KINDS, 'PodDisruptionBudget'];

const key = (o: KubernetesObject) =>
  `${o.kind} ${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Quantities compare by value (`1000m` is `1`), everything else exactly. */
function sameValue(path: string[], have: unknown, want: unknown): boolean {
  if (have === want) return true;
  if (
    path.includes('resources') &&
    (typeof have === 'string' || typeof have === 'number') &&
    (typeof want === 'string' || typeof want === 'number')
  ) {
    const field = path[path.length - 1];
    const parse = field === 'cpu' ? parseCpuMillis : parseMemoryMiB;
    return Math.abs(parse(String(have)) - parse(String(want))) < 1e-6;
  }
  return false;
}

/** The first path where `want` is not contained in `have` (extra fields in `have` are fine). */
export function firstDifference(
  have: unknown,
  want: unknown,
  path: string[] = [],
): string | undefined {
  if (want === null || typeof want !== 'object') {
    return sameValue(path, have, want) ? undefined : path.join('.');
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length)
      return path.join('.');
    for (let i = 0; i < want.length; i++) {
      const d = firstDifference(have[i], want[i], [...path, String(i)]);
      if (d) return d;
    }
    return undefined;
  }
  if (have === null || typeof have !== 'object' || Array.isArray(have)) {
    return path.join('.');
  }
  for (const [k, v] of Object.entries(want as Record<string, unknown>)) {
    if (v === undefined) continue;
    const d = firstDifference((have as Record<string, unknown>)[k], v, [
      ...path,
      k,
    ]);
    if (d) return d;
  }
  return undefined;
}

/** True when a workload's rollout has finished (as `waitForRollout` judges it). */
function rolledOut(o: any): boolean {
  const s = o.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (o.metadata?.generation ?? 1);
  if (o.kind === 'DaemonSet') {
    const desired = s.desiredNumberScheduled ?? 0;
    return (
      observed &&
      (s.numberReady ?? 0) === desired &&
      (s.updatedNumberScheduled ?? 0) === desired
    );
  }
  const replicas = o.spec?.replicas ?? 1;
  return (
    observed &&
    (s.readyReplicas ?? 0) >= replicas &&
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) <= replicas
  );
}

/**
 * What differs between the cluster and `components` (the plain rendering: no secret values),
 * as sentences; empty when the cluster runs exactly this.
 */
export async function differencesFromRender(
  kc: KubeConfig,
  components: RenderedComponent[],
  environment: string,
): Promise<string[]> {
  const apps = kc.makeApiClient(AppsV1Api);
  const policy = kc.makeApiClient(PolicyV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = `${DEPLOY_LABELS.environment}=${environment}`;
  const [deployments, statefulSets, daemonSets, budgets, claims] =
    await Promise.all([
      apps.listDeploymentForAllNamespaces({ labelSelector }),
      apps.listStatefulSetForAllNamespaces({ labelSelector }),
      apps.listDaemonSetForAllNamespaces({ labelSelector }),
      policy.listPodDisruptionBudgetForAllNamespaces({ labelSelector }),
      core.listPersistentVolumeClaimForAllNamespaces({ labelSelector }),
    ]);
  const live = new Map<string, any>();
  for (const [kind, list] of [
    ['Deployment', deployments.items],
    ['StatefulSet', statefulSets.items],
    ['DaemonSet', daemonSets.items],
    ['PodDisruptionBudget', budgets.items],
  ] as const) {
    for (const o of list as any[])
      live.set(key({ ...o, kind }), { ...o, kind });
  }

  const differences: string[] = [];
  const wanted = allObjects(components).filter(o =>
    CHECKED_KINDS.includes(o.kind!),
  );
  for (const want of wanted) {
    const have = live.get(key(want));
    live.delete(key(want));
    if (!have) {
      differences.push(`${key(want)} is missing`);
      continue;
    }
    const spec = { ...(want as any).spec };
    // Claim templates cannot change; volumes are compared through their claims below.
    delete spec.volumeClaimTemplates;
    const at = firstDifference(have.spec, spec, ['spec']);
    if (at) differences.push(`${key(want)} differs at ${at}`);
    else if (WORKLOAD_KINDS.includes(want.kind!) && !rolledOut(have)) {
      differences.push(`${key(want)} has not finished rolling out`);
    }
  }
  for (const extra of live.keys()) {
    differences.push(`${extra} is not part of this sizing`);
  }

  // Volumes: each claim at least the rendered size (they are grown, never shrunk).
  const claimSize = new Map(
    claims.items.map(c => [
      `${c.metadata?.namespace}/${c.metadata?.name}`,
      parseMemoryMiB(c.spec?.resources?.requests?.storage),
    ]),
  );
  for (const c of components) {
    for (const w of c.workloads) {
      if (w.kind !== 'StatefulSet' || w.storageGiBPerPod <= 0) continue;
      for (let i = 0; i < w.replicas; i++) {
        const claim = `${w.namespace}/data-${w.name}-${i}`;
        const have = claimSize.get(claim);
        if (have !== undefined && have < w.storageGiBPerPod * 1024) {
          differences.push(
            `PersistentVolumeClaim ${claim} is ${Math.round(have / 1024)} GiB, below ${w.storageGiBPerPod} GiB`,
          );
        }
      }
    }
  }
  return differences;
}

/** The volume per pod each component's claims have now, GiB (the largest claim of each). */
export async function volumesGiBOf(
  kc: KubeConfig,
  environment: string,
): Promise<Record<string, number>> {
  const core = kc.makeApiClient(CoreV1Api);
  const claims = await core.listPersistentVolumeClaimForAllNamespaces({
    labelSelector: `${DEPLOY_LABELS.environment}=${environment}`,
  });
  const out: Record<string, number> = {};
  for (const c of claims.items) {
    const component = c.metadata?.labels?.[DEPLOY_LABELS.component];
    if (!component) continue;
    const gib = parseMemoryMiB(c.spec?.resources?.requests?.storage) / 1024;
    out[component] = Math.max(out[component] ?? 0, Math.round(gib));
  }
  return out;
}
