import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { sandboxGoogleClientsFactory } from '@codemie-gcp/plugin-codemie-node/testUtils';
import { codemiePlugin } from '../plugin';
import {
  PROJECT,
  createEnvironment,
  createNetwork,
  environmentEntity,
} from '../status/__testUtils__/sandboxEnvironment';

jest.setTimeout(60_000);

const path = '/api/codemie/v1/entities/resource/default/demo/status';
const as = (user: string) => ({
  authorization: mockCredentials.user.header(user),
});

describe('conditional status reads (ETag / If-None-Match)', () => {
  let sandbox: GcpSandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  // Ana and Eve may read the environment; Mallory may see the entity but not its status.
  const authorize = jest.fn(async (_requests: unknown, { credentials }) => [
    {
      result:
        credentials.principal.userEntityRef === 'user:default/mallory'
          ? AuthorizeResult.DENY
          : AuthorizeResult.ALLOW,
    },
  ]);

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.5 });
    sandbox.listen();
    await createNetwork();
    await createEnvironment(sandbox, 'demo');
    backend = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        catalogServiceMock.factory({ entities: [environmentEntity('demo')] }),
        mockServices.permissions.mock({ authorize: authorize as any }).factory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            // A short cache window, so a test can see a new read.
            codemie: {
              status: { cacheTtl: '5s', externalProjects: [PROJECT] },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('answers 304 with no body while the status is the one the client has', async () => {
    const first = await request(backend.server)
      .get(path)
      .set(as('user:default/ana'));
    expect(first.status).toBe(200);
    expect(first.body.entityRef).toBe('resource:default/demo');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    // Browsers and proxies must ask again on every poll, and never share it between users.
    expect(first.headers['cache-control']).toBe('private, no-cache');

    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await request(backend.server)
        .get(path)
        .set(as('user:default/eve'))
        .set('if-none-match', ifNoneMatch);
      expect(again.status).toBe(304);
      expect(again.text ?? '').toBe('');
      expect(again.headers.etag).toBe(etag);
    }
  });

  it('answers 200 with the new status and a new ETag once the status changed', async () => {
    const first = await request(backend.server)
      .get(path)
      .set(as('user:default/ana'));
    // The next read, after the cache window: the status as of a new moment (readAt), so
    // another body.
    await new Promise(r => setTimeout(r, 5_100));
    const changed = await request(backend.server)
      .get(path)
      .set(as('user:default/ana'))
      .set('if-none-match', first.headers.etag);
    expect(changed.status).toBe(200);
    expect(changed.body.readAt).not.toBe(first.body.readAt);
    expect(changed.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
  });

  it('never answers 304 to a user who may not read the status', async () => {
    const allowed = await request(backend.server)
      .get(path)
      .set(as('user:default/ana'));
    const denied = await request(backend.server)
      .get(path)
      .set(as('user:default/mallory'))
      .set('if-none-match', allowed.headers.etag);
    expect(denied.status).toBe(403);
    // (Express tags the error body; never with the status's tag.)
    expect(denied.headers.etag).not.toBe(allowed.headers.etag);
    expect(denied.text).not.toContain('"components"');
    // Nor for an entity that is not there (or not visible to them).
    const unknown = await request(backend.server)
      .get(path.replace('/demo/', '/elsewhere/'))
      .set(as('user:default/ana'))
      .set('if-none-match', '*');
    expect(unknown.status).toBe(404);
  });
});
