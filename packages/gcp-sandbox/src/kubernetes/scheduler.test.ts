import {
  SIZING_PRESETS,
  SizedWorkload,
  TierSizing,
  sizeEnvironment,
  sizePreset,
} from '@codemie-gcp/plugin-codemie-common';
import { SchedulingTrial, podsOfWorkloads } from './schedulingTrials';
import { SchedulingNode, schedule } from './scheduler';
import { KubernetesObject, SandboxNode } from './types';
import { allocatableOf, nodeCapacity } from './nodes';

/*
 * Manifests shaped like the deploy action's (component labels, anti-affinity and a zone spread
 * with maxSkew 1 for spread workloads, a volume claim for Elasticsearch), with or without the
 * placement priority classes. Written here, from the sizing only: the scheduler under test
 * knows nothing of the planner.
 */
const PRIORITY_CLASSES = {
  'codemie-placement-large': 3000,
  'codemie-placement-medium': 2000,
  'codemie-placement-small': 1000,
};

function classBySize(w: SizedWorkload): string {
  const weight = Math.max(
    w.requests.cpuMillis,
    (w.requests.memoryMiB * 1000) / 4096,
  );
  if (weight >= 1800) return 'codemie-placement-large';
  if (weight >= 400) return 'codemie-placement-medium';
  return 'codemie-placement-small';
}

function manifests(
  sizing: TierSizing,
  priorities: boolean,
): KubernetesObject[] {
  return [...sizing.workloads, ...sizing.daemonSets].map(w => {
    const selector = {
      'app.kubernetes.io/name': w.id,
      'app.kubernetes.io/component': w.id,
    };
    const spec: any = {
      containers: [
        {
          name: w.id,
          resources: {
            requests: {
              cpu: `${w.requests.cpuMillis}m`,
              memory: `${w.requests.memoryMiB}Mi`,
            },
          },
        },
      ],
      ...(priorities
        ? {
            priorityClassName:
              w.kind === 'DaemonSet'
                ? 'codemie-placement-large'
                : classBySize(w),
          }
        : {}),
    };
    if (w.spreadReplicas) {
      spec.affinity = {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: selector },
              topologyKey: 'kubernetes.io/hostname',
            },
          ],
        },
      };
      spec.topologySpreadConstraints = [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: selector },
        },
      ];
    }
    return {
      apiVersion: 'apps/v1',
      kind: w.kind,
      metadata: { name: w.id, namespace: w.namespace },
      spec: {
        ...(w.kind === 'DaemonSet' ? {} : { replicas: w.replicas }),
        template: { metadata: { labels: selector }, spec },
        ...(w.storageGiBPerPod > 0
          ? { volumeClaimTemplates: [{ metadata: { name: 'data' } }] }
          : {}),
      },
    } as KubernetesObject;
  });
}

function pool(
  machineType: string,
  vcpu: number,
  memoryGiB: number,
  perZone: number,
  zones: string[],
): SandboxNode[] {
  return zones.flatMap(zone =>
    Array.from({ length: perZone }, (_, i) => ({
      name: `gke-pool-${zone}-${i}`,
      nodePool: 'pool',
      zone,
      machineType,
      vcpu,
      memoryGiB,
      maxPods: 110,
    })),
  );
}

/** Mulberry32 permutations, so a failing order can be replayed. */
function orders(count: number, size: number, seed: number): number[][] {
  let a = seed;
  const random = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const o = Array.from({ length: size }, (_, i) => i);
    for (let i = size - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [o[i], o[j]] = [o[j], o[i]];
    }
    return o;
  });
}

/** Runs every order, then every single-node drain of each; counts the runs that held. */
function trial(
  sizing: TierSizing,
  nodes: SandboxNode[],
  priorities: boolean,
  count = 60,
) {
  const { pods, perNode } = podsOfWorkloads(manifests(sizing, priorities));
  const t = new SchedulingTrial(nodes, pods, perNode, PRIORITY_CLASSES);
  let runs = 0;
  let held = 0;
  let preempted = 0;
  const failures: string[] = [];
  for (const order of orders(count, pods.length, 20261129)) {
    const created = t.create(order);
    preempted += created.preempted;
    for (let d = 0; d < nodes.length; d++) {
      runs += 1;
      const after = created.pending.length > 0 ? created : t.drain(order, d);
      if (after.pending.length === 0) held += 1;
      else failures.push(after.pending.join(','));
    }
  }
  return { runs, held, failures, preempted };
}

