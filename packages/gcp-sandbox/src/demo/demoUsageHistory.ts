/**
 * A week of generated usage for the local portal's demo environments, so that their CodeMie tab
 * shows its charts and sizing advice on first open instead of "advice needs 24 h of samples".
 * Sandbox data, not a measurement: the samples are labelled as the sandbox's when stored, and
 * the page says so.
 *
 * The shape is a working team's: a daily curve (quiet nights, a morning ramp, an early-afternoon
 * peak), quieter weekends, and a little deterministic noise (seeded, so a demo looks the same on
 * every start). Each component follows one profile:
 *
 * - `steady`: CPU 15–60 % of its requests with the day, memory 45–65 %;
 * - `busy`: CPU above 80 % of its requests through working hours (the advice: more replicas for a
 *   service that scales out, more CPU otherwise);
 * - `near-memory-limit`: memory above 90 % of its request (= limit) all week;
 * - `over-provisioned`: CPU under 10 % and memory under 20 % of the requests all week;
 * - `disk-growing`: volumes filling from 55 % to 86 % over the week, faster by day.
 *
 * Pure: the clock and the sizes are arguments.
 */
import type { TierSizing } from '@codemie-gcp/plugin-codemie-common';

/**
 * How a component's usage behaves over the week.
 *
 * @public
 */
export type DemoUsageProfile =
  'steady' | 'busy' | 'near-memory-limit' | 'over-provisioned' | 'disk-growing';

/**
 * One component of the environment, as sized (all pods together).
 *
 * @public
 */
export interface DemoComponentSize {
  /** The component's id. */
  id: string;
  /** Pod count. */
  pods: number;
  /** CPU requests, millicores, all pods together. */
  cpuRequestsMillis: number;
  /** Memory requests, MiB, all pods together. */
  memoryRequestsMiB: number;
  /** Volumes of all pods together, GiB (components with persistent data). */
  storageCapacityGiB?: number;
}

/**
 * One sample, in the shape of the status API's usage history (all pods of a component).
 *
 * @public
 */
export interface DemoUsageSample {
  /** Epoch ms. */
  at: number;
  /** The component's id. */
  component: string;
  /** Live pods. */
  pods: number;
  /** CPU used, millicores. */
  cpuUsage: number;
  /** CPU requested, millicores. */
  cpuRequests: number;
  /** Memory used, MiB. */
  memoryUsage: number;
  /** Memory requested, MiB. */
  memoryRequests: number;
  /** Persistent storage used, GiB. */
  storageUsedGiB?: number;
  /** Persistent storage provisioned, GiB. */
  storageCapacityGiB?: number;
}

/**
 * Options of {@link demoUsageHistory}.
 *
 * @public
 */
export interface DemoUsageHistoryOptions {
  /** The end of the history (epoch ms): the last sample is one interval before. */
  now: number;
  /** The environment's components, as sized. */
  components: DemoComponentSize[];
  /** Profiles by component id; others are `steady`. */
  profiles?: Record<string, DemoUsageProfile>;
  /** Days of history (default 7). */
  days?: number;
  /** Minutes between samples (default 5, the sampler's default). */
  intervalMinutes?: number;
  /** UTC offset of the team's working day, hours (default 1: Central Europe in winter). */
  utcOffsetHours?: number;
  /** Seeds the noise (default 1). */
  seed?: number;
}

const HOUR = 3_600_000;

/**
 * The team's activity at `at`, 0 (night, weekend) to 1 (weekday early-afternoon peak).
 *
 * @public
 */
export function workingDayLoad(at: number, utcOffsetHours = 1): number {
  const local = new Date(at + utcOffsetHours * HOUR);
  const hour = local.getUTCHours() + local.getUTCMinutes() / 60;
  const weekend = local.getUTCDay() === 0 || local.getUTCDay() === 6;
  // A working day from 8 to 19 with its peak at 14, a trickle at night.
  const day =
    hour < 7 || hour > 20
      ? 0.05
      : Math.max(0.05, Math.sin(((hour - 7) / 13) * Math.PI)) ** 0.8;
  return weekend ? day * 0.3 : day;
}

/** A deterministic noise in [-1, 1] for (seed, key, step). */
function noise(seed: number, key: string, step: number): number {
  let h = 2166136261 ^ seed;
  for (const c of `${key}/${step}`)
    h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return (((h >>> 0) % 20001) - 10000) / 10000;
}

const clamp = (v: number, lo: number, hi: number) =>
  Math.min(hi, Math.max(lo, v));

/**
 * The generated samples, oldest first, one per component per interval.
 *
 * @public
 */
