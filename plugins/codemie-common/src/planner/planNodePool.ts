/**
 * The GKE node-pool planner: for each allowed machine type, the fewest nodes that hold every pod
 * (exact packing, see ./packing.ts) plus the headroom policy; then, cheapest first, each
 * candidate is checked against a model of kube-scheduler (./simulateScheduling.ts) over many
 * creation orders and every single-node drain, and gets one more node per zone until it holds.
 * The cheapest candidate that holds wins. The result carries a schedule (which pod on which
 * node) and the survival figures of the check.
 *
 * Bounded whatever the input: at most {@link MAX_PLANNED_PODS} pods and
 * {@link MAX_PLANNED_NODES} nodes, a step limit on each packing search, and a work and time
 * budget for the whole call ({@link WorkBudget}); beyond, a {@link PlanningError} says what to do.
 */
import {
  Resources,
  gkeNodeAllocatable,
  GKE_DEFAULT_MAX_PODS_PER_NODE,
} from '../gke/allocatable';
import {
  GKE_SYSTEM_PODS_PER_NODE,
  NodeReservation,
  perNodeSystemReservation,
} from '../gke/systemReservation';
import {
  BUNDLED_PRICES,
  DiskType,
  PriceTable,
  assertPricedRegion,
} from '../cost/prices';
import { ComponentId } from '../sizing/components';
import { SizedWorkload } from '../sizing/tiers';
import { PlanningError, WorkBudget } from './budget';
import { machineFamily, supportsDiskType } from './machines';
import { NodeCapacity, PackPod, fitsEmptyNode, minimumNodes } from './packing';
import { placementPriorityClass } from './placement';
import {
  SimulatedNode,
  SimulatedPod,
  SurvivalResult,
  simulateSurvival,
} from './simulateScheduling';

/**
 * Most pods (not counting DaemonSets) one node-pool plan places.
 *
 * @public
 */
export const MAX_PLANNED_PODS = 400;

/**
 * Most nodes (all zones) of one node-pool plan. GKE allows far more; one CodeMie environment
 * within the sizing's limits needs well under this.
 *
 * @public
 */
export const MAX_PLANNED_NODES = 200;

/**
 * How a plan is checked against kube-scheduler's behaviour.
 *
 * @public
 */
export interface SurvivalOptions {
  /** Creation orders tried per candidate (fewer on large pools, to bound the work). Default 24. */
  orders?: number;
  /** Seed of the orders and tie-breaks. Default 20261129. */
  seed?: number;
  /** Drain every node after each order. Default: when the headroom policy adds nodes. */
  drains?: boolean;
}

/**
 * The outcome of the scheduling check of a plan.
 *
 * @public
 */
export interface PlanSurvival {
  /** Creation orders simulated. */
  orders: number;
  /** Whether every single-node drain was simulated after each order. */
  drains: boolean;
  /** Orders × drains simulated, and how many ended with every pod placed. */
  runs: number;
  /** Of `runs`, how many ended with every pod placed. */
  survived: number;
  /** Nodes added to the packing's count (plus headroom) until every run held. */
  addedNodes: number;
}

/**
 * Zonal cluster (nodes in one zone), or regional (the node pool repeated in `zones` zones; GKE's
 * node counts are then per zone).
 *
 * @public
 */
export type ClusterLocation =
  { kind: 'zonal' } | { kind: 'regional'; zones: number };

/**
 * The workloads to place: a {@link TierSizing} fits.
 *
 * @public
 */
export interface PlannerWorkloads {
  /** Deployments and StatefulSets. */
  workloads: readonly SizedWorkload[];
  /** One pod of each on every node. */
  daemonSets: readonly SizedWorkload[];
}

/**
 * Planner options. Node counts are totals over all zones unless the name says `PerZone`.
 *
 * @public
 */
