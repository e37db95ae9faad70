import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  GoogleClients,
  ClusterConnector,
} from '@codemie-gcp/plugin-codemie-node';
import {
  PROJECT,
  ZONE,
  createCluster,
  createNetwork,
  startSandbox,
  testGoogleClients,
} from '../deploy/__testUtils__/sandbox';
import { drainNodePool } from './drainNodePool';
import {
  SeededCluster,
  watchReadiness,
} from './__testUtils__/seededEnvironment';

jest.setTimeout(60_000);

const ENV = 'drain-test';
const labels = (name: string) => ({
  'app.kubernetes.io/name': name,
  'codemie.ai/environment': ENV,
});

function deployment(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'codemie', labels: labels(name) },
    spec: {
      replicas: 1,
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      },
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [
            {
              name: 'app',
              image: `example.com/${name}:1`,
              resources: { requests: { cpu: '500m', memory: '512Mi' } },
            },
          ],
        },
      },
    },
  };
}

function statefulSet(name: string) {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'codemie', labels: labels(name) },
    spec: {
      replicas: 2,
      serviceName: name,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [
            {
              name: 'app',
              image: `example.com/${name}:1`,
              resources: { requests: { cpu: '500m', memory: '512Mi' } },
            },
          ],
        },
      },
    },
  };
}

const budget = (name: string) => ({
  apiVersion: 'policy/v1',
  kind: 'PodDisruptionBudget',
  metadata: { name, namespace: 'codemie', labels: labels(name) },
  spec: {
    maxUnavailable: 1,
    selector: { matchLabels: { 'app.kubernetes.io/name': name } },
  },
});

describe('drainNodePool', () => {
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let kc: KubeConfig;
  let server: SeededCluster;
  let cluster: string;

  beforeEach(async () => {
    sandbox = await startSandbox(0.5);
    google = testGoogleClients();
    await createNetwork();
    const created = await createCluster(sandbox, google, 'drain-gke', {
      machineType: 'e2-standard-4',
      nodes: 2,
    });
    cluster = created.cluster;
    server = created.server as unknown as SeededCluster;
    kc = await new ClusterConnector(google).kubeConfig(cluster);
    const [op] = await google.container().createNodePool({
      parent: cluster,
      nodePool: {
        name: 'next',
        initialNodeCount: 2,
        config: { machineType: 'e2-standard-4' },
      },
    });
    for (let i = 0; i < 200; i++) {
      const [current] = await google.container().getOperation({
        name: `projects/${PROJECT}/locations/${ZONE}/operations/${op.name}`,
      });
      if (current.status === 'DONE' || (current.status as any) === 3) break;
      await new Promise(r => setTimeout(r, 5));
    }
    const api = KubernetesObjectApi.makeApiClient(kc);
    const apply = (o: any) =>
      api.patch(
        o,
        undefined,
        undefined,
        'test',
        true,
        PatchStrategy.ServerSideApply,
      );
    await apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'codemie' },
    });
    // Everything starts on the old pool: the new one is cordoned while they are placed.
    for (const node of server.objects('Node')) {
      if (node.metadata.labels['cloud.google.com/gke-nodepool'] !== 'next')
        continue;
      await api.patch(
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: node.metadata.name },
          spec: { unschedulable: true },
        },
        undefined,
        undefined,
        'test',
        undefined,
        PatchStrategy.MergePatch,
      );
    }
    for (const o of [deployment('ui'), statefulSet('search'), budget('search')])
      await apply(o);
    for (let i = 0; i < 500; i++) {
      const ready = server
        .objects('Pod', 'codemie')
        .filter((p: any) =>
          p.status?.conditions?.some(
            (c: any) => c.type === 'Ready' && c.status === 'True',
          ),
        );
      if (ready.length === 3) break;
      await new Promise(r => setTimeout(r, 5));
    }
    for (const node of server.objects('Node')) {
      if (node.metadata.labels['cloud.google.com/gke-nodepool'] !== 'next')
        continue;
      await api.patch(
        {
          apiVersion: 'v1',
          kind: 'Node',
          metadata: { name: node.metadata.name },
          spec: { unschedulable: false },
        },
        undefined,
        undefined,
        'test',
        undefined,
        PatchStrategy.MergePatch,
      );
    }
  }, 30_000);

  afterEach(async () => {
    await sandbox?.close();
    await google?.close();
  });

  const onPool = (pool: string) =>
    server
      .objects('Pod', 'codemie')
      .filter((p: any) => p.spec?.nodeName?.includes(`-${pool}-`))
      .map((p: any) => p.metadata.name);

  it('moves every pod to the other pool: the Deployment restarted new pod first, the StatefulSet evicted one pod at a time within its budget', async () => {
    expect(onPool('main')).toHaveLength(3);
    const lines: string[] = [];
    const watch = watchReadiness(server, ENV);
    const result = await drainNodePool(kc, {
      pool: 'main',
      environment: ENV,
      timeoutMs: 30_000,
      pollIntervalMs: 2,
      log: line => lines.push(line),
    });
    watch.stop();
    expect(result.cordoned).toHaveLength(2);
    expect(result.restarted).toEqual(['codemie/ui']);
    expect([...result.evicted].sort()).toEqual([
      'codemie/search-0',
      'codemie/search-1',
    ]);
    expect(onPool('main')).toEqual([]);
    expect(onPool('next')).toHaveLength(3);
    // Each eviction waited for the previous pod's replacement: the budget never had to refuse one.
    expect(
      lines.filter(l => /waiting for its PodDisruptionBudget/.test(l)),
    ).toEqual([]);
    expect(watch.states).toBeGreaterThan(10);
    expect(watch.shortfalls).toEqual([]);
    // Running it again finds nothing to move.
    const again = await drainNodePool(kc, {
      pool: 'main',
      environment: ENV,
      timeoutMs: 5_000,
      pollIntervalMs: 2,
      log: () => {},
    });
    expect(again).toEqual({ cordoned: [], restarted: [], evicted: [] });
  });

  it('is what keeps them serving: deleting the pool without it (GKE deletes the pods) leaves them short', async () => {
    const watch = watchReadiness(server, ENV);
    const [op] = await google
      .container()
      .deleteNodePool({ name: `${cluster}/nodePools/main` });
    for (let i = 0; i < 200; i++) {
      const [current] = await google.container().getOperation({
        name: `projects/${PROJECT}/locations/${ZONE}/operations/${op.name}`,
      });
      if (current.status === 'DONE' || (current.status as any) === 3) break;
      await new Promise(r => setTimeout(r, 5));
    }
    server.objects('Pod');
    watch.stop();
    const short = new Set(watch.shortfalls.map(s => s.what));
    expect(short).toEqual(
      new Set(['Deployment codemie/ui', 'PodDisruptionBudget codemie/search']),
    );
  });
});