describe('the sandbox kube-scheduler', () => {
  it('loses a 4-vCPU pod to fragmentation on the packing minimum, and holds it with priority classes', () => {
    // The production tier on 5 × e2-standard-8, zonal: the old planner's plan (4 nodes hold the
    // pods when packed by hand, + 1 headroom). LeastAllocated spreads the small pods first;
    // in some orders, or after some drain, no node has 4 free vCPU left though the pool has.
    const nodes = pool('e2-standard-8', 8, 32, 5, ['europe-west1-b']);
    const without = trial(sizePreset('production'), nodes, false);
    expect(without.held).toBeLessThan(without.runs);
    expect(without.failures.join(' ')).toMatch(
      /codemie-api|elasticsearch|keycloak/,
    );
    // With the deploy's priority classes, the big pod preempts small ones, which fit elsewhere.
    const withClasses = trial(sizePreset('production'), nodes, true);
    expect(withClasses.held).toBe(withClasses.runs);
    expect(withClasses.preempted).toBeGreaterThan(0);
  });

  it('holds the small and medium tiers on the plans the planner returns', () => {
    const small = trial(
      sizePreset('small'),
      pool('e2-standard-4', 4, 16, 3, ['us-east1-b']),
      true,
      30,
    );
    expect(small.held).toBe(small.runs);
    const medium = trial(
      sizePreset('medium'),
      pool('e2-standard-4', 4, 16, 4, ['us-east1-b']),
      true,
      30,
    );
    expect(medium.held).toBe(medium.runs);
  });

  it('keeps zonal disks in their zone and the replicas at max skew 1 after a drain (regional)', () => {
    const zones = ['europe-west1-b', 'europe-west1-c', 'europe-west1-d'];
    const result = trial(
      sizePreset('production'),
      pool('e2-standard-8', 8, 32, 3, zones),
      true,
      20,
    );
    expect(result.held).toBe(result.runs);
  });

  it('never puts 4 replicas over 3 zones as 2/2/0 (topology spread, maxSkew 1, DoNotSchedule)', () => {
    const sizing = sizeEnvironment({
      ...SIZING_PRESETS.production,
      concurrentUsers: 1000,
    });
    const zones = ['z-b', 'z-c', 'z-d'];
    const nodes = pool('n2-standard-16', 16, 64, 2, zones);
    const { pods, perNode } = podsOfWorkloads(manifests(sizing, true));
    const t = new SchedulingTrial(nodes, pods, perNode, PRIORITY_CLASSES);
    for (const order of orders(20, pods.length, 7)) {
      const out = t.create(order);
      expect(out.pending).toEqual([]);
      const apiZones = [...out.placement.entries()]
        .filter(([name]) => name.startsWith('codemie-api-'))
        .map(([, node]) => nodes.find(n => n.name === node)!.zone);
      expect(apiZones).toHaveLength(4);
      const perZone = zones.map(z => apiZones.filter(a => a === z).length);
      expect(Math.max(...perZone) - Math.min(...perZone)).toBeLessThanOrEqual(
        1,
      );
    }
  });

  it('spreads by LeastAllocated: an empty node beats a busy one, ties go either way', () => {
    const nodes: SchedulingNode[] = pool('e2-standard-4', 4, 16, 2, ['z']).map(
      n => ({
        name: n.name,
        zone: n.zone,
        labels: {
          'kubernetes.io/hostname': n.name,
          'topology.kubernetes.io/zone': n.zone,
        },
        capacity: nodeCapacity(n),
        pods: [],
      }),
    );
    const pod = (name: string, cpu: string): KubernetesObject => ({
      metadata: { name, namespace: 'd', uid: name },
      spec: {
        containers: [{ resources: { requests: { cpu, memory: '256Mi' } } }],
      },
    });
    nodes[0].pods.push(pod('busy', '2'));
    expect(schedule(pod('next', '500m'), nodes).node).toBe(nodes[1].name);
    // Equal nodes: the choice follows the pod's seed, and both nodes get chosen.
    nodes[0].pods = [];
    const chosen = new Set(
      Array.from(
        { length: 20 },
        (_, i) => schedule(pod(`p${i}`, '100m'), nodes).node,
      ),
    );
    expect(chosen.size).toBe(2);
  });

  it("computes GKE's documented allocatable from its own data", () => {
    expect(allocatableOf(4, 16).cpuMillis).toBe(3920);
    expect(allocatableOf(8, 64).cpuMillis).toBe(7910);
    expect(allocatableOf(8, 64).memoryMiB / 1024).toBeCloseTo(58.4, 1);
  });
});
