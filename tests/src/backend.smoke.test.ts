import path from 'node:path';
import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';
import { repoRoot } from './__testUtils__/repoRoot';

/*
 * The portal's backend as packages/backend assembles it: catalog (reading the project's own
 * catalog-info.yaml and, through its Location, the templates), scaffolder, and the codemie plugin.
 */
describe('the portal backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        scaffolderPlugin,
        codemiePlugin,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'Resource',
                    'Location',
                    'Template',
                    'Group',
                  ],
                },
              ],
              processingInterval: { seconds: 1 },
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog-info.yaml'),
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await stop?.();
  });

  const asUser = () => ({ Authorization: mockCredentials.user.header() });

  async function waitForEntity(ref: string): Promise<request.Response> {
    const [kind, namespace, name] = ref.split(/[:/]/);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await request(server)
        .get(`/api/catalog/entities/by-name/${kind}/${namespace}/${name}`)
        .set(asUser());
      if (res.status === 200 || Date.now() > deadline) return res;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  it('ingests the project entities from catalog-info.yaml', async () => {
    for (const ref of [
      'system:default/codemie-on-gcp',
      'component:default/codemie-backend',
      'component:default/codemie',
      'component:default/codemie-node',
      'component:default/scaffolder-backend-module-codemie',
      'component:default/catalog-backend-module-codemie',
      'component:default/codemie-common',
    ]) {
      const res = await waitForEntity(ref);
      expect({ ref, status: res.status }).toEqual({ ref, status: 200 });
    }
    const backendComponent = await waitForEntity(
      'component:default/codemie-backend',
    );
    expect(backendComponent.body.spec).toMatchObject({
      owner: 'group:default/platform-engineering',
      system: 'codemie-on-gcp',
    });
  });

  it('ingests the templates through the Location in catalog-info.yaml', async () => {
    const res = await waitForEntity(
      'template:default/create-codemie-environment',
    );
    expect(res.status).toBe(200);
    expect(res.body.metadata.title).toBe('Create CodeMie environment');
  });

  it('serves the scaffolder actions list', async () => {
    const res = await request(server)
      .get('/api/scaffolder/v2/actions')
      .set(asUser());
    expect(res.status).toBe(200);
    const ids = (res.body as Array<{ id: string }>).map(a => a.id);
    expect(ids).toEqual(expect.arrayContaining(['debug:log', 'fetch:plain']));
  });

  it('answers the codemie health route without credentials', async () => {
    const res = await request(server).get('/api/codemie/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });
});
