/**
 * The one reader of the `codemie` block of app-config. Every consumer — the status API, the
 * scaffolder actions, the catalog module, the local portal's sandbox — gets its settings from
 * {@link readCodemieConfig}, so a default, a bound or a price override is decided in one place.
 *
 * Every setting is checked at start-up against its schema, so that a typo or an absurd value
 * stops the backend with a message naming the key and what is allowed — instead of being
 * ignored (`transport: carrier-pigeon`), disabling a safety (`retry.attempts: 1`) or burning a
 * core (`sampling.frequency: 1ms`). Durations are Backstage `HumanDuration`s (`{ minutes: 5 }`,
 * `'5m'`, `'PT5M'`) and schedules Backstage schedule definitions, as in Backstage's own plugins.
 */
import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import {
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import {
  PriceOverrides,
  PriceTable,
  withPriceOverrides,
} from '@codemie-gcp/plugin-codemie-common';
import { z } from 'zod/v3';

/**
 * How transient Google errors are retried and long operations polled (`codemie.gcp.retry`).
 *
 * @public
 */
export interface CodemieRetrySettings {
  /** Tries per call, the first included. */
  attempts: number;
  /** First backoff in ms, doubling. */
  baseDelayMillis: number;
  /** Longest backoff in ms. */
  maxDelayMillis: number;
  /** First poll interval of long operations in ms, growing to `maxPollMillis`. */
  pollMillis: number;
  /** Longest poll interval in ms. */
  maxPollMillis: number;
}

/**
 * A fault the local portal's sandbox answers with (`codemie.sandbox.faults`).
 *
 * @public
 */
export interface CodemieSandboxFault {
  /** The emulated API to fault (e.g. `container`, `compute`); absent matches every API. */
  service?: string;
  /** The HTTP method to fault; absent matches every method. */
  method?: string;
  /** A substring of the request path to fault; absent matches every path. */
  path?: string;
  /** The HTTP status the faulted call answers with. */
  status: number;
  /** The canonical status name of the error body, e.g. `RESOURCE_EXHAUSTED`. */
  grpcStatus?: string;
  /** The error message of the answer. */
  message?: string;
  /** Fault only the nth matching call (1-based). */
  nth?: number;
  /** How many matching calls to fault; absent faults every one. */
  times?: number;
}

/**
 * The whole `codemie` block, defaults applied, durations in milliseconds.
 *
 * @public
 */
export interface CodemieSettings {
  /** The GCP sandbox of the local portal (`codemie.sandbox`). */
  sandbox: {
    enabled: boolean;
    /** Real ms per simulated second, when set. */
    timeScale?: number;
    /** Simulated seconds of the sandbox's long operations, by operation. */
    durationSeconds: Record<string, number>;
    faults: CodemieSandboxFault[];
  };
  /** The environment entities of the catalog (`codemie.catalog`). */
  catalog: {
    defaultSystem?: string;
    /** The full refresh of the environment entities. */
    schedule: SchedulerServiceTaskScheduleDefinition;
  };
  /** Backstage's Kubernetes plugin on the environments' clusters (`codemie.kubernetes`). */
  kubernetes: {
    /** How Backstage's Kubernetes plugin authenticates to the environments' clusters. */
    auth: 'portal' | 'google';
    /** How long one read of the records and the clusters' endpoints is reused. */
    refreshIntervalMillis: number;
  };
  /** How the backend reaches Google Cloud (`codemie.gcp`). */
  gcp: {
    transport: 'rest' | 'grpc';
    accessToken?: string;
    privateClusterAccess: 'vpc' | 'dns-endpoint';
    portalEgressCidrs: string[];
    retry: CodemieRetrySettings;
  };
  /** The bundled price table with `codemie.prices` merged in. */
  prices: PriceTable;
  /** The status API and usage sampling (`codemie.status`). */
  status: {
    cacheTtlMillis: number;
    timeoutMillis: number;
    /** The usage sampler's schedule (global: one replica runs each sample). */
    sampling: SchedulerServiceTaskScheduleDefinition;
    historyRetentionMillis: number;
    adviceWindowMillis: number;
    adviceMinHistoryMillis: number;
    externalProjects: string[];
  };
}

const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

// What app-config may hold where a duration goes; its value is read by readDurationFromConfig.
const duration = z
  .union([z.string(), z.record(z.number())], {
    errorMap: () => ({
      message:
        "must be a duration, e.g. { minutes: 5 }, '5m' or the ISO 'PT5M'",
    }),
  })
  .optional();

// A schedule: checked in full by readSchedulerServiceTaskScheduleDefinitionFromConfig.
const schedule = z
  .object({
    frequency: z.unknown(),
    timeout: z.unknown().optional(),
    initialDelay: z.unknown().optional(),
    scope: z.enum(['global', 'local']).optional(),
  })
  .strict()
  .optional();

const number = (min: number, max: number, unit: string, int = false) => {
  const base = int ? z.number().int() : z.number();
  return base
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`)
    .optional();
};

/** Settings renamed when durations became HumanDurations: the error names the new key. */
const REPLACED: Record<string, string> = {
  'catalog.refreshSeconds':
    'codemie.catalog.schedule (e.g. { frequency: { minutes: 1 }, timeout: { minutes: 1 } })',
  'gcp.retry.baseDelayMillis':
    'codemie.gcp.retry.baseDelay (a duration, e.g. 1s)',
  'gcp.retry.maxDelayMillis':
    'codemie.gcp.retry.maxDelay (a duration, e.g. 30s)',
  'gcp.retry.pollMillis': 'codemie.gcp.retry.poll (a duration, e.g. 2s)',
  'gcp.retry.maxPollMillis': 'codemie.gcp.retry.maxPoll (a duration, e.g. 15s)',
  'status.cacheSeconds': 'codemie.status.cacheTtl (a duration, e.g. 30s)',
  'status.timeoutSeconds': 'codemie.status.timeout (a duration, e.g. 20s)',
  'status.sampleIntervalMinutes':
    'codemie.status.sampling.frequency (a duration, e.g. 5m)',
  'status.sampleInitialDelaySeconds':
    'codemie.status.sampling.initialDelay (a duration, e.g. 1m)',
  'status.historyRetentionDays':
    'codemie.status.historyRetention (a duration, e.g. 30d)',
  'status.adviceWindowDays':
    'codemie.status.adviceWindow (a duration, e.g. 7d)',
  'status.adviceMinHistoryHours':
    'codemie.status.adviceMinHistory (a duration, e.g. 24h)',
};

/** The shape of the `codemie` block (config.d.ts says what each key does). */
const codemieConfigSchema = z
  .object({
    sandbox: z
      .object({
        enabled: z.boolean().optional(),
        // Below 0.01 ms per simulated second timers collapse; above 1 s a GKE create takes 7 min.
        timeScale: number(0.01, 1000, 'ms per simulated second'),
        durations: z.record(duration).optional(),
        faults: z
          .array(
            z
              .object({
                service: z.string().optional(),
                method: z.string().optional(),
                path: z.string().optional(),
                status: z.number().int().min(400).max(599),
                grpcStatus: z.string().optional(),
                message: z.string().optional(),
                nth: z.number().int().min(1).optional(),
                times: z.number().int().min(1).optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
    catalog: z
      .object({
        defaultSystem: z.string().min(1).optional(),
        schedule,
      })
      .strict()
      .optional(),
    kubernetes: z
      .object({
        auth: z
          .enum(['portal', 'google'], {
            errorMap: () => ({ message: "must be 'portal' or 'google'" }),
          })
          .optional(),
        refreshInterval: duration,
      })
      .strict()
      .optional(),
    gcp: z
      .object({
        transport: z
          .enum(['rest', 'grpc'], {
            errorMap: () => ({ message: "must be 'rest' or 'grpc'" }),
          })
          .optional(),
        accessToken: z.string().min(1).optional(),
        privateClusterAccess: z
          .enum(['vpc', 'dns-endpoint'], {
            errorMap: () => ({ message: "must be 'vpc' or 'dns-endpoint'" }),
          })
          .optional(),
        portalEgressCidrs: z.array(z.string()).optional(),
        retry: z
          .object({
            // At least one try and one retry: attempts 1 would silently turn retries off.
            attempts: number(2, 20, 'tries', true),
            baseDelay: duration,
            maxDelay: duration,
            poll: duration,
            maxPoll: duration,
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    prices: z.record(z.unknown()).optional(),
    status: z
      .object({
        cacheTtl: duration,
        timeout: duration,
        sampling: schedule,
        historyRetention: duration,
        adviceWindow: duration,
        adviceMinHistory: duration,
        externalProjects: z
          .array(
            z
              .string()
              .regex(
                PROJECT_ID,
                'must be a Google Cloud project id, e.g. acme-ai-platform',
              ),
          )
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * A `codemie.*` setting is wrong; the message names each key and what it allows.
 *
 * @public
 */
export class CodemieConfigError extends Error {
  constructor(
    /** Every problem found in the `codemie` config block. */
    readonly problems: string[],
  ) {
    super(
      `Invalid CodeMie configuration: ${problems.join('; ')}. Fix app-config and start again`,
    );
    this.name = 'CodemieConfigError';
  }
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Reads settings from a valid-shaped block, collecting problems instead of stopping at one. */
class SettingsReader {
  readonly problems: string[] = [];

  constructor(private readonly config: Config) {}

  /** A duration at `key` (under `codemie.`) in ms, within [min, max], or the default. */
  millis(
    key: string,
    fallback: HumanDuration,
    bounds: { min: number; max: number; what: string },
  ): number {
    const full = `codemie.${key}`;
    let value = durationToMilliseconds(fallback);
    if (this.config.has(full)) {
      try {
        value = durationToMilliseconds(
          readDurationFromConfig(this.config, { key: full }),
        );
      } catch (error) {
        this.problems.push(keyed(full, error));
        return value;
      }
    }
    if (!(value >= bounds.min && value <= bounds.max)) {
      this.problems.push(`${full} must be ${bounds.what}`);
    }
    return value;
  }

  /** A schedule at `key`, each of its fields defaulted, the frequency at least `minFrequency`. */
  schedule(
    key: string,
    fallback: SchedulerServiceTaskScheduleDefinition,
    minFrequency: { millis: number; what: string },
  ): SchedulerServiceTaskScheduleDefinition {
    const full = `codemie.${key}`;
    const given = this.config.getOptionalConfig(full);
    if (!given) return fallback;
    // Fields not given keep their defaults (the reader requires frequency and timeout).
    const merged = new ConfigReader({
      frequency: fallback.frequency,
      timeout: fallback.timeout,
      ...(fallback.initialDelay ? { initialDelay: fallback.initialDelay } : {}),
      ...(fallback.scope ? { scope: fallback.scope } : {}),
      ...(given.get() as object),
    } as any);
    try {
      const definition =
        readSchedulerServiceTaskScheduleDefinitionFromConfig(merged);
      const frequency = definition.frequency as HumanDuration & {
        cron?: string;
        trigger?: string;
      };
      if (
        !('cron' in frequency) &&
        !('trigger' in frequency) &&
        durationToMilliseconds(frequency) < minFrequency.millis
      ) {
        this.problems.push(`${full}.frequency must be ${minFrequency.what}`);
      }
      return definition;
    } catch (error) {
      this.problems.push(keyed(full, error));
      return fallback;
    }
  }
}

/** Backstage's readers name the key in their messages; say it once. */
function keyed(key: string, error: unknown): string {
  const message = (error as Error).message;
  return message.includes(key) ? message : `${key}: ${message}`;
}

const cache = new WeakMap<Config, CodemieSettings>();

/**
 * Reads and checks the whole `codemie` block, defaults applied. The result is cached per
 * `Config`, so every consumer may call it.
 *
 * @throws {@link CodemieConfigError} listing every problem.
 * @public
 */
export function readCodemieConfig(config: Config): CodemieSettings {
  const cached = cache.get(config);
  if (cached) return cached;
  const raw = config.getOptional('codemie') ?? {};
  const problems = replacedKeys(raw);
  const parsed = codemieConfigSchema.safeParse(raw, {
    errorMap: (issue, ctx) => {
      if (issue.code === 'invalid_type' && issue.received !== 'undefined') {
        return {
          message: `must be ${issue.expected}, got ${JSON.stringify(ctx.data)}`,
        };
      }
      return { message: ctx.defaultError };
    },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = ['codemie', ...issue.path].join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const path = [...issue.path, k].join('.');
          if (!REPLACED[path]) {
            problems.push(
              `${key}.${k} is not a CodeMie setting (see config.d.ts)`,
            );
          }
        }
      } else {
        problems.push(`${key} ${issue.message}`);
      }
    }
    throw new CodemieConfigError(problems);
  }
  const data = parsed.data;
  const read = new SettingsReader(config);

  const retry: CodemieRetrySettings = {
    attempts: data.gcp?.retry?.attempts ?? 6,
    baseDelayMillis: read.millis(
      'gcp.retry.baseDelay',
      { seconds: 1 },
      { min: 1, max: MINUTE, what: 'between 1 ms and 1 minute' },
    ),
    maxDelayMillis: read.millis(
      'gcp.retry.maxDelay',
      { seconds: 30 },
      { min: 1, max: 10 * MINUTE, what: 'between 1 ms and 10 minutes' },
    ),
    pollMillis: read.millis(
      'gcp.retry.poll',
      { seconds: 2 },
      { min: 1, max: MINUTE, what: 'between 1 ms and 1 minute' },
    ),
    maxPollMillis: read.millis(
      'gcp.retry.maxPoll',
      { seconds: 15 },
      { min: 1, max: 10 * MINUTE, what: 'between 1 ms and 10 minutes' },
    ),
  };
  if (retry.maxDelayMillis < retry.baseDelayMillis) {
    read.problems.push('codemie.gcp.retry.maxDelay must be at least baseDelay');
  }

  const historyRetentionMillis = read.millis(
    'status.historyRetention',
    { days: 30 },
    { min: DAY, max: 400 * DAY, what: 'between 1 and 400 days' },
  );
  const adviceWindowMillis = read.millis(
    'status.adviceWindow',
    { days: 7 },
    { min: DAY, max: 400 * DAY, what: 'between 1 and 400 days' },
  );
  if (adviceWindowMillis > historyRetentionMillis) {
    read.problems.push(
      'codemie.status.adviceWindow must not exceed historyRetention (the advice reads kept history)',
    );
  }

  const durationSeconds: Record<string, number> = {};
  for (const operation of Object.keys(data.sandbox?.durations ?? {})) {
    durationSeconds[operation] =
      read.millis(
        `sandbox.durations.${operation}`,
        { seconds: 0 },
        { min: 0, max: 30 * DAY, what: 'between 0 and 30 days' },
      ) / SECOND;
  }

  const settings: CodemieSettings = {
    sandbox: {
      enabled: data.sandbox?.enabled ?? false,
      ...(data.sandbox?.timeScale !== undefined
        ? { timeScale: data.sandbox.timeScale }
        : {}),
      durationSeconds,
      faults: data.sandbox?.faults ?? [],
    },
    catalog: {
      ...(data.catalog?.defaultSystem
        ? { defaultSystem: data.catalog.defaultSystem }
        : {}),
      // A full refresh re-reads every record: not more often than every 10 s.
      schedule: read.schedule(
        'catalog.schedule',
        { frequency: { minutes: 1 }, timeout: { minutes: 1 } },
        { millis: 10 * SECOND, what: 'at least 10 seconds' },
      ),
    },
    kubernetes: {
      auth: data.kubernetes?.auth ?? 'portal',
      refreshIntervalMillis: read.millis(
        'kubernetes.refreshInterval',
        { minutes: 1 },
        { min: SECOND, max: HOUR, what: 'between 1 second and 1 hour' },
      ),
    },
    gcp: {
      transport: data.gcp?.transport ?? 'rest',
      ...(data.gcp?.accessToken ? { accessToken: data.gcp.accessToken } : {}),
      privateClusterAccess: data.gcp?.privateClusterAccess ?? 'vpc',
      portalEgressCidrs: data.gcp?.portalEgressCidrs ?? [],
      retry,
    },
    prices: withPriceOverrides(
      (data.prices ?? {}) as unknown as PriceOverrides,
    ),
    status: {
      cacheTtlMillis: read.millis(
        'status.cacheTtl',
        { seconds: 30 },
        { min: SECOND, max: HOUR, what: 'between 1 second and 1 hour' },
      ),
      timeoutMillis: read.millis(
        'status.timeout',
        { seconds: 20 },
        {
          min: SECOND,
          max: 5 * MINUTE,
          what: 'between 1 second and 5 minutes',
        },
      ),
      // Every sample reads every cluster: not more often than once a minute; a run that reads
      // many clusters must finish before the next one is due.
      sampling: read.schedule(
        'status.sampling',
        {
          frequency: { minutes: 5 },
          timeout: { minutes: 5 },
          initialDelay: { minutes: 1 },
          scope: 'global',
        },
        { millis: MINUTE, what: 'at least 1 minute' },
      ),
      historyRetentionMillis,
      adviceWindowMillis,
      adviceMinHistoryMillis: read.millis(
        'status.adviceMinHistory',
        { hours: 24 },
        { min: HOUR, max: 400 * DAY, what: 'between 1 hour and 400 days' },
      ),
      externalProjects: data.status?.externalProjects ?? [],
    },
  };
  problems.push(...read.problems);
  if (problems.length > 0) throw new CodemieConfigError(problems);
  cache.set(config, settings);
  return settings;
}

/** Old keys still in app-config, each named with what replaced it. */
function replacedKeys(raw: unknown): string[] {
  const problems: string[] = [];
  for (const [path, replacement] of Object.entries(REPLACED)) {
    let node: any = raw;
    for (const part of path.split('.')) node = node?.[part];
    if (node !== undefined) {
      problems.push(`codemie.${path} was replaced by ${replacement}`);
    }
  }
  return problems;
}

/**
 * Checks the whole `codemie` block at start-up.
 *
 * @throws {@link CodemieConfigError} listing every problem.
 * @public
 */
export function validateCodemieConfig(config: Config): void {
  readCodemieConfig(config);
}