export interface PlannerOptions {
  /** Google Cloud region, e.g. `europe-west1`. */
  region: string;
  /** Allowed machine families (`e2`, `n2`, `n2d`, `n4`, `c3`); default: all in the price table. */
  machineFamilies?: readonly string[];
  /** Allowed machine types; default: all of the allowed families. */
  machineTypes?: readonly string[];
  /** Default: zonal. */
  location?: ClusterLocation;
  /**
   * Headroom policy: nodes added on top of the fewest that fit, so the pods of a node that is
   * drained (upgrade, repair, failure) have somewhere to go. Regional: rounded up to whole
   * nodes per zone. Default 1.
   */
  headroomNodes?: number;
  /** Autoscaling max = min + this (rounded up per zone), unless `maxNodes` is given. Default 2. */
  autoscalingExtraNodes?: number;
  /** Upper limit on the pool's size (total). A plan needing more is rejected; also the autoscaling max. */
  maxNodes?: number;
  /** Default: GKE Standard's 110. */
  maxPodsPerNode?: number;
  /** GKE's own per-node pods; default {@link GKE_SYSTEM_PODS_PER_NODE}. */
  gkeSystemReservation?: NodeReservation;
  /** Node boot disk; default GKE's: 100 GiB pd-balanced. */
  bootDisk?: { type: DiskType; sizeGiB: number };
  /** Disk type of the persistent volumes; nodes must be able to attach it. Default pd-balanced. */
  volumeDiskType?: DiskType;
  /** Default: the bundled table. */
  prices?: PriceTable;
  /** How many runner-up plans to return. Default 5. */
  alternatives?: number;
  /** The kube-scheduler check of candidates. */
  survival?: SurvivalOptions;
  /** Work and time budget of the call; default {@link WorkBudget}'s. */
  budget?: WorkBudget;
}

/**
 * Monthly cost of the node pool at its minimum size: VMs plus boot disks.
 *
 * @public
 */
export interface NodePoolCost {
  /** On-demand VMs + boot disks: what the planner minimises. */
  onDemand: number;
  /** Same nodes as Spot VMs. */
  spot: number;
  /** Same nodes under a 1-year committed-use discount. */
  committed1y: number;
  /** Same nodes under a 3-year committed-use discount. */
  committed3y: number;
  /** Boot disks alone (included in every figure above). */
  bootDisks: number;
}

/**
 * A node-pool plan.
 *
 * @public
 */
export interface NodePoolPlan {
  /** The Compute Engine machine type of the nodes. */
  machineType: string;
  /** vCPUs of one node. */
  vcpu: number;
  /** Memory of one node, GiB. */
  memoryGiB: number;
  /** The region of the cluster. */
  region: string;
  /** Where the cluster runs: the region (regional) or one zone (zonal). */
  location: ClusterLocation;
  /** Zones the nodes are spread over (1 for a zonal cluster). */
  zones: number;
  /** Fewest nodes (total) that hold every pod. */
  nodesToFit: number;
  /** Nodes (total) added by the headroom policy. */
  headroomNodes: number;
  /** Autoscaling minimum (total) = nodesToFit + headroomNodes; the cost is for this size. */
  minNodes: number;
  /** Autoscaling maximum (total). */
  maxNodes: number;
  /** For GKE's node pool autoscaling (per zone when regional; equal to the totals when zonal). */
  minNodesPerZone: number;
  /** The autoscaling maximum per zone (the total when zonal). */
  maxNodesPerZone: number;
  /** One node's capacity: allocatable, what every node reserves, and what is left. */
  node: {
    /** GKE allocatable. */
    allocatable: Resources;
    /** GKE's system pods + the DaemonSets, on every node. */
    reservation: NodeReservation;
    /** What is left for the other pods. */
    usable: NodeCapacity;
  };
  /** Requests of the placed (non-DaemonSet) pods. */
  requested: Resources;
  /** Cost of the pool at its autoscaling minimum. */
  monthlyCost: NodePoolCost;
  /** Cost of the pool at its autoscaling maximum (same pricing as `monthlyCost`). */
  monthlyCostAtMax: NodePoolCost;
  /** The kube-scheduler check this plan passed. */
  survival: PlanSurvival;
}

/**
 * One pod in the schedule.
 *
 * @public
 */
export interface ScheduledPod {
  /** The pod's name. */
  name: string;
  /** The component the pod belongs to. */
  component: ComponentId;
  /** The pod's namespace. */
  namespace: string;
  /** Its CPU and memory requests. */
  requests: Resources;
}

/**
 * One node of the schedule.
 *
 * @public
 */
