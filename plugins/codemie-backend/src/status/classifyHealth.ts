/**
 * Health classification: one pod's most telling state, a component's health from its pods and
 * workload counts, and the environment's verdict. Pure: the clock is an argument.
 */
import type {
  CoreV1Event as V1Event,
  V1ContainerStatus,
  V1Pod,
} from '@kubernetes/client-node';
import type { HealthLevel } from '@codemie-gcp/plugin-codemie-common';

/** Worst first; used to order reasons and pick a verdict. */
const SEVERITY: Record<HealthLevel, number> = {
  error: 4,
  warning: 3,
  pending: 2,
  unknown: 1,
  ok: 0,
};

/** The worse of two health levels. @internal */
export function worse(a: HealthLevel, b: HealthLevel): HealthLevel {
  return SEVERITY[a] >= SEVERITY[b] ? a : b;
}

/** Sort key: worst first. @internal */
export function severity(h: HealthLevel): number {
  return SEVERITY[h];
}

/** Waiting reasons that mean the container will not start without a change. */
const BROKEN_WAITING = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
]);

/** Tunables of the classification. @internal */
export interface ClassifyOptions {
  /**
   * A running container that is not ready yet counts as starting (pending) for this long;
   * after that, or as soon as a readiness probe failure is reported, it is "readiness failing".
   * The API's startup probe allows 60 × 10 s for its database migrations.
   */
  startupGraceSeconds: number;
  /** A restart this recent makes a ready pod a warning (it is flapping or was OOM-killed). */
  recentRestartSeconds: number;
}

/** @internal */
export const DEFAULT_CLASSIFY_OPTIONS: ClassifyOptions = {
  startupGraceSeconds: 600,
  recentRestartSeconds: 3600,
};

/** What the classification says about one pod. @internal */
export interface PodHealth {
  state: string;
  health: HealthLevel;
  message?: string;
  /** The last termination was an OOM kill (with the container's name). */
  oomKilledContainer?: string;
}

