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
    const limit = Math.ceil(members.length / zones);
    for (let z = 0; z < zones; z++) {
      if (members.filter(([, i]) => assignment[i] % zones === z).length > limit)
        return false;
    }
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
    const assignment = packPods({ pods, capacity: node, nodes: 2, zones: 1 });
    expect(assignment).not.toBeNull();
    expect(isValid(pods, assignment!, node, 2, 1)).toBe(true);
  });

  it('puts replicas of a spread group on distinct nodes even when they would fit together', () => {
    const pods = [
      pod(100, 100, 'api'),
      pod(100, 100, 'api'),
      pod(100, 100, 'api'),
    ];
    expect(packPods({ pods, capacity: node, nodes: 2, zones: 1 })).toBeNull();
    expect(minimumNodes(pods, node, 1)!.nodes).toBe(3);
  });

  it('spreads a group over zones, at most ⌈replicas / zones⌉ per zone', () => {
    const pods = [pod(100, 100, 'es'), pod(100, 100, 'es')];
    const assignment = packPods({ pods, capacity: node, nodes: 3, zones: 3 })!;
    expect(assignment[0] % 3).not.toBe(assignment[1] % 3);
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
