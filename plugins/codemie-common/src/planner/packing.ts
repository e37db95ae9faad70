/**
 * Exact bin packing of pods onto identical nodes, with the constraints the planner promises:
 * CPU, memory and pod slots per node, replicas of a spread group on distinct nodes, and, across
 * zones, a topology spread with max skew 1 (per zone ⌊r/z⌋ or ⌈r/z⌉ replicas).
 * It gives the fewest nodes that can hold the pods; whether kube-scheduler actually places them
 * so is checked separately (./simulateScheduling.ts).
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
  /** Its CPU and memory requests. */
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
 * A bin-packing question: can these pods be placed on `nodes` nodes of this capacity, spread
 * over `zones` zones?
 *
 * @public
 */
export interface PackingProblem {
  /** The pods to place. */
  pods: readonly PackPod[];
  /** What each node has for them. */
  capacity: NodeCapacity;
  /** Node count; node `i` is in zone `i % zones`. */
  nodes: number;
  /** Zones the nodes are spread over (1 for a zonal cluster). */
  zones: number;
}

/**
 * The outcome of a packing search: a placement, a proof that none exists, or "gave up" when the
 * search needed more steps than it was allowed.
 *
 * @public
 */
export type PackOutcome = (
  | { status: 'packed'; assignment: number[] }
  | { status: 'impossible' }
  | { status: 'gave-up' }
) & {
  /** Search steps taken. */
  steps: number;
};

/**
 * Default step limit of one exact packing search. The presets need a few thousand steps.
 *
 * @public
 */
export const DEFAULT_PACKING_STEPS = 200_000;

/**
 * Places every pod, or proves it cannot be done, within `maxSteps` search steps. Iterative (an
 * explicit stack): no recursion whatever the pod count.
 *
 * @returns the node index of each pod (same order as `problem.pods`) when packed.
 * @public
 */
export function packPods(
  problem: PackingProblem,
  maxSteps: number = DEFAULT_PACKING_STEPS,
): PackOutcome {
  const { capacity, nodes, zones } = problem;
  const count = problem.pods.length;
  if (count === 0) return { status: 'packed', assignment: [], steps: 0 };
  if (nodes <= 0) return { status: 'impossible', steps: 0 };
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
  // Topology spread with max skew 1: a group of r replicas over z zones holds ⌊r/z⌋ or ⌈r/z⌉
  // in each zone, and at most r mod z zones hold ⌈r/z⌉ (4 over 3 zones: 2/1/1, never 2/2/0).
  const zoneCap = groups.map(g => Math.ceil(groupSize.get(g)! / zones));
  const fullZonesAllowed = groups.map(g => {
    const r = groupSize.get(g)!;
    return r % zones === 0 ? zones : r % zones;
  });
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
  // groupOnNode[g * nodes + n], groupInZone[g * zones + z], zones of g at the cap
  const groupOnNode = new Uint8Array(groups.length * nodes);
  const groupInZone = new Uint32Array(groups.length * zones);
  const groupFullZones = new Uint32Array(groups.length);
  const assignment = new Int32Array(count).fill(-1);
  // cursor[i]: the next node to try for pod i; triedEmpty[i]: zones whose empty node was tried.
  const cursor = new Int32Array(count);
  const triedEmpty: Array<Set<number>> = Array.from(
    { length: count },
    () => new Set(),
  );
  let totalFreeCpu = capacity.cpuMillis * nodes;
  let totalFreeMem = capacity.memoryMiB * nodes;
  let totalFreeSlots = capacity.pods * nodes;
  let steps = 0;

  const unplace = (i: number) => {
    const n = assignment[i];
    const { cpuMillis, memoryMiB } = pods[i].requests;
    freeCpu[n] += cpuMillis;
    freeMem[n] += memoryMiB;
    freeSlots[n] += 1;
    used[n] -= 1;
    totalFreeCpu += cpuMillis;
    totalFreeMem += memoryMiB;
    totalFreeSlots += 1;
    const g = groupIndex[i];
    if (g >= 0) {
      groupOnNode[g * nodes + n] = 0;
      const z = n % zones;
      if (groupInZone[g * zones + z] === zoneCap[g]) groupFullZones[g] -= 1;
      groupInZone[g * zones + z] -= 1;
    }
    assignment[i] = -1;
  };

  const enter = (i: number) => {
    cursor[i] = sameAsPrevious[i]
      ? assignment[i - 1] + (groupIndex[i] >= 0 ? 1 : 0)
      : 0;
    triedEmpty[i].clear();
  };

  let i = 0;
  enter(0);
  while (i >= 0) {
    if (++steps > maxSteps) return { status: 'gave-up', steps };
    if (i === count) break;
    if (assignment[i] >= 0) unplace(i);
    let placed = false;
    if (
      restCpu[i] <= totalFreeCpu &&
      restMem[i] <= totalFreeMem &&
      count - i <= totalFreeSlots
    ) {
      const { cpuMillis, memoryMiB } = pods[i].requests;
      const g = groupIndex[i];
      for (let n = cursor[i]; n < nodes; n++) {
        const zone = n % zones;
        if (used[n] === 0) {
          if (triedEmpty[i].has(zone)) continue;
          triedEmpty[i].add(zone);
        }
        if (
          freeCpu[n] < cpuMillis ||
          freeMem[n] < memoryMiB ||
          freeSlots[n] < 1
        )
          continue;
        if (g >= 0) {
          const inZone = groupInZone[g * zones + zone];
          if (groupOnNode[g * nodes + n] || inZone >= zoneCap[g]) continue;
          if (
            inZone + 1 === zoneCap[g] &&
            groupFullZones[g] >= fullZonesAllowed[g]
          )
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
          if (groupInZone[g * zones + zone] === zoneCap[g])
            groupFullZones[g] += 1;
        }
        assignment[i] = n;
        cursor[i] = n + 1;
        placed = true;
        break;
      }
    }
    if (placed) {
      i += 1;
      if (i < count) enter(i);
    } else {
      i -= 1; // backtrack: the previous pod tries its next node
    }
  }
  if (i < 0) return { status: 'impossible', steps };
  const result = new Array<number>(count);
  order.forEach((o, k) => {
    result[o.index] = assignment[k];
  });
  return { status: 'packed', assignment: result, steps };
}

