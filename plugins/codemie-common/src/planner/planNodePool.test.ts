import {
  gkeNodeAllocatable,
  GKE_DEFAULT_MAX_PODS_PER_NODE,
} from '../gke/allocatable';
import {
  BUNDLED_PRICES,
  UnknownRegionError,
  pricedRegions,
} from '../cost/prices';
import {
  MAX_CONCURRENT_USERS,
  SIZING_PRESETS,
  SizingPresetName,
  TierSizing,
  sizeEnvironment,
  sizePreset,
} from '../sizing/tiers';
import { perNodeSystemReservation } from '../gke/systemReservation';
import { PlanningError, WorkBudget } from './budget';
import { placementPriorityClass } from './placement';
import { simulateSurvival } from './simulateScheduling';
import {
  CODEMIE_DOCUMENTED_NODE_POOL,
  ClusterLocation,
  MAX_PLANNED_NODES,
  NodePoolPlanResult,
  planNodePool,
} from './planNodePool';

/**
 * Checks a schedule against the sizing, from first principles: every pod of the sizing placed
 * exactly once, requests within each node's GKE allocatable (own computation from the machine
 * table), pod limit, API and Elasticsearch replicas on distinct nodes and (regional) zones.
 * Returns the problems found.
 */
function checkSchedule(
  sizing: TierSizing,
  result: NodePoolPlanResult,
  zones: number,
): string[] {
  const problems: string[] = [];
  const plan = result.plan!;
  const machine = BUNDLED_PRICES.machineTypes[plan.machineType];
  const allocatable = gkeNodeAllocatable(machine.vcpu, machine.memoryGiB);
  if (result.schedule.length !== plan.minNodes)
    problems.push('node count differs from the plan');

  const expected = sizing.workloads
    .flatMap(w =>
      Array.from(
        { length: w.replicas },
        () => `${w.id}|${w.requests.cpuMillis}|${w.requests.memoryMiB}`,
      ),
    )
    .sort();
  const placed = result.schedule
    .flatMap(n => n.pods)
    .map(p => `${p.component}|${p.requests.cpuMillis}|${p.requests.memoryMiB}`)
    .sort();
  if (JSON.stringify(placed) !== JSON.stringify(expected))
    problems.push('pods placed ≠ pods sized');
  if (
    new Set(result.schedule.flatMap(n => n.pods.map(p => p.name))).size !==
    placed.length
  ) {
    problems.push('a pod name repeats');
  }

  for (const node of result.schedule) {
    const daemonSetIds = node.daemonSetPods.map(p => p.component).sort();
    if (
      JSON.stringify(daemonSetIds) !==
      JSON.stringify(sizing.daemonSets.map(d => d.id).sort())
    ) {
      problems.push(`${node.name}: DaemonSet pods missing`);
    }
    if (node.gkeSystem.cpuMillis < 600 || node.gkeSystem.memoryMiB < 800) {
      problems.push(`${node.name}: GKE system pods not reserved`);
    }
    const all = [...node.pods, ...node.daemonSetPods];
    const cpu = all.reduce(
      (s, p) => s + p.requests.cpuMillis,
      node.gkeSystem.cpuMillis,
    );
    const mem = all.reduce(
      (s, p) => s + p.requests.memoryMiB,
      node.gkeSystem.memoryMiB,
    );
    const podCount = all.length + node.gkeSystem.pods;
    if (cpu > allocatable.cpuMillis)
      problems.push(`${node.name}: CPU ${cpu}m > ${allocatable.cpuMillis}m`);
    if (mem > allocatable.memoryMiB)
      problems.push(
        `${node.name}: memory ${mem}Mi > ${allocatable.memoryMiB}Mi`,
      );
    if (podCount > GKE_DEFAULT_MAX_PODS_PER_NODE)
      problems.push(`${node.name}: ${podCount} pods`);
    if (node.zone < 0 || node.zone >= zones)
      problems.push(`${node.name}: zone ${node.zone}`);
  }

  for (const id of ['codemie-api', 'elasticsearch']) {
    const nodesOf = result.schedule.filter(n =>
      n.pods.some(p => p.component === id),
    );
    const replicas = sizing.workloads.find(w => w.id === id)!.replicas;
    if (
      result.schedule.some(
        n => n.pods.filter(p => p.component === id).length > 1,
      )
    ) {
      problems.push(`${id}: two replicas on one node`);
    }
    const perZone = new Map<number, number>();
    for (const n of nodesOf)
      perZone.set(n.zone, (perZone.get(n.zone) ?? 0) + 1);
    if (Math.max(...perZone.values()) > Math.ceil(replicas / zones)) {
      problems.push(`${id}: replicas not spread over zones`);
    }
  }
  const headroomNodes = result.schedule.filter(n => n.headroom);
  if (headroomNodes.length !== plan.headroomNodes)
    problems.push('headroom nodes differ from the plan');
  return problems;
}

