import knexFactory from 'knex';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import type { EnvironmentStatus } from '@codemie-gcp/plugin-codemie-common';
import { codemiePlugin } from '../plugin';
import { environmentEntity } from '../status/__testUtils__/sandboxEnvironment';
import { UsageHistoryStore } from './UsageHistoryStore';
import { UsageSampler } from './UsageSampler';

jest.setTimeout(60_000);

const migrations = resolvePackagePath(
  '@codemie-gcp/plugin-codemie-backend',
  'migrations',
);
const NOW = Date.parse('2026-08-03T10:00:00Z');

function statusOf(entityRef: string, cpu: number): EnvironmentStatus {
  const comp = (id: string, extra: object = {}) => ({
    id,
    displayName: id,
    workloadKind: 'Deployment' as const,
    enabled: true,
    health: 'ok' as const,
    reasons: [],
    pods: { expected: 1, desired: 1, ready: 1, available: 1, restarts: 0 },
    cpu: { usage: cpu, requests: 1000, baseline: 1000 },
    memory: { usage: 700, requests: 2048, baseline: 2048 },
    podRows: [
      {
        name: `${id}-0`,
        namespace: 'codemie',
        phase: 'Running',
        ready: true,
        restarts: 0,
        state: 'Running',
        health: 'ok' as const,
        cpu: { requests: 1000 },
        memory: { requests: 2048 },
      },
    ],
    ...extra,
  });
  return {
    entityRef,
    readAt: new Date(NOW).toISOString(),
    components: [
      comp('codemie-api'),
      comp('elasticsearch', {
        storage: { capacityGiB: 60, usedGiB: 20.5, baselineGiB: 60 },
      }),
      // Managed PostgreSQL has no pods to sample; NATS is not part of the tier.
      { ...comp('postgresql'), workloadKind: 'Managed' },
      { ...comp('nats'), enabled: false, podRows: [] },
    ],
  } as unknown as EnvironmentStatus;
}

describe('UsageSampler', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });

  it('samples every CodeMie environment of the catalog, skips unreachable ones, prunes old samples', async () => {
    const knex = await databases.init('SQLITE_3');
    await knex.migrate.latest({ directory: migrations });
    const store = new UsageHistoryStore(knex);
    await store.record('resource:default/a', [
      {
        at: NOW - 40 * 86_400_000,
        component: 'codemie-api',
        pods: 1,
        cpuRequests: 1,
        memoryRequests: 1,
      },
    ]);
    const entities: Entity[] = [
      environmentEntity('a'),
      environmentEntity('b'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc', namespace: 'default' },
        spec: { type: 'service' },
      },
    ];
    const status = {
      statusOf: jest.fn(async (env: { entityRef: string }) => {
        if (env.entityRef.endsWith('/b'))
          throw new Error(
            'Cluster projects/p/locations/l/clusters/b is unreachable: ECONNREFUSED',
          );
        return statusOf(env.entityRef, 420);
      }),
    };
    const logger = mockServices.logger.mock();
    const sampler = new UsageSampler({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      status,
      store,
      logger,
      retentionDays: 30,
      now: () => NOW,
    });

    expect(await sampler.sampleAll()).toBe(1);
    // Fresh reads: the history must not repeat a cached read.
    expect(status.statusOf).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'resource:default/a' }),
      { fresh: true },
    );
    expect(status.statusOf).toHaveBeenCalledTimes(2);
    expect(await store.samples('resource:default/a', 0)).toEqual([
      {
        at: NOW,
        component: 'codemie-api',
        pods: 1,
        cpuUsage: 420,
        cpuRequests: 1000,
        memoryUsage: 700,
        memoryRequests: 2048,
      },
      {
        at: NOW,
        component: 'elasticsearch',
        pods: 1,
        cpuUsage: 420,
        cpuRequests: 1000,
        memoryUsage: 700,
        memoryRequests: 2048,
        storageUsedGiB: 20.5,
        storageCapacityGiB: 60,
      },
    ]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(
        'Usage sample of resource:default/b failed: Cluster',
      ),
    );
  });
});

const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/*
 * Two backend replicas sharing one PostgreSQL database, each with the codemie plugin and
 * Backstage's real scheduler: the sampler runs once per interval in total, not once per replica.
 */
(postgres ? describe : describe.skip)(
  'the usage sampler on two replicas (PostgreSQL)',
  () => {
    const prefix = `codemie_sampler_${process.pid}_`;

    afterAll(async () => {
      const admin = knexFactory({ client: 'pg', connection: postgres });
      await admin.raw(
        `DROP DATABASE IF EXISTS "${prefix}codemie" WITH (FORCE)`,
      );
      await admin.destroy();
    });

    it('runs once per interval across replicas (scheduler global scope)', async () => {
      const runs: string[] = [];
      const replica = (name: string) =>
        startTestBackend({
          features: [
            codemiePlugin,
            schedulerServiceFactory,
            catalogServiceMock.mock({
              getEntities: jest.fn(async () => {
                runs.push(name);
                return { items: [] };
              }),
            }).factory,
            mockServices.rootConfig.factory({
              data: {
                backend: {
                  database: { client: 'pg', connection: postgres, prefix },
                },
                codemie: {
                  status: {
                    sampleIntervalMinutes: 1 / 60,
                    sampleInitialDelaySeconds: 0,
                  },
                },
              },
            }),
          ],
        });
      const backends = [await replica('a'), await replica('b')];
      try {
        const seconds = 6;
        await new Promise(r => setTimeout(r, seconds * 1000));
        // Once a second in total (one replica per run); per replica it would be about twice that.
        expect(runs.length).toBeGreaterThanOrEqual(seconds - 2);
        expect(runs.length).toBeLessThanOrEqual(seconds + 1);
      } finally {
        await Promise.all(backends.map(b => b.stop()));
      }
    });
  },
);
