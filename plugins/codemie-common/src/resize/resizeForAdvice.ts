/**
 * From a piece of sizing advice to the sizing inputs that carry it out. An environment is sized
 * by its inputs (users, datasource volume, log retention, LLM proxy), never component by
 * component, so the resize a button offers is the smallest change of inputs whose sizing gives
 * the component at least what the advice asks: a named tier when one does, else custom inputs.
 * Pure.
 */
import {
  MAX_CONCURRENT_USERS,
  SIZE_CLASSES,
  SIZING_PRESETS,
  SizingInputs,
  TierSizing,
  presetNameOfInputs,
  sizeEnvironment,
} from '../sizing';
import { ENVIRONMENT_INPUT_LIMITS } from '../environment/environmentInputContract';
import type { SizingAdvice } from '../status';

/** The resize that carries out one piece of advice. @public */
export interface AdvisedResize {
  /** A preset name, or `custom`. */
  tier: string;
  /** The sizing inputs of the resize. */
  sizing: Required<SizingInputs>;
  /** What changes in the inputs, e.g. "medium tier" or "150 concurrent users (custom)". */
  summary: string;
}

type Metric = (sizing: TierSizing) => number | undefined;

function metricOf(advice: Pick<SizingAdvice, 'component' | 'change'>): Metric {
  return sizing => {
    const w = [...sizing.workloads, ...sizing.daemonSets].find(
      x => x.id === advice.component,
    );
    if (!w) return undefined;
    switch (advice.change) {
      case 'add-replicas':
        return w.replicas;
      case 'raise-cpu':
      case 'lower-cpu':
        return w.requests.cpuMillis;
      case 'raise-memory':
      case 'lower-memory':
        return w.requests.memoryMiB;
      default:
        return w.storageGiBPerPod;
    }
  };
}

function measure(
  metric: Metric,
  inputs: Required<SizingInputs>,
): number | undefined {
  try {
    return metric(sizeEnvironment(inputs));
  } catch {
    return undefined; // beyond what one environment is planned for
  }
}

function described(
  current: Required<SizingInputs>,
  sizing: Required<SizingInputs>,
): AdvisedResize {
  const preset = presetNameOfInputs(sizing);
  if (preset) return { tier: preset, sizing, summary: `${preset} tier` };
  const parts: string[] = [];
  if (sizing.concurrentUsers !== current.concurrentUsers)
    parts.push(`${sizing.concurrentUsers} concurrent users`);
  if (sizing.vectorDatasourceGiB !== current.vectorDatasourceGiB)
    parts.push(`${sizing.vectorDatasourceGiB} GiB of vector datasources`);
  if (sizing.logRetentionDays !== current.logRetentionDays)
    parts.push(`${sizing.logRetentionDays} days of logs`);
  if (sizing.includeNats !== current.includeNats)
    parts.push(sizing.includeNats ? 'with NATS' : 'without NATS');
  return { tier: 'custom', sizing, summary: `${parts.join(', ')} (custom)` };
}

/**
 * The smallest integer in [lo, max] where `ok` holds (`ok` is monotone where the sizing is
 * defined; beyond one environment's limits it is false), or undefined.
 */
function smallest(
  from: number,
  max: number,
  ok: (n: number) => boolean,
): number | undefined {
  if (from > max) return undefined;
  // Double until `ok` holds: the top of the range may be beyond what one environment holds.
  let lo = from;
  let hi = from;
  while (!ok(hi)) {
    if (hi >= max) return undefined;
    lo = hi + 1;
    hi = Math.min(max, hi * 2);
  }
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The resize that gives `advice.component` at least `advice.to` (raises and grows) or brings it
 * down to no less than `advice.to` (lowers), or undefined when no change of inputs does (e.g.
 * a lower below the smallest tier's size, or a component the sizing does not have).
 *
 * - A raise takes the smallest larger tier that meets it (its users, its datasource volume and
 *   log retention when larger than the recorded ones; the LLM proxy kept), else the fewest
 *   concurrent users that do (custom).
 * - A volume to grow takes the smallest datasource volume that gives it (custom): more disk, not
 *   more of everything.
 * - A lower takes the smallest tier's users that still give at least `to` and less than now.
 *
 * @public
 */
export function resizeForAdvice(
  current: Required<SizingInputs>,
  advice: Pick<SizingAdvice, 'component' | 'change' | 'to'>,
): AdvisedResize | undefined {
  const metric = metricOf(advice);
  const now = measure(metric, current);
  if (now === undefined) return undefined;
  const meets = (inputs: Required<SizingInputs>) => {
    const value = measure(metric, inputs);
    return value !== undefined && value >= advice.to;
  };

  if (advice.change === 'grow-storage') {
    const gib = smallest(
      current.vectorDatasourceGiB + 1,
      ENVIRONMENT_INPUT_LIMITS.vectorDatasourceGiB.max,
      n => meets({ ...current, vectorDatasourceGiB: n }),
    );
    return gib === undefined
      ? undefined
      : described(current, { ...current, vectorDatasourceGiB: gib });
  }

  if (advice.change === 'lower-cpu' || advice.change === 'lower-memory') {
    for (const name of SIZE_CLASSES) {
      const users = SIZING_PRESETS[name].concurrentUsers;
      if (users >= current.concurrentUsers) continue;
      const candidate = { ...current, concurrentUsers: users };
      const value = measure(metric, candidate);
      if (value !== undefined && value >= advice.to && value < now) {
        return described(current, candidate);
      }
    }
    return undefined;
  }

  // Raises: a larger tier first.
  for (const name of SIZE_CLASSES) {
    const preset = SIZING_PRESETS[name] as SizingInputs;
    if (preset.concurrentUsers <= current.concurrentUsers) continue;
    const candidate: Required<SizingInputs> = {
      concurrentUsers: preset.concurrentUsers,
      vectorDatasourceGiB: Math.max(
        current.vectorDatasourceGiB,
        preset.vectorDatasourceGiB,
      ),
      logRetentionDays: Math.max(
        current.logRetentionDays,
        preset.logRetentionDays,
      ),
      llmProxyType: current.llmProxyType,
      includeNats: current.includeNats || (preset.includeNats ?? false),
    };
    if (meets(candidate)) return described(current, candidate);
  }
  const users = smallest(current.concurrentUsers + 1, MAX_CONCURRENT_USERS, n =>
    meets({ ...current, concurrentUsers: n }),
  );
  return users === undefined
    ? undefined
    : described(current, { ...current, concurrentUsers: users });
}
