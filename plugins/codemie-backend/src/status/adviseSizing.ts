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
  resizeForAdvice,
  sizeEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import { ComponentUsage, usageOf } from './adviceFacts';
import { ADVICE_RULES } from './adviceRules';
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

const cents = (usd: number) => Math.round(usd * 100) / 100;
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

/** Most expensive problems first: raises before lowers, then by cost. */
const RANK: Record<SizingAdvice['change'], number> = {
  'grow-storage': 0,
  'raise-memory': 1,
  'add-replicas': 2,
  'raise-cpu': 3,
  'lower-cpu': 4,
  'lower-memory': 5,
};

/** What the rules table advises for one component, each change priced by `costDelta`. */
function adviceOfRules(
  usage: ComponentUsage,
  sizing: TierSizing,
  options: AdviceOptions,
  costDelta: (changed: TierSizing) => number,
): SizingAdvice[] {
  return ADVICE_RULES.flatMap(rule => {
    if (!rule.condition(usage, options)) return [];
    const size = rule.target(usage);
    if (!size) return [];
    const usd = costDelta(
      withWorkload(sizing, usage.component, w => rule.apply(w, size.to)),
    );
    return [
      {
        component: usage.component,
        change: rule.change,
        ...rule.describe(usage, options, size, fmtUsd(usd)),
        from: size.from,
        to: size.to,
        monthlyCostDeltaUsd: usd,
      },
    ];
  });
}

/** Why there is no advice yet: no samples, or fewer hours of them than the minimum. */
function shortHistoryNote(
  measured: UsageSample[],
  options: AdviceOptions,
): string | undefined {
  if (measured.length === 0) {
    return `No usage history yet; advice needs ${options.minHistoryHours} h of samples.`;
  }
  const first = Math.min(...measured.map(s => s.at));
  const last = Math.max(...measured.map(s => s.at));
  const spanHours = (last - first) / 3_600_000;
  if (spanHours >= options.minHistoryHours) return undefined;
  return `${spanHours < 1 ? `${Math.round(spanHours * 60)} min` : `${Math.floor(spanHours)} h`} of usage history; advice needs ${options.minHistoryHours} h.`;
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
  const tooShort = shortHistoryNote(measured, options);
  if (tooShort) return { advice: [], note: tooShort };

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
    const name = displayNameOf(component as ComponentId);
    const usage = usageOf({
      component,
      name,
      workload,
      history: all.sort((a, b) => a.at - b.at),
      options,
      // A resize recorded after some samples: those describe the old size of what it changed.
      resizedAt: input.resized?.components.includes(component)
        ? input.resized.at
        : undefined,
    });
    if (usage.waitsForNewSize) resizedRecently.push(name);
    advice.push(...adviceOfRules(usage, input.sizing, options, delta));
  }
  advice.sort(
    (a, b) =>
      RANK[a.change] - RANK[b.change] ||
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