export interface ScheduledNode {
  /** The node's name in the schedule. */
  name: string;
  /** Zone index, 0-based (always 0 for a zonal cluster). */
  zone: number;
  /** GKE allocatable of the node. */
  allocatable: Resources;
  /** The most pods GKE lets the node run. */
  maxPods: number;
  /** GKE's own pods on this node. */
  gkeSystem: NodeReservation;
  /** One pod of each DaemonSet. */
  daemonSetPods: ScheduledPod[];
  /** The placed pods. */
  pods: ScheduledPod[];
  /** Added by the headroom policy (empty in the schedule). */
  headroom: boolean;
}

/**
 * A machine type the planner did not choose, and why.
 *
 * @public
 */
export interface RejectedMachineType {
  /** The machine type. */
  machineType: string;
  /** Why the planner did not choose it. */
  reason: string;
}

/**
 * The planner's answer.
 *
 * @public
 */
export interface NodePoolPlanResult {
  /** The cheapest plan, or null when no allowed machine type fits. */
  plan: NodePoolPlan | null;
  /** Where each pod runs under `plan` (empty when `plan` is null). */
  schedule: ScheduledNode[];
  /** Runner-up plans, cheapest first. */
  alternatives: NodePoolPlan[];
  /** Machine types the planner did not choose, and why. */
  rejected: RejectedMachineType[];
  /** Why there is no plan. */
  reason?: string;
}

interface Candidate {
  machineType: string;
  /** Nodes in total (a multiple of the zones). */
  nodes: number;
  nodesToFit: number;
  usable: NodeCapacity;
  allocatable: Resources;
  assignment: number[];
  onDemand: number;
}

/** Default number of creation orders a candidate is simulated with. */
const DEFAULT_SURVIVAL_ORDERS = 24;
/** Simulated pod placements per candidate, at most: fewer orders on large pools. */
const MAX_PLACEMENTS_PER_CHECK = 60_000;
/** Candidates simulated per call, at most. */
const MAX_CHECKED_CANDIDATES = 80;

/**
 * Chooses the machine type and node count that minimise the node pool's monthly on-demand cost
 * (VMs + boot disks) among those on which kube-scheduler places every pod, in every simulated
 * creation order and after any single node is drained.
 *
 * @throws UnknownRegionError for a region without prices; RangeError for invalid options;
 *   {@link PlanningError} when the workloads are more than one plan places or the check runs
 *   out of its budget.
 * @public
 */