/** Epoch ms of a Kubernetes timestamp (client-node gives Dates; JSON gives strings). @internal */
export function toMs(
  value: Date | string | undefined | null,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function describeTermination(status: V1ContainerStatus): string | undefined {
  const t = status.lastState?.terminated;
  if (!t) return undefined;
  const at = toMs(t.finishedAt);
  return `last exit ${t.reason ?? 'Error'} (exit code ${t.exitCode})${
    at !== undefined ? ` at ${new Date(at).toISOString()}` : ''
  }`;
}

function readinessFailure(events: V1Event[]): string | undefined {
  const probe = events
    .filter(e => e.reason === 'Unhealthy' && /readiness/i.test(e.message ?? ''))
    .sort((a, b) => (eventTime(b) ?? 0) - (eventTime(a) ?? 0))[0];
  return probe?.message;
}

/** When an event last happened. @internal */
export function eventTime(e: V1Event): number | undefined {
  return (
    toMs(e.lastTimestamp) ??
    toMs(e.eventTime as unknown as string) ??
    toMs(e.firstTimestamp) ??
    toMs(e.metadata?.creationTimestamp)
  );
}

/**
 * Classifies one pod: its most telling state (Unschedulable, ImagePullBackOff,
 * CrashLoopBackOff, OOMKilled, NotReady, ContainerCreating, Running…), a health level and a
 * human-readable message. `events` are the Warning events about this pod.
 *
 * @internal
 */
export function classifyPod(
  pod: V1Pod,
  events: V1Event[],
  now: number,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): PodHealth {
  const phase = pod.status?.phase ?? 'Unknown';
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  const oom = statuses.find(
    s =>
      s.lastState?.terminated?.reason === 'OOMKilled' ||
      s.state?.terminated?.reason === 'OOMKilled',
  );
  const oomKilledContainer = oom?.name;

  if (pod.metadata?.deletionTimestamp) {
    return { state: 'Terminating', health: 'pending', oomKilledContainer };
  }
  if (phase === 'Failed') {
    return {
      state: pod.status?.reason ?? 'Failed',
      health: 'error',
      message: pod.status?.message,
      oomKilledContainer,
    };
  }
  if (phase === 'Succeeded') return { state: 'Completed', health: 'ok' };

  const unschedulable = pod.status?.conditions?.find(
    c => c.type === 'PodScheduled' && c.status === 'False',
  );
  if (unschedulable) {
    const failedScheduling = events
      .filter(e => e.reason === 'FailedScheduling')
      .sort((a, b) => (eventTime(b) ?? 0) - (eventTime(a) ?? 0))[0];
    return {
      state: 'Unschedulable',
      health: 'error',
      message: `FailedScheduling: ${unschedulable.message ?? failedScheduling?.message ?? 'no node fits the pod'}`,
    };
  }

  // A container that cannot start, worst reason first.
  const broken = statuses.find(s =>
    BROKEN_WAITING.has(s.state?.waiting?.reason ?? ''),
  );
  if (broken) {
    const reason = broken.state!.waiting!.reason!;
    if (reason === 'CrashLoopBackOff') {
      const last = describeTermination(broken);
      const oomLoop = broken.lastState?.terminated?.reason === 'OOMKilled';
      return {
        state: 'CrashLoopBackOff',
        health: 'error',
        message: [
          broken.state!.waiting!.message ??
            `back-off restarting failed container ${broken.name}`,
          last,
          oomLoop
            ? 'OOMKilled: the container reached its memory limit'
            : undefined,
        ]
          .filter(Boolean)
          .join('; '),
        oomKilledContainer,
      };
    }
    return {
      state: reason,
      health: 'error',
      message: `container ${broken.name}: ${broken.state!.waiting!.message ?? reason}${
        reason.includes('Image') ? ` (image ${broken.image})` : ''
      }`,
      oomKilledContainer,
    };
  }

  if (phase === 'Pending') {
    const waiting = statuses.find(s => s.state?.waiting)?.state?.waiting;
    return {
      state: waiting?.reason ?? 'ContainerCreating',
      health: 'pending',
      message: waiting?.message,
    };
  }
  if (phase !== 'Running') return { state: phase, health: 'unknown' };

  const ready =
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false;
  if (!ready) {
    const probe = readinessFailure(events);
    const started = Math.max(
      ...statuses.map(s => toMs(s.state?.running?.startedAt) ?? 0),
      toMs(pod.status?.startTime) ?? 0,
    );
    const starting = now - started < options.startupGraceSeconds * 1000;
    if (!probe && starting) {
      return {
        state: 'Starting',
        health: 'pending',
        message: 'running, readiness probe not passed yet',
      };
    }
    return {
      state: 'NotReady',
      health: 'error',
      message:
        probe ??
        `running for ${Math.round((now - started) / 60000)} min but never ready: the readiness probe is failing`,
      oomKilledContainer,
    };
  }

  const restarted = statuses
    .filter(s => s.restartCount > 0)
    .map(s => ({ s, at: toMs(s.lastState?.terminated?.finishedAt) }))
    .filter(
      x =>
        x.at !== undefined && now - x.at < options.recentRestartSeconds * 1000,
    )
    .sort((a, b) => b.at! - a.at!)[0];
  if (restarted) {
    const oomNow = restarted.s.lastState?.terminated?.reason === 'OOMKilled';
    return {
      state: oomNow ? 'OOMKilled' : 'Running',
      health: 'warning',
      message: `container ${restarted.s.name} restarted ${restarted.s.restartCount} times; ${describeTermination(restarted.s)}`,
      oomKilledContainer,
    };
  }
  return { state: 'Running', health: 'ok', oomKilledContainer };
}

/** A pod's classification with what the component rollup needs. @internal */
export interface ClassifiedPod extends PodHealth {
  name: string;
  ready: boolean;
  restarts: number;
}

/**
 * A component's health from its expected pod count, ready pods and classified pods, with the
 * reasons worst first. `error` = not serving (no ready pod); `warning` = serving but degraded;
 * `pending` = still starting.
 *
 * @internal
 */
export function classifyComponent(input: {
  enabled: boolean;
  /** A workload object (Deployment/StatefulSet/DaemonSet) exists. */
  deployed: boolean;
  expected: number;
  ready: number;
  pods: ClassifiedPod[];
}): { health: HealthLevel; reasons: string[] } {
  const { enabled, deployed, expected, ready, pods } = input;
  if (!enabled && !deployed && pods.length === 0)
    return { health: 'ok', reasons: [] };
  if (!deployed && pods.length === 0) {
    return {
      health: 'error',
      reasons: ['not deployed: no workload found in the cluster'],
    };
  }

  const reasons: Array<{ h: HealthLevel; text: string }> = [];
  const byState = new Map<string, ClassifiedPod[]>();
  for (const p of pods.filter(x => x.health !== 'ok')) {
    byState.set(p.state, [...(byState.get(p.state) ?? []), p]);
  }
  for (const [state, group] of byState) {
    const first = group[0];
    const count =
      group.length === 1 ? `pod ${first.name}` : `${group.length} pods`;
    const restarts = group.reduce((a, p) => a + p.restarts, 0);
    let text = `${count} ${state}`;
    if (state === 'CrashLoopBackOff') text += ` (${restarts} restarts)`;
    if (first.message) text += `: ${first.message}`;
    reasons.push({ h: first.health, text });
  }
  const oom = pods.filter(
    p =>
      p.oomKilledContainer &&
      p.state !== 'CrashLoopBackOff' &&
      p.state !== 'OOMKilled',
  );
  if (oom.length > 0) {
    reasons.push({
      h: 'warning',
      text: `${oom.length === 1 ? `pod ${oom[0].name}` : `${oom.length} pods`} OOMKilled earlier`,
    });
  }

  let health: HealthLevel;
  const notReadyHealth = pods.filter(p => !p.ready).map(p => p.health);
  const allStarting =
    notReadyHealth.length > 0 && notReadyHealth.every(h => h === 'pending');
  if (expected > 0 && ready === 0) {
    health = allStarting ? 'pending' : 'error';
    if (notReadyHealth.length === 0)
      reasons.push({ h: 'error', text: `0 of ${expected} pods exist` });
  } else if (ready < expected) {
    health = allStarting ? 'pending' : 'warning';
    reasons.unshift({ h: health, text: `${ready} of ${expected} pods ready` });
  } else {
    // Every expected pod is ready; restarts, OOM kills or a broken extra pod still degrade it.
    health = reasons.some(r => r.h === 'error' || r.h === 'warning')
      ? 'warning'
      : 'ok';
  }
  reasons.sort((a, b) => severity(b.h) - severity(a.h));
  return { health, reasons: reasons.map(r => r.text) };
}
