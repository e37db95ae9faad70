import request from 'supertest';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  BUNDLED_PRICES,
  type EnvironmentStatus,
} from '@codemie-gcp/plugin-codemie-common';
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { codemiePlugin } from '../plugin';
import {
  environmentEntity as providerEntity,
  type EnvironmentRecord,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '../database/CodemieStore';
import {
  SIZING_PRESETS,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import type { UsageSample } from '../status/adviseSizing';
import {
  PROJECT,
  REGION,
  SandboxKubernetes,
  clusterName,
  createCloudSql,
  createEnvironment,
  createDnsZone,
  createNetwork,
  environmentEntity,
  ingressService,
} from '../status/__testUtils__/sandboxEnvironment';
import { sandboxGoogleClientsFactory } from '@codemie-gcp/plugin-codemie-node/testUtils';

jest.setTimeout(60_000);

const config = {
  backend: { database: { client: 'better-sqlite3', connection: ':memory:' } },
  codemie: {
    // The hand-written entities below describe environments "created elsewhere" in this
    // allow-listed project; the portal's own are read from their records.
    status: {
      cacheTtl: '30s',
      timeout: { seconds: 10 },
      externalProjects: [PROJECT],
    },
  },
};

/** An environment recorded by the portal, as its create task would leave it. */
function recordOf(
  name: string,
  patch: Partial<EnvironmentRecord> & { outputs?: object } = {},
): EnvironmentRecord {
  const input = validateEnvironmentInput({
    name,
    projectId: PROJECT,
    region: REGION,
    regional: false,
    option: 'public',
    allowedNetworks: ['203.0.113.0/24'],
    domain: `${name}.example.com`,
    sizing: SIZING_PRESETS.small,
  });
  return {
    environmentRef: `${PROJECT}/${name}`,
    projectId: PROJECT,
    name,
    owner: 'group:default/platform-engineering',
    createdBy: 'user:default/mock',
    taskId: `create-${name}`,
    entityRef: `resource:${PROJECT}/${name}`,
    state: 'ready',
    spec: { input, tier: 'small' },
    outputs: {
      clusterName: clusterName('demo'),
      sqlConnectionName: `${PROJECT}:${REGION}:demo-pg`,
    },
    createdAt: new Date(),
    updatedAt: new Date(),
    ...patch,
  };
}
const managed = recordOf('managed');
const halfway = recordOf('halfway', {
  state: 'failed',
  lastError:
    'provision: quota exceeded (CPUS): region europe-west3 allows 24; request more at https://console.cloud.google.com/iam-admin/quotas?project=codemie-status-test',
  outputs: {},
});

const path = (name: string, what = 'status') =>
  `/api/codemie/v1/entities/resource/default/${name}/${what}`;

function component(status: EnvironmentStatus, id: string) {
  const c = status.components.find(x => x.id === id);
  if (!c) throw new Error(`no component ${id}`);
  return c;
}

/** A test module of the codemie plugin that hands out a store on the plugin's database. */
function storeGrabber(onStore: (store: CodemieStore) => void) {
  return createBackendModule({
    pluginId: 'codemie',
    moduleId: 'store-grabber',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          onStore(await CodemieStore.create({ database }));
        },
      });
    },
  });
}

/** Hourly samples of the small tier's API over `hours`, at `cpuFraction` of its 1 vCPU request. */
function apiHistory(
  now: number,
  hours: number,
  cpuFraction: number,
): UsageSample[] {
  return Array.from({ length: hours + 1 }, (_, i) => ({
    at: now - (hours - i) * 3_600_000,
    component: 'codemie-api',
    pods: 1,
    cpuUsage: 1000 * cpuFraction,
    cpuRequests: 1000,
    memoryUsage: 900,
    memoryRequests: 2048,
  }));
}

/*
 * The status API end to end: the plugin in a test backend, a catalog holding the environments'
 * entities, and the GCP sandbox serving GKE, Cloud SQL and each cluster's Kubernetes API.
 */
