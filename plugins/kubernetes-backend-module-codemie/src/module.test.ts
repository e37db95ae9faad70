import request from 'supertest';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  CodemieEnvironmentStore,
  EnvironmentRecord,
  codemieEnvironmentStoreServiceRef,
  environmentEntity,
} from '@codemie-gcp/plugin-codemie-node';
import {
  sandboxGoogleClients,
  sandboxGoogleClientsFactory,
} from '@codemie-gcp/plugin-codemie-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { CODEMIE_ENVIRONMENTS_CHANGED_TOPIC } from '@codemie-gcp/plugin-codemie-node';
import kubernetesModuleCodemieClusters, {
  CodemieClusterSupplier,
} from './index';
import { kubernetesBackendUnderJest } from './testUtils';

kubernetesBackendUnderJest();
// After the line above: the plugin's files that import @kubernetes/client-node are replaced.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kubernetesPlugin =
  require('@backstage/plugin-kubernetes-backend').default;

const PROJECT = 'acme-k8s-tab';
const REGION = 'europe-west3';

/** A small workload carrying the environment's `backstage.io/kubernetes-id` label. */
function workload(name: string) {
  const labels = { app: 'api', 'backstage.io/kubernetes-id': name };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'codemie' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `${name}-api`, namespace: 'codemie', labels },
      spec: {
        replicas: 2,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name: 'api',
                image: 'registry.example.com/api:1',
                resources: { requests: { cpu: '100m', memory: '128Mi' } },
              },
            ],
          },
        },
      },
    },
  ];
}

function record(name: string, clusterName?: string): EnvironmentRecord {
  return {
    environmentRef: `${PROJECT}/${name}`,
    projectId: PROJECT,
    name,
    owner: 'group:default/team-a',
    entityRef: `resource:${PROJECT}/${name}`,
    state: 'ready',
    spec: {
      input: {
        name,
        projectId: PROJECT,
        region: REGION,
        option: 'private',
        domain: `${name}.example.com`,
        sizing: {},
      },
      tier: 'small',
    },
    outputs: clusterName ? { clusterName } : {},
    createdAt: new Date(),
    updatedAt: new Date(),
  };
}

describe('the Kubernetes tab of CodeMie environments', () => {
  let sandbox: GcpSandbox;
  const records: EnvironmentRecord[] = [];

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.5 });
    sandbox.listen();
    for (const name of ['dev', 'prod']) {
      const installed = await sandbox.seedDemo({
        projectId: PROJECT,
        name,
        region: REGION,
        objects: workload(name) as any,
        crashLoop: null,
      });
      records.push(record(name, installed.cluster));
    }
  }, 60_000);

  afterAll(() => sandbox.close());

  /** The events service every plugin of the test backend shares, as in one backend process. */
  const events = mockServices.events();

  async function startBackend(environments: EnvironmentRecord[]) {
    const store: Partial<CodemieEnvironmentStore> = {
      listEnvironments: async () => environments,
    };
    return startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleCodemieClusters,
        sandboxGoogleClientsFactory,
        createServiceFactory({
          service: eventsServiceRef,
          deps: {},
          factory: () => events,
        }),
        // The plugin reads the entity from the catalog, not from the request.
        catalogServiceMock.factory({
          entities: environments.map(r => environmentEntity(r)),
        }),
        createServiceFactory({
          service: codemieEnvironmentStoreServiceRef,
          deps: {},
          factory: () => store as CodemieEnvironmentStore,
        }),
        mockServices.rootConfig.factory({
          data: {
            kubernetes: {
              serviceLocatorMethod: { type: 'singleTenant' },
              clusterLocatorMethods: [],
              objectTypes: ['pods', 'deployments'],
            },
          },
        }),
      ],
    });
  }

  it("shows an environment's pods from its own cluster only, without any cluster in app-config", async () => {
    const backend = await startBackend(records);
    try {
      // What the Kubernetes tab sends: the entity it shows.
      const entity = environmentEntity(records[0]);
      const res = await request(backend.server)
        .post('/api/kubernetes/services/dev')
        .set('Authorization', mockCredentials.user.header())
        .send({ entity });

      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(1);
      const [item] = res.body.items;
      expect(item.cluster).toMatchObject({
        name: `${PROJECT}/dev`,
        title: `dev-gke (${REGION})`,
        dashboardApp: 'gke',
      });
      expect(item.errors).toEqual([]);
      const pods = item.resources.find((r: any) => r.type === 'pods').resources;
      expect(pods).toHaveLength(2);
      expect(
        pods.every((p: any) => p.metadata.name.startsWith('dev-api-')),
      ).toBe(true);
    } finally {
      await backend.stop();
    }
    // The first request compiles @kubernetes/client-node for Jest.
  }, 60_000);

  it('lists every environment with a cluster, and never hands out the token it calls them with', async () => {
    const backend = await startBackend([
      ...records,
      // Not provisioned yet, and destroyed: no cluster to show.
      record('planned'),
      {
        ...record('old', (records[0].outputs as any).clusterName),
        state: 'gone',
      },
    ] as EnvironmentRecord[]);
    try {
      const res = await request(backend.server)
        .get('/api/kubernetes/clusters')
        .set('Authorization', mockCredentials.user.header());

      expect(res.status).toBe(200);
      expect(res.body.items.map((c: any) => c.name)).toEqual([
        `${PROJECT}/dev`,
        `${PROJECT}/prod`,
      ]);
      expect(res.body.items[0].authProvider).toBe('serviceAccount');
      expect(JSON.stringify(res.body)).not.toContain('sandbox-access-token');
    } finally {
      await backend.stop();
    }
  });

  it('shows a changed set of environments as soon as the codemie plugin announces the change', async () => {
    const environments = [...records];
    const backend = await startBackend(environments);
    const clusterNames = async () =>
      (
        await request(backend.server)
          .get('/api/kubernetes/clusters')
          .set('Authorization', mockCredentials.user.header())
      ).body.items.map((c: any) => c.name);
    try {
      expect(await clusterNames()).toEqual([
        `${PROJECT}/dev`,
        `${PROJECT}/prod`,
      ]);
      environments.pop(); // prod destroyed
      expect(await clusterNames()).toHaveLength(2); // within the refresh interval

      await events.publish({
        topic: CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
        eventPayload: {},
      });
      expect(await clusterNames()).toEqual([`${PROJECT}/dev`]);
    } finally {
      await backend.stop();
    }
  });

  it('leaves out an environment whose cluster cannot be described and serves the others', async () => {
    const lost = record(
      'lost',
      `projects/${PROJECT}/locations/${REGION}/clusters/lost-gke`,
    );
    const logger = mockServices.logger.mock();
    const supplier = new CodemieClusterSupplier({
      store: { listEnvironments: async () => [...records, lost] } as any,
      google: sandboxGoogleClients(),
      logger,
    });

    const clusters = await supplier.getClusters();

    expect(clusters.map(c => c.name)).toEqual([
      `${PROJECT}/dev`,
      `${PROJECT}/prod`,
    ]);
    // The sandbox's API server: its loopback address and its own CA, as GKE reports them.
    expect(clusters[0].url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(
      Buffer.from(clusters[0].caData!, 'base64').toString('utf8'),
    ).toContain('BEGIN CERTIFICATE');
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining(`the cluster of ${PROJECT}/lost is left out`),
    );
  });
});
