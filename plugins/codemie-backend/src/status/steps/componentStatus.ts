/**
 * Step 3 of the status: the pod rows of each catalog row aggregated into a component — expected
 * against ready pods, health and its reasons, usage against requests against the tier's
 * baseline, and volumes. Pure.
 */
import {
  COMPONENT_CATALOG,
  ComponentId,
  ComponentStatus,
  ResourceComparison,
  SizedWorkload,
  TierSizing,
  parseStorageGiB,
  roundTo as round,
} from '@codemie-gcp/plugin-codemie-common';
import { componentOfLabels, rowOf } from '../componentOfPod';
import { ClassifiedPod, classifyComponent } from '../classifyHealth';
import type { ClusterSnapshot } from '../types';
import type { SnapshotIndex } from './indexSnapshot';
import { PodRowContext, PodRow, podRowsOf } from './podRows';
import { objectKey, sumOptional } from './podResources';

/** A status row of the catalog with the tier's workloads on it. @internal */
export interface PlannedComponent {
  id: ComponentId;
  displayName: string;
  kind: ComponentStatus['workloadKind'];
  namespace?: string;
  workloads: SizedWorkload[];
}

/** The catalog's rows in order, each with the tier's workloads that belong to it. @internal */
export function plannedComponents(sizing: TierSizing): PlannedComponent[] {
  const sized = [...sizing.workloads, ...sizing.daemonSets];
  return COMPONENT_CATALOG.map(row => ({
    id: row.id,
    displayName: row.displayName,
    kind: row.kind === 'ManagedService' ? 'Managed' : row.kind,
    namespace: row.namespace,
    workloads: sized.filter(w => rowOf(w.id) === row.id),
  }));
}

/** What a component is aggregated from besides its plan. @internal */
export interface ComponentContext extends PodRowContext {
  snapshot: Pick<ClusterSnapshot, 'volumeUsage'>;
}

/** Pods a workload plans: a DaemonSet one per schedulable node. */
function plannedPods(w: SizedWorkload, index: SnapshotIndex): number {
  return w.kind === 'DaemonSet' ? index.schedulableNodeCount : w.replicas;
}

/** Pods the plan expects, leaving out companions the deployment replaced with a managed service. */
function expectedPods(plan: PlannedComponent, index: SnapshotIndex): number {
  const deployed = index.deployedWorkloadIds;
  return plan.workloads
    .filter(w => !w.companionOf || deployed.has(w.id) || deployed.size === 0)
    .reduce((a, w) => a + plannedPods(w, index), 0);
}

/** Usage, requests and limits of the live pods against the plan's baseline. */
function compareResources(
  key: 'cpu' | 'memory',
  live: PodRow[],
  baseline: number,
  metricsAvailable: boolean,
): ResourceComparison {
  const limits = sumOptional(live.map(r => r.row[key].limits));
  return {
    ...(metricsAvailable
      ? { usage: round(live.reduce((a, r) => a + (r.row[key].usage ?? 0), 0)) }
      : {}),
    requests: round(live.reduce((a, r) => a + r.row[key].requests, 0)),
    ...(live.length > 0 && limits !== undefined
      ? { limits: round(limits) }
      : {}),
    baseline,
  };
}

/** The claims the component's pods mount, plus claims labelled with the component. */
function claimsOf(id: ComponentId, rows: PodRow[], index: SnapshotIndex) {
  const claims = new Set<string>();
  for (const { pod } of rows) {
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim?.claimName) {
        claims.add(
          objectKey(pod.metadata?.namespace, v.persistentVolumeClaim.claimName),
        );
      }
    }
  }
  for (const [key, pvc] of index.claimsByKey) {
    const labelled = componentOfLabels(pvc.metadata?.labels);
    if (labelled && rowOf(labelled) === id) claims.add(key);
  }
  return claims;
}

/**
 * Capacity (the kubelet's figure, else the claim's) and use of the component's volumes, against
 * what the tier plans; undefined for a component with neither.
 */
function storageOf(
  plan: PlannedComponent,
  rows: PodRow[],
  ctx: ComponentContext,
): ComponentStatus['storage'] {
  const claims = claimsOf(plan.id, rows, ctx.index);
  const baselineGiB = plan.workloads.reduce(
    (a, w) => a + w.replicas * w.storageGiBPerPod,
    0,
  );
  if (claims.size === 0 && baselineGiB === 0) return undefined;
  let capacityGiB = 0;
  let usedGiB: number | undefined;
  for (const key of claims) {
    const pvc = ctx.index.claimsByKey.get(key);
    const stats = ctx.snapshot.volumeUsage?.[key];
    capacityGiB += stats
      ? stats.capacityBytes / 2 ** 30
      : parseStorageGiB(
          pvc?.status?.capacity?.storage ??
            pvc?.spec?.resources?.requests?.storage,
        );
    if (stats) usedGiB = (usedGiB ?? 0) + stats.usedBytes / 2 ** 30;
  }
  return {
    capacityGiB: round(capacityGiB, 1),
    ...(usedGiB !== undefined ? { usedGiB: round(usedGiB, 1) } : {}),
    baselineGiB,
  };
}

/** The status of one in-cluster component from its pods and workload objects. @internal */
export function componentStatusOf(
  plan: PlannedComponent,
  ctx: ComponentContext,
): ComponentStatus {
  const { index } = ctx;
  const pods = index.podsByComponent.get(plan.id) ?? [];
  const counts = index.workloadCounts.get(plan.id);
  const enabled =
    plan.workloads.length > 0 || counts !== undefined || pods.length > 0;
  const expected = expectedPods(plan, index);
  const rows = podRowsOf(pods, ctx);
  // Terminating and completed pods do not serve; count only live ones.
  const live = rows.filter(
    r => r.row.state !== 'Terminating' && r.row.state !== 'Completed',
  );
  const ready = live.filter(r => r.row.ready).length;
  const classified: ClassifiedPod[] = rows.map(({ row, health }) => ({
    ...health,
    name: row.name,
    ready: row.ready,
    restarts: row.restarts,
  }));
  const { health, reasons } = classifyComponent({
    enabled,
    deployed: counts !== undefined,
    expected,
    ready,
    pods: classified,
  });
  const baseline = (key: 'cpuMillis' | 'memoryMiB') =>
    plan.workloads.reduce(
      (a, w) => a + plannedPods(w, index) * w.requests[key],
      0,
    );
  const storage = storageOf(plan, rows, ctx);
  return {
    id: plan.id,
    displayName: plan.displayName,
    workloadKind: plan.kind,
    namespace: counts?.namespace ?? rows[0]?.row.namespace ?? plan.namespace,
    enabled,
    health,
    reasons,
    pods: {
      expected,
      desired: counts?.desired ?? 0,
      ready,
      available: counts?.available ?? 0,
      restarts: rows.reduce((a, r) => a + r.row.restarts, 0),
    },
    cpu: compareResources(
      'cpu',
      live,
      baseline('cpuMillis'),
      index.metricsAvailable,
    ),
    memory: compareResources(
      'memory',
      live,
      baseline('memoryMiB'),
      index.metricsAvailable,
    ),
    ...(storage ? { storage } : {}),
    podRows: rows.map(r => r.row),
  };
}
