import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { CodemieStore } from './CodemieStore';

jest.setTimeout(60_000);

/*
 * The codemie backend keeps its environments in its own tables. These run on SQLite always and
 * on PostgreSQL when BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (as .ci/run does).
 */
describe('CodemieStore', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    // No Docker on these machines: PostgreSQL runs only when its connection string is set.
    disableDocker: true,
  });

  async function createStore(databaseId: string) {
    const knex = await databases.init(databaseId as any);
    const database = mockServices.database.mock({
      getClient: async () => knex,
    });
    return { store: await CodemieStore.create({ database }), knex };
  }

  it.each(databases.eachSupportedId())(
    'migrates and round-trips environments on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.ping();

      const created = await store.upsertEnvironment({
        projectId: 'acme-ai',
        name: 'codemie-dev',
        owner: 'group:default/platform-engineering',
        state: 'planned',
        spec: { tier: 'small', option: 'private' },
      });
      expect(created).toMatchObject({
        environmentRef: 'acme-ai/codemie-dev',
        state: 'planned',
        spec: { tier: 'small', option: 'private' },
      });
      expect(created.outputs).toBeUndefined();

      // Upserting again keeps the creation time and replaces state and outputs.
      const updated = await store.upsertEnvironment({
        projectId: 'acme-ai',
        name: 'codemie-dev',
        owner: 'group:default/platform-engineering',
        state: 'ready',
        spec: { tier: 'small', option: 'private' },
        outputs: { clusterName: 'codemie-dev-gke' },
      });
      expect(updated.state).toBe('ready');
      expect(updated.outputs).toEqual({ clusterName: 'codemie-dev-gke' });
      expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime());

      await store.upsertEnvironment({
        projectId: 'acme-ai',
        name: 'codemie-prod',
        owner: 'group:default/platform-engineering',
        state: 'provisioning',
        spec: {},
      });
      expect(
        (await store.listEnvironments()).map(e => e.environmentRef),
      ).toEqual(['acme-ai/codemie-dev', 'acme-ai/codemie-prod']);

      expect(await store.deleteEnvironment('acme-ai/codemie-dev')).toBe(true);
      expect(await store.deleteEnvironment('acme-ai/codemie-dev')).toBe(false);
      expect(await store.getEnvironment('acme-ai/codemie-dev')).toBeUndefined();
    },
  );

  it.each(databases.eachSupportedId())(
    'runs its migrations only once on %p',
    async databaseId => {
      const { knex } = await createStore(databaseId);
      const database = mockServices.database.mock({
        getClient: async () => knex,
      });
      // A second plugin instance on the same database (another backend replica) must not fail.
      await expect(CodemieStore.create({ database })).resolves.toBeDefined();
    },
  );
});
