import { ConfigReader } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { BUNDLED_PRICES } from '@codemie-gcp/plugin-codemie-common';
import { CodemieConfigError, readCodemieConfig } from './readCodemieConfig';

const read = (codemie: object) =>
  readCodemieConfig(new ConfigReader({ codemie }));

function problemsOf(codemie: object): string[] {
  try {
    read(codemie);
  } catch (error) {
    expect(error).toBeInstanceOf(CodemieConfigError);
    return (error as CodemieConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('readCodemieConfig', () => {
  it('gives every consumer the documented defaults when nothing is set', () => {
    const settings = readCodemieConfig(new ConfigReader({}));
    expect(settings.sandbox.enabled).toBe(false);
    expect(settings.gcp).toMatchObject({
      transport: 'rest',
      privateClusterAccess: 'vpc',
      portalEgressCidrs: [],
      retry: {
        attempts: 6,
        baseDelayMillis: 1000,
        maxDelayMillis: 30_000,
        pollMillis: 2000,
        maxPollMillis: 15_000,
      },
    });
    expect(settings.status).toMatchObject({
      cacheTtlMillis: 30_000,
      timeoutMillis: 20_000,
      historyRetentionMillis: 30 * 86_400_000,
      adviceWindowMillis: 7 * 86_400_000,
      adviceMinHistoryMillis: 24 * 3_600_000,
      externalProjects: [],
    });
    expect(settings.status.sampling).toMatchObject({
      frequency: { minutes: 5 },
      initialDelay: { minutes: 1 },
      scope: 'global',
    });
    expect(settings.catalog.schedule.frequency).toEqual({ minutes: 1 });
    expect(settings.kubernetes).toEqual({
      auth: 'portal',
      refreshIntervalMillis: 60_000,
    });
    expect(settings.prices).toEqual(BUNDLED_PRICES);
  });

  it('reads the Kubernetes tab settings, refusing an unknown auth and a refresh beyond an hour', () => {
    expect(
      read({ kubernetes: { auth: 'google', refreshInterval: '5m' } })
        .kubernetes,
    ).toEqual({ auth: 'google', refreshIntervalMillis: 300_000 });
    expect(problemsOf({ kubernetes: { auth: 'gke' } })).toEqual([
      "codemie.kubernetes.auth must be 'portal' or 'google'",
    ]);
    expect(problemsOf({ kubernetes: { refreshInterval: '2h' } })).toEqual([
      'codemie.kubernetes.refreshInterval must be between 1 second and 1 hour',
    ]);
  });

  it.each([
    ['an object', { minutes: 2 }],
    ['a short string', '2m'],
    ['an ISO duration', 'PT2M'],
  ])('reads a duration written as %s', (_, value) => {
    expect(read({ status: { cacheTtl: value } }).status.cacheTtlMillis).toBe(
      120_000,
    );
  });

  it('keeps the schedule fields not given, and refuses a sampler more often than once a minute', () => {
    const sampling = read({ status: { sampling: { frequency: '10m' } } }).status
      .sampling;
    expect(durationToMilliseconds(sampling.frequency as HumanDuration)).toBe(
      600_000,
    );
    expect(sampling.initialDelay).toEqual({ minutes: 1 });
    expect(sampling.timeout).toEqual({ minutes: 5 });
    expect(
      read({ status: { sampling: { frequency: { cron: '*/15 * * * *' } } } })
        .status.sampling.frequency,
    ).toEqual({ cron: '*/15 * * * *' });

    expect(
      problemsOf({ status: { sampling: { frequency: '100ms' } } }),
    ).toEqual(['codemie.status.sampling.frequency must be at least 1 minute']);
  });

  it('names each old setting with the key that replaced it', () => {
    expect(
      problemsOf({
        status: { cacheSeconds: 30, sampleIntervalMinutes: 5 },
        catalog: { refreshSeconds: 60 },
        gcp: { retry: { baseDelayMillis: 10 } },
      }),
    ).toEqual([
      expect.stringMatching(
        /^codemie\.catalog\.refreshSeconds was replaced by codemie\.catalog\.schedule/,
      ),
      expect.stringMatching(
        /^codemie\.gcp\.retry\.baseDelayMillis was replaced by codemie\.gcp\.retry\.baseDelay/,
      ),
      expect.stringMatching(
        /^codemie\.status\.cacheSeconds was replaced by codemie\.status\.cacheTtl/,
      ),
      expect.stringMatching(
        /^codemie\.status\.sampleIntervalMinutes was replaced by codemie\.status\.sampling\.frequency/,
      ),
    ]);
  });

  it('lists every problem at once, each naming its key and what it allows', () => {
    const problems = problemsOf({
      gcp: { transport: 'carrier-pigeon', retry: { attempts: 1 } },
      status: { timeout: 'soon', adviceWindow: '60d', historyRetention: '30d' },
      nonsense: true,
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        "codemie.gcp.transport must be 'rest' or 'grpc'",
        'codemie.gcp.retry.attempts must be at least 2 tries',
        'codemie.nonsense is not a CodeMie setting (see config.d.ts)',
      ]),
    );
    // The shape is checked first; durations are read once the shape holds.
    expect(
      problemsOf({
        status: {
          timeout: 'soon',
          adviceWindow: '60d',
          historyRetention: '30d',
        },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /Invalid duration 'soon'.*codemie\.status\.timeout/,
        ),
        'codemie.status.adviceWindow must not exceed historyRetention (the advice reads kept history)',
      ]),
    );
    expect(problemsOf({ status: { cacheTtl: '2h' } })).toEqual([
      'codemie.status.cacheTtl must be between 1 second and 1 hour',
    ]);
    expect(
      problemsOf({ gcp: { retry: { baseDelay: '5s', maxDelay: '1s' } } }),
    ).toEqual(['codemie.gcp.retry.maxDelay must be at least baseDelay']);
  });

  it('merges codemie.prices over the bundled table, keeping every other price', () => {
    const [machineType, info] = Object.entries(BUNDLED_PRICES.machineTypes)[0];
    const [region, price] = Object.entries(info.price)[0];
    const prices = read({
      prices: {
        machineTypes: {
          [machineType]: { price: { [region]: { hour: 0.01 } } },
        },
      },
    }).prices;
    expect(prices.machineTypes[machineType].price[region]).toEqual({
      ...price,
      hour: 0.01,
    });
    expect(prices.disks).toEqual(BUNDLED_PRICES.disks);
  });

  it('reads the sandbox durations in simulated seconds', () => {
    expect(
      read({
        sandbox: {
          durations: { peeringRelease: '1m', clusterCreate: { seconds: 5 } },
        },
      }).sandbox.durationSeconds,
    ).toEqual({ peeringRelease: 60, clusterCreate: 5 });
  });
});
