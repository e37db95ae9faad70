import { TestDatabases } from '@backstage/backend-test-utils';
import { EnvironmentLockedError, EnvironmentLocks } from './EnvironmentLocks';
import { CodemieStore } from './CodemieStore';
import { mockServices } from '@backstage/backend-test-utils';

jest.setTimeout(60_000);

describe('EnvironmentLocks', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    // No Docker on these machines: PostgreSQL runs only when its connection string is set.
    disableDocker: true,
  });

  async function setup(databaseId: string) {
    const knex = await databases.init(databaseId as any);
    await CodemieStore.create({
      database: mockServices.database.mock({ getClient: async () => knex }),
    });
    return knex;
  }

  it.each(databases.eachSupportedId())(
    'lets one holder at a time change an environment on %p, across instances',
    async databaseId => {
      const knex = await setup(databaseId);
      // Two instances: two backend replicas sharing the database.
      const replicaA = new EnvironmentLocks(knex);
      const replicaB = new EnvironmentLocks(knex);

      const lease = await replicaA.acquire('acme/dev', 'task-1');
      const refused = await replicaB
        .acquire('acme/dev', 'task-2')
        .catch(e => e);
      expect(refused).toBeInstanceOf(EnvironmentLockedError);
      expect(refused.message).toContain('acme/dev is being changed by task-1');

      // Other environments are independent.
      const other = await replicaB.acquire('acme/prod', 'task-2');
      await other.release();

      await lease.release();
      const next = await replicaB.acquire('acme/dev', 'task-2');
      await next.release();
    },
  );

  it.each(databases.eachSupportedId())(
    'gives exactly one of many simultaneous callers the lease on %p',
    async databaseId => {
      const knex = await setup(databaseId);
      const results = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          new EnvironmentLocks(knex).acquire('acme/dev', `task-${i}`),
        ),
      );
      const winners = results.filter(r => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      await (winners[0] as PromiseFulfilledResult<any>).value.release();
    },
  );

  it.each(databases.eachSupportedId())(
    'takes over an expired lease and lets the same task resume on %p',
    async databaseId => {
      const knex = await setup(databaseId);
      let clock = new Date('2026-11-26T10:00:00Z');
      const locks = new EnvironmentLocks(knex, {
        leaseSeconds: 60,
        now: () => clock,
      });
      await locks.acquire('acme/dev', 'task-1');
      // The same task, resumed after a restart, gets its lease back at once.
      const resumed = await locks.acquire('acme/dev', 'task-1');
      await expect(locks.acquire('acme/dev', 'task-2')).rejects.toThrow(
        EnvironmentLockedError,
      );
      // A crashed holder's lease expires.
      clock = new Date('2026-11-26T10:05:00Z');
      const takeover = await locks.acquire('acme/dev', 'task-2');
      await takeover.release();
      await resumed.release();
    },
  );
});
