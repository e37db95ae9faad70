/**
 * Every `codemie.*` setting checked at start-up against its schema, so that a typo or an absurd
 * value stops the backend with a message naming the key and what is allowed — instead of being
 * ignored (`transport: carrier-pigeon`), disabling a safety (`retry.attempts: 0`) or burning a
 * core (`sampleIntervalMinutes: 0.0001`).
 */
import { Config } from '@backstage/config';
import { z } from 'zod/v3';

const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;

const number = (min: number, max: number, unit: string, int = false) => {
  const base = int ? z.number().int() : z.number();
  return base
    .min(min, `must be at least ${min} ${unit}`)
    .max(max, `must be at most ${max} ${unit}`)
    .optional();
};

/** The schema of the `codemie` block (see config.d.ts for what each key does). */
const codemieConfigSchema = z
  .object({
    sandbox: z
      .object({
        enabled: z.boolean().optional(),
        // Below 0.01 ms per simulated second timers collapse; above 1 s a GKE create takes 7 min.
        timeScale: number(0.01, 1000, 'ms per simulated second'),
        durations: z
          .record(
            z
              .number()
              .min(0)
              .max(30 * 86_400),
          )
          .optional(),
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
        // A full refresh re-reads every record: not more often than every 10 s.
        refreshSeconds: number(10, 86_400, 'seconds'),
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
        retry: z
          .object({
            // At least one try, and a retry: 1 would silently turn retries off.
            attempts: number(2, 20, 'tries', true),
            baseDelayMillis: number(1, 60_000, 'ms'),
            maxDelayMillis: number(1, 600_000, 'ms'),
            pollMillis: number(1, 60_000, 'ms'),
            maxPollMillis: number(1, 600_000, 'ms'),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    prices: z.record(z.unknown()).optional(),
    status: z
      .object({
        cacheSeconds: number(1, 3600, 'seconds'),
        timeoutSeconds: number(1, 300, 'seconds'),
        // Every sample reads every cluster: not more often than once a minute.
        sampleIntervalMinutes: number(1, 1440, 'minutes'),
        sampleInitialDelaySeconds: number(0, 86_400, 'seconds'),
        historyRetentionDays: number(1, 400, 'days', true),
        adviceWindowDays: number(1, 400, 'days', true),
        adviceMinHistoryHours: number(1, 9600, 'hours'),
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

/** A `codemie.*` setting is wrong; the message names each key and what it allows. */
export class CodemieConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid CodeMie configuration: ${problems.join('; ')}. Fix app-config and start again`,
    );
    this.name = 'CodemieConfigError';
  }
}

/**
 * Checks the whole `codemie` block. Throws {@link CodemieConfigError} listing every problem.
 *
 * @internal
 */
export function validateCodemieConfig(config: Config): void {
  const raw = config.getOptional('codemie') ?? {};
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
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = ['codemie', ...issue.path].join('.');
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys)
          problems.push(
            `${key}.${k} is not a CodeMie setting (see config.d.ts)`,
          );
      } else {
        problems.push(`${key} ${issue.message}`);
      }
    }
  } else {
    const retry = parsed.data.gcp?.retry;
    if (
      retry?.baseDelayMillis !== undefined &&
      retry.maxDelayMillis !== undefined &&
      retry.maxDelayMillis < retry.baseDelayMillis
    ) {
      problems.push(
        'codemie.gcp.retry.maxDelayMillis must be at least baseDelayMillis',
      );
    }
    const status = parsed.data.status;
    if (
      status?.adviceWindowDays !== undefined &&
      status.adviceWindowDays > (status.historyRetentionDays ?? 30)
    ) {
      problems.push(
        'codemie.status.adviceWindowDays must not exceed historyRetentionDays (the advice reads kept history)',
      );
    }
  }
  if (problems.length > 0) throw new CodemieConfigError(problems);
}
