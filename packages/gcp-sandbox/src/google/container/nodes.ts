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

/**
 * The size of each node pool (nodes per zone) after a resize: the API's NodePool has no field for
 * it (`initialNodeCount` stays what the pool was created with), so it is kept beside the resource.
 */
const resizedTo = new WeakMap<Json, number>();

/**
 * Nodes per zone of a node pool: what `setSize` or an autoscaling change left it at, else its
 * initial count (at least the autoscaler's floor, which a new pool starts at).
 */
export function nodesPerZone(pool: Json): number {
  const resized = resizedTo.get(pool);
  if (resized !== undefined) return resized;
  const count = Number(pool.initialNodeCount ?? 0);
  const min = Number(
    pool.autoscaling?.enabled ? (pool.autoscaling.minNodeCount ?? 0) : 0,
  );
  return Math.max(count, min);
}

/** Sets a node pool's size (nodes per zone), as `setSize` does. */
export function resizePool(pool: Json, perZone: number): void {
  resizedTo.set(pool, perZone);
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