export function planNodePool(
  environment: PlannerWorkloads,
  options: PlannerOptions,
): NodePoolPlanResult {
  const prices = options.prices ?? BUNDLED_PRICES;
  const region = options.region;
  assertPricedRegion(region, prices);
  const location: ClusterLocation = options.location ?? { kind: 'zonal' };
  const zones = location.kind === 'regional' ? location.zones : 1;
  const headroom = options.headroomNodes ?? 1;
  const autoscalingExtra = options.autoscalingExtraNodes ?? 2;
  const maxPods = options.maxPodsPerNode ?? GKE_DEFAULT_MAX_PODS_PER_NODE;
  const bootDisk = options.bootDisk ?? {
    type: 'pd-balanced' as const,
    sizeGiB: 100,
  };
  const volumeDisk = options.volumeDiskType ?? 'pd-balanced';
  // Google Cloud regions have 3 or 4 zones.
  requireInteger('location.zones', zones, 1, 8);
  requireInteger('headroomNodes', headroom, 0, MAX_PLANNED_NODES);
  requireInteger(
    'autoscalingExtraNodes',
    autoscalingExtra,
    0,
    MAX_PLANNED_NODES,
  );
  requireInteger('maxPodsPerNode', maxPods, 1, 256);
  requireInteger('bootDisk.sizeGiB', bootDisk.sizeGiB, 0, 65_536);
  if (options.maxNodes !== undefined)
    requireInteger('maxNodes', options.maxNodes, 1, MAX_PLANNED_NODES);
  const survivalOptions = options.survival ?? {};
  const drains = survivalOptions.drains ?? headroom > 0;
  const requestedOrders = survivalOptions.orders ?? DEFAULT_SURVIVAL_ORDERS;
  requireInteger('survival.orders', requestedOrders, 1, 10_000);
  const seed = survivalOptions.seed ?? 20261129;
  const budget = options.budget ?? new WorkBudget();

  const podCount = environment.workloads.reduce(
    (n, w) =>
      n +
      (Number.isSafeInteger(w.replicas) && w.replicas > 0
        ? w.replicas
        : Infinity),
    0,
  );
  if (!(podCount <= MAX_PLANNED_PODS)) {
    throw new PlanningError(
      `the environment has ${Number.isFinite(podCount) ? podCount : 'an unbounded number of'} pods; one node pool ` +
        `plan places at most ${MAX_PLANNED_PODS}: split it into several environments, or contact the CodeMie team`,
    );
  }
  for (const w of [...environment.workloads, ...environment.daemonSets]) {
    const { cpuMillis, memoryMiB } = w.requests;
    if (!(
      Number.isFinite(cpuMillis) &&
      cpuMillis >= 0 &&
      Number.isFinite(memoryMiB) &&
      memoryMiB >= 0
    )) {
      throw new PlanningError(
        `${w.id}: requests must be finite and non-negative`,
      );
    }
  }

  const reservation = perNodeSystemReservation(
    environment.daemonSets,
    options.gkeSystemReservation ?? GKE_SYSTEM_PODS_PER_NODE,
  );
  const pods = podsToPlace(environment.workloads);
  const simulatedPods = pods.map(toSimulatedPod);
  const needsVolumes = environment.workloads.some(w => w.storageGiBPerPod > 0);
  const headroomPerZone = Math.ceil(headroom / zones);
  const extraPerZone = Math.ceil(autoscalingExtra / zones);
  const nodeLimit = Math.min(
    options.maxNodes ?? MAX_PLANNED_NODES,
    MAX_PLANNED_NODES,
  );

  const candidates: Candidate[] = [];
  const rejected: RejectedMachineType[] = [];
  const packingByShape = new Map<string, ReturnType<typeof minimumNodes>>();
  const hours = prices.hoursPerMonth;
  const bootDiskMonthly =
    bootDisk.sizeGiB * prices.disks[bootDisk.type][region];

  for (const machineType of allowedMachineTypes(prices, options)) {
    const info = prices.machineTypes[machineType];
    const price = info.price[region];
    if (!price) {
      rejected.push({
        machineType,
        reason: `no price for ${machineType} in ${region}`,
      });
      continue;
    }
    if (!supportsDiskType(machineType, bootDisk.type)) {
      rejected.push({
        machineType,
        reason: `${machineFamily(machineType)} machines cannot use a ${bootDisk.type} boot disk (Hyperdisk only)`,
      });
      continue;
    }
    if (needsVolumes && !supportsDiskType(machineType, volumeDisk)) {
      rejected.push({
        machineType,
        reason: `${machineFamily(machineType)} machines cannot attach ${volumeDisk} volumes (Elasticsearch's storage class)`,
      });
      continue;
    }

    const allocatable = gkeNodeAllocatable(info.vcpu, info.memoryGiB);
    const usable: NodeCapacity = {
      cpuMillis: allocatable.cpuMillis - reservation.cpuMillis,
      memoryMiB: allocatable.memoryMiB - reservation.memoryMiB,
      pods: maxPods - reservation.pods,
    };
    const tooBig = pods.find(p => !fitsEmptyNode(p.requests, usable));
    if (tooBig || usable.cpuMillis < 0 || usable.memoryMiB < 0) {
      rejected.push({
        machineType,
        reason: tooBig
          ? `pod ${tooBig.name} (${describe(tooBig.requests)}) does not fit on an empty ${machineType} node: ` +
            `${describe(usable)} left after GKE's reservation and the per-node system pods`
          : `the per-node system pods (${describe(reservation)}) do not fit on ${machineType}`,
      });
      continue;
    }

    const shapeKey = `${usable.cpuMillis}/${usable.memoryMiB}/${usable.pods}`;
    if (!packingByShape.has(shapeKey)) {
      budget.spend(pods.length * 10);
      packingByShape.set(shapeKey, minimumNodes(pods, usable, zones));
    }
    const packing = packingByShape.get(shapeKey)!;
    /* c8 ignore next */
    if (!packing) throw new Error('unreachable: every pod fits an empty node');

    const nodesToFit = packing.nodes;
    const minNodes = nodesToFit + headroomPerZone * zones;
    if (minNodes > nodeLimit) {
      rejected.push({
        machineType,
        reason:
          `needs ${minNodes} nodes of ${machineType} (${nodesToFit} to fit the pods + ` +
          `${minNodes - nodesToFit} headroom), max ${nodeLimit}: ` +
          `${bindingConstraint(pods, usable, nodesToFit, zones, machineType)}`,
      });
      continue;
    }
    candidates.push({
      machineType,
      nodes: minNodes,
      nodesToFit,
      usable,
      allocatable,
      assignment: packing.assignment,
      onDemand: minNodes * (price.hour * hours + bootDiskMonthly),
    });
  }

  // Cheapest first: check each against the kube-scheduler model; one that does not hold gets
  // one more node per zone and goes back in line at its new cost.
  const byCost = (a: Candidate, b: Candidate) =>
    a.onDemand - b.onDemand ||
    a.nodes - b.nodes ||
    a.machineType.localeCompare(b.machineType);
  const wanted = 1 + (options.alternatives ?? 5);
  const held: Array<{ candidate: Candidate; survival: PlanSurvival }> = [];
  const lastFailure = new Map<string, string>();
  let checked = 0;
  candidates.sort(byCost);
  while (
    candidates.length > 0 &&
    held.length < wanted &&
    checked < MAX_CHECKED_CANDIDATES
  ) {
    const candidate = candidates.shift()!;
    checked += 1;
    const nodes = simulatedNodes(candidate, zones, maxPods, reservation);
    const orders = Math.max(
      1,
      Math.min(
        requestedOrders,
        Math.floor(
          MAX_PLACEMENTS_PER_CHECK /
            ((pods.length + 1) * (drains ? nodes.length : 1)),
        ),
      ),
    );
    const result = simulateSurvival(simulatedPods, nodes, {
      orders,
      seed,
      drains,
      budget,
    });
    const base = candidate.nodesToFit + headroomPerZone * zones;
    if (result.survived === result.runs) {
      held.push({
        candidate,
        survival: {
          orders,
          drains,
          runs: result.runs,
          survived: result.survived,
          addedNodes: candidate.nodes - base,
        },
      });
      continue;
    }
    lastFailure.set(candidate.machineType, describeFailure(result, candidate));
    const grown = candidate.nodes + zones;
    if (grown > nodeLimit) {
      rejected.push({
        machineType: candidate.machineType,
        reason: `kube-scheduler cannot place every pod on up to ${candidate.nodes} nodes (max ${nodeLimit}): ${lastFailure.get(candidate.machineType)}`,
      });
      continue;
    }
    const perNode = candidate.onDemand / candidate.nodes;
    const next = { ...candidate, nodes: grown, onDemand: perNode * grown };
    const at = candidates.findIndex(c => byCost(next, c) < 0);
    candidates.splice(at < 0 ? candidates.length : at, 0, next);
  }
  for (const c of candidates) {
    if (
      !held.some(h => h.candidate.machineType === c.machineType) &&
      lastFailure.has(c.machineType)
    ) {
      rejected.push({
        machineType: c.machineType,
        reason: `not checked further after ${checked} candidates: ${lastFailure.get(c.machineType)}`,
      });
    }
  }
  held.sort((a, b) => byCost(a.candidate, b.candidate));

  const plans = held.map(h =>
    toPlan(h.candidate, h.survival, {
      prices,
      region,
      location,
      zones,
      reservation,
      extraPerZone,
      maxNodes: options.maxNodes,
      bootDiskMonthly,
      pods,
    }),
  );
  const best = plans[0];
  if (!best) {
    return {
      plan: null,
      schedule: [],
      alternatives: [],
      rejected,
      reason:
        rejected.length === 0
          ? 'no machine type is allowed by the given families/types'
          : `no allowed machine type fits: ${rejected.map(r => `${r.machineType}: ${r.reason}`).join('; ')}`,
    };
  }
  return {
    plan: best,
    schedule: buildSchedule(
      held[0].candidate,
      best,
      environment,
      pods,
      maxPods,
    ),
    alternatives: plans.slice(1, 1 + (options.alternatives ?? 5)),
    rejected,
  };
}

