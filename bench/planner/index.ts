/**
 * Planner benchmark: for every sizing preset × every region of the price table (zonal and
 * regional clusters), compares the planner's node-pool cost with the cheapest one found by an
 * exhaustive search over all machine types and node counts, and times the planner.
 *
 * The exhaustive search shares the planner's definition of "fits" (GKE allocatable, the
 * per-node system reservation, max pods, the disk types a family can attach, replicas of a
 * spread group on distinct nodes and at most ⌈replicas / zones⌉ per zone, the headroom policy
 * and the cost of a node) but not its code: feasibility is a plain backtracking over pod
 * placements, written here. Feasibility does not depend on prices, so it is computed once per
 * (preset, node shape, node count) and reused across regions.
 *
 * Run: npm run bench:planner
 */
import {
  BUNDLED_PRICES,
  ClusterLocation,
  GKE_DEFAULT_MAX_PODS_PER_NODE,
  SIZING_PRESETS,
  SizingPresetName,
  TierSizing,
  gkeNodeAllocatable,
  perNodeSystemReservation,
  planNodePool,
  pricedRegions,
  sizePreset,
  supportsDiskType,
} from '../../plugins/codemie-common/src';

// The planner's defaults, restated: the bench checks the product as configured by default.
const HEADROOM_NODES = 1;
const BOOT_DISK = { type: 'pd-balanced' as const, sizeGiB: 100 };
const VOLUME_DISK = 'pd-balanced' as const;
const HOURS_PER_MONTH = BUNDLED_PRICES.hoursPerMonth;
const TIMED_RUNS_PER_PLAN = 5;

interface Pod {
  cpu: number;
  mem: number;
  group?: string;
}

interface Shape {
  cpu: number;
  mem: number;
  slots: number;
}

/** Brute force: can `pods` be placed on `nodes` nodes (node i in zone i % zones)? */
function bruteForceFits(
  pods: Pod[],
  shape: Shape,
  nodes: number,
  zones: number,
): boolean {
  const cpu = new Array<number>(nodes).fill(shape.cpu);
  const mem = new Array<number>(nodes).fill(shape.mem);
  const slots = new Array<number>(nodes).fill(shape.slots);
  const count = new Array<number>(nodes).fill(0);
  const groupNodes = new Map<string, Set<number>>();
  const groupZoneCount = new Map<string, number[]>();
  const groupSize = new Map<string, number>();
  for (const p of pods) {
    if (p.group) groupSize.set(p.group, (groupSize.get(p.group) ?? 0) + 1);
  }
  for (const g of groupSize.keys()) {
    groupNodes.set(g, new Set());
    groupZoneCount.set(g, new Array<number>(zones).fill(0));
  }

  const step = (i: number): boolean => {
    if (i === pods.length) return true;
    const pod = pods[i];
    // Empty nodes of one zone are interchangeable: try the first of each zone only.
    const triedEmptyZone = new Set<number>();
    for (let n = 0; n < nodes; n++) {
      const zone = n % zones;
      if (count[n] === 0) {
        if (triedEmptyZone.has(zone)) continue;
        triedEmptyZone.add(zone);
      }
      if (cpu[n] < pod.cpu || mem[n] < pod.mem || slots[n] < 1) continue;
      if (pod.group) {
        const onNodes = groupNodes.get(pod.group)!;
        const perZone = groupZoneCount.get(pod.group)!;
        const zoneLimit = Math.ceil(groupSize.get(pod.group)! / zones);
        if (onNodes.has(n) || perZone[zone] >= zoneLimit) continue;
        onNodes.add(n);
        perZone[zone]++;
      }
      cpu[n] -= pod.cpu;
      mem[n] -= pod.mem;
      slots[n]--;
      count[n]++;
      if (step(i + 1)) return true;
      cpu[n] += pod.cpu;
      mem[n] += pod.mem;
      slots[n]++;
      count[n]--;
      if (pod.group) {
        groupNodes.get(pod.group)!.delete(n);
        groupZoneCount.get(pod.group)![zone]--;
      }
    }
    return false;
  };
  return step(0);
}

interface Best {
  machineType: string;
  nodes: number;
  cost: number;
}

