/**
 * The GKE node-pool planner: for each allowed machine type, the fewest nodes that hold every pod
 * (exact packing, see ./packing.ts), plus the headroom policy; the cheapest wins. The result
 * carries the schedule (which pod on which node) as proof that the plan fits.
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
import { machineFamily, supportsDiskType } from './machines';
import { NodeCapacity, PackPod, fitsEmptyNode, minimumNodes } from './packing';

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
  machineType: string;
  vcpu: number;
  memoryGiB: number;
  region: string;
  location: ClusterLocation;
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
  maxNodesPerZone: number;
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
  monthlyCost: NodePoolCost;
}

/**
 * One pod in the schedule.
 *
 * @public
 */
export interface ScheduledPod {
  name: string;
  component: ComponentId;
  namespace: string;
  requests: Resources;
}

/**
 * One node of the schedule.
 *
 * @public
 */
export interface ScheduledNode {
  name: string;
  /** Zone index, 0-based (always 0 for a zonal cluster). */
  zone: number;
  allocatable: Resources;
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
  machineType: string;
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
  rejected: RejectedMachineType[];
  /** Why there is no plan. */
  reason?: string;
}

interface Candidate {
  plan: NodePoolPlan;
  assignment: number[];
}

/**
 * Chooses the machine type and node count that minimise the node pool's monthly on-demand cost
 * (VMs + boot disks) while every pod fits.
 *
 * @throws UnknownRegionError for a region without prices; RangeError for invalid options.
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
  // Google Cloud regions have 3 or 4 zones; the packing tracks zones in a 31-bit mask.
  requireInteger('location.zones', zones, 1, 8);
  requireInteger('headroomNodes', headroom, 0);
  requireInteger('autoscalingExtraNodes', autoscalingExtra, 0);
  requireInteger('maxPodsPerNode', maxPods, 1);
  requireInteger('bootDisk.sizeGiB', bootDisk.sizeGiB, 0);
  if (options.maxNodes !== undefined)
    requireInteger('maxNodes', options.maxNodes, 1);

  const reservation = perNodeSystemReservation(
    environment.daemonSets,
    options.gkeSystemReservation ?? GKE_SYSTEM_PODS_PER_NODE,
  );
  const pods = podsToPlace(environment.workloads);
  const needsVolumes = environment.workloads.some(w => w.storageGiBPerPod > 0);
  const headroomPerZone = Math.ceil(headroom / zones);
  const extraPerZone = Math.ceil(autoscalingExtra / zones);

  const candidates: Candidate[] = [];
  const rejected: RejectedMachineType[] = [];
  const packingByShape = new Map<string, ReturnType<typeof minimumNodes>>();

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
      packingByShape.set(shapeKey, minimumNodes(pods, usable, zones));
    }
    const packing = packingByShape.get(shapeKey)!;
    /* c8 ignore next */
    if (!packing) throw new Error('unreachable: every pod fits an empty node');

    const nodesToFit = packing.nodes;
    const minNodesPerZone = nodesToFit / zones + headroomPerZone;
    const minNodes = minNodesPerZone * zones;
    if (options.maxNodes !== undefined && minNodes > options.maxNodes) {
      rejected.push({
        machineType,
        reason:
          `needs ${minNodes} nodes of ${machineType} (${nodesToFit} to fit the pods + ` +
          `${minNodes - nodesToFit} headroom), max ${options.maxNodes}: ` +
          `${bindingConstraint(pods, usable, nodesToFit, zones, machineType)}`,
      });
      continue;
    }
    const maxNodesPerZone =
      options.maxNodes !== undefined
        ? Math.floor(options.maxNodes / zones)
        : minNodesPerZone + extraPerZone;

    const hours = prices.hoursPerMonth;
    const bootDisks =
      minNodes * bootDisk.sizeGiB * prices.disks[bootDisk.type][region];
    candidates.push({
      assignment: packing.assignment,
      plan: {
        machineType,
        vcpu: info.vcpu,
        memoryGiB: info.memoryGiB,
        region,
        location,
        zones,
        nodesToFit,
        headroomNodes: minNodes - nodesToFit,
        minNodes,
        maxNodes: maxNodesPerZone * zones,
        minNodesPerZone,
        maxNodesPerZone,
        node: { allocatable, reservation, usable },
        requested: {
          cpuMillis: sumOf(pods, p => p.requests.cpuMillis),
          memoryMiB: sumOf(pods, p => p.requests.memoryMiB),
        },
        monthlyCost: {
          onDemand: minNodes * price.hour * hours + bootDisks,
          spot: minNodes * price.hour_spot * hours + bootDisks,
          committed1y: minNodes * price.month_1y + bootDisks,
          committed3y: minNodes * price.month_3y + bootDisks,
          bootDisks,
        },
      },
    });
  }

  candidates.sort(
    (a, b) =>
      a.plan.monthlyCost.onDemand - b.plan.monthlyCost.onDemand ||
      a.plan.minNodes - b.plan.minNodes ||
      a.plan.machineType.localeCompare(b.plan.machineType),
  );
  const best = candidates[0];
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
    plan: best.plan,
    schedule: buildSchedule(best, environment, pods, maxPods),
    alternatives: candidates
      .slice(1, 1 + (options.alternatives ?? 5))
      .map(c => c.plan),
    rejected,
  };
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
    'CodeMie GCP deployment docs, default node pool (shared/reference/codemie-facts.md)',
} as const;

interface NamedPod extends PackPod {
  name: string;
  component: ComponentId;
  namespace: string;
}

function podsToPlace(workloads: readonly SizedWorkload[]): NamedPod[] {
  return workloads.flatMap(w =>
    Array.from({ length: w.replicas }, (_, i) => ({
      name: `${w.id}-${i}`,
      component: w.id,
      namespace: w.namespace,
      requests: w.requests,
      spreadGroup: w.spreadReplicas ? w.id : undefined,
    })),
  );
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
  environment: PlannerWorkloads,
  pods: NamedPod[],
  maxPods: number,
): ScheduledNode[] {
  const { plan, assignment } = best;
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
      .filter((_pod, i) => assignment[i] === n)
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