function toPlan(
  c: Candidate,
  survival: PlanSurvival,
  ctx: {
    prices: PriceTable;
    region: string;
    location: ClusterLocation;
    zones: number;
    reservation: NodeReservation;
    extraPerZone: number;
    maxNodes?: number;
    bootDiskMonthly: number;
    pods: readonly NamedPod[];
  },
): NodePoolPlan {
  const { prices, region, zones } = ctx;
  const info = prices.machineTypes[c.machineType];
  const price = info.price[region];
  const minNodesPerZone = c.nodes / zones;
  const maxNodesPerZone =
    ctx.maxNodes !== undefined
      ? Math.max(minNodesPerZone, Math.floor(ctx.maxNodes / zones))
      : minNodesPerZone + ctx.extraPerZone;
  const cost = (nodes: number): NodePoolCost => {
    const bootDisks = nodes * ctx.bootDiskMonthly;
    return {
      onDemand: nodes * price.hour * prices.hoursPerMonth + bootDisks,
      spot: nodes * price.hour_spot * prices.hoursPerMonth + bootDisks,
      committed1y: nodes * price.month_1y + bootDisks,
      committed3y: nodes * price.month_3y + bootDisks,
      bootDisks,
    };
  };
  return {
    machineType: c.machineType,
    vcpu: info.vcpu,
    memoryGiB: info.memoryGiB,
    region,
    location: ctx.location,
    zones,
    nodesToFit: c.nodesToFit,
    headroomNodes: c.nodes - c.nodesToFit,
    minNodes: c.nodes,
    maxNodes: maxNodesPerZone * zones,
    minNodesPerZone,
    maxNodesPerZone,
    node: {
      allocatable: c.allocatable,
      reservation: ctx.reservation,
      usable: c.usable,
    },
    requested: {
      cpuMillis: sumOf(ctx.pods, p => p.requests.cpuMillis),
      memoryMiB: sumOf(ctx.pods, p => p.requests.memoryMiB),
    },
    monthlyCost: cost(c.nodes),
    monthlyCostAtMax: cost(maxNodesPerZone * zones),
    survival,
  };
}