function exhaustiveCheapest(
  sizing: TierSizing,
  region: string,
  zones: number,
  feasibilityCache: Map<string, boolean>,
): Best | null {
  const pods: Pod[] = sizing.workloads.flatMap(w =>
    Array.from({ length: w.replicas }, () => ({
      cpu: w.requests.cpuMillis,
      mem: w.requests.memoryMiB,
      group: w.spreadReplicas ? w.id : undefined,
    })),
  );
  const reservation = perNodeSystemReservation(sizing.daemonSets);
  const needsVolumes = sizing.workloads.some(w => w.storageGiBPerPod > 0);
  const headroom = Math.ceil(HEADROOM_NODES / zones) * zones;
  let best: Best | null = null;

  for (const [machineType, info] of Object.entries(
    BUNDLED_PRICES.machineTypes,
  )) {
    const price = info.price[region];
    if (!price || !supportsDiskType(machineType, BOOT_DISK.type)) continue;
    if (needsVolumes && !supportsDiskType(machineType, VOLUME_DISK)) continue;
    const allocatable = gkeNodeAllocatable(info.vcpu, info.memoryGiB);
    const shape: Shape = {
      cpu: allocatable.cpuMillis - reservation.cpuMillis,
      mem: allocatable.memoryMiB - reservation.memoryMiB,
      slots: GKE_DEFAULT_MAX_PODS_PER_NODE - reservation.pods,
    };
    const nodeMonthly =
      price.hour * HOURS_PER_MONTH +
      BOOT_DISK.sizeGiB * BUNDLED_PRICES.disks[BOOT_DISK.type][region];
    // Every node count up to one node per pod (beyond that only costs more).
    const maxNodes = Math.ceil(pods.length / zones) * zones;
    for (let nodes = zones; nodes <= maxNodes; nodes += zones) {
      const key = `${sizing.tier}|${shape.cpu}|${shape.mem}|${shape.slots}|${nodes}|${zones}`;
      if (!feasibilityCache.has(key)) {
        feasibilityCache.set(key, bruteForceFits(pods, shape, nodes, zones));
      }
      if (!feasibilityCache.get(key)) continue;
      const total = nodes + headroom;
      const cost = total * nodeMonthly;
      if (!best || cost < best.cost - 1e-9)
        best = { machineType, nodes: total, cost };
    }
  }
  return best;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function pad(text: string | number, width: number): string {
  return String(text).padEnd(width);
}

function main(): void {
  const regions = pricedRegions();
  const locations: Array<{
    label: string;
    location: ClusterLocation;
    zones: number;
  }> = [
    { label: 'zonal', location: { kind: 'zonal' }, zones: 1 },
    { label: 'regional-3', location: { kind: 'regional', zones: 3 }, zones: 3 },
  ];
  const cache = new Map<string, boolean>();
  const ratios: number[] = [];
  const times: number[] = [];

  // Warm the JIT so the first timed plan is not an outlier of compilation.
  planNodePool(sizePreset('production'), { region: regions[0] });

  console.log(
    [
      pad('tier', 11),
      pad('location', 11),
      pad('region', 21),
      pad('planner', 21),
      pad('planner $/mo', 13),
      pad('exhaustive', 21),
      pad('exhaust. $/mo', 14),
      pad('ratio', 7),
      'plan ms',
    ].join(' '),
  );
  const rows = (Object.keys(SIZING_PRESETS) as SizingPresetName[]).flatMap(
    tier =>
      locations.flatMap(({ label, location, zones }) =>
        regions.map(region => ({
          tier,
          sizing: sizePreset(tier),
          label,
          location,
          zones,
          region,
        })),
      ),
  );
  // The exhaustive search first, so its garbage is not collected while the planner is timed.
  const exhaustive = rows.map(row =>
    exhaustiveCheapest(row.sizing, row.region, row.zones, cache),
  );
  rows.forEach(({ tier, sizing, label, location, region }, index) => {
    let result = planNodePool(sizing, { region, location });
    const runTimes: number[] = [];
    for (let run = 0; run < TIMED_RUNS_PER_PLAN; run++) {
      const start = performance.now();
      result = planNodePool(sizing, { region, location });
      runTimes.push(performance.now() - start);
    }
    times.push(...runTimes);
    const best = exhaustive[index];
    const plan = result.plan;
    const ratio = plan && best ? plan.monthlyCost.onDemand / best.cost : NaN;
    ratios.push(ratio);
    console.log(
      [
        pad(tier, 11),
        pad(label, 11),
        pad(region, 21),
        pad(plan ? `${plan.machineType} × ${plan.minNodes}` : 'none', 21),
        pad(plan ? plan.monthlyCost.onDemand.toFixed(2) : '-', 13),
        pad(best ? `${best.machineType} × ${best.nodes}` : 'none', 21),
        pad(best ? best.cost.toFixed(2) : '-', 14),
        pad(ratio.toFixed(3), 7),
        Math.max(...runTimes).toFixed(2),
      ].join(' '),
    );
  });
  const sortedTimes = [...times].sort((a, b) => a - b);
  const finite = ratios.filter(Number.isFinite);
  const ratioMin = finite.length === ratios.length ? Math.min(...ratios) : NaN;
  const ratioMax = finite.length === ratios.length ? Math.max(...ratios) : NaN;
  console.log(
    `planner: ratio min=${ratioMin.toFixed(3)} max=${ratioMax.toFixed(3)}, ` +
      `plan time p50=${percentile(sortedTimes, 0.5).toFixed(2)}ms max=${sortedTimes[sortedTimes.length - 1].toFixed(2)}ms`,
  );
}

main();
