/**
 * The planner's model of kube-scheduler's default profile, used to check that a node pool holds
 * its pods when the real scheduler places them: one pod at a time, in the order pods are
 * created, then again after any single node is drained. It is written from the Kubernetes
 * documentation, independently of the GCP sandbox's emulation (which works on real manifests).
 *
 * Filters (kubernetes.io/docs/reference/scheduling/config/#scheduling-plugins):
 * - NodeResourcesFit: CPU, memory and pod slots left after the pods already bound (GKE's own
 *   pods and the DaemonSets count on every node);
 * - VolumeZone: a pod whose zonal Persistent Disk exists is placed in that disk's zone
 *   (kubernetes.io/docs/reference/scheduling/config/, VolumeZone);
 * - InterPodAffinity: required anti-affinity on `kubernetes.io/hostname` for spread workloads;
 * - PodTopologySpread: spread workloads have `maxSkew: 1` on `topology.kubernetes.io/zone`,
 *   `DoNotSchedule`: a zone may hold at most one replica more than the emptiest zone
 *   (kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/).
 * Scores, summed with the default weights: NodeResourcesFit with `LeastAllocated` (weight 1),
 * NodeResourcesBalancedAllocation (1), PodTopologySpread (2) with the system default
 * constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) for pods without their own
 * (kubernetes.io/docs/concepts/scheduling-eviction/resource-bin-packing/,
 * …/topology-spread-constraints/#internal-default-constraints). Ties are broken at random.
 * TaintToleration, NodeAffinity and InterPodAffinity scores are equal on every node here (no
 * taints, no preferred terms); ImageLocality is not modelled (image sizes are unknown).
 * Queue and preemption (…/pod-priority-preemption/): pending pods are taken by priority, then
 * creation; a pod that fits nowhere preempts the fewest, least important lower-priority pods on
 * one node (PDBs are not consulted: every CodeMie PDB allows one pod down), and the preempted
 * pods are created again and placed like the others.
 */
import { WorkBudget } from './budget';

/**
 * A pod as the model sees it.
 *
 * @public
 */
export interface SimulatedPod {
  /** The pod's name. */
  name: string;
  /** The owning workload; pods of one workload count together for spreading. */
  workload: string;
  /** CPU request, millicores. */
  cpuMillis: number;
  /** Memory request, MiB. */
  memoryMiB: number;
  /** Pod priority; higher preempts lower. */
  priority: number;
  /** Required anti-affinity on the hostname and a zone spread with maxSkew 1. */
  spread: boolean;
  /** Has a zonal Persistent Disk: once placed, it stays in that zone. */
  zonalVolume: boolean;
}

/**
 * A node as the model sees it: GKE allocatable, and what is bound on every node before
 * CodeMie's pods (GKE's system pods and the DaemonSets).
 *
 * @public
 */
export interface SimulatedNode {
  /** Zone index, 0-based. */
  zone: number;
  /** GKE allocatable CPU, millicores. */
  allocatableCpuMillis: number;
  /** GKE allocatable memory, MiB. */
  allocatableMemoryMiB: number;
  /** The most pods the node runs. */
  maxPods: number;
  /** CPU bound before CodeMie's pods (system pods and DaemonSets), millicores. */
  reservedCpuMillis: number;
  /** Memory bound before CodeMie's pods, MiB. */
  reservedMemoryMiB: number;
  /** Pods bound before CodeMie's pods. */
  reservedPods: number;
}

/**
 * What to simulate.
 *
 * @public
 */
export interface SurvivalCheck {
  /** Creation orders to try (random permutations, seeded). */
  orders: number;
  /** Seed of the random creation orders, so a check can be repeated. */
  seed: number;
  /** Also drain every node, one at a time, after each order's placement. */
  drains: boolean;
  /** How much work the simulation may do before it gives up. */
  budget: WorkBudget;
}

/**
 * How a node pool fared.
 *
 * @public
 */