export function demoUsageHistory(
  options: DemoUsageHistoryOptions,
): DemoUsageSample[] {
  const days = options.days ?? 7;
  const intervalMinutes = options.intervalMinutes ?? 5;
  if (!(intervalMinutes >= 1) || !(days > 0 && days <= 90)) {
    // A history of sub-minute steps or months would hold millions of samples.
    throw new RangeError(
      `demoUsageHistory: intervalMinutes must be at least 1 (got ${intervalMinutes}) and days between 0 and 90 (got ${days})`,
    );
  }
  const stepMs = intervalMinutes * 60_000;
  const seed = options.seed ?? 1;
  const end = Math.floor(options.now / stepMs) * stepMs - stepMs;
  const start = end - days * 24 * HOUR + stepMs;
  const samples: DemoUsageSample[] = [];
  for (let at = start, step = 0; at <= end; at += stepMs, step++) {
    const load = workingDayLoad(at, options.utcOffsetHours);
    const progress = (at - start) / Math.max(1, end - start);
    for (const c of options.components) {
      const profile = options.profiles?.[c.id] ?? 'steady';
      const jitter = noise(seed, c.id, step);
      let cpu: number;
      let memory: number;
      switch (profile) {
        case 'busy':
          cpu = 0.3 + 0.72 * load + 0.04 * jitter;
          memory = 0.55 + 0.2 * load + 0.02 * jitter;
          break;
        case 'near-memory-limit':
          cpu = 0.15 + 0.4 * load + 0.05 * jitter;
          memory = 0.92 + 0.05 * load + 0.01 * jitter;
          break;
        case 'over-provisioned':
          cpu = 0.02 + 0.05 * load + 0.01 * jitter;
          memory = 0.12 + 0.04 * load + 0.01 * jitter;
          break;
        default:
          cpu = 0.15 + 0.45 * load + 0.05 * jitter;
          memory = 0.45 + 0.2 * load + 0.03 * jitter;
      }
      const sample: DemoUsageSample = {
        at,
        component: c.id,
        pods: c.pods,
        cpuUsage: Math.round(c.cpuRequestsMillis * clamp(cpu, 0.005, 1.3)),
        cpuRequests: c.cpuRequestsMillis,
        // Memory never passes the limit (= the request): the kernel would kill the container.
        memoryUsage: Math.round(
          c.memoryRequestsMiB * clamp(memory, 0.02, 0.99),
        ),
        memoryRequests: c.memoryRequestsMiB,
      };
      if (c.storageCapacityGiB) {
        const used =
          profile === 'disk-growing'
            ? // Logs and indexing arrive by day: the volume fills along the working days.
              0.55 + 0.31 * progress + 0.01 * load
            : 0.35 + 0.02 * progress;
        sample.storageCapacityGiB = c.storageCapacityGiB;
        sample.storageUsedGiB =
          Math.round(c.storageCapacityGiB * clamp(used, 0, 0.99) * 10) / 10;
      }
      samples.push(sample);
    }
  }
  return samples;
}

/**
 * The profiles of the platform team's demo: one component of each kind of advice — the API
 * busy (more replicas), Keycloak busy (more CPU), LiteLLM near its memory limit, Mermaid
 * over-provisioned (less CPU and memory), Elasticsearch's disk filling up.
 *
 * @public
 */
export const DEMO_USAGE_PROFILES: Record<string, DemoUsageProfile> = {
  'codemie-api': 'busy',
  keycloak: 'busy',
  'llm-proxy': 'near-memory-limit',
  'mermaid-server': 'over-provisioned',
  elasticsearch: 'disk-growing',
};

/**
 * The profiles of the newcomers' trial environment: outgrowing the small tier — the API near
 * its memory limit, Keycloak busy — so its advice leads to a resize to medium.
 *
 * @public
 */
export const TRIAL_USAGE_PROFILES: Record<string, DemoUsageProfile> = {
  'codemie-api': 'near-memory-limit',
  keycloak: 'busy',
};

/**
 * The fractions of their requests the components use now, for the sandbox's live metrics, so
 * that the bars on the page agree with the history: a profile's level at the working day's peak.
 *
 * @public
 */
export function liveUsageOf(profile: DemoUsageProfile): {
  cpu: number;
  memory: number;
  volume?: number;
} {
  switch (profile) {
    case 'busy':
      return { cpu: 0.9, memory: 0.7 };
    case 'near-memory-limit':
      return { cpu: 0.45, memory: 0.95 };
    case 'over-provisioned':
      return { cpu: 0.05, memory: 0.15 };
    case 'disk-growing':
      return { cpu: 0.5, memory: 0.6, volume: 0.86 };
    default:
      return { cpu: 0.4, memory: 0.55 };
  }
}

/**
 * The components of a sized environment as the history counts them (all pods together):
 * Deployments and StatefulSets with their replicas, DaemonSets with a pod on each of `nodes`.
 *
 * @public
 */
export function demoComponentSizes(
  sizing: TierSizing,
  nodes: number,
): DemoComponentSize[] {
  const byId = new Map<string, DemoComponentSize>();
  for (const { w, pods } of [
    ...sizing.workloads.map(workload => ({
      w: workload,
      pods: workload.replicas,
    })),
    ...sizing.daemonSets.map(daemonSet => ({ w: daemonSet, pods: nodes })),
  ]) {
    // A companion's pods (NATS's auth callout) count with its main component, as on the page.
    const id = w.companionOf ?? w.id;
    const c = byId.get(id) ?? {
      id,
      pods: 0,
      cpuRequestsMillis: 0,
      memoryRequestsMiB: 0,
    };
    c.pods += pods;
    c.cpuRequestsMillis += pods * w.requests.cpuMillis;
    c.memoryRequestsMiB += pods * w.requests.memoryMiB;
    if (w.storageGiBPerPod > 0)
      c.storageCapacityGiB =
        (c.storageCapacityGiB ?? 0) + pods * w.storageGiBPerPod;
    byId.set(id, c);
  }
  return [...byId.values()];
}