function simulatedNodes(
  c: Candidate,
  zones: number,
  maxPods: number,
  reservation: NodeReservation,
): SimulatedNode[] {
  return Array.from({ length: c.nodes }, (_, i) => ({
    zone: i % zones,
    allocatableCpuMillis: c.allocatable.cpuMillis,
    allocatableMemoryMiB: c.allocatable.memoryMiB,
    maxPods,
    reservedCpuMillis: reservation.cpuMillis,
    reservedMemoryMiB: reservation.memoryMiB,
    reservedPods: reservation.pods,
  }));
}

function describeFailure(result: SurvivalResult, c: Candidate): string {
  const f = result.failure;
  if (!f) return 'no failure recorded';
  const when =
    f.drainedNode === undefined
      ? `creation order ${f.order + 1}`
      : `creation order ${f.order + 1} after draining node ${f.drainedNode + 1} of ${c.nodes}`;
  return `${f.pending.join(', ')} stayed Pending (${when}; ${result.survived} of ${result.runs} runs held)`;
}

/**
 * The pool CodeMie's GCP documentation deploys by default.
 *
 * @public
 */
export const CODEMIE_DOCUMENTED_NODE_POOL = {
  machineType: 'e2-standard-8',
  minNodes: 2,
  maxNodes: 3,
  source:
    'CodeMie GCP deployment docs, default node pool (https://codemie-ai.github.io/docs, admin/deployment/gcp pages, read 2026-11)',
} as const;

interface NamedPod extends PackPod {
  name: string;
  component: ComponentId;
  namespace: string;
  zonalVolume: boolean;
}

function podsToPlace(workloads: readonly SizedWorkload[]): NamedPod[] {
  return workloads.flatMap(w =>
    Array.from({ length: w.replicas }, (_, i) => ({
      name: `${w.id}-${i}`,
      component: w.id,
      namespace: w.namespace,
      requests: w.requests,
      spreadGroup: w.spreadReplicas ? w.id : undefined,
      zonalVolume: w.storageGiBPerPod > 0,
    })),
  );
}

