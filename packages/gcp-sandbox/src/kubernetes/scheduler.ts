/**
 * kube-scheduler's default profile, one pod at a time
 * (kubernetes.io/docs/reference/scheduling/config/#scheduling-plugins):
 * - filters: NodeAffinity (nodeSelector and required terms), NodeResourcesFit (requests, pod
 *   slots), VolumeZone (a bound zonal disk pins the pod to its zone), InterPodAffinity
 *   (required affinity and anti-affinity, both ways) and PodTopologySpread (`DoNotSchedule`
 *   constraints: a domain may hold at most `maxSkew` more matching pods than the emptiest
 *   eligible domain; kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/);
 * - scores, with the default weights: NodeResourcesFit's `LeastAllocated` (1) and
 *   NodeResourcesBalancedAllocation (1) over the node's allocatable, counting GKE's kube-system
 *   pods (…/resource-bin-packing/); PodTopologySpread (2) for `ScheduleAnyway` constraints, or
 *   the system defaults (hostname maxSkew 3, zone maxSkew 5) for pods without constraints
 *   (…/topology-spread-constraints/#internal-default-constraints). The other default scores are
 *   equal on every sandbox node (no taints, no preferred terms); ImageLocality is not emulated.
 *   The highest score wins; ties are broken at random (kube-scheduler's selectHost), here from
 *   a seed of the pod's uid so that a run can be replayed;
 * - DefaultPreemption (…/pod-priority-preemption/#preemption): a pod that fits nowhere looks
 *   for a node where removing lower-priority pods lets it in, keeps back the most important of
 *   them, and picks the node whose victims matter least; the caller evicts them.
 * Otherwise it explains itself in the real FailedScheduling message format — plus one sentence
 * naming the shortfall, which the real scheduler leaves the reader to work out.
 *
 * This is an emulation written from the Kubernetes documentation; it shares no code with the
 * node-pool planner, so a plan is tested against it, not against itself.
 */
import { NodeCapacity } from './nodes';
import { cpuMillis, memoryMiB } from './quantity';
import { LabelSelector, matchesSelector } from './selectors';
import { KubernetesObject } from './types';

/** CPU millicores and memory MiB a pod requests. */
export interface PodRequests {
  cpuMillis: number;
  memoryMiB: number;
}

/** A node as the scheduler sees it. */
export interface SchedulingNode {
  name: string;
  zone: string;
  labels: Record<string, string>;
  capacity: NodeCapacity;
  /** Pods bound to the node that still hold resources (not Succeeded/Failed). */
  pods: KubernetesObject[];
  /** Cordoned (`spec.unschedulable`): NodeUnschedulable filters it out. */
  unschedulable?: boolean;
}

/** Volume constraints of a pod, worked out by the caller from its PVCs. */
export interface VolumeConstraints {
  /** A pod-level problem (missing or unbound PVC), in the scheduler's words. */
  error?: string;
  /** Zones the pod's bound volumes live in; undefined means any zone. */
  zones?: string[];
}

/** Outcome of one scheduling attempt. */
export type ScheduleResult =
  | { node: string; message?: undefined; preemption?: undefined }
  | {
      node?: undefined;
      message: string;
      /** DefaultPreemption's choice: evict `victims`, then `node` takes the pod. */
      preemption?: { node: string; victims: KubernetesObject[] };
    };

/** How the scheduler reads a pod's priority and breaks ties. */
export interface ScheduleOptions {
  /** The pod's priority (the Priority admission plugin resolves `priorityClassName`); default `spec.priority`. */
  priorityOf?: (pod: KubernetesObject) => number;
  /** Random numbers in [0, 1) for breaking ties; default seeded by the pod's uid. */
  random?: () => number;
}

/**
 * What a pod requests: the sum over containers, or the largest init container if larger
 * (init containers run one at a time). Requests default to limits, as the API server does.
 */
