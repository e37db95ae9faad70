import type { ClusterNode } from '../../kubernetesBridge';
import type { Json } from '../../state';
import { machineShape } from '../machineTypes';

function hash8(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** Node pool statuses whose VMs exist. */
const NODES_EXIST = new Set([
  'RUNNING',
  'RUNNING_WITH_ERROR',
  'RECONCILING',
  'STOPPING',
]);

/** Nodes per zone of a node pool: its current size, or the autoscaler's floor. */
export function nodesPerZone(pool: Json): number {
  const count = Number(pool.initialNodeCount ?? 0);
  const min = Number(
    pool.autoscaling?.enabled ? (pool.autoscaling.minNodeCount ?? 0) : 0,
  );
  return Math.max(count, min);
}

/**
 * The nodes (VMs) of a cluster as GKE would create them: every node pool that is up has
 * `nodesPerZone` nodes in each of its zones, named `gke-<cluster>-<pool>-<hash>-<suffix>`.
 */
export function clusterNodes(cluster: Json): ClusterNode[] {
  const nodes: ClusterNode[] = [];
  for (const pool of cluster.nodePools ?? []) {
    if (!NODES_EXIST.has(pool.status)) continue;
    const machineType: string = pool.config?.machineType ?? 'e2-medium';
    const shape = machineShape(machineType) ?? { vcpu: 2, memoryGiB: 4 };
    const maxPods = Number(pool.maxPodsConstraint?.maxPodsPerNode ?? 110);
    for (const zone of pool.locations ?? cluster.locations ?? []) {
      const group = hash8(`${cluster.name}/${pool.name}/${zone}`);
      for (let i = 0; i < nodesPerZone(pool); i++) {
        nodes.push({
          name: `gke-${cluster.name.slice(0, 14)}-${pool.name.slice(0, 14)}-${group}-${hash8(`${group}${i}`).slice(0, 4)}`,
          nodePool: pool.name,
          zone,
          machineType,
          vcpu: shape.vcpu,
          memoryGiB: shape.memoryGiB,
          maxPods,
        });
      }
    }
  }
  return nodes;
}
