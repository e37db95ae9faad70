import request from 'supertest';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';

jest.setTimeout(60_000);

/*
 * The codemie plugin inside a backend whose database is SQLite, and PostgreSQL too when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set: its migrations run at start-up
 * and its health route reads its own table.
 */
describe('the codemie plugin on each supported database', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  it.each(databases.eachSupportedId())(
    'starts, migrates and reports healthy on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      const backend = await startTestBackend({
        features: [codemiePlugin, mockServices.database.factory({ knex })],
      });
      try {
        const res = await request(backend.server).get('/api/codemie/health');
        expect(res.status).toBe(200);
        expect(await knex.schema.hasTable('codemie_environments')).toBe(true);
      } finally {
        await backend.stop();
      }
    },
  );

  it('reports the failure when its database is unreachable', async () => {
    const knex = await databases.init('SQLITE_3');
    const backend = await startTestBackend({
      features: [codemiePlugin, mockServices.database.factory({ knex })],
    });
    try {
      await knex.destroy();
      const res = await request(backend.server).get('/api/codemie/health');
      expect(res.status).toBe(500);
    } finally {
      await backend.stop();
    }
  });
});
