import type {
  DetectedProblem,
  EnvironmentStatus,
  PodStatus,
} from '@codemie-gcp/plugin-codemie-common';
import type { ComponentProblemDetector } from './types';
import { cores, gib, podsInState, severityOf } from './format';

type Cluster = EnvironmentStatus['cluster'];

/** The scheduler's reasons that more nodes (or bigger ones) fix. */
const SHORT_OF_CAPACITY = /Insufficient (cpu|memory)|Too many pods/;

/** Nodes to add so the pending pods fit, by one node's share of the pool's allocatable. */
function nodesNeeded(cluster: Cluster, cpuReq: number, memReq: number) {
  const pool = cluster.nodePool;
  if (!pool || pool.nodes <= 0) return 1;
  return Math.max(
    1,
    Math.ceil(cpuReq / (cluster.allocatable.cpu / pool.nodes)),
    Math.ceil(memReq / (cluster.allocatable.memory / pool.nodes)),
  );
}

function fixOf(
  cluster: Cluster,
  first: PodStatus,
  cpuReq: number,
  memReq: number,
): string {
  const pool = cluster.nodePool;
  if (!SHORT_OF_CAPACITY.test(first.message ?? '') || !pool) {
    return "Check the pods' node selectors, tolerations, anti-affinity and volume zones against the nodes.";
  }
  if (pool.maxNodes !== undefined && pool.nodes < pool.maxNodes) {
    return `The node pool is at ${pool.nodes} of at most ${pool.maxNodes} nodes: the cluster autoscaler should add a node within minutes; if it does not, check the project's Compute Engine quota (CPUS, IN_USE_ADDRESSES).`;
  }
  const max = pool.maxNodes ?? pool.nodes;
  const extra = nodesNeeded(cluster, cpuReq, memReq);
  return `Raise the node pool ${pool.name} maximum from ${max} to ${max + extra} nodes (or re-plan with a larger machine type than ${pool.machineType}).`;
}

/**
 * Pods the scheduler cannot place: how much of the cluster is free against what they request,
 * and either the autoscaler's headroom, the pool maximum to raise, or the constraints to check.
 *
 * @internal
 */
export const unschedulablePods: ComponentProblemDetector = ({
  component: c,
  cluster,
}) => {
  const pending = podsInState(c, 'Unschedulable');
  if (pending.length === 0) return [];
  const first = pending[0];
  const cpuReq = pending.reduce((a, r) => a + r.cpu.requests, 0);
  const memReq = pending.reduce((a, r) => a + r.memory.requests, 0);
  const free = {
    cpu: Math.max(0, cluster.allocatable.cpu - cluster.requested.cpu),
    memory: Math.max(0, cluster.allocatable.memory - cluster.requested.memory),
  };
  const problem: DetectedProblem = {
    severity: severityOf(c),
    component: c.id,
    title: `${pending.length === 1 ? `A ${c.displayName} pod` : `${pending.length} ${c.displayName} pods`} cannot be scheduled`,
    detail:
      `Pod ${first.name} Pending: ${first.message ?? 'no node fits'}. ` +
      `${cores(free.cpu)} of ${cores(cluster.allocatable.cpu)} allocatable cores and ${gib(free.memory)} of ${gib(cluster.allocatable.memory)} are free; ` +
      `the pending pods request ${cores(cpuReq)} cores and ${gib(memReq)}.`,
    fix: fixOf(cluster, first, cpuReq, memReq),
  };
  return [problem];
};
