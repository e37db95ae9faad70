import { NodeCapacity, PackPod, minimumNodes, packPods } from './packing';

const pod = (
  cpuMillis: number,
  memoryMiB: number,
  spreadGroup?: string,
): PackPod => ({
  requests: { cpuMillis, memoryMiB },
  spreadGroup,
});
const node: NodeCapacity = { cpuMillis: 1000, memoryMiB: 1000, pods: 10 };

/** Tries every assignment of pods to nodes: the definition of "fits", by enumeration. */
function fitsByEnumeration(
  pods: PackPod[],
  capacity: NodeCapacity,
  nodes: number,
  zones: number,
) {
  const total = nodes ** pods.length;
  for (let code = 0; code < total; code++) {
    const assignment = pods.map(
      (_, i) => Math.floor(code / nodes ** i) % nodes,
    );
    if (isValid(pods, assignment, capacity, nodes, zones)) return true;
  }
  return false;
}

function isValid(
  pods: PackPod[],
  assignment: number[],
  capacity: NodeCapacity,
  nodes: number,
  zones: number,
) {
  for (let n = 0; n < nodes; n++) {
    const on = pods.filter((_, i) => assignment[i] === n);
    if (on.reduce((s, p) => s + p.requests.cpuMillis, 0) > capacity.cpuMillis)
      return false;
    if (on.reduce((s, p) => s + p.requests.memoryMiB, 0) > capacity.memoryMiB)
      return false;
    if (on.length > capacity.pods) return false;
    const groups = on.map(p => p.spreadGroup).filter(Boolean);
    if (new Set(groups).size !== groups.length) return false;
  }
  const groupNames = new Set(pods.map(p => p.spreadGroup).filter(Boolean));
  for (const g of groupNames) {
    const members = pods
      .map((p, i) => [p, i] as const)
      .filter(([p]) => p.spreadGroup === g);
    // Topology spread, max skew 1: no zone holds two more than another.
    const perZone = Array.from(
      { length: zones },
      (_, z) => members.filter(([, i]) => assignment[i] % zones === z).length,
    );
    if (Math.max(...perZone) - Math.min(...perZone) > 1) return false;
  }
  return true;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('packPods', () => {
  it('pairs CPU-heavy with memory-heavy pods when only that fits', () => {
    // Total fits two nodes exactly only when each CPU-heavy pod pairs with a memory-heavy one.
    const pods = [pod(700, 300), pod(700, 300), pod(300, 700), pod(300, 700)];
    const outcome = packPods({ pods, capacity: node, nodes: 2, zones: 1 });
    expect(outcome.status).toBe('packed');
    if (outcome.status !== 'packed') return;
    expect(isValid(pods, outcome.assignment, node, 2, 1)).toBe(true);
  });

  it('puts replicas of a spread group on distinct nodes even when they would fit together', () => {
    const pods = [
      pod(100, 100, 'api'),
      pod(100, 100, 'api'),
      pod(100, 100, 'api'),
    ];
    expect(packPods({ pods, capacity: node, nodes: 2, zones: 1 }).status).toBe(
      'impossible',
    );
    expect(minimumNodes(pods, node, 1)!.nodes).toBe(3);
  });

  it('spreads a group over zones, at most ⌈replicas / zones⌉ per zone', () => {
    const pods = [pod(100, 100, 'es'), pod(100, 100, 'es')];
    const outcome = packPods({ pods, capacity: node, nodes: 3, zones: 3 });
    if (outcome.status !== 'packed') throw new Error(outcome.status);
    expect(outcome.assignment[0] % 3).not.toBe(outcome.assignment[1] % 3);
  });

  it('keeps max skew 1: four replicas over three zones land 2/1/1, never 2/2/0', () => {
    const pods = Array.from({ length: 4 }, () => pod(100, 100, 'api'));
    // Six nodes, two per zone: 2/2/0 would fit the nodes, but the skew would be 2.
    const outcome = packPods({ pods, capacity: node, nodes: 6, zones: 3 });
    if (outcome.status !== 'packed') throw new Error(outcome.status);
    const perZone = [0, 1, 2].map(
      z => outcome.assignment.filter(n => n % 3 === z).length,
    );
    expect([...perZone].sort()).toEqual([1, 1, 2]);
  });

  it('searches without recursion and gives up within its step limit on large inputs', () => {
    // 3,000 pods that need about 1,900 nodes: a recursive search would overflow the stack;
    // this one walks deep and stops at its limit.
    const pods = Array.from({ length: 3000 }, (_, i) =>
      pod(300 + (i % 7) * 97, 300 + (i % 5) * 131),
    );
    const outcome = packPods(
      { pods, capacity: node, nodes: 3000, zones: 1 },
      50_000,
    );
    expect(outcome.status).not.toBe('impossible');
    expect(outcome.steps).toBeLessThanOrEqual(50_001);
  });

  it('falls back to a first-fit-decreasing count when the exact search gives up', () => {
    const pods = Array.from({ length: 60 }, (_, i) =>
      pod(200 + (i % 9) * 83, 150 + (i % 4) * 211),
    );
    const result = minimumNodes(pods, node, 1, 10)!;
    expect(result.exact).toBe(false);
    expect(isValid(pods, result.assignment, node, result.nodes, 1)).toBe(true);
  });

  it('respects the pod slots of a node', () => {
    const pods = [pod(1, 1), pod(1, 1), pod(1, 1)];
    expect(minimumNodes(pods, { ...node, pods: 2 }, 1)!.nodes).toBe(2);
  });

  it('reports a pod that fits no node', () => {
    expect(minimumNodes([pod(1001, 1)], node, 1)).toBeNull();
  });

  it('uses whole node counts per zone when regional', () => {
    expect(minimumNodes([pod(900, 900), pod(900, 900)], node, 3)!.nodes).toBe(
      3,
    );
  });

  it('agrees with enumeration of every assignment on random problems', () => {
    const next = random(20260730);
    for (let trial = 0; trial < 300; trial++) {
      const zones = trial % 3 === 0 ? 2 : 1;
      const pods = Array.from({ length: 2 + Math.floor(next() * 5) }, () =>
        pod(
          100 + Math.floor(next() * 8) * 100,
          100 + Math.floor(next() * 8) * 100,
          next() < 0.3 ? 'g' : undefined,
        ),
      );
      const capacity = {
        cpuMillis: 1000,
        memoryMiB: 1000,
        pods: 2 + Math.floor(next() * 3),
      };
      const best = minimumNodes(pods, capacity, zones)!;
      expect(isValid(pods, best.assignment, capacity, best.nodes, zones)).toBe(
        true,
      );
      // One fewer node per zone must be impossible.
      const fewerNodesFit =
        best.nodes > zones &&
        fitsByEnumeration(pods, capacity, best.nodes - zones, zones);
      expect(fewerNodesFit).toBe(false);
    }
  });
});
