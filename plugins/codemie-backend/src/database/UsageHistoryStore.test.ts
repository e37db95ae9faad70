import { TestDatabases } from '@backstage/backend-test-utils';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { UsageHistoryStore } from './UsageHistoryStore';

jest.setTimeout(60_000);

const migrations = resolvePackagePath(
  '@codemie-gcp/plugin-codemie-backend',
  'migrations',
);
const HOUR = 3_600_000;
const NOW = Date.parse('2026-08-03T10:00:00Z');
const REF = 'resource:default/demo';

function sample(at: number, component = 'codemie-api', cpu = 500) {
  return {
    at,
    component,
    pods: 2,
    cpuUsage: cpu,
    cpuRequests: 2000,
    memoryUsage: 3000,
    memoryRequests: 4096,
  };
}

describe('UsageHistoryStore', () => {
  // PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set; never Docker
  // (CI=true would otherwise make TestDatabases try to start a container).
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });

  async function store(id: Parameters<typeof databases.init>[0]) {
    const knex = await databases.init(id);
    await knex.migrate.latest({ directory: migrations });
    return { knex, store: new UsageHistoryStore(knex) };
  }

  it.each(databases.eachSupportedId())(
    'migrates up and down on %p',
    async id => {
      const { knex } = await store(id);
      expect(await knex.schema.hasTable('codemie_usage_samples')).toBe(true);
      await knex.migrate.rollback({ directory: migrations }, true);
      expect(await knex.schema.hasTable('codemie_usage_samples')).toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'records, reads back in order and ignores a repeated sample on %p',
    async id => {
      const { store: s } = await store(id);
      await s.record(REF, [sample(NOW), sample(NOW - HOUR, 'elasticsearch')]);
      await s.record(REF, [
        { ...sample(NOW), cpuUsage: 999 },
        {
          at: NOW - 2 * HOUR,
          component: 'kibana',
          pods: 1,
          cpuRequests: 1000,
          memoryRequests: 1024,
          storageCapacityGiB: 0,
        },
      ]);
      await s.record('resource:default/other', [sample(NOW)]);
      expect(await s.samples(REF, NOW - 3 * HOUR)).toEqual([
        // No metrics then: usage is absent, not 0.
        {
          at: NOW - 2 * HOUR,
          component: 'kibana',
          pods: 1,
          cpuRequests: 1000,
          memoryRequests: 1024,
          storageCapacityGiB: 0,
        },
        { ...sample(NOW - HOUR, 'elasticsearch') },
        // The first write of a sample wins.
        { ...sample(NOW) },
      ]);
      expect(await s.samples(REF, NOW - HOUR + 1)).toHaveLength(1);
    },
  );

  it.each(databases.eachSupportedId())(
    'serves a window for plots, averaged into at most maxPoints on %p',
    async id => {
      const { store: s } = await store(id);
      // A week of 5-minute samples: 2017 times.
      const samples = Array.from({ length: 7 * 24 * 12 + 1 }, (_, i) =>
        sample(NOW - i * 5 * 60_000, 'codemie-api', 400 + (i % 2) * 200),
      );
      await s.record(REF, samples);
      const week = await s.history(
        REF,
        { label: '7d', ms: 7 * 24 * HOUR },
        NOW,
        500,
      );
      expect(week.window).toBe('7d');
      expect(week.points.length).toBeLessThanOrEqual(501);
      expect(week.points.length).toBeGreaterThan(400);
      // Alternating 400/600 averages to 500 within a bucket.
      expect(week.points[10].components['codemie-api'].cpu).toBe(500);
      const hour = await s.history(REF, { label: '1h', ms: HOUR }, NOW);
      expect(hour.points).toHaveLength(13);
      expect(hour.points[12]).toEqual({
        at: new Date(NOW).toISOString(),
        components: { 'codemie-api': { cpu: 400, memory: 3000 } },
      });
    },
  );

  it.each(databases.eachSupportedId())(
    'says when the sandbox generated samples of the window, and only then, on %p',
    async id => {
      const { store: s } = await store(id);
      await s.record(REF, [sample(NOW - 30 * HOUR)], { origin: 'sandbox' });
      await s.record(REF, [sample(NOW)]);
      await s.record('resource:default/other', [sample(NOW)]);
      expect(await s.originOf(REF, NOW - 48 * HOUR)).toBe('sandbox');
      // The window after the generated week holds only sampled data.
      expect(await s.originOf(REF, NOW - HOUR)).toBeUndefined();
      expect(await s.originOf('resource:default/other', 0)).toBeUndefined();
      const day2 = await s.history(REF, { label: '2d', ms: 48 * HOUR }, NOW);
      expect(day2.origin).toBe('sandbox');
      const hour = await s.history(REF, { label: '1h', ms: HOUR }, NOW);
      expect(hour.origin).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'prunes samples older than the retention on %p',
    async id => {
      const { store: s } = await store(id);
      await s.record(REF, [
        sample(NOW - 31 * 24 * HOUR),
        sample(NOW - 29 * 24 * HOUR),
        sample(NOW),
      ]);
      expect(await s.prune(NOW - 30 * 24 * HOUR)).toBe(1);
      expect((await s.samples(REF, 0)).map(x => x.at)).toEqual([
        NOW - 29 * 24 * HOUR,
        NOW,
      ]);
    },
  );
});
