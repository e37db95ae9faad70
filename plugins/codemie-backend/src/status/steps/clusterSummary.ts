/**
 * Step 4 of the status: the cluster as a whole — the node pool hosting the environment,
 * allocatable against requested capacity, and the environment's totals. Pure.
 */
import type { V1Node } from '@kubernetes/client-node';
import {
  ComponentStatus,
  EnvironmentStatus,
  GKE_SYSTEM_PODS_PER_NODE,
  ResourceComparison,
  parseCpuMillis,
  parseMemoryMiB,
  roundTo as round,
} from '@codemie-gcp/plugin-codemie-common';
import type { GkeClusterInfo } from '../types';

/** The cluster part of the status. @internal */
export type ClusterSummary = EnvironmentStatus['cluster'];

/** The pool hosting the environment: the one with most nodes (system pools are small). */
function hostingPool(cluster: GkeClusterInfo, nodes: V1Node[]) {
  const nodesByPool = new Map<string, number>();
  for (const n of nodes) {
    const pool = n.metadata?.labels?.['cloud.google.com/gke-nodepool'] ?? '';
    nodesByPool.set(pool, (nodesByPool.get(pool) ?? 0) + 1);
  }
  const pool = [...cluster.nodePools].sort(
    (a, b) => (nodesByPool.get(b.name) ?? 0) - (nodesByPool.get(a.name) ?? 0),
  )[0];
  if (!pool) return {};
  return {
    nodePool: {
      name: pool.name,
      machineType: pool.machineType ?? 'unknown',
      nodes: nodesByPool.get(pool.name) ?? 0,
      ...(pool.minNodes !== undefined ? { minNodes: pool.minNodes } : {}),
      ...(pool.maxNodes !== undefined ? { maxNodes: pool.maxNodes } : {}),
    },
  };
}

/**
 * Requested: the environment's scheduled pods, plus GKE's own kube-system pods on every node
 * (the planner's per-node estimate: they are not labelled as the environment's).
 */
function requestedOf(components: ComponentStatus[], nodeCount: number) {
  const scheduled = components
    .flatMap(c => c.podRows)
    .filter(r => r.node && r.state !== 'Completed');
  return {
    cpu: round(
      scheduled.reduce((a, r) => a + r.cpu.requests, 0) +
        nodeCount * GKE_SYSTEM_PODS_PER_NODE.cpuMillis,
    ),
    memory: round(
      scheduled.reduce((a, r) => a + r.memory.requests, 0) +
        nodeCount * GKE_SYSTEM_PODS_PER_NODE.memoryMiB,
    ),
  };
}

/** The cluster: its pool, allocatable and requested capacity. @internal */
export function summarizeCluster(
  cluster: GkeClusterInfo,
  nodes: V1Node[],
  components: ComponentStatus[],
): ClusterSummary {
  const allocatable = nodes.reduce(
    (a, n) => ({
      cpu: a.cpu + parseCpuMillis(n.status?.allocatable?.cpu),
      memory: a.memory + parseMemoryMiB(n.status?.allocatable?.memory),
    }),
    { cpu: 0, memory: 0 },
  );
  return {
    name: cluster.name,
    location: cluster.location,
    status: cluster.status,
    ...(cluster.version ? { version: cluster.version } : {}),
    ...hostingPool(cluster, nodes),
    allocatable: {
      cpu: round(allocatable.cpu),
      memory: round(allocatable.memory),
    },
    requested: requestedOf(components, nodes.length),
  };
}

/** CPU and memory of the in-cluster components together (Cloud SQL left out). @internal */
export function totalsOf(
  components: ComponentStatus[],
  metricsAvailable: boolean,
): EnvironmentStatus['totals'] {
  const inCluster = components.filter(c => c.workloadKind !== 'Managed');
  const total = (key: 'cpu' | 'memory'): ResourceComparison => ({
    ...(metricsAvailable
      ? { usage: round(inCluster.reduce((a, c) => a + (c[key].usage ?? 0), 0)) }
      : {}),
    requests: round(inCluster.reduce((a, c) => a + c[key].requests, 0)),
    baseline: round(inCluster.reduce((a, c) => a + c[key].baseline, 0)),
  });
  return { cpu: total('cpu'), memory: total('memory') };
}
