import { CustomObjectsApi, Metrics, topPods } from '@kubernetes/client-node';
import {
  TestCluster,
  deployment,
  node,
  startCluster,
  waitFor,
} from './__testUtils__/cluster';

describe('metrics.k8s.io and node stats', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster({ nodes: [node('gke-m-0')] });
    await c.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'codemie' },
    });
    await c.apply(
      deployment('codemie-api', {
        namespace: 'codemie',
        replicas: 2,
        cpu: '2',
        memory: '4Gi',
        component: 'api',
      }),
    );
    await c.apply(
      deployment('codemie-ui', {
        namespace: 'codemie',
        replicas: 1,
        cpu: '100m',
        memory: '128Mi',
        component: 'ui',
      }),
    );
    await waitFor(
      async () => {
        const pods = (await c.core.listNamespacedPod({ namespace: 'codemie' }))
          .items;
        return (
          pods.length === 3 && pods.every(p => p.status?.phase === 'Running')
        );
      },
      5000,
      'pods running',
    );
  });
  afterAll(async () => {
    await c.server.stop();
  });

  it('serves pod metrics with plausible, deterministic usage (20–70% of requests)', async () => {
    const metrics = new Metrics(c.kc);
    const list = await metrics.getPodMetrics('codemie');
    expect(list.items).toHaveLength(3);
    for (const item of list.items) {
      expect(item.window).toBe('15s');
      expect(item.timestamp).toMatch(/Z$/);
      const cpu = item.containers[0].usage.cpu;
      expect(cpu).toMatch(/^\d+n$/);
      const requestNano = item.metadata.name.startsWith('codemie-api')
        ? 2e9
        : 1e8;
      const fraction = Number(cpu.slice(0, -1)) / requestNano;
      expect(fraction).toBeGreaterThanOrEqual(0.2);
      expect(fraction).toBeLessThanOrEqual(0.7);
      expect(item.containers[0].usage.memory).toMatch(/^\d+Ki$/);
    }
    const all = await metrics.getPodMetrics();
    expect(all.items.length).toBeGreaterThanOrEqual(3);
    const nodes = await metrics.getNodeMetrics();
    expect(nodes.items.map(n => n.metadata.name)).toEqual(['gke-m-0']);
  });

  it('filters by label selector and honours per-component overrides', async () => {
    c.server.behaviour.usage({ component: 'api' }, { cpu: 0.9 });
    const custom = c.kc.makeApiClient(CustomObjectsApi);
    const list: any = await custom.listNamespacedCustomObject({
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      namespace: 'codemie',
      plural: 'pods',
      labelSelector: 'app.kubernetes.io/component=api',
    });
    expect(list.kind).toBe('PodMetricsList');
    expect(list.items).toHaveLength(2);
    for (const item of list.items)
      expect(item.containers[0].usage.cpu).toBe(`${0.9 * 2e9}n`);

    const top = await topPods(c.core, new Metrics(c.kc), 'codemie');
    const api = top.find(p => p.Pod.metadata?.name?.startsWith('codemie-api'))!;
    expect(api.CPU.CurrentUsage).toBeCloseTo(1.8, 5);
    expect(api.CPU.RequestTotal).toBe(2);
  });

  it('an absolute demand stays what it is when the request changes: more headroom, never past the limit', async () => {
    const undo = c.server.behaviour.usage(
      { component: 'ui' },
      { cpuMillis: 80, memoryMiB: 200 },
    );
    try {
      const ui = async () =>
        (await new Metrics(c.kc).getPodMetrics('codemie')).items.find(i =>
          i.metadata.name.startsWith('codemie-ui'),
        )!;
      const before = await ui();
      expect(before.containers[0].usage.cpu).toBe(`${80e6}n`);
      // 200 MiB wanted, 128Mi allowed: just under the limit.
      expect(
        Number(before.containers[0].usage.memory.slice(0, -2)),
      ).toBeLessThan(128 * 1024);
      await c.apply(
        deployment('codemie-ui', {
          namespace: 'codemie',
          cpu: '400m',
          memory: '512Mi',
          component: 'ui',
        }),
      );
      await waitFor(
        async () => {
          const item = await ui();
          return (
            item &&
            item.containers[0].usage.memory === `${200 * 1024}Ki` &&
            item
          );
        },
        5000,
        'the resized pod running',
      );
      expect((await ui()).containers[0].usage.cpu).toBe(`${80e6}n`);
    } finally {
      undo();
    }
  });

  it('reports volume usage through the node stats/summary proxy', async () => {
    await c.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data',
        namespace: 'codemie',
        annotations: { 'sandbox.codemie.ai/used-fraction': '0.5' },
      },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '10Gi' } },
      },
    });
    const d = deployment('with-volume', { namespace: 'codemie' });
    d.spec.template.spec.volumes = [
      { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
    ];
    await c.apply(d);
    await waitFor(
      async () => {
        const [p] = (
          await c.core.listNamespacedPod({
            namespace: 'codemie',
            labelSelector: 'app.kubernetes.io/name=with-volume',
          })
        ).items;
        return p?.status?.phase === 'Running';
      },
      3000,
      'volume pod running',
    );
    const summary: any = await c.core.connectGetNodeProxyWithPath({
      name: 'gke-m-0',
      path: 'stats/summary',
    });
    const stats = typeof summary === 'string' ? JSON.parse(summary) : summary;
    const pod = stats.pods.find((p: any) =>
      p.podRef.name.startsWith('with-volume'),
    );
    expect(pod.volume[0]).toMatchObject({
      name: 'data',
      pvcRef: { name: 'data', namespace: 'codemie' },
      capacityBytes: 10 * 1024 ** 3,
      usedBytes: 5 * 1024 ** 3,
    });
  });
});
