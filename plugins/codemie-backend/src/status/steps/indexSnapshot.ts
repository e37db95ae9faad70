/**
 * Step 1 of the status: the cluster snapshot indexed the way the later steps look things up —
 * events, usage and pods by pod or component, workload counts by component, free capacity by
 * node. Pure.
 */
import type {
  CoreV1Event as V1Event,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import {
  ComponentId,
  GKE_SYSTEM_PODS_PER_NODE,
  NodeFree,
  parseCpuMillis,
  parseMemoryMiB,
} from '@codemie-gcp/plugin-codemie-common';
import { componentOfLabels, rowOf } from '../componentOfPod';
import type { ClusterSnapshot } from '../types';
import { containerResources, objectKey } from './podResources';

/** Replica counts of a component's workload objects, summed. @internal */
export interface WorkloadCounts {
  desired: number;
  ready: number;
  available: number;
  namespace?: string;
}

/** The snapshot, indexed. Keys of pods and claims are `<namespace>/<name>`. @internal */
export interface SnapshotIndex {
  /** metrics.k8s.io answered. */
  metricsAvailable: boolean;
  /** Warning events about each pod. */
  eventsByPod: Map<string, V1Event[]>;
  /** Live usage of each pod: CPU millicores, memory MiB. */
  usageByPod: Map<string, { cpu: number; memory: number }>;
  /** The environment's pods by status row (a companion's pods are on its main row). */
  podsByComponent: Map<ComponentId, V1Pod[]>;
  /** Workload object counts by status row. */
  workloadCounts: Map<ComponentId, WorkloadCounts>;
  /** The workloads (not rows) that exist in the cluster. */
  deployedWorkloadIds: Set<ComponentId>;
  /** Free capacity per node, for the scheduling shortfall in pod diagnoses. */
  nodesFree: NodeFree[];
  zoneOfNode: Map<string, string | undefined>;
  schedulableNodeCount: number;
  claimsByKey: Map<string, V1PersistentVolumeClaim>;
}

/** Indexes `snapshot` for the later steps. @internal */
export function indexSnapshot(snapshot: ClusterSnapshot): SnapshotIndex {
  const { workloadCounts, deployedWorkloadIds } = countWorkloads(snapshot);
  return {
    metricsAvailable: snapshot.podMetrics !== undefined,
    eventsByPod: groupBy(
      snapshot.events.filter(e => e.involvedObject?.kind === 'Pod'),
      e => objectKey(e.involvedObject.namespace, e.involvedObject.name),
    ),
    usageByPod: usageByPod(snapshot),
    podsByComponent: podsByComponent(snapshot.pods),
    workloadCounts,
    deployedWorkloadIds,
    nodesFree: freeCapacityPerNode(snapshot),
    zoneOfNode: new Map(
      snapshot.nodes.map(n => [
        n.metadata?.name ?? '',
        n.metadata?.labels?.['topology.kubernetes.io/zone'],
      ]),
    ),
    schedulableNodeCount: snapshot.nodes.filter(n => !n.spec?.unschedulable)
      .length,
    claimsByKey: new Map(
      snapshot.persistentVolumeClaims.map(p => [
        objectKey(p.metadata?.namespace, p.metadata?.name),
        p,
      ]),
    ),
  };
}

function groupBy<T, K>(items: T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

function usageByPod(snapshot: ClusterSnapshot) {
  const usage = new Map<string, { cpu: number; memory: number }>();
  for (const m of snapshot.podMetrics ?? []) {
    usage.set(objectKey(m.namespace, m.name), {
      cpu: m.containers.reduce((a, c) => a + parseCpuMillis(c.usage.cpu), 0),
      memory: m.containers.reduce(
        (a, c) => a + parseMemoryMiB(c.usage.memory),
        0,
      ),
    });
  }
  return usage;
}

function podsByComponent(pods: V1Pod[]): Map<ComponentId, V1Pod[]> {
  const byRow = new Map<ComponentId, V1Pod[]>();
  for (const pod of pods) {
    const id = componentOfLabels(pod.metadata?.labels);
    if (!id) continue;
    const row = rowOf(id);
    byRow.set(row, [...(byRow.get(row) ?? []), pod]);
  }
  return byRow;
}

/** One workload object's labels and replica counts. */
interface WorkloadFacts {
  labels?: Record<string, string>;
  templateLabels?: Record<string, string>;
  namespace?: string;
  desired: number;
  ready: number;
  available: number;
}

function workloadsOf(snapshot: ClusterSnapshot): WorkloadFacts[] {
  return [
    ...snapshot.deployments.map(d => ({
      labels: d.metadata?.labels,
      templateLabels: d.spec?.template?.metadata?.labels,
      namespace: d.metadata?.namespace,
      desired: d.spec?.replicas ?? 1,
      ready: d.status?.readyReplicas ?? 0,
      available: d.status?.availableReplicas ?? 0,
    })),
    ...snapshot.statefulSets.map(s => ({
      labels: s.metadata?.labels,
      templateLabels: s.spec?.template?.metadata?.labels,
      namespace: s.metadata?.namespace,
      desired: s.spec?.replicas ?? 1,
      ready: s.status?.readyReplicas ?? 0,
      available: s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0,
    })),
    ...snapshot.daemonSets.map(ds => ({
      labels: ds.metadata?.labels,
      templateLabels: ds.spec?.template?.metadata?.labels,
      namespace: ds.metadata?.namespace,
      desired: ds.status?.desiredNumberScheduled ?? 0,
      ready: ds.status?.numberReady ?? 0,
      available: ds.status?.numberAvailable ?? 0,
    })),
  ];
}

/**
 * Which workloads exist in the cluster (a companion the deployment replaced with a managed
 * service — Keycloak's database on Cloud SQL — is not expected), and their counts by row.
 */
function countWorkloads(snapshot: ClusterSnapshot) {
  const deployedWorkloadIds = new Set<ComponentId>();
  const workloadCounts = new Map<ComponentId, WorkloadCounts>();
  for (const w of workloadsOf(snapshot)) {
    const id =
      componentOfLabels(w.labels) ?? componentOfLabels(w.templateLabels);
    if (!id) continue;
    deployedWorkloadIds.add(id);
    const row = rowOf(id);
    const c = workloadCounts.get(row) ?? {
      desired: 0,
      ready: 0,
      available: 0,
      namespace: w.namespace,
    };
    workloadCounts.set(row, {
      desired: c.desired + w.desired,
      ready: c.ready + w.ready,
      available: c.available + w.available,
      namespace: c.namespace ?? w.namespace,
    });
  }
  return { workloadCounts, deployedWorkloadIds };
}

/**
 * Free capacity per node: allocatable minus GKE's system share minus the environment's
 * scheduled pods.
 */
function freeCapacityPerNode(snapshot: ClusterSnapshot): NodeFree[] {
  return snapshot.nodes.map(n => {
    const name = n.metadata?.name ?? '';
    const used = snapshot.pods
      .filter(
        p =>
          p.spec?.nodeName === name &&
          !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
      )
      .reduce(
        (a, p) => {
          const r = containerResources(p.spec?.containers);
          return { cpu: a.cpu + r.cpuReq, memory: a.memory + r.memReq };
        },
        {
          cpu: GKE_SYSTEM_PODS_PER_NODE.cpuMillis,
          memory: GKE_SYSTEM_PODS_PER_NODE.memoryMiB,
        },
      );
    return {
      name,
      cpuMillis: Math.round(
        parseCpuMillis(n.status?.allocatable?.cpu) - used.cpu,
      ),
      memoryMiB: Math.round(
        parseMemoryMiB(n.status?.allocatable?.memory) - used.memory,
      ),
    };
  });
}