describe('GET /api/codemie/v1/entities/{kind}/{namespace}/{name}/status', () => {
  let sandbox: GcpSandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const clusters: Record<string, SandboxKubernetes> = {};
  let store: CodemieStore;

  const entities = [
    environmentEntity('demo', {
      cloudSql: `codemie-status-test:europe-west3:demo-pg`,
      domain: 'demo.example.com',
    }),
    environmentEntity('crashing'),
    environmentEntity('undersized'),
    environmentEntity('broken-image'),
    environmentEntity('gone'),
    environmentEntity('lost-server'),
    environmentEntity('busy'),
    // The portal's own environments, as its catalog provider serves them.
    providerEntity(managed),
    providerEntity(halfway),
    // A look-alike a catalog author wrote: its annotations name the demo's cluster, from a
    // project nobody allowed.
    {
      ...environmentEntity('lookalike', { cluster: clusterName('demo') }),
      metadata: {
        ...environmentEntity('lookalike', { cluster: clusterName('demo') })
          .metadata,
        annotations: {
          ...environmentEntity('lookalike', { cluster: clusterName('demo') })
            .metadata.annotations,
          'codemie.ai/gcp-project': 'evil-project',
        },
      },
    },
    // Another one: an allow-listed project's annotation, but a cluster in a different project.
    environmentEntity('cross-project', {
      cluster: `projects/someone-else/locations/${REGION}-a/clusters/theirs`,
    }),
    environmentEntity('dns-drift', { domain: 'drift.example.com' }),
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'not-an-environment', namespace: 'default' },
      spec: { type: 'service', owner: 'x', lifecycle: 'production' },
    },
  ];

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.5 });
    sandbox.listen();
    await createNetwork();
    const [demo, crashing, undersized, brokenImage, lostServer] =
      await Promise.all([
        createEnvironment(sandbox, 'demo', {
          objects: [ingressService('demo', '34.0.0.10')],
        }),
        createEnvironment(sandbox, 'crashing', {
          crashLoop: { namespace: 'codemie', component: 'mcp-connect' },
        }),
        // The small tier asks ~11 vCPU; one e2-standard-4 node (at its autoscaling max) holds ~3.
        createEnvironment(sandbox, 'undersized', {
          pool: { machineType: 'e2-standard-4', nodes: 1, maxNodes: 1 },
        }),
        createEnvironment(sandbox, 'broken-image', {
          image: id =>
            id === 'mermaid-server'
              ? 'europe-west3-docker.pkg.dev/epam/prod/mermaid-server:9.9.9-missing'
              : undefined,
          before: k8s => k8s.behaviour.missingImage('9.9.9-missing'),
        }),
        createEnvironment(sandbox, 'lost-server'),
        createCloudSql('demo-pg', 30),
        createDnsZone('codemie-status-test', 'demo-zone', 'demo.example.com', {
          codemie: '34.0.0.10',
          keycloak: '34.0.0.10',
          kibana: '34.0.0.10',
        }),
        // kibana. still points at an old address; keycloak. has no record.
        createEnvironment(sandbox, 'dns-drift', {
          objects: [ingressService('dns-drift', '34.0.0.20')],
        }),
        createDnsZone(
          'codemie-status-test',
          'drift-zone',
          'drift.example.com',
          {
            codemie: '34.0.0.20',
            kibana: '34.0.0.99',
          },
        ),
        // The API runs hot: 90% of its CPU request.
        createEnvironment(sandbox, 'busy', {
          before: k8s =>
            k8s.behaviour.usage({ component: 'codemie-api' }, { cpu: 0.9 }),
        }),
      ]);
    Object.assign(clusters, {
      demo: demo.k8s,
      crashing: crashing.k8s,
      undersized: undersized.k8s,
      brokenImage: brokenImage.k8s,
    });
    await lostServer.k8s.stop();

    backend = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: config }),
        storeGrabber(s => {
          store = s;
        }),
      ],
    });
    for (const record of [managed, halfway]) {
      await store.upsertEnvironment(record);
    }
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  it('reports the healthy demo environment: every component ready, resources three ways, cluster and database', async () => {
    const res = await request(backend.server).get(path('demo'));
    expect(res.status).toBe(200);
    const status: EnvironmentStatus = res.body;
    expect(status.entityRef).toBe('resource:default/demo');
    expect(Date.now() - Date.parse(status.readAt)).toBeLessThan(60_000);
    // The architecture page's twelve rows and the ingress controller; the small tier leaves NATS out.
    expect(status.components).toHaveLength(13);
    expect(status.verdict).toMatchObject({
      health: 'ok',
      healthyComponents: 12,
      enabledComponents: 12,
    });
    expect(status.components.map(c => c.id)).toEqual(
      expect.arrayContaining([
        'codemie-api',
        'elasticsearch',
        'keycloak',
        'fluent-bit',
        'postgresql',
        'nats',
      ]),
    );
    expect(component(status, 'nats')).toMatchObject({
      enabled: false,
      pods: { expected: 0, ready: 0 },
    });

    const api = component(status, 'codemie-api');
    // Small tier: one API replica of 1 vCPU / 2Gi, limit 2 vCPU.
    expect(api).toMatchObject({
      health: 'ok',
      workloadKind: 'Deployment',
      namespace: 'codemie',
    });
    expect(api.pods).toMatchObject({
      expected: 1,
      desired: 1,
      ready: 1,
      available: 1,
      restarts: 0,
    });
    expect(api.cpu).toMatchObject({
      requests: 1000,
      limits: 2000,
      baseline: 1000,
    });
    expect(api.cpu.usage).toBeGreaterThan(0);
    expect(api.cpu.usage).toBeLessThan(1000);
    expect(api.memory).toMatchObject({
      requests: 2048,
      limits: 2048,
      baseline: 2048,
    });
    expect(api.podRows[0]).toMatchObject({
      phase: 'Running',
      ready: true,
      state: 'Running',
      health: 'ok',
    });
    expect(api.podRows[0].node).toMatch(/^gke-demo-codemie-pool-/);

    // Keycloak's "+ DB" is the Cloud SQL database: its row has Keycloak's pod only.
    expect(
      component(status, 'keycloak')
        .podRows.map(p => p.name)
        .sort(),
    ).toEqual(['keycloak-0']);
    // DaemonSet: one pod per node.
    expect(component(status, 'fluent-bit').pods).toMatchObject({
      expected: 2,
      ready: 2,
    });

    const es = component(status, 'elasticsearch');
    expect(es.storage?.capacityGiB).toBe((2 * es.storage!.baselineGiB) / 2);
    expect(es.storage?.usedGiB).toBeGreaterThan(0);
    expect(es.storage!.usedGiB!).toBeLessThan(es.storage!.capacityGiB);

    expect(status.metricsAvailable).toBe(true);
    expect(status.totals.cpu.requests).toBe(
      status.components.reduce((a, c) => a + c.cpu.requests, 0),
    );
    expect(status.totals.cpu.baseline).toBeGreaterThanOrEqual(
      status.totals.cpu.requests,
    );

    expect(status.cluster).toMatchObject({
      name: clusterName('demo'),
      location: 'europe-west3-a',
      status: 'RUNNING',
      nodePool: {
        name: 'codemie-pool',
        machineType: 'e2-standard-8',
        nodes: 2,
        minNodes: 2,
        maxNodes: 4,
      },
    });
    expect(status.cluster.allocatable.cpu).toBe(2 * 7910);
    expect(status.cluster.requested.cpu).toBeGreaterThan(
      status.totals.cpu.requests,
    );

    expect(status.database).toMatchObject({
      instance: 'codemie-status-test:europe-west3:demo-pg',
      state: 'RUNNABLE',
      tier: 'db-custom-1-3840',
      diskSizeGiB: 30,
    });
    expect(component(status, 'postgresql')).toMatchObject({
      health: 'ok',
      // 30 GB + 1 per 25 users + Keycloak's 1 GB.
      storage: { capacityGiB: 30, baselineGiB: 32 },
    });
    expect(status.monthlyCostUsd).toBeGreaterThan(100);
    // The entity page's bill: the same lines as the sizing preview, summing to the total.
    expect(status.cost!.totalMonthlyUsd).toBe(status.monthlyCostUsd);
    expect(status.cost!.lines.map(l => l.item)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Cloud SQL backups/),
        expect.stringMatching(/^Network egress/),
        expect.stringMatching(/^Cloud Logging/),
      ]),
    );
    expect(status.access.codemieUrl).toBe('https://codemie.demo.example.com');
    expect(status.access.getCredentialsCommand).toBe(
      'gcloud container clusters get-credentials demo --location europe-west3-a --project codemie-status-test',
    );
    expect(status.problems).toEqual([]);
    // A fresh environment has no history yet: no advice, and the page is told why.
    expect(status.advice).toEqual([]);
    expect(status.adviceNote).toMatch(/advice needs 24 h/);
  });

  it('prices the bill with codemie.prices, as the form and the plan do (negotiated prices)', async () => {
    const bundled: EnvironmentStatus = (
      await request(backend.server).get(path('demo'))
    ).body;
    const machineType = bundled.cluster.nodePool!.machineType;
    const region = 'europe-west3';
    const listHour =
      BUNDLED_PRICES.machineTypes[machineType].price[region].hour;
    const negotiated = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            ...config,
            codemie: {
              ...config.codemie,
              prices: {
                machineTypes: {
                  [machineType]: {
                    price: { [region]: { hour: listHour / 2 } },
                  },
                },
              },
            },
          },
        }),
      ],
    });
    try {
      const res = await request(negotiated.server).get(path('demo'));
      expect(res.status).toBe(200);
      const status: EnvironmentStatus = res.body;
      const nodes = (s: EnvironmentStatus) =>
        s.cost!.lines.filter(l => l.item.includes(machineType));
      expect(nodes(status).length).toBeGreaterThan(0);
      // The node line halves; nothing else on the bill moves.
      expect(
        nodes(status).reduce((sum, l) => sum + l.monthlyUsd, 0),
      ).toBeCloseTo(
        nodes(bundled).reduce((sum, l) => sum + l.monthlyUsd, 0) / 2,
        1,
      );
      expect(status.monthlyCostUsd).toBeLessThan(bundled.monthlyCostUsd!);
      expect(status.cost!.lines.length).toBe(bundled.cost!.lines.length);
    } finally {
      await negotiated.stop();
    }
  });

  it("says which hosts do not resolve in the zone to the ingress load balancer's current address", async () => {
    // The load balancer takes its pinned address 30 simulated seconds after creation.
    let status: EnvironmentStatus | undefined;
    for (let i = 0; i < 50; i++) {
      const res = await request(backend.server).get(
        `${path('dns-drift')}?fresh=true`,
      );
      status = res.body;
      if (status?.problems?.some(p => /resolve/.test(p.title))) break;
      await new Promise(r => setTimeout(r, 100));
    }
    expect(status!.problems).toContainEqual({
      severity: 'error',
      title:
        'keycloak.drift.example.com, kibana.drift.example.com do not resolve to the ingress',
      detail:
        "keycloak.drift.example.com has no A record; kibana.drift.example.com points at 34.0.0.99 in Cloud DNS zone drift-zone; the ingress load balancer's address is 34.0.0.20.",
      fix: expect.stringContaining('to 34.0.0.20'),
    });
  });

  it('reads each kind once per environment with a label selector, and serves repeats from the cache', async () => {
    const before = sandbox.journal.list({ service: 'kubernetes' }).length;
    // The first test warmed the cache: these share it.
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(backend.server).get(path('demo')),
      ),
    );
    expect(results.map(r => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(sandbox.journal.list({ service: 'kubernetes' }).length).toBe(before);

    // Concurrent requests for an environment not yet cached coalesce into one read.
    const start = sandbox.journal.list({ service: 'kubernetes' }).length;
    const crash = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(backend.server).get(path('crashing')),
      ),
    );
    expect(crash.map(r => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(crash.map(r => r.body.readAt)).size).toBe(1);
    const calls = sandbox.journal
      .list({ service: 'kubernetes' })
      .slice(start)
      .map(c => c.path);
    const lists = calls.filter(p => !p.includes('/proxy/stats'));
    expect(lists.sort()).toEqual(
      [
        '/api/v1/events?fieldSelector=type%3DWarning',
        '/api/v1/nodes',
        '/api/v1/persistentvolumeclaims',
        '/api/v1/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
        '/api/v1/services?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
        '/apis/apps/v1/daemonsets?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
        '/apis/apps/v1/deployments?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
        '/apis/apps/v1/statefulsets?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
        '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=backstage.io%2Fkubernetes-id%3Dcrashing',
      ].sort(),
    );
    // Volume stats: one call per node running a pod with a persistent volume, not per pod.
    expect(
      calls.filter(p => p.includes('/proxy/stats')).length,
    ).toBeLessThanOrEqual(2);
  });

  it('names a crash-looping component, its restarts and the fix', async () => {
    const res = await request(backend.server).get(path('crashing'));
    expect(res.status).toBe(200);
    const status: EnvironmentStatus = res.body;
    const mcp = component(status, 'mcp-connect');
    expect(mcp.health).toBe('error');
    expect(mcp.pods).toMatchObject({ expected: 1, ready: 0 });
    expect(mcp.pods.restarts).toBeGreaterThan(3);
    expect(mcp.podRows[0]).toMatchObject({
      state: 'CrashLoopBackOff',
      health: 'error',
      ready: false,
    });
    expect(mcp.reasons[0]).toMatch(/CrashLoopBackOff \(\d+ restarts\)/);
    expect(status.verdict.health).toBe('error');
    // PostgreSQL is not annotated on this entity: unknown, not healthy.
    expect(status.verdict.healthyComponents).toBe(10);
    expect(component(status, 'postgresql')).toMatchObject({
      health: 'unknown',
    });
    expect(status.verdict.reasons[0]).toMatch(
      /^MCP Connect: .*CrashLoopBackOff/,
    );
    expect(status.problems).toEqual([
      expect.objectContaining({
        severity: 'error',
        component: 'mcp-connect',
        title: 'MCP Connect is crash-looping',
        fix: expect.stringContaining(
          'kubectl logs -n codemie mcp-connect-0 --previous',
        ),
      }),
    ]);
  });

  it('shows an undersized pool: Pending pods with the FailedScheduling message, allocatable vs requested', async () => {
    const res = await request(backend.server).get(path('undersized'));
    expect(res.status).toBe(200);
    const status: EnvironmentStatus = res.body;
    const pending = status.components
      .flatMap(c => c.podRows)
      .filter(p => p.state === 'Unschedulable');
    expect(pending.length).toBeGreaterThan(0);
    expect(pending[0]).toMatchObject({ phase: 'Pending', health: 'error' });
    expect(pending[0].node).toBeUndefined();
    expect(pending[0].message).toMatch(
      /^Unschedulable: 0\/1 nodes are available: .*Insufficient (cpu|memory).* Shortfall: /,
    );
    expect(status.cluster.nodePool).toMatchObject({
      machineType: 'e2-standard-4',
      nodes: 1,
      maxNodes: 1,
    });
    expect(status.cluster.allocatable.cpu).toBe(3920);
    expect(status.verdict.health).toBe('error');
    const problem = status.problems.find(p =>
      /cannot be scheduled/.test(p.title),
    );
    expect(problem?.detail).toMatch(/allocatable cores/);
    // At its maximum the autoscaler cannot help: raise the maximum.
    expect(problem?.fix).toMatch(
      /^Raise the node pool codemie-pool maximum from 1 to \d+ nodes/,
    );
  });

  it('reports an image that cannot be pulled', async () => {
    const res = await request(backend.server).get(path('broken-image'));
    expect(res.status).toBe(200);
    const mermaid = component(res.body, 'mermaid-server');
    expect(mermaid.health).toBe('error');
    expect(mermaid.podRows[0].state).toMatch(
      /^(ImagePullBackOff|ErrImagePull)$/,
    );
    expect(mermaid.podRows[0].message).toContain(
      'mermaid-server:9.9.9-missing',
    );
    expect(res.body.problems).toEqual([
      expect.objectContaining({
        component: 'mermaid-server',
        title: 'Mermaid server image cannot be pulled',
      }),
    ]);
    expect(component(res.body, 'codemie-api').health).toBe('ok');
  });

  it('answers 502 with the cause when the cluster does not exist or its API server is down', async () => {
    const gone = await request(backend.server).get(path('gone'));
    expect(gone.status).toBe(502);
    expect(gone.body.error.name).toBe('ClusterUnreachableError');
    expect(gone.body.error.message).toContain(
      `Cluster ${clusterName('gone')} is unreachable: GKE API`,
    );
    expect(gone.body.error.message).toMatch(/not found/i);

    const lost = await request(backend.server).get(path('lost-server'));
    expect(lost.status).toBe(502);
    expect(lost.body.error.message).toMatch(
      /unreachable: .*(ECONNREFUSED|fetch failed|connect)/i,
    );
  });

  it('answers 404 for an unknown entity and 400 for an entity that is not a CodeMie environment', async () => {
    const missing = await request(backend.server).get(path('nope'));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({
      name: 'NotFoundError',
      message: 'No entity resource:default/nope',
    });
    const other = await request(backend.server).get(
      '/api/codemie/v1/entities/component/default/not-an-environment/status',
    );
    expect(other.status).toBe(400);
    expect(other.body.error.message).toContain('is not a CodeMie environment');
  });

  it("reads the portal's own environment from its record, never from annotations", async () => {
    const res = await request(backend.server).get(
      `/api/codemie/v1/entities/resource/${PROJECT}/managed/status`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: `resource:${PROJECT}/managed`,
      environment: { name: 'managed', projectId: PROJECT, tier: 'small' },
      cluster: { name: clusterName('demo'), status: 'RUNNING' },
      lifecycle: { state: 'ready' },
    });
  });

  it('says what a failed create left, and how to resume or clean up, without reading any cluster', async () => {
    const calls = sandbox.journal.length;
    const res = await request(backend.server).get(
      `/api/codemie/v1/entities/resource/${PROJECT}/halfway/status`,
    );
    expect(res.status).toBe(200);
    const status: EnvironmentStatus = res.body;
    expect(status.lifecycle).toMatchObject({
      state: 'failed',
      lastError: expect.stringContaining('quota exceeded (CPUS)'),
    });
    expect(status.verdict.health).toBe('error');
    expect(status.problems[0]).toMatchObject({
      severity: 'error',
      title: 'The last step failed',
      fix: expect.stringContaining('Resume my failed create'),
    });
    expect(status.problems[0].fix).toContain('Destroy CodeMie environment');
    expect(
      status.components
        .filter(c => c.enabled)
        .every(c => c.health === 'pending'),
    ).toBe(true);
    expect(sandbox.journal.length).toBe(calls);
  });

  it('refuses look-alike entities: no cluster data, no call to Google or any cluster', async () => {
    const calls = sandbox.journal.length;
    for (const name of ['lookalike', 'cross-project']) {
      const res = await request(backend.server).get(path(name));
      expect({ name, status: res.status }).toEqual({ name, status: 409 });
      expect(res.body.error.message).toContain('is not managed here');
      expect(JSON.stringify(res.body)).not.toContain('RUNNING');
    }
    expect(sandbox.journal.length).toBe(calls);
  });

  it.each([
    [
      'an encoded slash in the kind',
      '/api/codemie/v1/entities/resource%2Fdefault/demo/x/status',
      400,
      'is not an entity kind',
    ],
    [
      'an encoded slash in the name',
      '/api/codemie/v1/entities/resource/default/de%2Fmo/status',
      400,
      'is not an entity name',
    ],
    [
      'a NUL byte',
      '/api/codemie/v1/entities/resource/default/de%00mo/status',
      400,
      'is not an entity name',
    ],
    [
      'CR/LF',
      '/api/codemie/v1/entities/resource/default/de%0D%0Amo/status',
      400,
      'is not an entity name',
    ],
    [
      'a unicode name',
      '/api/codemie/v1/entities/resource/default/d%C3%A9mo/status',
      400,
      'is not an entity name',
    ],
    [
      'an upper-case namespace',
      '/api/codemie/v1/entities/resource/DEFAULT_/demo/status',
      400,
      'is not an entity namespace',
    ],
    [
      'broken percent-encoding',
      '/api/codemie/v1/entities/resource/default/%E0%A4%A/status',
      400,
      'not valid percent-encoding',
    ],
    [
      'a name of 300 characters',
      `/api/codemie/v1/entities/resource/default/${'a'.repeat(300)}/status`,
      400,
      'is not an entity name',
    ],
  ])(
    'answers %s with a clear 4xx, never a 500',
    async (_, url, code, message) => {
      const res = await request(backend.server).get(url);
      expect(res.status).toBe(code);
      expect(res.body.error.message).toContain(message);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(js|ts):\d+/);
    },
  );

  it('advises from enough history, naming the evidence and the cost from the sizing engine', async () => {
    const now = Date.now();
    await store
      .usageHistory()
      .record('resource:default/busy', apiHistory(now - 60_000, 72, 0.9));
    const res = await request(backend.server).get(path('busy'));
    expect(res.status).toBe(200);
    const status: EnvironmentStatus = res.body;
    // The live read agrees with the history: 900m of 1000m.
    expect(component(status, 'codemie-api').cpu).toMatchObject({
      usage: 900,
      requests: 1000,
    });
    expect(status.adviceNote).toBeUndefined();
    expect(status.advice).toEqual([
      expect.objectContaining({
        component: 'codemie-api',
        change: 'add-replicas',
        from: 1,
        to: 2,
        // A 1 vCPU replica fits the two e2-standard-8 nodes the small tier is planned on.
        summary:
          'CodeMie API CPU above 80% of requests for 3 days → 2 replicas (no cost change: same node count)',
        monthlyCostDeltaUsd: 0,
        evidence:
          'p95 CPU 900m of 1000m requested per pod over 3 days (73 samples); 1 replica now',
      }),
    ]);
  });

  it('serves the usage history for plots over the asked window', async () => {
    const empty = await request(backend.server).get(path('demo', 'history'));
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      entityRef: 'resource:default/demo',
      window: '7d',
      points: [],
    });

    const now = Date.now();
    await store
      .usageHistory()
      .record('resource:default/demo', apiHistory(now, 48, 0.5));
    const day = await request(backend.server).get(
      `${path('demo', 'history')}?window=24h`,
    );
    expect(day.status).toBe(200);
    expect(day.body.window).toBe('24h');
    // Hourly samples newer than 24 h ago: the one exactly 24 h old has just left the window.
    expect(day.body.points).toHaveLength(24);
    expect(day.body.points[23]).toEqual({
      at: new Date(now).toISOString(),
      components: { 'codemie-api': { cpu: 500, memory: 900 } },
    });

    const bad = await request(backend.server).get(
      `${path('demo', 'history')}?window=forever`,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('such as 24h or 7d');
    expect(
      (
        await request(backend.server).get(
          `${path('demo', 'history')}?window=90d`,
        )
      ).status,
    ).toBe(400);
  });
});