export interface SurvivalResult {
  /** Orders × (drains, or 1 without drains). */
  runs: number;
  /** Runs that ended with every pod placed. */
  survived: number;
  /** The first run that failed. */
  failure?: { order: number; drainedNode?: number; pending: string[] };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run can be replayed. @public */
export function seededRandom(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_SCORE = 100;
const WEIGHT_FIT = 1;
const WEIGHT_BALANCED = 1;
const WEIGHT_SPREAD = 2;
/** kube-scheduler's system default constraints. */
const DEFAULT_HOST_SKEW = 3;
const DEFAULT_ZONE_SKEW = 5;

interface State {
  nodeOf: Int32Array;
  zoneOf: Int32Array;
  boundAt: Float64Array;
  alive: Uint8Array;
  usedCpu: Float64Array;
  usedMem: Float64Array;
  usedPods: Int32Array;
  /** workloadOnNode[w * nodes + n] */
  onNode: Int32Array;
  /** workloadInZone[w * zones + z] */
  inZone: Int32Array;
  clock: number;
}

class SchedulerModel {
  private readonly workloadIndex: Int32Array;
  private readonly workloads: number;
  private readonly zones: number;

  constructor(
    private readonly pods: readonly SimulatedPod[],
    private readonly nodes: readonly SimulatedNode[],
    private readonly budget: WorkBudget,
  ) {
    const names = new Map<string, number>();
    this.workloadIndex = Int32Array.from(pods, p => {
      if (!names.has(p.workload)) names.set(p.workload, names.size);
      return names.get(p.workload)!;
    });
    this.workloads = names.size;
    this.zones = nodes.reduce((m, n) => Math.max(m, n.zone + 1), 1);
  }

  /** Places the pods as they arrive, one at a time. */
  initial(
    arrival: number[],
    random: () => number,
  ): { state: State; pending: number[] } {
    const state = this.emptyState();
    const queue: Array<{ pod: number; seq: number }> = [];
    const unschedulable: Array<{ pod: number; seq: number }> = [];
    let seq = 0;
    for (const pod of arrival) {
      queue.push({ pod, seq: seq++ });
      this.run(state, queue, unschedulable, random);
    }
    return { state, pending: unschedulable.map(u => u.pod) };
  }

  /** Drains one node of a placed cluster (a copy): its pods are created again and placed. */
  drain(placed: State, node: number, random: () => number): number[] {
    const state = copyState(placed);
    state.alive[node] = 0;
    const evicted: number[] = [];
    for (let p = 0; p < this.pods.length; p++) {
      if (state.nodeOf[p] === node) {
        this.unbind(state, p);
        evicted.push(p);
      }
    }
    const queue = shuffle(evicted, random).map((pod, seq) => ({ pod, seq }));
    const unschedulable: Array<{ pod: number; seq: number }> = [];
    this.run(state, queue, unschedulable, random);
    return unschedulable.map(u => u.pod);
  }

  private emptyState(): State {
    const n = this.nodes.length;
    return {
      nodeOf: new Int32Array(this.pods.length).fill(-1),
      zoneOf: new Int32Array(this.pods.length).fill(-1),
      boundAt: new Float64Array(this.pods.length),
      alive: new Uint8Array(n).fill(1),
      usedCpu: Float64Array.from(this.nodes, x => x.reservedCpuMillis),
      usedMem: Float64Array.from(this.nodes, x => x.reservedMemoryMiB),
      usedPods: Int32Array.from(this.nodes, x => x.reservedPods),
      onNode: new Int32Array(this.workloads * n),
      inZone: new Int32Array(this.workloads * this.zones),
      clock: 0,
    };
  }

  /**
   * The scheduling queue: pops the most important pod (priority, then creation), places it or
   * preempts for it; pods that fit nowhere wait and are tried again after the cluster changes.
   */
  private run(
    state: State,
    queue: Array<{ pod: number; seq: number }>,
    unschedulable: Array<{ pod: number; seq: number }>,
    random: () => number,
  ): void {
    let attempts = 0;
    const maxAttempts = 20 * (this.pods.length + 1);
    while (queue.length > 0 && attempts++ < maxAttempts) {
      let best = 0;
      for (let i = 1; i < queue.length; i++) {
        const a = queue[i];
        const b = queue[best];
        const pa = this.pods[a.pod].priority;
        const pb = this.pods[b.pod].priority;
        if (pa > pb || (pa === pb && a.seq < b.seq)) best = i;
      }
      const item = queue.splice(best, 1)[0];
      const outcome = this.scheduleOne(state, item.pod, random);
      if (outcome === undefined) {
        unschedulable.push(item);
        continue;
      }
      // The cluster changed: pods waiting for room or spread are tried again.
      queue.push(...unschedulable.splice(0));
      for (const victim of outcome)
        queue.push({ pod: victim, seq: item.seq + 0.5 });
    }
    unschedulable.push(...queue.splice(0));
  }

  /** Places `pod`: returns the pods it preempted, or undefined when it stays pending. */
  private scheduleOne(
    state: State,
    pod: number,
    random: () => number,
  ): number[] | undefined {
    const feasible: number[] = [];
    for (let n = 0; n < this.nodes.length; n++) {
      this.budget.spend();
      if (this.fits(state, pod, n, 0, 0, 0)) feasible.push(n);
    }
    if (feasible.length > 0) {
      this.bind(state, pod, this.selectHost(state, pod, feasible, random));
      return [];
    }
    return this.preempt(state, pod);
  }

  /** Every filter, with `freedCpu/Mem/Pods` returned to the node (preemption's what-if). */
  private fits(
    state: State,
    pod: number,
    n: number,
    freedCpu: number,
    freedMem: number,
    freedPods: number,
  ): boolean {
    if (!state.alive[n]) return false;
    const p = this.pods[pod];
    const node = this.nodes[n];
    if (state.usedPods[n] - freedPods + 1 > node.maxPods) return false;
    if (state.usedCpu[n] - freedCpu + p.cpuMillis > node.allocatableCpuMillis)
      return false;
    if (state.usedMem[n] - freedMem + p.memoryMiB > node.allocatableMemoryMiB)
      return false;
    if (state.zoneOf[pod] >= 0 && state.zoneOf[pod] !== node.zone) return false;
    if (!p.spread) return true;
    const w = this.workloadIndex[pod];
    if (state.onNode[w * this.nodes.length + n] > 0) return false;
    if (this.zones > 1) {
      let min = Infinity;
      for (let z = 0; z < this.zones; z++) {
        if (!this.zoneHasNode(state, z)) continue;
        min = Math.min(min, state.inZone[w * this.zones + z]);
      }
      if (state.inZone[w * this.zones + node.zone] + 1 - min > 1) return false;
    }
    return true;
  }

  private zoneHasNode(state: State, zone: number): boolean {
    for (let n = 0; n < this.nodes.length; n++)
      if (state.alive[n] && this.nodes[n].zone === zone) return true;
    return false;
  }

  /** Scores the feasible nodes and picks the best, ties at random. */
  private selectHost(
    state: State,
    pod: number,
    feasible: number[],
    random: () => number,
  ): number {
    const p = this.pods[pod];
    const w = this.workloadIndex[pod];
    const spreadRaw = p.spread
      ? undefined
      : this.defaultSpreadRaw(state, w, feasible);
    let spreadMin = Infinity;
    let spreadMax = 0;
    if (spreadRaw) {
      for (const s of spreadRaw) {
        spreadMin = Math.min(spreadMin, s);
        spreadMax = Math.max(spreadMax, s);
      }
    }
    let bestScore = -Infinity;
    let chosen = feasible[0];
    let ties = 0;
    feasible.forEach((n, i) => {
      this.budget.spend();
      const node = this.nodes[n];
      const cpu = state.usedCpu[n] + p.cpuMillis;
      const mem = state.usedMem[n] + p.memoryMiB;
      const least = Math.floor(
        (leastAllocated(cpu, node.allocatableCpuMillis) +
          leastAllocated(mem, node.allocatableMemoryMiB)) /
          2,
      );
      const fc = Math.min(1, cpu / node.allocatableCpuMillis);
      const fm = Math.min(1, mem / node.allocatableMemoryMiB);
      const balanced = Math.floor((1 - Math.abs(fc - fm) / 2) * MAX_SCORE);
      let spread = 0;
      if (spreadRaw) {
        spread =
          spreadMax === 0
            ? MAX_SCORE
            : Math.floor(
                (MAX_SCORE * (spreadMax + spreadMin - spreadRaw[i])) /
                  spreadMax,
              );
      }
      const score =
        WEIGHT_FIT * least +
        WEIGHT_BALANCED * balanced +
        WEIGHT_SPREAD * spread;
      if (score > bestScore) {
        bestScore = score;
        chosen = n;
        ties = 1;
      } else if (score === bestScore) {
        // Reservoir sampling among the best, as kube-scheduler's selectHost does.
        ties += 1;
        if (random() * ties < 1) chosen = n;
      }
    });
    return chosen;
  }

  /** PodTopologySpread's raw scores for the system default constraints. */
  private defaultSpreadRaw(
    state: State,
    w: number,
    feasible: number[],
  ): number[] {
    const zonesSeen = new Set<number>();
    for (const n of feasible) zonesSeen.add(this.nodes[n].zone);
    const hostWeight = Math.log(feasible.length + 2);
    const zoneWeight = Math.log(zonesSeen.size + 2);
    return feasible.map(n =>
      Math.round(
        state.onNode[w * this.nodes.length + n] * hostWeight +
          (DEFAULT_HOST_SKEW - 1) +
          state.inZone[w * this.zones + this.nodes[n].zone] * zoneWeight +
          (DEFAULT_ZONE_SKEW - 1),
      ),
    );
  }

  /**
   * DefaultPreemption: on each node, the lower-priority pods whose removal lets `pod` fit, minus
   * those that can stay (most important first); then the node whose victims matter least.
   */
  private preempt(state: State, pod: number): number[] | undefined {
    const p = this.pods[pod];
    let best: { node: number; victims: number[]; key: number[] } | undefined;
    for (let n = 0; n < this.nodes.length; n++) {
      if (!state.alive[n]) continue;
      const lower: number[] = [];
      for (let q = 0; q < this.pods.length; q++) {
        this.budget.spend();
        if (state.nodeOf[q] === n && this.pods[q].priority < p.priority)
          lower.push(q);
      }
      if (lower.length === 0) continue;
      let freedCpu = sum(lower, q => this.pods[q].cpuMillis);
      let freedMem = sum(lower, q => this.pods[q].memoryMiB);
      let freedPods = lower.length;
      if (!this.fits(state, pod, n, freedCpu, freedMem, freedPods)) continue;
      // Reprieve the most important first (priority, then the earliest bound).
      lower.sort(
        (a, b) =>
          this.pods[b].priority - this.pods[a].priority ||
          state.boundAt[a] - state.boundAt[b],
      );
      const victims: number[] = [];
      for (const q of lower) {
        const cpu = freedCpu - this.pods[q].cpuMillis;
        const mem = freedMem - this.pods[q].memoryMiB;
        if (this.fits(state, pod, n, cpu, mem, freedPods - 1)) {
          freedCpu = cpu;
          freedMem = mem;
          freedPods -= 1;
        } else {
          victims.push(q);
        }
      }
      const key = [
        Math.max(...victims.map(q => this.pods[q].priority)),
        sum(victims, q => this.pods[q].priority),
        victims.length,
      ];
      if (!best || lexLess(key, best.key)) best = { node: n, victims, key };
    }
    if (!best) return undefined;
    for (const q of best.victims) this.unbind(state, q);
    this.bind(state, pod, best.node);
    return best.victims;
  }

  private bind(state: State, pod: number, n: number): void {
    const p = this.pods[pod];
    const node = this.nodes[n];
    state.nodeOf[pod] = n;
    state.boundAt[pod] = state.clock++;
    if (p.zonalVolume) state.zoneOf[pod] = node.zone;
    state.usedCpu[n] += p.cpuMillis;
    state.usedMem[n] += p.memoryMiB;
    state.usedPods[n] += 1;
    const w = this.workloadIndex[pod];
    state.onNode[w * this.nodes.length + n] += 1;
    state.inZone[w * this.zones + node.zone] += 1;
  }

  private unbind(state: State, pod: number): void {
    const n = state.nodeOf[pod];
    if (n < 0) return;
    const p = this.pods[pod];
    state.nodeOf[pod] = -1;
    state.usedCpu[n] -= p.cpuMillis;
    state.usedMem[n] -= p.memoryMiB;
    state.usedPods[n] -= 1;
    const w = this.workloadIndex[pod];
    state.onNode[w * this.nodes.length + n] -= 1;
    state.inZone[w * this.zones + this.nodes[n].zone] -= 1;
  }
}

/**
 * Simulates `check.orders` creation orders and, with `drains`, every single-node drain after
 * each, and counts the runs in which every pod ends up placed.
 *
 * @public
 */
export function simulateSurvival(
  pods: readonly SimulatedPod[],
  nodes: readonly SimulatedNode[],
  check: SurvivalCheck,
): SurvivalResult {
  const model = new SchedulerModel(pods, nodes, check.budget);
  const random = seededRandom(check.seed);
  let runs = 0;
  let survived = 0;
  let failure: SurvivalResult['failure'];
  for (let order = 0; order < check.orders; order++) {
    const arrival = shuffle(
      pods.map((_, i) => i),
      random,
    );
    const placed = model.initial(arrival, random);
    const drainRuns = check.drains ? nodes.length : 1;
    if (placed.pending.length > 0) {
      runs += drainRuns;
      failure ??= { order, pending: placed.pending.map(i => pods[i].name) };
      continue;
    }
    if (!check.drains) {
      runs += 1;
      survived += 1;
      continue;
    }
    for (let drained = 0; drained < nodes.length; drained++) {
      runs += 1;
      const pending = model.drain(placed.state, drained, random);
      if (pending.length === 0) survived += 1;
      else
        failure ??= {
          order,
          drainedNode: drained,
          pending: pending.map(i => pods[i].name),
        };
    }
  }
  return { runs, survived, ...(failure ? { failure } : {}) };
}

function leastAllocated(requested: number, allocatable: number): number {
  if (allocatable <= 0 || requested > allocatable) return 0;
  return Math.floor(((allocatable - requested) * MAX_SCORE) / allocatable);
}

function copyState(s: State): State {
  return {
    nodeOf: s.nodeOf.slice(),
    zoneOf: s.zoneOf.slice(),
    boundAt: s.boundAt.slice(),
    alive: s.alive.slice(),
    usedCpu: s.usedCpu.slice(),
    usedMem: s.usedMem.slice(),
    usedPods: s.usedPods.slice(),
    onNode: s.onNode.slice(),
    inZone: s.inZone.slice(),
    clock: s.clock,
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function sum<T>(items: readonly T[], f: (t: T) => number): number {
  let s = 0;
  for (const i of items) s += f(i);
  return s;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}
