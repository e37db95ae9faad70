import { ConflictError } from '@backstage/errors';
import { environmentFromEntity } from '../status/environmentFromEntity';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { Entity } from '@backstage/catalog-model';
import type { EnvironmentStatus } from '@codemie-gcp/plugin-codemie-common';
import { codemiePlugin } from '../plugin';
import { environmentEntity } from '../status/__testUtils__/sandboxEnvironment';
import { UsageHistoryStore } from '../database/UsageHistoryStore';
import { UsageSampler } from './UsageSampler';
import { durationToMilliseconds } from '@backstage/types';
import { sandboxGoogleClientsFactory } from '@codemie-gcp/plugin-codemie-node/testUtils';

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
      // A look-alike the status API refuses: the sampler must never read it either.
      environmentEntity('lookalike'),
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'svc', namespace: 'default' },
        spec: { type: 'service' },
      },
    ];
    const status = {
      descriptorOf: jest.fn(async (entity: Entity) => {
        if (entity.metadata.name === 'lookalike')
          throw new ConflictError(
            'resource:default/lookalike is not managed here',
          );
        return environmentFromEntity(entity);
      }),
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
    expect(status.descriptorOf).toHaveBeenCalledTimes(3);
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

/*
 * The plugin registers the sampler with Backstage's scheduler: once per interval across all
 * replicas (global scope), after the initial delay. The task is captured and run by hand, so no
 * test waits on the clock; that a global task runs on one replica at a time is the scheduler's
 * own guarantee.
 */
describe('the usage sampler as the plugin schedules it', () => {
  it('is a global task at the configured interval, and its run samples the catalog', async () => {
    const scheduleTask = jest.fn(async () => {});
    const getEntities = jest.fn(async () => ({ items: [] }));
    const backend = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        mockServices.scheduler.mock({ scheduleTask }).factory,
        catalogServiceMock.mock({ getEntities }).factory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            codemie: {
              status: {
                sampling: { frequency: '10m', initialDelay: { seconds: 90 } },
              },
            },
          },
        }),
      ],
    });
    try {
      expect(scheduleTask).toHaveBeenCalledWith(
        expect.objectContaining({
          id: 'codemie-usage-sampler',
          scope: 'global',
          initialDelay: { seconds: 90 },
        }),
      );
      const task = (scheduleTask.mock.calls[0] as any[])[0];
      expect(durationToMilliseconds(task.frequency)).toBe(600_000);
      await task.fn(new AbortController().signal);
      expect(getEntities).toHaveBeenCalledWith(
        { filter: { kind: 'Resource', 'spec.type': 'codemie-environment' } },
        expect.anything(),
      );
    } finally {
      await backend.stop();
    }
  });

  it('refuses an interval that would read every cluster more than once a minute', async () => {
    await expect(
      startTestBackend({
        features: [
          codemiePlugin,
          sandboxGoogleClientsFactory,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: { client: 'better-sqlite3', connection: ':memory:' },
              },
              codemie: { status: { sampling: { frequency: '100ms' } } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      'codemie.status.sampling.frequency must be at least 1 minute',
    );
  });
});
