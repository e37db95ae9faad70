import { CancelledError, sleep, withRetry } from './retry';

const policy = {
  attempts: 4,
  baseDelayMillis: 1,
  maxDelayMillis: 2,
  pollMillis: 1,
  maxPollMillis: 2,
};

describe('withRetry', () => {
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
    const controller = new AbortController();
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal, 'Cloud SQL instance x');
    controller.abort();
    const error = await waiting.catch(e => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(error.message).toBe(
      'Cloud SQL instance x: cancelled; the cloud operation keeps running in Google Cloud',
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
