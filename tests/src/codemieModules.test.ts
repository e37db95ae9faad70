import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  EntityProvider,
  EntityProviderConnection,
  catalogProcessingExtensionPoint,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import {
  SIZING_PRESETS,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';
import scaffolderModuleCodemie from '@codemie-gcp/plugin-scaffolder-backend-module-codemie';
import catalogModuleCodemieEnvironments from '@codemie-gcp/plugin-catalog-backend-module-codemie';
import {
  CodemieEnvironmentStore,
  CodemieEnvironmentsClient,
  codemieEnvironmentStoreServiceRef,
} from '@codemie-gcp/plugin-codemie-node';
import { sandboxGoogleClientsFactory } from '@codemie-gcp/plugin-codemie-node/testUtils';

jest.setTimeout(120_000);

/*
 * The codemie plugin and both modules in one backend, as packages/backend runs them: the scaffolder's
 * and the catalog's modules reach the plugin's records over its internal API (never its
 * database), and the catalog hears of a change through the events service.
 */
describe('codemie plugin with its scaffolder and catalog modules', () => {
  it('shows a claim made by the scaffolder module to the plugin and the catalog at once', async () => {
    let scaffolderStore: CodemieEnvironmentStore | undefined;
    const actions: { id: string }[] = [];
    const providers: EntityProvider[] = [];

    const backend = await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          { addActions: (...a: any[]) => actions.push(...a) },
        ],
        [
          catalogProcessingExtensionPoint,
          { addEntityProvider: (...p: any[]) => providers.push(...p.flat()) },
        ],
      ],
      features: [
        codemiePlugin,
        scaffolderModuleCodemie,
        catalogModuleCodemieEnvironments,
        // No Google call is made; the scaffolder module and the plugin only need clients.
        sandboxGoogleClientsFactory,
        // What the scaffolder module's actions get from the service.
        createBackendModule({
          pluginId: 'scaffolder',
          moduleId: 'store-probe',
          register(env) {
            env.registerInit({
              deps: { store: codemieEnvironmentStoreServiceRef },
              async init({ store }) {
                scaffolderStore = store;
              },
            });
          },
        }),
        catalogServiceMock.factory(),
        // The in-process events service createBackend installs (the test default keeps each
        // plugin's events to itself).
        eventsServiceFactory,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            events: { useEventBus: 'never' },
          },
        }),
      ],
    });
    try {
      expect(actions.map(a => a.id)).toContain('codemie:plan');
      expect(scaffolderStore).toBeInstanceOf(CodemieEnvironmentsClient);
      expect(providers).toHaveLength(1);

      const applyMutation = jest.fn();
      const connection: EntityProviderConnection = {
        applyMutation,
        refresh: jest.fn(),
      };
      await providers[0].connect(connection);
      expect(applyMutation).toHaveBeenLastCalledWith({
        type: 'full',
        entities: [],
      });

      const input = validateEnvironmentInput({
        name: 'codemie-dev',
        projectId: 'acme-ai',
        region: 'europe-west3',
        option: 'public',
        allowedNetworks: ['203.0.113.0/24'],
        domain: 'dev.example.com',
        sizing: SIZING_PRESETS.small,
      });
      const claim = await scaffolderStore!.claimForCreate({
        request: {
          taskId: 'task-1',
          userRef: 'user:default/ana',
          input,
          owner: 'group:default/platform-engineering',
          resume: false,
          mayUpdateExisting: false,
        },
        spec: { input, tier: 'small' },
      });
      expect(claim.decision).toEqual({ kind: 'create' });

      // The plugin's own API (the create form's "is this name free?") sees the record.
      const asked = await request(backend.server)
        .get('/api/codemie/v1/environments/acme-ai/codemie-dev')
        .set('Authorization', mockCredentials.user.header('user:default/ana'));
      expect(asked.status).toBe(200);
      expect(asked.body).toMatchObject({
        exists: true,
        state: 'planned',
        owner: 'group:default/platform-engineering',
      });

      // The catalog provider heard of it without waiting for its scheduled refresh.
      await waitFor(() =>
        expect(applyMutation).toHaveBeenLastCalledWith({
          type: 'full',
          entities: [
            expect.objectContaining({
              entity: expect.objectContaining({
                metadata: expect.objectContaining({ name: 'codemie-dev' }),
              }),
            }),
          ],
        }),
      );
    } finally {
      await backend.stop();
    }
  });
});

async function waitFor(check: () => void, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}
