/**
 * Why a pod is not ready, in one line a platform engineer can act on: unschedulable (with the
 * resource shortfall), an image that cannot be pulled, a crash loop, an OOM kill, missing
 * configuration, failing probes. Pure: reads a pod, its events and the nodes' free capacity.
 * Shared by `codemie:deploy` and the status API.
 */
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { parseCpuMillis, parseMemoryMiB } from '../sizing/parseQuantities';
import { formatCpuQuantity, formatMemoryQuantity } from '../sizing';

/** The cause found for a pod. @public */
export type PodProblemReason =
  | 'Unschedulable'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'OOMKilled'
  | 'CrashLoopBackOff'
  | 'CreateContainerConfigError'
  | 'ContainerCreating'
  | 'NotReady'
  | 'Pending'
  | 'Ready';

/** The diagnosis of one pod. @public */
export interface PodDiagnosis {
  /** `namespace/name`. */
  pod: string;
  /** What is wrong with it, or `Ready`. */
  reason: PodProblemReason;
  /** One line: the cause and the evidence. */
  message: string;
  /**
   * Waiting will not fix it (the image cannot be pulled, the pod fits on no node, the
   * container keeps crashing, its configuration is missing).
   */
  definitive: boolean;
}

/** Free allocatable of a node: allocatable minus the requests of the pods bound to it. @public */
export interface NodeFree {
  /** The node's name. */
  name: string;
  /** Free CPU, millicores. */
  cpuMillis: number;
  /** Free memory, MiB. */
  memoryMiB: number;
}

/** Restarts after which a crash loop counts as definitive. */
const DEFINITIVE_RESTARTS = 3;