function toSimulatedPod(p: NamedPod): SimulatedPod {
  return {
    name: p.name,
    workload: p.component,
    cpuMillis: p.requests.cpuMillis,
    memoryMiB: p.requests.memoryMiB,
    priority: placementPriorityClass(p.requests).value,
    spread: p.spreadGroup !== undefined,
    zonalVolume: p.zonalVolume,
  };
}

function allowedMachineTypes(
  prices: PriceTable,
  options: PlannerOptions,
): string[] {
  return Object.keys(prices.machineTypes)
    .filter(
      mt =>
        !options.machineFamilies ||
        options.machineFamilies.includes(machineFamily(mt)),
    )
    .filter(mt => !options.machineTypes || options.machineTypes.includes(mt))
    .sort();
}

function buildSchedule(
  best: Candidate,
  plan: NodePoolPlan,
  environment: PlannerWorkloads,
  pods: NamedPod[],
  maxPods: number,
): ScheduledNode[] {
  const { assignment } = best;
  const gkeSystem: NodeReservation = {
    cpuMillis:
      plan.node.reservation.cpuMillis -
      sumOf(environment.daemonSets, d => d.requests.cpuMillis),
    memoryMiB:
      plan.node.reservation.memoryMiB -
      sumOf(environment.daemonSets, d => d.requests.memoryMiB),
    pods: plan.node.reservation.pods - environment.daemonSets.length,
  };
  // Fitting nodes first, zone by zone as the packing numbered them (node i in zone i % zones);
  // then the headroom nodes, spread over the zones the same way.
  return Array.from({ length: plan.minNodes }, (_, n) => ({
    name: `${plan.machineType}-${n + 1}`,
    zone: n % plan.zones,
    allocatable: plan.node.allocatable,
    maxPods,
    gkeSystem,
    daemonSetPods: environment.daemonSets.map(d => ({
      name: `${d.id}-node-${n + 1}`,
      component: d.id,
      namespace: d.namespace,
      requests: d.requests,
    })),
    pods: pods
      .filter((_pod, i) => assignment[i] === n && n < plan.nodesToFit)
      .map(({ name, component, namespace, requests }) => ({
        name,
        component,
        namespace,
        requests,
      })),
    headroom: n >= plan.nodesToFit,
  }));
}

/** Says which resource makes the pool need `nodes` nodes. */
function bindingConstraint(
  pods: readonly NamedPod[],
  usable: NodeCapacity,
  nodes: number,
  zones: number,
  machineType: string,
): string {
  const cpu = sumOf(pods, p => p.requests.cpuMillis);
  const memory = sumOf(pods, p => p.requests.memoryMiB);
  const fewer = nodes - zones;
  if (cpu > fewer * usable.cpuMillis) {
    return (
      `the pods request ${vcpu(cpu)} and ${fewer} nodes offer ${vcpu(fewer * usable.cpuMillis)} ` +
      `(${vcpu(usable.cpuMillis)} per ${machineType} after GKE's reservation and the per-node system pods)`
    );
  }
  if (memory > fewer * usable.memoryMiB) {
    return (
      `the pods request ${gib(memory)} and ${fewer} nodes offer ${gib(fewer * usable.memoryMiB)} ` +
      `(${gib(usable.memoryMiB)} per ${machineType} after GKE's reservation and the per-node system pods)`
    );
  }
  return `the pods cannot be packed on ${fewer} nodes (pod sizes and replicas on distinct nodes)`;
}

function describe(r: Resources): string {
  return `${vcpu(r.cpuMillis)}, ${gib(r.memoryMiB)}`;
}

function vcpu(millis: number): string {
  return `${Number((millis / 1000).toFixed(2))} vCPU`;
}

function gib(mib: number): string {
  return `${Number((mib / 1024).toFixed(1))} GiB`;
}

function sumOf<T>(items: readonly T[], f: (t: T) => number): number {
  return items.reduce((acc, item) => acc + f(item), 0);
}

function requireInteger(
  name: string,
  value: number,
  min: number,
  max = Infinity,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Infinity ? `≥ ${min}` : `in ${min}..${max}`;
    throw new RangeError(`${name} must be an integer ${range}, got ${value}`);
  }
}
