/**
 * What the sizing advice rules read about one component: its CPU and memory pressure at its
 * current size and the fill of its volumes, from the usage history. Pure.
 */
import type { SizedWorkload } from '@codemie-gcp/plugin-codemie-common';
import type { UsageSample } from '../database/UsageHistoryStore';
import type { AdviceOptions } from './adviseSizing';

/** CPU or memory use against requests over the samples at the current size. @internal */
export interface PressureFacts {
  /** Samples measured. */
  samples: number;
  /** p95 of use / requests. */
  p95Ratio: number;
  /** p95 of use per pod (millicores or MiB). */
  p95PerPod: number;
  /** What each pod requests now. */
  requestPerPod: number;
  /** Hours above the rule's "hot" threshold. */
  hotHours: number;
  /** Pods in the latest sample. */
  pods: number;
  /** The numbers behind the advice, in words. */
  evidence: string;
}

/** The component's volumes now, and how fast they fill. @internal */
export interface StorageFacts {
  usedGiB: number;
  capacityGiB: number;
  /** used / capacity */
  fraction: number;
  /** Volumes (the workload's replicas, at least one). */
  volumes: number;
  /** GiB a day over the history (0 when not growing or one sample). */
  growthPerDay: number;
  samples: number;
}

/** One component's usage, as the rules read it. @internal */
export interface ComponentUsage {
  component: string;
  /** Display name. */
  name: string;
  workload: SizedWorkload;
  /** Hours the samples at the current size span. */
  spanHours: number;
  /** Undefined without enough history at the current size. */
  cpu?: PressureFacts;
  memory?: PressureFacts;
  /** Undefined for a component without planned volumes or volume samples. */
  storage?: StorageFacts;
}

/** The `p`th percentile (nearest rank). @internal */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

/** Hours in words: `36 h`, `3 days`. @internal */
export function duration(hours: number): string {
  if (hours >= 48) return `${Math.round(hours / 24)} days`;
  return `${Math.round(hours)} h`;
}

/** Per-pod CPU and memory requests of a sample (undefined without pods). */
function requestsPerPod(s: UsageSample): [number, number] | undefined {
  return s.pods > 0
    ? [s.cpuRequests / s.pods, s.memoryRequests / s.pods]
    : undefined;
}

/**
 * The trailing samples taken at the component's current size: since its per-pod requests last
 * changed (a resize, a deploy of another tier).
 *
 * @internal
 */
export function atCurrentSize(samples: UsageSample[]): UsageSample[] {
  const now = requestsPerPod(samples[samples.length - 1]);
  if (!now) return samples;
  const same = (s: UsageSample) => {
    const r = requestsPerPod(s);
    return (
      !r ||
      (Math.abs(r[0] - now[0]) <= now[0] * 0.01 &&
        Math.abs(r[1] - now[1]) <= now[1] * 0.01)
    );
  };
  let start = samples.length - 1;
  while (start > 0 && same(samples[start - 1])) start -= 1;
  return samples.slice(start);
}

type Resource = 'cpu' | 'memory';
const FIELDS = {
  cpu: { usage: 'cpuUsage', requests: 'cpuRequests' },
  memory: { usage: 'memoryUsage', requests: 'memoryRequests' },
} as const;

function pressureOf(
  resource: Resource,
  samples: UsageSample[],
  workload: SizedWorkload,
  hot: number,
  intervalHours: number,
  spanHours: number,
): PressureFacts | undefined {
  const { usage, requests } = FIELDS[resource];
  const measured = samples.filter(
    s => s[usage] !== undefined && s[requests] > 0 && s.pods > 0,
  );
  if (measured.length <= 1) return undefined;
  const latest = samples[samples.length - 1];
  const ratios = measured.map(s => s[usage]! / s[requests]);
  const p95PerPod = percentile(
    measured.map(s => s[usage]! / s.pods),
    95,
  );
  const requestPerPod =
    Math.round(latest[requests] / Math.max(1, latest.pods)) ||
    (resource === 'cpu'
      ? workload.requests.cpuMillis
      : workload.requests.memoryMiB);
  const over = `over ${duration(spanHours)} (${measured.length} samples)`;
  return {
    samples: measured.length,
    p95Ratio: percentile(ratios, 95),
    p95PerPod,
    requestPerPod,
    hotHours: ratios.filter(r => r > hot).length * intervalHours,
    pods: latest.pods,
    evidence:
      resource === 'cpu'
        ? `p95 CPU ${Math.round(p95PerPod)}m of ${requestPerPod}m requested per pod ${over}`
        : `p95 memory ${Math.round(p95PerPod)} of ${requestPerPod} MiB requested (and limit) per pod ${over}`,
  };
}

/** The bytes used are what they are, whatever size the volume had: the whole history counts. */
function storageOf(
  history: UsageSample[],
  workload: SizedWorkload,
): StorageFacts | undefined {
  const disk = history.filter(
    s => s.storageUsedGiB !== undefined && (s.storageCapacityGiB ?? 0) > 0,
  );
  if (disk.length === 0 || workload.storageGiBPerPod <= 0) return undefined;
  const now = disk[disk.length - 1];
  const days = (now.at - disk[0].at) / 86_400_000;
  return {
    usedGiB: now.storageUsedGiB!,
    capacityGiB: now.storageCapacityGiB!,
    fraction: now.storageUsedGiB! / now.storageCapacityGiB!,
    volumes: Math.max(1, workload.replicas),
    growthPerDay:
      days > 0 ? (now.storageUsedGiB! - disk[0].storageUsedGiB!) / days : 0,
    samples: disk.length,
  };
}

/**
 * The component's usage facts from its history (sorted by time). CPU and memory are judged on
 * the samples at the component's current size only: after a resize, use relative to the old
 * requests says nothing about the new ones.
 *
 * @internal
 */
export function usageOf(input: {
  component: string;
  name: string;
  workload: SizedWorkload;
  history: UsageSample[];
  options: AdviceOptions;
  /** Samples before this (epoch ms) describe an older size. */
  resizedAt?: number;
}): ComponentUsage & { waitsForNewSize: boolean } {
  const { history, options, workload } = input;
  const sinceResize =
    input.resizedAt !== undefined
      ? history.filter(x => x.at >= input.resizedAt!)
      : history;
  const sized = sinceResize.length > 0 ? atCurrentSize(sinceResize) : [];
  const samples = sized.length > 0 ? sized : history.slice(-1);
  const gaps = samples.slice(1).map((s, i) => s.at - samples[i].at);
  const intervalHours = gaps.length > 0 ? percentile(gaps, 50) / 3_600_000 : 0;
  const spanHours =
    (samples[samples.length - 1].at - samples[0].at) / 3_600_000;
  const enough = sized.length > 0 && spanHours >= options.minHistoryHours;
  const pressure = (resource: Resource, hot: number) =>
    enough
      ? pressureOf(resource, samples, workload, hot, intervalHours, spanHours)
      : undefined;
  const cpu = pressure('cpu', options.highCpu);
  const memory = pressure('memory', options.highMemory);
  const storage = storageOf(history, workload);
  return {
    component: input.component,
    name: input.name,
    workload,
    spanHours,
    ...(cpu ? { cpu } : {}),
    ...(memory ? { memory } : {}),
    ...(storage ? { storage } : {}),
    waitsForNewSize: !enough && sized.length < history.length,
  };
}
