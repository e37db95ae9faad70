/**
 * Exact bin packing of pods onto identical nodes, with the constraints the planner promises:
 * CPU, memory and pod slots per node, replicas of a spread group on distinct nodes, and, across
 * zones, at most ⌈replicas / zones⌉ replicas of a group per zone (topology spread, max skew 1).
 *
 * Exact: a depth-first search over placements that only skips placements equivalent to one
 * already tried (empty nodes of a zone are interchangeable; identical pods are placed in
 * non-decreasing node order) or ones that cannot lead to a fit (remaining requests exceed the
 * remaining free capacity). So "no packing found" means none exists.
 */
import { Resources } from '../gke/allocatable';

/**
 * A pod to place.
 *
 * @public
 */
export interface PackPod {
  requests: Resources;
  /** Pods sharing a spread group go to distinct nodes (and spread over zones). */
  spreadGroup?: string;
}

/**
 * What one node offers the pods being placed.
 *
 * @public
 */
export interface NodeCapacity extends Resources {
  /** Pod slots left for the pods being placed. */
  pods: number;
}

/**
 * @public
 */
export interface PackingProblem {
  pods: readonly PackPod[];
  capacity: NodeCapacity;
  /** Node count; node `i` is in zone `i % zones`. */
  nodes: number;
  /** Zones the nodes are spread over (1 for a zonal cluster). */
  zones: number;
}

/**
 * Places every pod, or proves it cannot be done.
 *
 * @returns the node index of each pod (same order as `problem.pods`), or `null` when no
 * placement exists.
 * @public
 */
export function packPods(problem: PackingProblem): number[] | null {
  const { capacity, nodes, zones } = problem;
  const count = problem.pods.length;
  if (count === 0) return [];
  if (nodes <= 0) return null;

  // Largest first (relative to the node), identical pods adjacent.
  const order = problem.pods
    .map((pod, index) => ({ pod, index }))
    .sort(
      (a, b) =>
        weight(b.pod, capacity) - weight(a.pod, capacity) ||
        (a.pod.spreadGroup ?? '').localeCompare(b.pod.spreadGroup ?? '') ||
        b.pod.requests.cpuMillis - a.pod.requests.cpuMillis ||
        b.pod.requests.memoryMiB - a.pod.requests.memoryMiB ||
        a.index - b.index,
    );
  const pods = order.map(o => o.pod);
  const sameAsPrevious = pods.map(
    (pod, i) =>
      i > 0 &&
      pod.spreadGroup === pods[i - 1].spreadGroup &&
      pod.requests.cpuMillis === pods[i - 1].requests.cpuMillis &&
      pod.requests.memoryMiB === pods[i - 1].requests.memoryMiB,
  );

  const groupSize = new Map<string, number>();
  for (const pod of pods) {
    if (pod.spreadGroup)
      groupSize.set(pod.spreadGroup, (groupSize.get(pod.spreadGroup) ?? 0) + 1);
  }
  const groups = [...groupSize.keys()];
  const groupIndex = pods.map(p =>
    p.spreadGroup ? groups.indexOf(p.spreadGroup) : -1,
  );
  const zoneCap = groups.map(g => Math.ceil(groupSize.get(g)! / zones));

  // Suffix sums of what is still to place, for the capacity bound.
  const restCpu = new Array<number>(count + 1).fill(0);
  const restMem = new Array<number>(count + 1).fill(0);
  for (let i = count - 1; i >= 0; i--) {
    restCpu[i] = restCpu[i + 1] + pods[i].requests.cpuMillis;
    restMem[i] = restMem[i + 1] + pods[i].requests.memoryMiB;
  }

  const freeCpu = new Array<number>(nodes).fill(capacity.cpuMillis);
  const freeMem = new Array<number>(nodes).fill(capacity.memoryMiB);
  const freeSlots = new Array<number>(nodes).fill(capacity.pods);
  const used = new Array<number>(nodes).fill(0);
  // groupOnNode[g * nodes + n], groupInZone[g * zones + z]
  const groupOnNode = new Uint8Array(groups.length * nodes);
  const groupInZone = new Uint16Array(groups.length * zones);
  const assignment = new Array<number>(count).fill(-1);
  let totalFreeCpu = capacity.cpuMillis * nodes;
  let totalFreeMem = capacity.memoryMiB * nodes;
  let totalFreeSlots = capacity.pods * nodes;

  const place = (i: number): boolean => {
    if (i === count) return true;
    if (
      restCpu[i] > totalFreeCpu ||
      restMem[i] > totalFreeMem ||
      count - i > totalFreeSlots
    ) {
      return false;
    }
    const { cpuMillis, memoryMiB } = pods[i].requests;
    const g = groupIndex[i];
    const start = sameAsPrevious[i] ? assignment[i - 1] + (g >= 0 ? 1 : 0) : 0;
    // Bit z set: an empty node of zone z was already tried for this pod.
    let emptyTriedInZones = 0;
    for (let n = start; n < nodes; n++) {
      const zone = n % zones;
      if (used[n] === 0) {
        if (emptyTriedInZones & (1 << zone)) continue;
        emptyTriedInZones |= 1 << zone;
      }
      if (freeCpu[n] < cpuMillis || freeMem[n] < memoryMiB || freeSlots[n] < 1)
        continue;
      if (
        g >= 0 &&
        (groupOnNode[g * nodes + n] ||
          groupInZone[g * zones + zone] >= zoneCap[g])
      ) {
        continue;
      }
      freeCpu[n] -= cpuMillis;
      freeMem[n] -= memoryMiB;
      freeSlots[n] -= 1;
      used[n] += 1;
      totalFreeCpu -= cpuMillis;
      totalFreeMem -= memoryMiB;
      totalFreeSlots -= 1;
      if (g >= 0) {
        groupOnNode[g * nodes + n] = 1;
        groupInZone[g * zones + zone] += 1;
      }
      assignment[i] = n;
      if (place(i + 1)) return true;
      freeCpu[n] += cpuMillis;
      freeMem[n] += memoryMiB;
      freeSlots[n] += 1;
      used[n] -= 1;
      totalFreeCpu += cpuMillis;
      totalFreeMem += memoryMiB;
      totalFreeSlots += 1;
      if (g >= 0) {
        groupOnNode[g * nodes + n] = 0;
        groupInZone[g * zones + zone] -= 1;
      }
    }
    assignment[i] = -1;
    return false;
  };

  if (!place(0)) return null;
  const result = new Array<number>(count);
  order.forEach((o, i) => {
    result[o.index] = assignment[i];
  });
  return result;
}

