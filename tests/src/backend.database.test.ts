import request from 'supertest';
import { Client } from 'pg';
import { JsonObject } from '@backstage/types';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';

jest.setTimeout(60_000);

const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

/*
 * The codemie plugin configured the way app-config.yaml and app-config.production.yaml configure
 * it (`backend.database`): its migrations run at start-up on that database, and its health
 * route reads its own table. SQLite always; PostgreSQL too when
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set (as .ci/run does).
 */
describe('the codemie plugin on each configured database', () => {
  const prefix = `codemie_test_${process.pid}_`;
  const cases: Array<[string, JsonObject]> = [
    ['better-sqlite3', { client: 'better-sqlite3', connection: ':memory:' }],
  ];
  if (postgres) {
    cases.push(['pg', { client: 'pg', connection: postgres, prefix }]);
  }

  afterAll(async () => {
    if (!postgres) return;
    const client = new Client({ connectionString: postgres });
    await client.connect();
    await client.query(
      `DROP DATABASE IF EXISTS "${prefix}codemie" WITH (FORCE)`,
    );
    await client.end();
  });

  it.each(cases)(
    'starts, migrates and reports healthy on %s',
    async (_, database) => {
      const backend = await startTestBackend({
        features: [
          codemiePlugin,
          mockServices.rootConfig.factory({ data: { backend: { database } } }),
        ],
      });
      try {
        const res = await request(backend.server).get('/api/codemie/health');
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'ok' });
      } finally {
        await backend.stop();
      }
    },
  );

  it('fails to start, naming the database, when PostgreSQL cannot be reached', async () => {
    await expect(
      startTestBackend({
        features: [
          codemiePlugin,
          mockServices.rootConfig.factory({
            data: {
              backend: {
                database: {
                  client: 'pg',
                  connection: { host: '127.0.0.1', port: 1, user: 'postgres' },
                  knexConfig: { acquireConnectionTimeout: 2000 },
                },
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/ECONNREFUSED|connect/);
  });
});
