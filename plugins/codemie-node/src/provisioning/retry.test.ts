import { SandboxClock } from '@codemie-gcp/gcp-sandbox';
import {
  CancelledError,
  DEFAULT_RETRY_POLICY,
  sleep,
  withRetry,
} from './retry';

const policy = {
  attempts: 4,
  baseDelayMillis: 1,
  maxDelayMillis: 2,
  pollMillis: 1,
  maxPollMillis: 2,
};

describe('withRetry', () => {
  it('backs off exponentially on the clock it is given, from the base delay up to the longest', async () => {
    // Real-sized delays on a manual clock: the test moves time, nothing sleeps.
    const clock = new SandboxClock({ mode: 'manual', startAt: 0 });
    const calledAt: number[] = [];
    const result = withRetry(
      'GKE cluster x',
      async () => {
        calledAt.push(clock.now());
        if (calledAt.length < 6)
          throw Object.assign(new Error('rate limited'), { code: 429 });
        return 'ok';
      },
      {
        policy: { ...DEFAULT_RETRY_POLICY, maxDelayMillis: 8_000 },
        clock,
      },
    );
    await clock.runUntilIdle();
    await expect(result).resolves.toBe('ok');
    // 1 s, 2 s, 4 s, then capped at 8 s.
    expect(calledAt).toEqual([0, 1_000, 3_000, 7_000, 15_000, 23_000]);
  });

  it('retries transient errors and logs each retry', async () => {
    const log: string[] = [];
    let calls = 0;
    const result = await withRetry(
      'GKE cluster x',
      async () => {
        calls += 1;
        if (calls < 3)
          throw Object.assign(
            new Error('The service is currently unavailable.'),
            { code: 14 },
          );
        return 'ok';
      },
      { policy, log: m => log.push(m) },
    );
    expect(result).toBe('ok');
    expect(log).toEqual([
      'GKE cluster x: The service is currently unavailable.; retrying (1/3)',
      'GKE cluster x: The service is currently unavailable.; retrying (2/3)',
    ]);
  });

  it('fails at once on quota and permission errors', async () => {
    let calls = 0;
    const quota = Object.assign(
      new Error("Quota 'CPUS' exceeded. Limit: 24 in region europe-west1."),
      { code: 403 },
    );
    await expect(
      withRetry(
        'cluster',
        async () => {
          calls += 1;
          throw quota;
        },
        { policy },
      ),
    ).rejects.toBe(quota);
    expect(calls).toBe(1);
  });

  it('gives up after the policy attempts', async () => {
    let calls = 0;
    await expect(
      withRetry(
        'cluster',
        async () => {
          calls += 1;
          throw Object.assign(new Error('rate limited'), { code: 429 });
        },
        { policy },
      ),
    ).rejects.toThrow('rate limited');
    expect(calls).toBe(4);
  });
});

describe('sleep', () => {
  it('wakes at once when the task is cancelled, saying the cloud operation continues', async () => {
    const clock = new SandboxClock({ mode: 'manual', startAt: 0 });
    const controller = new AbortController();
    const waiting = sleep(
      60_000,
      controller.signal,
      'Cloud SQL instance x',
      clock,
    );
    controller.abort();
    // No time passes: the abort alone ends the wait.
    const error = await waiting.catch(e => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toBe(
      'Cloud SQL instance x: cancelled; the cloud operation keeps running in Google Cloud',
    );
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('waits its time on the real clock by default', async () => {
    const started = Date.now();
    await sleep(20, undefined, 'x');
    expect(Date.now() - started).toBeGreaterThanOrEqual(19);
  });
});
