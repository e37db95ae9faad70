import request from 'supertest';
import Router from 'express-promise-router';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { ConfigReader } from '@backstage/config';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  SIZING_PRESETS,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieEnvironmentsClient,
  EnvironmentLockedError,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '../database/CodemieStore';
import { createEnvironmentsRouter } from './createEnvironmentsRouter';

jest.setTimeout(60_000);

const input = validateEnvironmentInput({
  name: 'codemie-dev',
  projectId: 'acme-ai',
  region: 'europe-west3',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: 'dev.example.com',
  sizing: SIZING_PRESETS.small,
});
const claim = (taskId: string) => ({
  request: {
    taskId,
    userRef: 'user:default/ana',
    input,
    owner: 'group:default/platform-engineering',
    resume: false,
    mayUpdateExisting: false,
  },
  spec: { input, tier: 'small' },
});

/** What the scaffolder module sends: the scaffolder plugin's own service token. */
const scaffolderToken = mockCredentials.service.header({
  onBehalfOf: mockCredentials.service('plugin:scaffolder'),
  targetPluginId: 'codemie',
});

/*
 * The internal environments API on the plugin's database, in a test backend (Backstage's auth
 * and error handling), called as the codemie modules call it: with supertest and the client.
 */
describe('/api/codemie/internal/environments', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let client: CodemieEnvironmentsClient;

  beforeEach(async () => {
    backend = await startTestBackend({
      features: [
        createBackendPlugin({
          pluginId: 'codemie',
          register(env) {
            env.registerInit({
              deps: {
                database: coreServices.database,
                httpAuth: coreServices.httpAuth,
                httpRouter: coreServices.httpRouter,
              },
              async init({ database, httpAuth, httpRouter }) {
                const store = await CodemieStore.create({ database });
                httpRouter.use(
                  Router().use(
                    '/internal/environments',
                    createEnvironmentsRouter({ store, httpAuth }),
                  ),
                );
              },
            });
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
          },
        }),
      ],
    });
    const port = backend.server.address();
    const discovery = HostDiscovery.fromConfig(
      new ConfigReader({
        backend: {
          baseUrl: `http://localhost:${(port as any).port}`,
          listen: { port: (port as any).port },
        },
      }),
    );
    client = new CodemieEnvironmentsClient({
      discovery,
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
  });

  afterEach(() => backend.stop());

  it('serves a backend plugin and refuses users, external callers and anonymous requests', async () => {
    const path = '/api/codemie/internal/environments';
    await request(backend.server)
      .get(path)
      .set('Authorization', scaffolderToken)
      .expect(200, []);

    const asUser = await request(backend.server)
      .get(path)
      .set('Authorization', mockCredentials.user.header('user:default/ana'));
    expect(asUser.status).toBe(403);
    expect(asUser.body.error.name).toBe('NotAllowedError');

    const asExternal = await request(backend.server)
      .get(path)
      .set('Authorization', mockCredentials.service.header());
    expect(asExternal.status).toBe(403);

    await request(backend.server)
      .post(`${path}/claims`)
      .set('Authorization', mockCredentials.none.header())
      .send(claim('task-1'))
      .expect(401);
    // Nothing was claimed by the refused requests.
    expect(await client.listEnvironments()).toEqual([]);
  });

  it('answers a malformed body with 400 naming the field', async () => {
    const response = await request(backend.server)
      .post('/api/codemie/internal/environments/changes')
      .set('Authorization', scaffolderToken)
      .send({ environmentRef: 'acme-ai/codemie-dev', change: { state: 'up' } });
    expect(response.status).toBe(400);
    expect(response.body.error.name).toBe('InputError');
    expect(response.body.error.message).toMatch(/^change\.taskId: /);
  });

  it('claims, reads and changes records through the client, with the store’s errors', async () => {
    const first = await client.claimForCreate(claim('task-1'));
    expect(first.decision).toEqual({ kind: 'create' });
    expect(first.record).toMatchObject({
      environmentRef: 'acme-ai/codemie-dev',
      entityRef: 'resource:acme-ai/codemie-dev',
      state: 'planned',
      taskId: 'task-1',
      owner: 'group:default/platform-engineering',
    });
    expect(first.record!.createdAt).toBeInstanceOf(Date);

    // A second create of the name is refused, and changes nothing.
    const second = await client.claimForCreate(claim('task-2'));
    expect(second.decision.kind).toBe('refuse');
    expect(second.record).toBeUndefined();

    // Compare-and-set: only the holding task moves the record (409 → ConflictError).
    const stolen = client.updateEnvironment('acme-ai/codemie-dev', {
      taskId: 'task-2',
      state: 'provisioning',
    });
    await expect(stolen).rejects.toBeInstanceOf(ConflictError);
    await expect(stolen).rejects.toThrow(/held by task task-1/);
    // The lifecycle is the other half of the check.
    await expect(
      client.updateEnvironment('acme-ai/codemie-dev', {
        taskId: 'task-1',
        state: 'ready',
      }),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      client.updateEnvironment('acme-ai/nothing-here', {
        taskId: 'task-1',
        state: 'provisioning',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);

    const moved = await client.updateEnvironment('acme-ai/codemie-dev', {
      taskId: 'task-1',
      state: 'provisioning',
      mergeOutputs: { network: 'codemie-dev-vpc' },
    });
    expect(moved).toMatchObject({
      state: 'provisioning',
      outputs: { network: 'codemie-dev-vpc' },
    });
    expect(await client.getEnvironment('acme-ai/codemie-dev')).toEqual(moved);
    expect(
      await client.getEnvironmentByEntityRef('Resource:acme-ai/codemie-dev'),
    ).toEqual(moved);
    expect(await client.getEnvironment('acme-ai/other')).toBeUndefined();
  });

  it('holds a lease for one task at a time', async () => {
    const lease = await client.locks.acquire('acme-ai/codemie-dev', 'task 1');
    const refused = client.locks.acquire('acme-ai/codemie-dev', 'task 2');
    await expect(refused).rejects.toBeInstanceOf(EnvironmentLockedError);
    await expect(refused).rejects.toThrow(/being changed by task 1/);
    await lease.release();
    const next = await client.locks.acquire('acme-ai/codemie-dev', 'task 2');
    await next.release();
  });
});