/** What a pod requests (its containers, or its largest init container when larger). @public */
export function podRequests(pod: V1Pod): {
  cpuMillis: number;
  memoryMiB: number;
} {
  const one = (c: any) => ({
    cpuMillis: parseCpuMillis(
      c?.resources?.requests?.cpu ?? c?.resources?.limits?.cpu,
    ),
    memoryMiB: parseMemoryMiB(
      c?.resources?.requests?.memory ?? c?.resources?.limits?.memory,
    ),
  });
  const sum = (pod.spec?.containers ?? []).map(one).reduce(
    (a, b) => ({
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

const cpu = (m: number) => formatCpuQuantity(Math.max(0, Math.round(m)));
const mem = (m: number) => formatMemoryQuantity(Math.max(0, Math.round(m)));

/**
 * The resource shortfall of an unschedulable pod: what it requests against the most any node
 * has free, e.g. "requests 4 CPU, 16Gi; most free on a node: 1500m CPU, 9000Mi; short by 2500m
 * CPU, 7384Mi".
 *
 * @public
 */
export function schedulingShortfall(
  requests: { cpuMillis: number; memoryMiB: number },
  nodes: NodeFree[],
): string {
  const want = `requests ${cpu(requests.cpuMillis)} CPU, ${mem(requests.memoryMiB)} memory`;
  if (nodes.length === 0) return `${want}; the cluster has no nodes`;
  const freeCpu = Math.max(...nodes.map(n => n.cpuMillis));
  const freeMem = Math.max(...nodes.map(n => n.memoryMiB));
  const shortCpu = requests.cpuMillis - freeCpu;
  const shortMem = requests.memoryMiB - freeMem;
  const short = [
    ...(shortCpu > 0 ? [`${cpu(shortCpu)} CPU`] : []),
    ...(shortMem > 0 ? [`${mem(shortMem)} memory`] : []),
  ];
  return `${want}; most free on any of ${nodes.length} node(s): ${cpu(freeCpu)} CPU, ${mem(freeMem)} memory${
    short.length ? `; short by ${short.join(' and ')}` : ''
  }`;
}

function latestWarning(
  events: CoreV1Event[],
  reasons?: string[],
): CoreV1Event | undefined {
  const time = (e: CoreV1Event) =>
    Date.parse(
      String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? 0),
    ) || 0;
  return events
    .filter(
      e =>
        e.type === 'Warning' && (!reasons || reasons.includes(e.reason ?? '')),
    )
    .sort((a, b) => time(b) - time(a))[0];
}

function isReady(pod: V1Pod): boolean {
  return !!pod.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );
}

/**
 * Diagnoses one pod. `nodes` (free capacity per node) adds the shortfall to an unschedulable
 * pod's message.
 *
 * @public
 */
export function diagnosePod(
  pod: V1Pod,
  events: CoreV1Event[] = [],
  nodes?: NodeFree[],
): PodDiagnosis {
  const id = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const result = (
    reason: PodProblemReason,
    message: string,
    definitive: boolean,
  ): PodDiagnosis => ({
    pod: id,
    reason,
    message,
    definitive,
  });
  if (isReady(pod)) return result('Ready', 'ready', false);

  const scheduled = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled',
  );
  if (
    !pod.spec?.nodeName &&
    scheduled?.status === 'False' &&
    scheduled.reason === 'Unschedulable'
  ) {
    const why =
      scheduled.message ??
      latestWarning(events, ['FailedScheduling'])?.message ??
      'no node fits the pod';
    const shortfall = nodes
      ? ` Shortfall: ${schedulingShortfall(podRequests(pod), nodes)}.`
      : '';
    return result(
      'Unschedulable',
      `Unschedulable: ${why.trim()}${shortfall}`,
      true,
    );
  }

  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const specs = [
    ...(pod.spec?.initContainers ?? []),
    ...(pod.spec?.containers ?? []),
  ];
  for (const s of statuses) {
    const waiting = s.state?.waiting;
    if (
      waiting?.reason === 'ImagePullBackOff' ||
      waiting?.reason === 'ErrImagePull'
    ) {
      const failed = latestWarning(events, ['Failed'])?.message;
      const detail = failed?.startsWith('Failed to pull image')
        ? failed
        : waiting.message;
      return result(
        waiting.reason,
        `${waiting.reason}: container ${s.name} cannot pull image ${s.image}${detail ? ` (${detail})` : ''}`,
        true,
      );
    }
    if (
      waiting?.reason === 'CreateContainerConfigError' ||
      waiting?.reason === 'CreateContainerError'
    ) {
      return result(
        'CreateContainerConfigError',
        `${waiting.reason}: container ${s.name}: ${waiting.message ?? ''}`.trim(),
        true,
      );
    }
    const oom =
      s.lastState?.terminated?.reason === 'OOMKilled' ||
      s.state?.terminated?.reason === 'OOMKilled';
    if (oom) {
      const limit = specs.find(c => c.name === s.name)?.resources?.limits
        ?.memory;
      return result(
        'OOMKilled',
        `OOMKilled: container ${s.name} was killed for exceeding its memory limit${limit ? ` ${limit}` : ''} (${s.restartCount} restarts)`,
        s.restartCount >= DEFINITIVE_RESTARTS ||
          waiting?.reason === 'CrashLoopBackOff',
      );
    }
    if (waiting?.reason === 'CrashLoopBackOff') {
      const t = s.lastState?.terminated;
      return result(
        'CrashLoopBackOff',
        `CrashLoopBackOff: container ${s.name} keeps exiting${t ? ` (exit code ${t.exitCode}${t.reason ? `, ${t.reason}` : ''})` : ''}, ${s.restartCount} restarts`,
        s.restartCount >= DEFINITIVE_RESTARTS,
      );
    }
  }
  const creating = statuses.find(s => s.state?.waiting);
  if (creating || pod.status?.phase === 'Pending') {
    const warning = latestWarning(events);
    const what = creating?.state?.waiting?.reason ?? 'Pending';
    return result(
      what === 'ContainerCreating' || what === 'PodInitializing'
        ? 'ContainerCreating'
        : 'Pending',
      `${what}${warning ? `: ${warning.reason}: ${warning.message}` : ''}`,
      false,
    );
  }
  const unready = statuses.filter(s => !s.ready).map(s => s.name);
  const probe = latestWarning(events, ['Unhealthy'])?.message;
  return result(
    'NotReady',
    `NotReady: container${unready.length === 1 ? '' : 's'} ${unready.join(', ') || '?'} running but not ready${probe ? ` (${probe})` : ''}`,
    false,
  );
}
