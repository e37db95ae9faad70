/**
 * Step 2 of the status: one row per pod — state, health and its cause in the words
 * codemie:deploy uses (the shared diagnosis), restarts, usage against requests and limits. Pure.
 */
import type { V1Pod } from '@kubernetes/client-node';
import {
  PodStatus,
  diagnosePod,
  roundTo as round,
} from '@codemie-gcp/plugin-codemie-common';
import {
  ClassifyOptions,
  PodHealth,
  classifyPod,
  severity,
  toMs,
} from '../classifyHealth';
import type { SnapshotIndex } from './indexSnapshot';
import { containerResources, isPodReady, objectKey } from './podResources';

/** A pod, its row, and the health the row was built from. @internal */
export interface PodRow {
  pod: V1Pod;
  row: PodStatus;
  health: PodHealth;
}

/** What a pod row is built with besides the pod. @internal */
export interface PodRowContext {
  index: SnapshotIndex;
  /** When the snapshot was read (epoch ms). */
  now: number;
  classify: ClassifyOptions;
}

/**
 * The pod's health: its classification, with the message replaced by the shared diagnosis
 * when the pod is not fine.
 */
function healthOf(pod: V1Pod, key: string, ctx: PodRowContext): PodHealth {
  const events = ctx.index.eventsByPod.get(key) ?? [];
  const classified = classifyPod(pod, events, ctx.now, ctx.classify);
  if (classified.health === 'ok') return classified;
  const diagnosis = diagnosePod(pod, events, ctx.index.nodesFree);
  return diagnosis.reason !== 'Ready'
    ? { ...classified, message: diagnosis.message }
    : classified;
}

/** The status row of one pod. @internal */
export function podRowOf(pod: V1Pod, ctx: PodRowContext): PodRow {
  const key = objectKey(pod.metadata?.namespace, pod.metadata?.name);
  const health = healthOf(pod, key, ctx);
  const res = containerResources(pod.spec?.containers);
  const usage = ctx.index.usageByPod.get(key);
  const metrics = ctx.index.metricsAvailable;
  const started = toMs(pod.status?.startTime);
  const node = pod.spec?.nodeName;
  const row: PodStatus = {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    ...(node ? { node, zone: ctx.index.zoneOfNode.get(node) } : {}),
    phase: pod.status?.phase ?? 'Unknown',
    ready: isPodReady(pod),
    restarts: (pod.status?.containerStatuses ?? []).reduce(
      (a, s) => a + (s.restartCount ?? 0),
      0,
    ),
    state: health.state,
    health: health.health,
    ...(health.message ? { message: health.message } : {}),
    cpu: {
      ...(metrics ? { usage: round(usage?.cpu ?? 0) } : {}),
      requests: round(res.cpuReq),
      ...(res.cpuLim !== undefined ? { limits: round(res.cpuLim) } : {}),
    },
    memory: {
      ...(metrics ? { usage: round(usage?.memory ?? 0) } : {}),
      requests: round(res.memReq),
      ...(res.memLim !== undefined ? { limits: round(res.memLim) } : {}),
    },
    ...(started !== undefined
      ? { startedAt: new Date(started).toISOString() }
      : {}),
  };
  return { pod, row, health };
}

/** The rows of a component's pods, worst health first, then by name. @internal */
export function podRowsOf(pods: V1Pod[], ctx: PodRowContext): PodRow[] {
  return pods
    .map(pod => podRowOf(pod, ctx))
    .sort(
      (a, b) =>
        severity(b.row.health) - severity(a.row.health) ||
        a.row.name.localeCompare(b.row.name),
    );
}