const locations: Array<[string, ClusterLocation, number]> = [
  ['zonal', { kind: 'zonal' }, 1],
  ['regional', { kind: 'regional', zones: 3 }, 3],
];

describe('planNodePool', () => {
  describe.each(Object.keys(SIZING_PRESETS) as SizingPresetName[])(
    '%s tier',
    tier => {
      const sizing = sizePreset(tier);
      it.each(locations)(
        'returns a schedule that fits (%s, every region)',
        (_, location, zones) => {
          for (const region of pricedRegions()) {
            const result = planNodePool(sizing, { region, location });
            expect(result.plan).not.toBeNull();
            expect({
              region,
              problems: checkSchedule(sizing, result, zones),
            }).toEqual({
              region,
              problems: [],
            });
          }
        },
      );
    },
  );

  it('spreads API and Elasticsearch replicas even when one node could hold every pod', () => {
    const sizing = sizePreset('production');
    const result = planNodePool(sizing, {
      region: 'us-central1',
      machineTypes: ['e2-standard-32'],
    });
    // One e2-standard-32 offers about 31 vCPU for 23.3 vCPU of requests: only anti-affinity needs a second.
    expect(result.plan!.node.usable.cpuMillis).toBeGreaterThan(
      result.plan!.requested.cpuMillis,
    );
    expect(result.plan!.nodesToFit).toBe(2);
    expect(checkSchedule(sizing, result, 1)).toEqual([]);
  });

  it("reports CodeMie's documented default (e2-standard-8, max 3) as not fitting production", () => {
    const result = planNodePool(sizePreset('production'), {
      region: 'us-central1',
      machineTypes: [CODEMIE_DOCUMENTED_NODE_POOL.machineType],
      maxNodes: CODEMIE_DOCUMENTED_NODE_POOL.maxNodes,
    });
    expect(result.plan).toBeNull();
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0].machineType).toBe('e2-standard-8');
    // 23.8 vCPU of requests; 7.21 vCPU usable per node → 4 nodes, + 1 headroom.
    expect(result.rejected[0].reason).toMatch(
      /^needs 5 nodes of e2-standard-8 \(4 to fit the pods \+ 1 headroom\), max 3/,
    );
    expect(result.rejected[0].reason).toMatch(/23\.8 vCPU/);
    expect(result.reason).toContain(result.rejected[0].reason);
  });

  it('still rejects the documented default without headroom: the pods alone need 4 nodes', () => {
    const result = planNodePool(sizePreset('production'), {
      region: 'us-central1',
      machineTypes: ['e2-standard-8'],
      maxNodes: 3,
      headroomNodes: 0,
    });
    expect(result.plan).toBeNull();
    expect(result.rejected[0].reason).toMatch(/needs 4 nodes/);
  });

  it('fits the documented default for the large tier', () => {
    const result = planNodePool(sizePreset('large'), {
      region: 'us-central1',
      machineTypes: ['e2-standard-8'],
      maxNodes: 3,
    });
    expect(result.plan).toMatchObject({
      machineType: 'e2-standard-8',
      minNodes: 3,
      maxNodes: 3,
    });
  });

  it('says why a family that is too small does not fit', () => {
    const result = planNodePool(sizePreset('production'), {
      region: 'europe-west1',
      machineFamilies: ['e2'],
      machineTypes: ['e2-highcpu-8', 'e2-standard-4'],
    });
    expect(result.plan).toBeNull();
    expect(result.rejected.map(r => r.machineType).sort()).toEqual([
      'e2-highcpu-8',
      'e2-standard-4',
    ]);
    expect(
      result.rejected.find(r => r.machineType === 'e2-standard-4')!.reason,
    ).toMatch(
      /pod codemie-api-0 \(4 vCPU, 8 GiB\) does not fit on an empty e2-standard-4 node/,
    );
    expect(result.reason).toMatch(/no allowed machine type fits/);
  });

  it('rejects N4 machines: they cannot attach the pd-balanced volumes', () => {
    const result = planNodePool(sizePreset('small'), {
      region: 'us-central1',
      machineFamilies: ['n4'],
    });
    expect(result.plan).toBeNull();
    for (const r of result.rejected)
      expect(r.reason).toMatch(/cannot (use|attach) .*pd-balanced/);
  });

  it('chooses the cheapest plan and lists dearer alternatives in order', () => {
    const result = planNodePool(sizePreset('production'), {
      region: 'europe-west1',
      alternatives: 4,
    });
    const costs = [result.plan!, ...result.alternatives].map(
      p => p.monthlyCost.onDemand,
    );
    expect(result.alternatives).toHaveLength(4);
    expect(costs).toEqual([...costs].sort((a, b) => a - b));
    expect(
      new Set([result.plan!, ...result.alternatives].map(p => p.machineType))
        .size,
    ).toBe(5);
  });

  it('prices the pool from the table: nodes × hourly × 730 + boot disks', () => {
    const { plan } = planNodePool(sizePreset('production'), {
      region: 'us-central1',
    });
    const price =
      BUNDLED_PRICES.machineTypes[plan!.machineType].price['us-central1'];
    const bootDisks =
      plan!.minNodes * 100 * BUNDLED_PRICES.disks['pd-balanced']['us-central1'];
    expect(plan!.monthlyCost.onDemand).toBeCloseTo(
      plan!.minNodes * price.hour * 730 + bootDisks,
      6,
    );
    expect(plan!.monthlyCost.spot).toBeLessThan(plan!.monthlyCost.onDemand);
    expect(plan!.monthlyCost.committed3y).toBeLessThan(
      plan!.monthlyCost.committed1y,
    );
  });

  it('applies the headroom policy and can be told to skip it', () => {
    const sizing = sizePreset('production');
    const withHeadroom = planNodePool(sizing, {
      region: 'us-east1',
      machineTypes: ['n2-standard-8'],
    }).plan!;
    const without = planNodePool(sizing, {
      region: 'us-east1',
      machineTypes: ['n2-standard-8'],
      headroomNodes: 0,
    }).plan!;
    expect(withHeadroom.minNodes).toBe(without.minNodes + 1);
    expect(withHeadroom.maxNodes).toBe(withHeadroom.minNodes + 2);
  });

  it('expresses regional pools per zone, with headroom in whole nodes per zone', () => {
    const plan = planNodePool(sizePreset('production'), {
      region: 'europe-west4',
      location: { kind: 'regional', zones: 3 },
    }).plan!;
    expect(plan.minNodes % 3).toBe(0);
    expect(plan.minNodesPerZone * 3).toBe(plan.minNodes);
    expect(plan.headroomNodes).toBe(3);
  });

  it('never costs less for more users', () => {
    let previous = 0;
    for (const users of [1, 50, 100, 200, 250, 500, 750, 1000, 1500]) {
      const sizing = sizeEnvironment({
        ...SIZING_PRESETS.production,
        concurrentUsers: users,
      });
      const cost = planNodePool(sizing, { region: 'us-central1' }).plan!
        .monthlyCost.onDemand;
      expect(cost).toBeGreaterThanOrEqual(previous);
      previous = cost;
    }
  });

  it('throws a clear error for an unknown region', () => {
    expect(() =>
      planNodePool(sizePreset('small'), { region: 'mars-north1' }),
    ).toThrow(UnknownRegionError);
    expect(() =>
      planNodePool(sizePreset('small'), { region: 'mars-north1' }),
    ).toThrow(/mars-north1.*us-central1/);
  });

  it('rejects invalid options by name', () => {
    expect(() =>
      planNodePool(sizePreset('small'), {
        region: 'us-central1',
        headroomNodes: -1,
      }),
    ).toThrow(/headroomNodes/);
    expect(() =>
      planNodePool(sizePreset('small'), {
        region: 'us-central1',
        location: { kind: 'regional', zones: 0 },
      }),
    ).toThrow(/zones/);
  });
});

