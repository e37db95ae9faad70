import { isTransient } from './googleErrors';
import { type Clock, realClock } from '../time/Clock';

/**
 * How transient errors are retried and operations polled.
 *
 * @public
 */
export interface RetryPolicy {
  /** Tries per call, the first included. Default 6. */
  attempts: number;
  /** First backoff, real ms; doubles each time. Default 1000. */
  baseDelayMillis: number;
  /** Longest backoff, real ms. Default 30 000. */
  maxDelayMillis: number;
  /** First poll interval for long operations, real ms; grows to `maxPollMillis`. Default 2000. */
  pollMillis: number;
  /** Longest poll interval for long operations, real ms. Default 15 000. */
  maxPollMillis: number;
}

/**
 * The retry policy used when config sets none: six tries with exponential backoff from one
 * second to 30 seconds, and polls of long operations from 2 to 15 seconds apart.
 *
 * @public
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMillis: 1000,
  maxDelayMillis: 30_000,
  pollMillis: 2000,
  maxPollMillis: 15_000,
};

/**
 * Thrown when the task is cancelled while waiting.
 *
 * @public
 */
export class CancelledError extends Error {
  constructor(what: string) {
    super(
      `${what}: cancelled; the cloud operation keeps running in Google Cloud`,
    );
    this.name = 'CancelledError';
  }
}

/**
 * Sleeps `millis` on `clock` (default the real one), waking early with {@link CancelledError} when
 * `signal` aborts.
 *
 * @public
 */
export async function sleep(
  millis: number,
  signal: AbortSignal | undefined,
  what: string,
  clock: Clock = realClock,
): Promise<void> {
  if (signal?.aborted) throw new CancelledError(what);
  try {
    await clock.sleep(millis, signal);
  } catch (e) {
    if (signal?.aborted) throw new CancelledError(what);
    throw e;
  }
}

/**
 * Runs `fn`, retrying transient errors (429, 503, operation in progress…) with bounded,
 * exponential backoff. Other errors (quota, permission, invalid) are thrown at once.
 *
 * @public
 */
export async function withRetry<T>(
  what: string,
  fn: () => Promise<T>,
  options: {
    policy: RetryPolicy;
    signal?: AbortSignal;
    /** The clock the backoff waits on; default the real one. */
    clock?: Clock;
    log?: (message: string) => void;
    /** Which errors to retry; default {@link isTransient}. */
    retryIf?: (e: unknown) => boolean;
  },
): Promise<T> {
  const { policy } = options;
  const retryIf = options.retryIf ?? isTransient;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!retryIf(e) || attempt >= policy.attempts) throw e;
      const delay = Math.min(
        policy.maxDelayMillis,
        policy.baseDelayMillis * 2 ** (attempt - 1),
      );
      options.log?.(
        `${what}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}; retrying (${attempt}/${policy.attempts - 1})`,
      );
      await sleep(delay, options.signal, what, options.clock);
    }
  }
}