describe('status API access control', () => {
  const entity = environmentEntity('demo');

  it('answers 401 without credentials', async () => {
    const backend = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({ data: config }),
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    try {
      const res = await request(backend.server).get(path('demo'));
      expect(res.status).toBe(401);
      const history = await request(backend.server).get(
        path('demo', 'history'),
      );
      expect(history.status).toBe(401);
      // Health stays open for load balancers.
      expect(
        (await request(backend.server).get('/api/codemie/health')).status,
      ).toBe(200);
    } finally {
      await backend.stop();
    }
  });

  it('answers 403 when the permission policy denies codemie.environment.read', async () => {
    const authorize = jest.fn(async () => [{ result: AuthorizeResult.DENY }]);
    const backend = await startTestBackend({
      features: [
        codemiePlugin,
        sandboxGoogleClientsFactory,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({ data: config }),
        mockServices.permissions.mock({ authorize: authorize as any }).factory,
      ],
    });
    try {
      const res = await request(backend.server)
        .get(path('demo'))
        .set(
          'authorization',
          mockCredentials.user.header('user:default/mallory'),
        );
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(authorize).toHaveBeenCalledWith(
        [
          {
            permission: expect.objectContaining({
              name: 'codemie.environment.read',
            }),
            resourceRef: 'resource:default/demo',
          },
        ],
        {
          credentials: expect.objectContaining({
            principal: expect.objectContaining({
              userEntityRef: 'user:default/mallory',
            }),
          }),
        },
      );
    } finally {
      await backend.stop();
    }
  });
});