export function podRequests(pod: KubernetesObject): PodRequests {
  const one = (c: any) => ({
    cpuMillis: cpuMillis(
      c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu,
    ),
    memoryMiB: memoryMiB(
      c?.resources?.requests?.memory ?? c?.resources?.limits?.memory,
    ),
  });
  const sum = (pod.spec?.containers ?? []).map(one).reduce(
    (a: PodRequests, b: PodRequests) => ({
      cpuMillis: a.cpuMillis + b.cpuMillis,
      memoryMiB: a.memoryMiB + b.memoryMiB,
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
  for (const init of (pod.spec?.initContainers ?? []).map(one)) {
    sum.cpuMillis = Math.max(sum.cpuMillis, init.cpuMillis);
    sum.memoryMiB = Math.max(sum.memoryMiB, init.memoryMiB);
  }
  return sum;
}

/** Free resources on a node. */
export function freeOn(node: SchedulingNode): PodRequests & { pods: number } {
  const used = node.pods.map(podRequests).reduce(
    (a, b) => ({
      cpuMillis: a.cpuMillis + b.cpuMillis,
      memoryMiB: a.memoryMiB + b.memoryMiB,
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
  return {
    cpuMillis: node.capacity.cpuMillis - used.cpuMillis,
    memoryMiB: node.capacity.memoryMiB - used.memoryMiB,
    pods: node.capacity.pods - node.pods.length,
  };
}

function matchExpression(
  value: string | undefined,
  op: string,
  values: string[] = [],
): boolean {
  switch (op) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(values[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(values[0]);
    default:
      return false;
  }
}

/** nodeSelector and required node affinity (terms are ORed, expressions ANDed). */
export function matchesNodeAffinity(
  pod: KubernetesObject,
  node: Pick<SchedulingNode, 'name' | 'labels'>,
): boolean {
  for (const [k, v] of Object.entries<string>(pod.spec?.nodeSelector ?? {})) {
    if (node.labels[k] !== v) return false;
  }
  const terms: any[] =
    pod.spec?.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  if (terms.length === 0) return true;
  return terms.some(
    term =>
      (term.matchExpressions ?? []).every((e: any) =>
        matchExpression(node.labels[e.key], e.operator, e.values),
      ) &&
      (term.matchFields ?? []).every((e: any) =>
        matchExpression(
          e.key === 'metadata.name' ? node.name : undefined,
          e.operator,
          e.values,
        ),
      ),
  );
}

interface AffinityTerm {
  labelSelector?: LabelSelector;
  topologyKey: string;
  namespaces?: string[];
}

function termMatchesPod(
  term: AffinityTerm,
  ownerNamespace: string,
  other: KubernetesObject,
): boolean {
  const namespaces = term.namespaces?.length
    ? term.namespaces
    : [ownerNamespace];
  return (
    namespaces.includes(other.metadata?.namespace ?? '') &&
    matchesSelector(other.metadata?.labels, term.labelSelector ?? {})
  );
}

function requiredTerms(
  pod: KubernetesObject,
  kind: 'podAffinity' | 'podAntiAffinity',
): AffinityTerm[] {
  return (
    pod.spec?.affinity?.[kind]
      ?.requiredDuringSchedulingIgnoredDuringExecution ?? []
  );
}

/**
 * NodeUnschedulable lets a pod onto a cordoned node only if it tolerates the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint, as DaemonSet pods do
 * (kubernetes.io/docs/concepts/workloads/controllers/daemonset/#taints-and-tolerations).
 */
function toleratesCordon(pod: KubernetesObject): boolean {
  return (pod.spec?.tolerations ?? []).some(
    (t: any) =>
      (t.key === 'node.kubernetes.io/unschedulable' ||
        (t.key === undefined && t.operator === 'Exists')) &&
      (t.effect === undefined || t.effect === 'NoSchedule'),
  );
}

/** Why `node` cannot take `pod`, or undefined if it can. The first failing filter wins. */
function filter(
  pod: KubernetesObject,
  req: PodRequests,
  node: SchedulingNode,
  all: SchedulingNode[],
  volumes: VolumeConstraints,
): string[] | undefined {
  if (node.unschedulable && !toleratesCordon(pod))
    return ['node(s) were unschedulable'];
  if (!matchesNodeAffinity(pod, node))
    return ["node(s) didn't match Pod's node affinity/selector"];
  const free = freeOn(node);
  const resources: string[] = [];
  if (free.pods < 1) resources.push('Too many pods');
  if (req.cpuMillis > free.cpuMillis) resources.push('Insufficient cpu');
  if (req.memoryMiB > free.memoryMiB) resources.push('Insufficient memory');
  if (resources.length > 0) return resources;
  if (volumes.zones && !volumes.zones.includes(node.zone))
    return ['node(s) had volume node affinity conflict'];

  const ns = pod.metadata?.namespace ?? 'default';
  const podsInDomain = (key: string) => {
    const value = node.labels[key];
    if (value === undefined) return [];
    return all.filter(n => n.labels[key] === value).flatMap(n => n.pods);
  };
  for (const term of requiredTerms(pod, 'podAntiAffinity')) {
    if (podsInDomain(term.topologyKey).some(p => termMatchesPod(term, ns, p))) {
      return ["node(s) didn't match pod anti-affinity rules"];
    }
  }
  for (const existing of all.flatMap(n => n.pods.map(p => ({ p, n })))) {
    for (const term of requiredTerms(existing.p, 'podAntiAffinity')) {
      const value = existing.n.labels[term.topologyKey];
      if (
        value !== undefined &&
        node.labels[term.topologyKey] === value &&
        termMatchesPod(term, existing.p.metadata?.namespace ?? 'default', pod)
      ) {
        return ["node(s) didn't satisfy existing pods anti-affinity rules"];
      }
    }
  }
  for (const term of requiredTerms(pod, 'podAffinity')) {
    const anywhere = all
      .flatMap(n => n.pods)
      .some(p => termMatchesPod(term, ns, p));
    // The first pod of a group that selects itself may go anywhere, as in the real scheduler.
    if (!anywhere && termMatchesPod(term, ns, pod)) continue;
    if (
      !podsInDomain(term.topologyKey).some(p => termMatchesPod(term, ns, p))
    ) {
      return ["node(s) didn't match pod affinity rules"];
    }
  }
  for (const c of spreadConstraints(pod, 'DoNotSchedule')) {
    const value = node.labels[c.topologyKey];
    if (value === undefined)
      return [
        "node(s) didn't match pod topology spread constraints (missing required label)",
      ];
    const counts = domainCounts(pod, c, all);
    const min = Math.min(...counts.values());
    const self = matchesSelector(pod.metadata?.labels, c.labelSelector ?? {})
      ? 1
      : 0;
    if ((counts.get(value) ?? 0) + self - min > c.maxSkew)
      return ["node(s) didn't match pod topology spread constraints"];
  }
  return undefined;
}

interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelector;
  /** Pods of the same controller (the system defaults' selector). */
  owner?: string;
}

function spreadConstraints(
  pod: KubernetesObject,
  when: SpreadConstraint['whenUnsatisfiable'],
): SpreadConstraint[] {
  return ((pod.spec?.topologySpreadConstraints ?? []) as SpreadConstraint[])
    .filter(c => c.whenUnsatisfiable === when)
    .map(c => ({ ...c, maxSkew: Number(c.maxSkew) || 1 }));
}

/**
 * Matching pods per domain of a constraint's key, over the nodes that pass the pod's node
 * affinity (nodeAffinityPolicy Honor, the default); every such domain counts, empty ones too.
 */
function domainCounts(
  pod: KubernetesObject,
  c: SpreadConstraint,
  all: SchedulingNode[],
): Map<string, number> {
  const ns = pod.metadata?.namespace ?? 'default';
  const counts = new Map<string, number>();
  for (const n of all) {
    if (n.unschedulable || !matchesNodeAffinity(pod, n)) continue;
    const value = n.labels[c.topologyKey];
    if (value === undefined) continue;
    const matching = n.pods.filter(
      p =>
        p.metadata?.namespace === ns &&
        !p.metadata?.deletionTimestamp &&
        (c.owner !== undefined
          ? ownerUid(p) === c.owner
          : matchesSelector(p.metadata?.labels, c.labelSelector ?? {})),
    ).length;
    counts.set(value, (counts.get(value) ?? 0) + matching);
  }
  return counts;
}

/** The owning controller's uid, for the system default spreading. */
function ownerUid(pod: KubernetesObject): string | undefined {
  return pod.metadata?.ownerReferences?.find(r => r.controller)?.uid;
}

/** Formats a count histogram the way the scheduler does: "1 Insufficient cpu, 3 Insufficient memory". */
function histogram(counts: Map<string, number>): string {
  return [...counts.entries()]
    .map(([reason, n]) => `${n} ${reason}`)
    .sort()
    .join(', ');
}

const MAX_NODE_SCORE = 100;
const WEIGHT_FIT = 1;
const WEIGHT_BALANCED = 1;
const WEIGHT_SPREAD = 2;
/** Requests counted for scoring when a container gives none (kube-scheduler's non-zero defaults). */
const DEFAULT_SCORING_CPU_MILLIS = 100;
const DEFAULT_SCORING_MEMORY_MIB = 200;

function scoringRequests(pod: KubernetesObject): PodRequests {
  const containers: any[] = pod.spec?.containers ?? [];
  return containers.reduce(
    (sum: PodRequests, c) => ({
      cpuMillis:
        sum.cpuMillis +
        ((c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu)
          ? cpuMillis(c.resources.requests?.cpu ?? c.resources.limits.cpu)
          : DEFAULT_SCORING_CPU_MILLIS),
      memoryMiB:
        sum.memoryMiB +
        ((c?.resources?.requests?.memory ?? c?.resources?.limits?.memory)
          ? memoryMiB(c.resources.requests?.memory ?? c.resources.limits.memory)
          : DEFAULT_SCORING_MEMORY_MIB),
    }),
    { cpuMillis: 0, memoryMiB: 0 },
  );
}

/** NodeResourcesFit (LeastAllocated) and NodeResourcesBalancedAllocation over allocatable. */
function resourceScores(pod: KubernetesObject, node: SchedulingNode): number {
  const cap = node.capacity;
  const requested = [...node.pods, pod].map(scoringRequests).reduce(
    (a, b) => ({
      cpuMillis: a.cpuMillis + b.cpuMillis,
      memoryMiB: a.memoryMiB + b.memoryMiB,
    }),
    { cpuMillis: cap.reserved.cpuMillis, memoryMiB: cap.reserved.memoryMiB },
  );
  const least = (req: number, alloc: number) =>
    alloc <= 0 || req > alloc
      ? 0
      : Math.floor(((alloc - req) * MAX_NODE_SCORE) / alloc);
  const fit = Math.floor(
    (least(requested.cpuMillis, cap.allocatableCpuMillis) +
      least(requested.memoryMiB, cap.allocatableMemoryMiB)) /
      2,
  );
  const fraction = (req: number, alloc: number) =>
    alloc > 0 ? Math.min(1, req / alloc) : 1;
  const spread = Math.abs(
    fraction(requested.cpuMillis, cap.allocatableCpuMillis) -
      fraction(requested.memoryMiB, cap.allocatableMemoryMiB),
  );
  const balanced = Math.floor((1 - spread / 2) * MAX_NODE_SCORE);
  return WEIGHT_FIT * fit + WEIGHT_BALANCED * balanced;
}

/** PodTopologySpread's normalised scores of the feasible nodes (soft constraints or defaults). */
function spreadScores(
  pod: KubernetesObject,
  feasible: SchedulingNode[],
  all: SchedulingNode[],
): number[] {
  let constraints = spreadConstraints(pod, 'ScheduleAnyway');
  const hasOwn = (pod.spec?.topologySpreadConstraints ?? []).length > 0;
  const owner = ownerUid(pod);
  if (!hasOwn && owner) {
    constraints = [
      {
        maxSkew: 3,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        owner,
      },
      {
        maxSkew: 5,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'ScheduleAnyway',
        owner,
      },
    ];
  }
  if (constraints.length === 0) return feasible.map(() => 0);
  const raw = feasible.map(n => {
    let score = 0;
    for (const c of constraints) {
      const value = n.labels[c.topologyKey];
      if (value === undefined) continue;
      const counts = domainCounts(pod, c, all);
      const domains = new Set(
        feasible.map(f => f.labels[c.topologyKey]).filter(v => v !== undefined),
      ).size;
      score +=
        (counts.get(value) ?? 0) * Math.log(domains + 2) + (c.maxSkew - 1);
    }
    return Math.round(score);
  });
  const min = Math.min(...raw);
  const max = Math.max(...raw);
  return raw.map(s =>
    max === 0
      ? MAX_NODE_SCORE
      : Math.floor((MAX_NODE_SCORE * (max + min - s)) / max),
  );
}

function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The pod's priority as admission resolved it (`spec.priority`), 0 when absent. */
export function podPriority(pod: KubernetesObject): number {
  const p = Number(pod.spec?.priority);
  return Number.isFinite(p) ? p : 0;
}

/**
 * Places `pod` on one of `nodes` or explains why not; when it fits nowhere, says which
 * lower-priority pods to preempt for it (the caller evicts them and tries again).
 */
export function schedule(
  pod: KubernetesObject,
  nodes: SchedulingNode[],
  volumes: VolumeConstraints = {},
  options: ScheduleOptions = {},
): ScheduleResult {
  const req = podRequests(pod);
  const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const total = nodes.length;
  const preemptionNotHelpful = (n: number) =>
    `preemption: 0/${total} nodes are available: ${n} Preemption is not helpful for scheduling.`;
  if (volumes.error) {
    return {
      message: `0/${total} nodes are available: ${volumes.error}. ${preemptionNotHelpful(total)}`,
    };
  }
  if (total === 0) {
    return {
      message: `no nodes available to schedule pods. Pod ${podName} requests ${req.cpuMillis}m CPU, ${Math.ceil(req.memoryMiB)}Mi memory; the cluster has no nodes.`,
    };
  }
  const feasible: SchedulingNode[] = [];
  const reasons = new Map<string, number>();
  let resourceFailures = 0;
  for (const node of nodes) {
    const why = filter(pod, req, node, nodes, volumes);
    if (!why) {
      feasible.push(node);
      continue;
    }
    if (why.some(r => r.startsWith('Insufficient') || r === 'Too many pods'))
      resourceFailures += 1;
    for (const r of why) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  if (feasible.length > 0) {
    const spread = spreadScores(pod, feasible, nodes);
    const random =
      options.random ??
      mulberry32(seedOf(`${pod.metadata?.uid ?? podName}/${total}`));
    let best: SchedulingNode = feasible[0];
    let bestScore = -Infinity;
    let ties = 0;
    feasible.forEach((n, i) => {
      const score = resourceScores(pod, n) + WEIGHT_SPREAD * spread[i];
      if (score > bestScore) {
        bestScore = score;
        best = n;
        ties = 1;
      } else if (score === bestScore) {
        // selectHost: reservoir sampling over the nodes with the top score.
        ties += 1;
        if (random() * ties < 1) best = n;
      }
    });
    return { node: best.name };
  }
  const priorityOf = options.priorityOf ?? podPriority;
  const preemption =
    pod.spec?.preemptionPolicy === 'Never'
      ? undefined
      : findPreemption(pod, req, nodes, volumes, priorityOf);
  const preemptionReasons = new Map<string, number>();
  if (resourceFailures > 0)
    preemptionReasons.set(
      'No preemption victims found for incoming pod',
      resourceFailures,
    );
  if (total - resourceFailures > 0)
    preemptionReasons.set(
      'Preemption is not helpful for scheduling',
      total - resourceFailures,
    );
  const candidates = nodes.filter(n => matchesNodeAffinity(pod, n));
  const pool = candidates.length > 0 ? candidates : nodes;
  const frees = pool.map(freeOn);
  const largestCpu = Math.max(...frees.map(f => f.cpuMillis));
  const largestMem = Math.max(...frees.map(f => f.memoryMiB));
  const shortfall = `pod ${podName} requests ${req.cpuMillis}m CPU, ${Math.ceil(req.memoryMiB)}Mi memory; largest free on any node: ${Math.max(0, largestCpu)}m CPU, ${Math.max(0, Math.floor(largestMem))}Mi memory`;
  const message = `0/${total} nodes are available: ${histogram(reasons)}. preemption: 0/${total} nodes are available: ${histogram(preemptionReasons)}. ${shortfall}.`;
  return preemption ? { message, preemption } : { message };
}

/**
 * DefaultPreemption: for each node, remove every lower-priority pod; if the pod then passes every
 * filter, add the removed pods back most important first (priority, then the oldest) while it
 * still fits: the rest are the node's victims. Pick the node whose victims have the lowest
 * highest priority, then the lowest sum of priorities, then the fewest victims, then the one
 * listed first. (PodDisruptionBudgets, which the real plugin weighs first, are not consulted.)
 */
function findPreemption(
  pod: KubernetesObject,
  req: PodRequests,
  nodes: SchedulingNode[],
  volumes: VolumeConstraints,
  priorityOf: (p: KubernetesObject) => number,
): { node: string; victims: KubernetesObject[] } | undefined {
  const priority = priorityOf(pod);
  let best:
    { node: string; victims: KubernetesObject[]; key: number[] } | undefined;
  for (const node of nodes) {
    if (node.unschedulable && !toleratesCordon(pod)) continue;
    const lower = node.pods.filter(p => priorityOf(p) < priority);
    if (lower.length === 0) continue;
    const without = (kept: KubernetesObject[]): SchedulingNode[] =>
      nodes.map(n =>
        n === node
          ? {
              ...n,
              pods: n.pods.filter(p => !lower.includes(p) || kept.includes(p)),
            }
          : n,
      );
    const tryWith = (kept: KubernetesObject[]) => {
      const view = without(kept);
      return !filter(pod, req, view[nodes.indexOf(node)], view, volumes);
    };
    if (!tryWith([])) continue;
    const ordered = [...lower].sort(
      (a, b) =>
        priorityOf(b) - priorityOf(a) ||
        Date.parse(a.metadata?.creationTimestamp ?? '') -
          Date.parse(b.metadata?.creationTimestamp ?? ''),
    );
    const kept: KubernetesObject[] = [];
    const victims: KubernetesObject[] = [];
    for (const p of ordered) {
      if (tryWith([...kept, p])) kept.push(p);
      else victims.push(p);
    }
    const key = [
      Math.max(...victims.map(priorityOf)),
      victims.reduce((s, v) => s + priorityOf(v), 0),
      victims.length,
    ];
    if (!best || lexLess(key, best.key))
      best = { node: node.name, victims, key };
  }
  return best && { node: best.node, victims: best.victims };
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