describe('plans that hold under kube-scheduler', () => {
  const simulate = (
    tier: SizingPresetName,
    machineType: string,
    nodes: number,
    withPriorities: boolean,
  ) => {
    const sizing = sizePreset(tier);
    const machine = BUNDLED_PRICES.machineTypes[machineType];
    const allocatable = gkeNodeAllocatable(machine.vcpu, machine.memoryGiB);
    const reservation = perNodeSystemReservation(sizing.daemonSets);
    const pods = sizing.workloads.flatMap(w =>
      Array.from({ length: w.replicas }, (_, i) => ({
        name: `${w.id}-${i}`,
        workload: w.id,
        cpuMillis: w.requests.cpuMillis,
        memoryMiB: w.requests.memoryMiB,
        priority: withPriorities ? placementPriorityClass(w.requests).value : 0,
        spread: w.spreadReplicas,
        zonalVolume: w.storageGiBPerPod > 0,
      })),
    );
    return simulateSurvival(
      pods,
      Array.from({ length: nodes }, () => ({
        zone: 0,
        allocatableCpuMillis: allocatable.cpuMillis,
        allocatableMemoryMiB: allocatable.memoryMiB,
        maxPods: GKE_DEFAULT_MAX_PODS_PER_NODE,
        reservedCpuMillis: reservation.cpuMillis,
        reservedMemoryMiB: reservation.memoryMiB,
        reservedPods: reservation.pods,
      })),
      { orders: 100, seed: 1, drains: true, budget: new WorkBudget() },
    );
  };

  it('loses pods to fragmentation on the packing minimum without priorities, and holds with them', () => {
    // The case: production on 5 × e2-standard-8 (4 to fit + 1 headroom), zonal.
    const without = simulate('production', 'e2-standard-8', 5, false);
    expect(without.survived).toBeLessThan(without.runs);
    expect(without.failure!.pending.join()).toMatch(
      /codemie-api|elasticsearch|keycloak/,
    );
    const withPriorities = simulate('production', 'e2-standard-8', 5, true);
    expect(withPriorities.survived).toBe(withPriorities.runs);
  });

  it.each(Object.keys(SIZING_PRESETS) as SizingPresetName[])(
    'returns for %s only plans that survived every simulated order and drain',
    tier => {
      for (const location of [
        { kind: 'zonal' } as const,
        { kind: 'regional', zones: 3 } as const,
      ]) {
        const { plan, alternatives } = planNodePool(sizePreset(tier), {
          region: 'europe-west1',
          location,
        });
        for (const p of [plan!, ...alternatives]) {
          expect(p.survival.drains).toBe(true);
          expect(p.survival.runs).toBeGreaterThan(0);
          expect(p.survival.survived).toBe(p.survival.runs);
        }
      }
    },
  );

  it('adds nodes until the simulation holds when the packing minimum does not', () => {
    // Without drains the packing's count holds; with them, a node must be spare.
    const sizing = sizePreset('large');
    const noHeadroom = planNodePool(sizing, {
      region: 'us-central1',
      machineTypes: ['e2-standard-8'],
      headroomNodes: 0,
    }).plan!;
    expect(noHeadroom.survival.drains).toBe(false);
    const withDrains = planNodePool(sizing, {
      region: 'us-central1',
      machineTypes: ['e2-standard-8'],
      headroomNodes: 0,
      survival: { drains: true },
    }).plan!;
    expect(withDrains.minNodes).toBeGreaterThan(noHeadroom.minNodes);
    expect(withDrains.survival.addedNodes).toBeGreaterThan(0);
  });

  it('shows the cost at the autoscaling maximum', () => {
    const { plan } = planNodePool(sizePreset('production'), {
      region: 'us-central1',
    });
    expect(plan!.monthlyCostAtMax.onDemand).toBeCloseTo(
      (plan!.monthlyCost.onDemand / plan!.minNodes) * plan!.maxNodes,
      6,
    );
  });
});