/**
 * The smallest node count, a multiple of `zones`, that packs every pod, with the packing; or
 * `null` when some pod does not fit on an empty node. `exact` is false when a search gave up
 * and a first-fit-decreasing packing gave the count (an upper bound).
 *
 * @public
 */
export function minimumNodes(
  pods: readonly PackPod[],
  capacity: NodeCapacity,
  zones: number,
  maxStepsPerCount: number = DEFAULT_PACKING_STEPS,
): { nodes: number; assignment: number[]; exact: boolean } | null {
  if (pods.some(p => !fitsEmptyNode(p.requests, capacity))) return null;
  if (pods.length === 0) return { nodes: 0, assignment: [], exact: true };
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
  // The steps of all counts together are bounded too (three counts' worth).
  let stepsLeft = maxStepsPerCount * 3;
  for (
    let nodes = lowerBound;
    nodes <= Math.max(lowerBound, upperBound);
    nodes += zones
  ) {
    const outcome = packPods(
      { pods, capacity, nodes, zones },
      Math.min(maxStepsPerCount, stepsLeft),
    );
    stepsLeft -= outcome.steps;
    if (outcome.status === 'packed')
      return { nodes, assignment: outcome.assignment, exact: true };
    if (outcome.status === 'gave-up' || stepsLeft <= 0) {
      const heuristic = firstFitDecreasing(pods, capacity, zones, nodes);
      return { ...heuristic, exact: false };
    }
  }
  /* c8 ignore next */
  throw new Error('unreachable: one pod per node always fits');
}

/**
 * First-fit decreasing from `fromNodes` nodes up: the first count at which it places every pod.
 * Linear in pods × nodes per count; ends by one pod per node.
 */
function firstFitDecreasing(
  pods: readonly PackPod[],
  capacity: NodeCapacity,
  zones: number,
  fromNodes: number,
): { nodes: number; assignment: number[] } {
  const order = pods
    .map((pod, index) => ({ pod, index }))
    .sort(
      (a, b) =>
        weight(b.pod, capacity) - weight(a.pod, capacity) || a.index - b.index,
    );
  const sizes = new Map<string, number>();
  for (const p of pods)
    if (p.spreadGroup)
      sizes.set(p.spreadGroup, (sizes.get(p.spreadGroup) ?? 0) + 1);
  const upper = Math.max(fromNodes, Math.ceil(pods.length / zones) * zones);
  for (let nodes = fromNodes; nodes <= upper; nodes += zones) {
    const cpu = new Array<number>(nodes).fill(capacity.cpuMillis);
    const mem = new Array<number>(nodes).fill(capacity.memoryMiB);
    const slots = new Array<number>(nodes).fill(capacity.pods);
    const onNode = new Set<string>();
    const inZone = new Map<string, number>();
    const assignment = new Array<number>(pods.length).fill(-1);
    let ok = true;
    for (const { pod, index } of order) {
      const g = pod.spreadGroup;
      // Spread groups go round the zones in turn (skew ≤ 1 by construction).
      const placedInGroup = g
        ? [...Array(zones).keys()].reduce(
            (s, z) => s + (inZone.get(`${g}@${z}`) ?? 0),
            0,
          )
        : 0;
      let chosen = -1;
      for (let n = 0; n < nodes && chosen < 0; n++) {
        if (
          cpu[n] < pod.requests.cpuMillis ||
          mem[n] < pod.requests.memoryMiB ||
          slots[n] < 1
        )
          continue;
        if (
          g &&
          (onNode.has(`${g}@${n}`) || n % zones !== placedInGroup % zones)
        )
          continue;
        chosen = n;
      }
      if (chosen < 0) {
        ok = false;
        break;
      }
      cpu[chosen] -= pod.requests.cpuMillis;
      mem[chosen] -= pod.requests.memoryMiB;
      slots[chosen] -= 1;
      if (g) {
        onNode.add(`${g}@${chosen}`);
        const key = `${g}@${chosen % zones}`;
        inZone.set(key, (inZone.get(key) ?? 0) + 1);
      }
      assignment[index] = chosen;
    }
    if (ok) return { nodes, assignment };
  }
  // One pod per node, spread groups round the zones: always valid.
  return {
    nodes: Math.ceil(pods.length / zones) * zones,
    assignment: pods.map((_, i) => i),
  };
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