/**
 * The smallest node count, a multiple of `zones`, that packs every pod, with the packing; or
 * `null` when some pod does not fit on an empty node.
 *
 * @public
 */
export function minimumNodes(
  pods: readonly PackPod[],
  capacity: NodeCapacity,
  zones: number,
): { nodes: number; assignment: number[] } | null {
  if (pods.some(p => !fitsEmptyNode(p.requests, capacity))) return null;
  if (pods.length === 0) return { nodes: 0, assignment: [] };
  let lowerBound = Math.max(
    Math.ceil(
      sum(pods, p => p.requests.cpuMillis) / Math.max(capacity.cpuMillis, 1),
    ),
    Math.ceil(
      sum(pods, p => p.requests.memoryMiB) / Math.max(capacity.memoryMiB, 1),
    ),
    Math.ceil(pods.length / capacity.pods),
    ...spreadGroupSizes(pods),
    1,
  );
  lowerBound = Math.ceil(lowerBound / zones) * zones;
  // One pod per node always fits (every pod fits an empty node), so the loop ends by then.
  const upperBound = Math.ceil(pods.length / zones) * zones;
  for (
    let nodes = lowerBound;
    nodes <= Math.max(lowerBound, upperBound);
    nodes += zones
  ) {
    const assignment = packPods({ pods, capacity, nodes, zones });
    if (assignment) return { nodes, assignment };
  }
  /* c8 ignore next */
  throw new Error('unreachable: one pod per node always fits');
}

/** True when a pod fits on an empty node of this capacity. @public */
export function fitsEmptyNode(
  requests: Resources,
  capacity: NodeCapacity,
): boolean {
  return (
    capacity.pods >= 1 &&
    requests.cpuMillis <= capacity.cpuMillis &&
    requests.memoryMiB <= capacity.memoryMiB
  );
}

function weight(pod: PackPod, capacity: NodeCapacity): number {
  return Math.max(
    pod.requests.cpuMillis / Math.max(capacity.cpuMillis, 1),
    pod.requests.memoryMiB / Math.max(capacity.memoryMiB, 1),
  );
}

function spreadGroupSizes(pods: readonly PackPod[]): number[] {
  const sizes = new Map<string, number>();
  for (const p of pods) {
    if (p.spreadGroup)
      sizes.set(p.spreadGroup, (sizes.get(p.spreadGroup) ?? 0) + 1);
  }
  return [...sizes.values()];
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}
