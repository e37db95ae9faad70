import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { validateEnvironmentInput } from '@codemie-gcp/plugin-codemie-common';
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

      expect(
        await store.getEnvironmentByEntityRef('Resource:acme-ai/codemie-dev'),
      ).toMatchObject({ environmentRef: 'acme-ai/codemie-dev' });
    },
  );

  const input = (name: string) =>
    validateEnvironmentInput({
      name,
      projectId: 'acme-ai',
      region: 'europe-west1',
      option: 'private',
      bastionMembers: ['group:platform@example.com'],
      domain: 'codemie.example.com',
      sizing: {
        concurrentUsers: 100,
        vectorDatasourceGiB: 20,
        logRetentionDays: 14,
        llmProxyType: 'litellm',
      },
    });
  const claim = (store: CodemieStore, taskId: string, owner: string) =>
    store.claimForCreate({
      request: {
        taskId,
        userRef: `user:default/${taskId}`,
        input: input('dup-a'),
        owner,
        resume: false,
        mayUpdateExisting: false,
      },
      spec: { input: input('dup-a'), tier: 'small' },
    });

  it.each(databases.eachSupportedId())(
    'lets exactly one of two simultaneous creates of a name win on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      const results = await Promise.all(
        ['task-a', 'task-b', 'task-c'].map(t =>
          claim(store, t, `group:default/${t}`),
        ),
      );
      const won = results.filter(r => r.decision.kind === 'create');
      expect(won).toHaveLength(1);
      const record = await store.getEnvironment('acme-ai/dup-a');
      expect(record?.taskId).toBe(won[0].record?.taskId);
      expect(record?.owner).toBe(`group:default/${record?.taskId}`);
      for (const lost of results.filter(r => r.decision.kind !== 'create')) {
        expect(lost.decision).toEqual({
          kind: 'refuse',
          reason: expect.stringContaining('dup-a already exists in acme-ai'),
        });
      }
    },
  );

  it.each(databases.eachSupportedId())(
    'lets only the holding task change a record, along the lifecycle, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await claim(store, 'task-a', 'group:default/a');
      await expect(
        store.updateEnvironment('acme-ai/dup-a', {
          taskId: 'task-b',
          state: 'provisioning',
        }),
      ).rejects.toThrow('held by task task-a, not by this task task-b');
      await expect(
        store.updateEnvironment('acme-ai/dup-a', {
          taskId: 'task-a',
          state: 'ready',
        }),
      ).rejects.toThrow('is planned; it cannot become ready');
      await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'task-a',
        state: 'provisioning',
      });
      const failed = await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'task-a',
        state: 'failed',
        lastError: 'provision: quota',
      });
      // A failed step never rewrites the inputs or the owner.
      expect(failed).toMatchObject({
        state: 'failed',
        lastError: 'provision: quota',
        owner: 'group:default/a',
        spec: { input: input('dup-a') },
      });
      // A destroy authorized elsewhere takes the record over.
      await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'task-d',
        state: 'destroying',
        takeOver: true,
      });
      const gone = await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'task-d',
        state: 'gone',
      });
      expect(gone).toMatchObject({ state: 'gone', taskId: 'task-d' });
      // The name is free again.
      expect(
        (await claim(store, 'task-e', 'group:default/e')).decision,
      ).toEqual({ kind: 'create' });
    },
  );

  it.each(databases.eachSupportedId())(
    'records a resize: the new spec and outputs together, never another identity, on %p',
    async databaseId => {
      const { store } = await createStore(databaseId);
      await store.upsertEnvironment({
        projectId: 'acme-ai',
        name: 'dup-a',
        owner: 'group:default/a',
        taskId: 'create-task',
        state: 'ready',
        spec: { input: input('dup-a'), tier: 'medium' },
        outputs: { clusterName: 'c', deployed: { images: {} } },
      });
      await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'resize-task',
        state: 'resizing',
        takeOver: true,
        mergeOutputs: { resize: { to: 'large' } },
      });
      const larger = {
        input: {
          ...input('dup-a'),
          sizing: { ...input('dup-a').sizing, concurrentUsers: 250 },
        },
        tier: 'custom',
      };
      await expect(
        store.updateEnvironment('acme-ai/dup-a', {
          taskId: 'resize-task',
          state: 'ready',
          spec: { ...larger, input: { ...larger.input, name: 'other' } },
        }),
      ).rejects.toThrow('cannot be recorded as acme-ai/other');
      const done = await store.updateEnvironment('acme-ai/dup-a', {
        taskId: 'resize-task',
        state: 'ready',
        spec: larger,
        mergeOutputs: { resize: null, nodePool: 'dup-a-pool-2' },
      });
      expect(done).toMatchObject({
        state: 'ready',
        taskId: 'resize-task',
        spec: { tier: 'custom', input: { sizing: { concurrentUsers: 250 } } },
        outputs: { clusterName: 'c', nodePool: 'dup-a-pool-2', resize: null },
      });
      // Owner and creator never change with a resize.
      expect(done.owner).toBe('group:default/a');
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
