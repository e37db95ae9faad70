/**
 * A small kube-scheduler: filters nodes the way the real one does (node affinity/selector,
 * resources fit, volume zone, inter-pod affinity and anti-affinity), picks the least loaded
 * feasible node, and otherwise explains itself in the real FailedScheduling message format —
 * plus one sentence naming the shortfall, which the real scheduler leaves the reader to work out.
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
  { node: string; message?: undefined } | { node?: undefined; message: string };

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

/** Why `node` cannot take `pod`, or undefined if it can. The first failing filter wins. */
function filter(
  pod: KubernetesObject,
  req: PodRequests,
  node: SchedulingNode,
  all: SchedulingNode[],
  volumes: VolumeConstraints,
): string[] | undefined {
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
  return undefined;
}

/** The owning controller's uid, for spreading replicas across nodes. */
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

/**
 * Places `pod` on one of `nodes` or explains why not. Among feasible nodes it prefers the one
 * with fewest pods of the same owner (spreading), then the most free resources, then the name.
 */
export function schedule(
  pod: KubernetesObject,
  nodes: SchedulingNode[],
  volumes: VolumeConstraints = {},
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
    const owner = ownerUid(pod);
    const score = (n: SchedulingNode) => {
      const free = freeOn(n);
      const siblings = owner
        ? n.pods.filter(p => ownerUid(p) === owner).length
        : 0;
      const freeShare =
        (n.capacity.cpuMillis > 0 ? free.cpuMillis / n.capacity.cpuMillis : 0) +
        (n.capacity.memoryMiB > 0 ? free.memoryMiB / n.capacity.memoryMiB : 0);
      return -siblings * 10 + freeShare;
    };
    const best = [...feasible].sort(
      (a, b) => score(b) - score(a) || a.name.localeCompare(b.name),
    )[0];
    return { node: best.name };
  }
  const preemption = new Map<string, number>();
  if (resourceFailures > 0)
    preemption.set(
      'No preemption victims found for incoming pod',
      resourceFailures,
    );
  if (total - resourceFailures > 0)
    preemption.set(
      'Preemption is not helpful for scheduling',
      total - resourceFailures,
    );
  const candidates = nodes.filter(n => matchesNodeAffinity(pod, n));
  const pool = candidates.length > 0 ? candidates : nodes;
  const frees = pool.map(freeOn);
  const largestCpu = Math.max(...frees.map(f => f.cpuMillis));
  const largestMem = Math.max(...frees.map(f => f.memoryMiB));
  const shortfall = `pod ${podName} requests ${req.cpuMillis}m CPU, ${Math.ceil(req.memoryMiB)}Mi memory; largest free on any node: ${Math.max(0, largestCpu)}m CPU, ${Math.max(0, Math.floor(largestMem))}Mi memory`;
  return {
    message: `0/${total} nodes are available: ${histogram(reasons)}. preemption: 0/${total} nodes are available: ${histogram(preemption)}. ${shortfall}.`,
  };
}