describe('bounded work, whatever the input', () => {
  const absurd = (replicas: number, cpuMillis = 1000) => {
    const sizing = sizePreset('small');
    return {
      workloads: sizing.workloads.map(w =>
        w.id === 'codemie-api'
          ? { ...w, replicas, requests: { ...w.requests, cpuMillis } }
          : w,
      ),
      daemonSets: sizing.daemonSets,
    };
  };

  it.each([1e6, 2e9, 1e15, 1e300, NaN, Infinity, -1, 0.5])(
    'refuses %d API replicas at once with a PlanningError',
    replicas => {
      const start = Date.now();
      expect(() =>
        planNodePool(absurd(replicas), { region: 'us-central1' }),
      ).toThrow(PlanningError);
      expect(Date.now() - start).toBeLessThan(1000);
    },
  );

  it.each([NaN, Infinity, -5])('refuses requests of %d millicores', cpu => {
    expect(() =>
      planNodePool(absurd(1, cpu), { region: 'us-central1' }),
    ).toThrow(/requests must be finite/);
  });

  it('stops with a PlanningError when its work budget runs out', () => {
    expect(() =>
      planNodePool(sizePreset('production'), {
        region: 'us-central1',
        budget: new WorkBudget(1_000),
      }),
    ).toThrow(/budget of work.*split it into several environments/);
  });

  it('plans the most users one environment is planned for within its budget', () => {
    const sizing = sizeEnvironment({
      ...SIZING_PRESETS.production,
      concurrentUsers: MAX_CONCURRENT_USERS,
    });
    const { plan } = planNodePool(sizing, {
      region: 'us-central1',
      location: { kind: 'regional', zones: 3 },
      alternatives: 0,
    });
    expect(plan!.survival.survived).toBe(plan!.survival.runs);
    expect(plan!.minNodes).toBeLessThanOrEqual(MAX_PLANNED_NODES);
  });
});
