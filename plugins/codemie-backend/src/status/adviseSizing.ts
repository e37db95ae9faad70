/**
 * Sizing advice from usage history: which component to give more replicas, CPU, memory or disk
 * (or less), with the numbers behind it and the monthly cost change from the sizing engine.
 * Pure: samples, sizing and the clock are arguments.
 */
import type { UsageSample } from '../database/UsageHistoryStore';
import {
  ComponentId,
  SizedWorkload,
  SizingAdvice,
  TierSizing,
  limitsForRequests,
  resizeForAdvice,
  sizeEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import { CostContext, monthlyCostOf } from './costModel';
import { displayNameOf } from './componentOfPod';

export type { UsageSample } from '../database/UsageHistoryStore';

/** Thresholds of the advice rules. @internal */
export interface AdviceOptions {
  /** No advice before the history spans this long. */
  minHistoryHours: number;
  /** Advice to lower requests needs this much history (a quiet day is not a quiet week). */
  lowerMinHistoryHours: number;
  /** CPU above this fraction of requests counts as hot. */
  highCpu: number;
  /** Memory above this fraction of requests (= the limit) counts as near OOM. */
  highMemory: number;
  /** p95 below this fraction of requests counts as oversized. */
  lowCpu: number;
  lowMemory: number;
  /** Volumes fuller than this need to grow. */
  highStorage: number;
}

/** @internal */
export const DEFAULT_ADVICE_OPTIONS: AdviceOptions = {
  minHistoryHours: 24,
  lowerMinHistoryHours: 72,
  highCpu: 0.8,
  highMemory: 0.9,
  lowCpu: 0.2,
  lowMemory: 0.3,
  highStorage: 0.8,
};

/** Utilisation the recommended size aims at. */
const TARGET_CPU = 0.7;
const TARGET_MEMORY = 0.75;
const TARGET_LOWERED = 0.6;
const TARGET_STORAGE = 0.6;
/** Stateless workloads that scale out; the others get bigger pods. */
const SCALE_OUT = new Set<string>([
  'codemie-api',
  'codemie-ui',
  'mermaid-server',
  'oauth2-proxy',
  'llm-proxy',
]);
/** JVM components hold their heap whatever the load: their memory use says little about need. */
const FIXED_HEAP = new Set<string>(['elasticsearch', 'keycloak', 'kibana']);

/** Inputs of {@link adviseSizing}. @internal */
export interface AdviceInput {
  samples: UsageSample[];
  now: number;
  sizing: TierSizing;
  cost: CostContext;
  options?: Partial<AdviceOptions>;
  /**
   * The last resize, from the record: samples of the components it changed taken before it
   * describe their old size and are not advised on.
   */
  resized?: { at: number; components: string[] };
}

/** Advice, or why there is none. @internal */
export interface AdviceResult {
  advice: SizingAdvice[];
  note?: string;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

function median(values: number[]): number {
  return percentile(values, 50);
}

function duration(hours: number): string {
  if (hours >= 48) return `${Math.round(hours / 24)} days`;
  return `${Math.round(hours)} h`;
}

const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;
const cents = (usd: number) => Math.round(usd * 100) / 100;
const fmtCpu = (m: number) =>
  m >= 1000 && m % 1000 === 0 ? `${m / 1000} vCPU` : `${m}m`;
const fmtMem = (mib: number) =>
  mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;
/** The node pool grows and shrinks in whole nodes, so small changes often cost nothing. */
const fmtUsd = (usd: number) =>
  usd === 0
    ? 'no cost change: same node count'
    : `${usd > 0 ? '+' : '−'}$${Math.abs(usd).toFixed(2)}/month`;

function mainWorkload(
  sizing: TierSizing,
  component: string,
): SizedWorkload | undefined {
  return [...sizing.workloads, ...sizing.daemonSets].find(
    w => w.id === component,
  );
}

function withWorkload(
  sizing: TierSizing,
  component: string,
  change: (w: SizedWorkload) => SizedWorkload,
): TierSizing {
  const apply = (list: SizedWorkload[]) =>
    list.map(w => (w.id === component ? change(w) : w));
  return {
    ...sizing,
    workloads: apply(sizing.workloads),
    daemonSets: apply(sizing.daemonSets),
  };
}

/**
 * Sizing advice from the usage samples of the history window: sustained CPU or memory pressure,
 * oversized requests and filling volumes, each with its evidence (percentiles, hours, sample
 * counts) and the monthly cost change the sizing engine computes for the change. No advice
 * (and a note saying why) while the history is shorter than `minHistoryHours`.
 *
 * @internal
 */
export function adviseSizing(input: AdviceInput): AdviceResult {
  const options = { ...DEFAULT_ADVICE_OPTIONS, ...input.options };
  const measured = input.samples.filter(
    s => s.cpuUsage !== undefined || s.storageUsedGiB !== undefined,
  );
  if (measured.length === 0) {
    return {
      advice: [],
      note: `No usage history yet; advice needs ${options.minHistoryHours} h of samples.`,
    };
  }
  const first = Math.min(...measured.map(s => s.at));
  const last = Math.max(...measured.map(s => s.at));
  const spanHours = (last - first) / 3_600_000;
  if (spanHours < options.minHistoryHours) {
    return {
      advice: [],
      note: `${spanHours < 1 ? `${Math.round(spanHours * 60)} min` : `${Math.floor(spanHours)} h`} of usage history; advice needs ${options.minHistoryHours} h.`,
    };
  }

  const baseCost = monthlyCostOf(input.sizing, input.cost);
  const delta = (changed: TierSizing) => {
    const after = monthlyCostOf(changed, input.cost);
    return baseCost === undefined || after === undefined
      ? 0
      : cents(after - baseCost);
  };

  const byComponent = new Map<string, UsageSample[]>();
  for (const s of measured)
    byComponent.set(s.component, [...(byComponent.get(s.component) ?? []), s]);

  const advice: SizingAdvice[] = [];
  const resizedRecently: string[] = [];
  for (const [component, all] of byComponent) {
    const workload = mainWorkload(input.sizing, component);
    if (!workload) continue;
    const history = all.sort((a, b) => a.at - b.at);
    const name = displayNameOf(component as ComponentId);
    // CPU and memory are judged on the samples at the component's current size only: after a
    // resize, use relative to the old requests says nothing about the new ones.
    // A resize recorded after some samples: those describe the old size of what it changed.
    const sinceResize =
      input.resized && input.resized.components.includes(component)
        ? history.filter(x => x.at >= input.resized!.at)
        : history;
    const sized = sinceResize.length > 0 ? atCurrentSize(sinceResize) : [];
    const samples = sized.length > 0 ? sized : history.slice(-1);
    const gaps = samples.slice(1).map((s, i) => s.at - samples[i].at);
    const intervalHours = gaps.length > 0 ? median(gaps) / 3_600_000 : 0;
    const span = (samples[samples.length - 1].at - samples[0].at) / 3_600_000;
    const latest = samples[samples.length - 1];
    const enough = sized.length > 0 && span >= options.minHistoryHours;
    if (!enough && sized.length < history.length) resizedRecently.push(name);

    // CPU
    const cpu = samples.filter(
      s => s.cpuUsage !== undefined && s.cpuRequests > 0 && s.pods > 0,
    );
    if (enough && cpu.length > 1) {
      const ratios = cpu.map(s => s.cpuUsage! / s.cpuRequests);
      const perPod = cpu.map(s => s.cpuUsage! / s.pods);
      const requestPerPod =
        Math.round(latest.cpuRequests / Math.max(1, latest.pods)) ||
        workload.requests.cpuMillis;
      const p95Ratio = percentile(ratios, 95);
      const p95PerPod = percentile(perPod, 95);
      const hotHours =
        ratios.filter(r => r > options.highCpu).length * intervalHours;
      const evidence = `p95 CPU ${Math.round(p95PerPod)}m of ${requestPerPod}m requested per pod over ${duration(span)} (${cpu.length} samples)`;
      if (hotHours >= options.minHistoryHours) {
        if (SCALE_OUT.has(component) && workload.kind === 'Deployment') {
          const from = Math.max(1, latest.pods);
          const to = Math.max(
            from + 1,
            Math.ceil((from * p95Ratio) / TARGET_CPU),
          );
          const usd = delta(
            withWorkload(input.sizing, component, w => ({
              ...w,
              replicas: to,
            })),
          );
          advice.push({
            component,
            change: 'add-replicas',
            summary: `${name} CPU above ${Math.round(options.highCpu * 100)}% of requests for ${duration(hotHours)} → ${to} replicas (${fmtUsd(usd)})`,
            evidence: `${evidence}; ${from} ${from === 1 ? 'replica' : 'replicas'} now`,
            from,
            to,
            monthlyCostDeltaUsd: usd,
          });
        } else {
          const from = requestPerPod;
          const to = Math.max(from + 100, ceilTo(p95PerPod / TARGET_CPU, 100));
          const usd = delta(
            withWorkload(input.sizing, component, w => {
              const requests = { ...w.requests, cpuMillis: to };
              return { ...w, requests, limits: limitsForRequests(requests) };
            }),
          );
          advice.push({
            component,
            change: 'raise-cpu',
            summary: `${name} CPU above ${Math.round(options.highCpu * 100)}% of requests for ${duration(hotHours)} → ${fmtCpu(to)} per pod (${fmtUsd(usd)})`,
            evidence,
            from,
            to,
            monthlyCostDeltaUsd: usd,
          });
        }
      } else if (
        span >= options.lowerMinHistoryHours &&
        p95Ratio < options.lowCpu
      ) {
        const from = requestPerPod;
        const to = Math.max(50, ceilTo(p95PerPod / TARGET_LOWERED, 50));
        if (to <= from / 2) {
          const usd = delta(
            withWorkload(input.sizing, component, w => {
              const requests = { ...w.requests, cpuMillis: to };
              return { ...w, requests, limits: limitsForRequests(requests) };
            }),
          );
          advice.push({
            component,
            change: 'lower-cpu',
            summary: `${name} uses under ${Math.ceil(p95Ratio * 100)}% of its CPU request → ${fmtCpu(to)} per pod (${fmtUsd(usd)})`,
            evidence,
            from,
            to,
            monthlyCostDeltaUsd: usd,
          });
        }
      }
    }

    // Memory
    const mem = samples.filter(
      s => s.memoryUsage !== undefined && s.memoryRequests > 0 && s.pods > 0,
    );
    if (enough && mem.length > 1) {
      const ratios = mem.map(s => s.memoryUsage! / s.memoryRequests);
      const perPod = mem.map(s => s.memoryUsage! / s.pods);
      const requestPerPod =
        Math.round(latest.memoryRequests / Math.max(1, latest.pods)) ||
        workload.requests.memoryMiB;
      const p95Ratio = percentile(ratios, 95);
      const p95PerPod = percentile(perPod, 95);
      const hotHours =
        ratios.filter(r => r > options.highMemory).length * intervalHours;
      const evidence = `p95 memory ${Math.round(p95PerPod)} of ${requestPerPod} MiB requested (and limit) per pod over ${duration(span)} (${mem.length} samples)`;
      const setMemory = (to: number) =>
        withWorkload(input.sizing, component, w => {
          const requests = { ...w.requests, memoryMiB: to };
          return { ...w, requests, limits: limitsForRequests(requests) };
        });
      if (hotHours >= options.minHistoryHours) {
        const from = requestPerPod;
        const to = Math.max(from + 256, ceilTo(p95PerPod / TARGET_MEMORY, 256));
        const usd = delta(setMemory(to));
        advice.push({
          component,
          change: 'raise-memory',
          summary: `${name} memory above ${Math.round(options.highMemory * 100)}% of its limit for ${duration(hotHours)} → ${fmtMem(to)} per pod (${fmtUsd(usd)})`,
          evidence,
          from,
          to,
          monthlyCostDeltaUsd: usd,
        });
      } else if (
        !FIXED_HEAP.has(component) &&
        span >= options.lowerMinHistoryHours &&
        p95Ratio < options.lowMemory
      ) {
        const from = requestPerPod;
        const to = Math.max(128, ceilTo(p95PerPod / TARGET_LOWERED, 128));
        if (to <= from / 2) {
          const usd = delta(setMemory(to));
          advice.push({
            component,
            change: 'lower-memory',
            summary: `${name} uses under ${Math.ceil(p95Ratio * 100)}% of its memory request → ${fmtMem(to)} per pod (${fmtUsd(usd)})`,
            evidence,
            from,
            to,
            monthlyCostDeltaUsd: usd,
          });
        }
      }
    }

    // Storage: the bytes used are what they are, whatever size the volume had.
    const disk = history.filter(
      s => s.storageUsedGiB !== undefined && (s.storageCapacityGiB ?? 0) > 0,
    );
    if (disk.length > 0 && workload.storageGiBPerPod > 0) {
      const now = disk[disk.length - 1];
      const fraction = now.storageUsedGiB! / now.storageCapacityGiB!;
      if (fraction >= options.highStorage) {
        const pods = Math.max(1, workload.replicas);
        const from = Math.round(now.storageCapacityGiB! / pods);
        const usedPerPod = now.storageUsedGiB! / pods;
        const to = Math.max(from + 10, ceilTo(usedPerPod / TARGET_STORAGE, 10));
        const days = (now.at - disk[0].at) / 86_400_000;
        const growth =
          days > 0 ? (now.storageUsedGiB! - disk[0].storageUsedGiB!) / days : 0;
        const untilFull =
          growth > 0
            ? ` ; at ${growth.toFixed(1)} GiB/day the volumes are full in ${Math.max(0, Math.floor((now.storageCapacityGiB! - now.storageUsedGiB!) / growth))} days`
            : '';
        const usd = delta(
          withWorkload(input.sizing, component, w => ({
            ...w,
            storageGiBPerPod: to,
          })),
        );
        advice.push({
          component,
          change: 'grow-storage',
          summary: `${name} disk ${Math.round(fraction * 100)}% full → ${to} GiB per pod (${fmtUsd(usd)})`,
          evidence: `${now.storageUsedGiB!.toFixed(1)} of ${now.storageCapacityGiB} GiB used (${pods} volumes), ${disk.length} samples over ${duration(span)}${untilFull.replace(' ;', ';')}`,
          from,
          to,
          monthlyCostDeltaUsd: usd,
        });
      }
    }
  }
  // Most expensive problems first: raises before lowers, then by cost.
  const rank: Record<SizingAdvice['change'], number> = {
    'grow-storage': 0,
    'raise-memory': 1,
    'add-replicas': 2,
    'raise-cpu': 3,
    'lower-cpu': 4,
    'lower-memory': 5,
  };
  advice.sort(
    (a, b) =>
      rank[a.change] - rank[b.change] ||
      b.monthlyCostDeltaUsd - a.monthlyCostDeltaUsd,
  );
  const note =
    resizedRecently.length > 0
      ? `${resizedRecently.join(', ')} changed size recently: ${resizedRecently.length === 1 ? 'its' : 'their'} CPU and memory advice waits for ${options.minHistoryHours} h of samples at the new size.`
      : undefined;
  // The environment is sized by its inputs: each piece of advice with the resize that carries
  // it out (the smallest change of inputs that gives the component what it asks), when one does.
  // Each with what the whole resize costs: it resizes every component, not only this one.
  const resizeCost = new Map<string, number>();
  return {
    advice: advice.map(a => {
      const resize = resizeForAdvice(input.sizing.inputs, a);
      if (!resize) return a;
      const key = JSON.stringify(resize.sizing);
      if (!resizeCost.has(key)) {
        resizeCost.set(key, delta(sizeEnvironment(resize.sizing, resize.tier)));
      }
      return {
        ...a,
        resize: { ...resize, monthlyCostDeltaUsd: resizeCost.get(key)! },
      };
    }),
    ...(note ? { note } : {}),
  };
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
 */
function atCurrentSize(samples: UsageSample[]): UsageSample[] {
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
