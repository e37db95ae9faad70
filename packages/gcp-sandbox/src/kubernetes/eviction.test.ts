import { PatchStrategy } from '@kubernetes/client-node';
import {
  TestCluster,
  deployment,
  node,
  advanceUntil,
  startCluster,
} from './__testUtils__/cluster';

const isReady = (pod: any) =>
  pod.status?.conditions?.some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );

/** The status code and message of a failed client call. */
function failure(e: any): { code: number; message: string; causes: string[] } {
  const body = typeof e.body === 'string' ? JSON.parse(e.body) : e.body;
  return {
    code: e.code,
    message: body?.message ?? '',
    causes: (body?.details?.causes ?? []).map((c: any) => c.message),
  };
}

// On a manual clock: pods become ready only when the test moves time, so between two calls
// nothing changes however busy the machine is (the budget's refusal is seen every time).
describe('drain: cordon and the Eviction API', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startCluster({
      nodes: [node('gke-old-0'), node('gke-old-1', { zone: 'europe-west3-b' })],
      clock: 'manual',
    });
    await c.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'codemie' },
    });
  });
  afterEach(async () => {
    await c.server.stop();
  });

  const pods = async (name: string) =>
    (
      await c.core.listNamespacedPod({
        namespace: 'codemie',
        labelSelector: `app.kubernetes.io/name=${name}`,
      })
    ).items;

  const cordon = (name: string) =>
    c.objects.patch(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name },
        spec: { unschedulable: true },
      },
      undefined,
      undefined,
      undefined,
      undefined,
      PatchStrategy.MergePatch,
    );

  const evict = (name: string) =>
    c.core.createNamespacedPodEviction({
      name,
      namespace: 'codemie',
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace: 'codemie' },
      },
    });

  const budget = (name: string, spec: object) =>
    c.apply({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: 'codemie' },
      spec: {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'es' } },
        ...spec,
      },
    });

  it('keeps new pods off a cordoned node, also after the node list changes', async () => {
    await cordon('gke-old-0');
    c.setNodes([
      node('gke-old-0'),
      node('gke-old-1', { zone: 'europe-west3-b' }),
      node('gke-new-0', { zone: 'europe-west3-c' }),
    ]);
    await c.apply(deployment('ui', { namespace: 'codemie', replicas: 4 }));
    const placed = await advanceUntil(c.clock, async () => {
      const list = await pods('ui');
      return list.every(p => p.spec?.nodeName) && list;
    });
    expect(placed.map(p => p.spec?.nodeName)).not.toContain('gke-old-0');
    const [stored] = (await c.core.listNode()).items.filter(
      n => n.metadata?.name === 'gke-old-0',
    );
    expect(stored.spec?.unschedulable).toBe(true);
  });

  it('evicts a pod no budget covers: 200 and the pod is gone (its controller makes another)', async () => {
    await c.apply(deployment('ui', { namespace: 'codemie' }));
    const [pod] = await advanceUntil(c.clock, async () => {
      const list = await pods('ui');
      return list.length === 1 && list.every(isReady) && list;
    });
    await cordon(pod.spec!.nodeName!);
    await evict(pod.metadata!.name!);
    const after = await pods('ui');
    expect(after.map(p => p.metadata?.name)).not.toContain(pod.metadata?.name);
    expect(after).toHaveLength(1);
    expect(after[0].spec?.nodeName ?? '').not.toBe(pod.spec?.nodeName);
  });

  it('refuses an eviction the budget does not allow with 429, and allows it once the replacement is ready', async () => {
    await c.apply({
      ...deployment('es', {
        namespace: 'codemie',
        replicas: 2,
        readinessDelay: 30,
      }),
    });
    await budget('es', { maxUnavailable: 1 });
    const first = await advanceUntil(
      c.clock,
      async () => {
        const list = await pods('es');
        return list.length === 2 && list.every(isReady) && list;
      },
      'two ready es pods',
    );
    await evict(first[0].metadata!.name!);
    // One disruption used: the second eviction must wait for the replacement to be ready.
    const refused = failure(
      await evict(first[1].metadata!.name!).catch(e => e),
    );
    expect(refused.code).toBe(429);
    expect(refused.message).toBe(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    expect(refused.causes[0]).toMatch(
      /^The disruption budget es needs 1 healthy pods and has 1 currently$/,
    );
    expect((await pods('es')).map(p => p.metadata?.name)).toContain(
      first[1].metadata?.name,
    );
    await advanceUntil(
      c.clock,
      async () => {
        const list = await pods('es');
        return list.length === 2 && list.every(isReady);
      },
      'the replacement ready',
    );
    await expect(evict(first[1].metadata!.name!)).resolves.toBeDefined();
  });

  it('evicts a Pending pod without consulting its budget, and refuses a pod two budgets select with 500', async () => {
    await c.apply(
      deployment('es', { namespace: 'codemie', replicas: 2, cpu: '64' }),
    );
    await budget('es', { minAvailable: 2 });
    const pending = await advanceUntil(c.clock, async () => {
      const list = await pods('es');
      return list.length === 2 && list;
    });
    expect(pending[0].status?.phase).toBe('Pending');
    await evict(pending[0].metadata!.name!);

    await c.apply(deployment('es', { namespace: 'codemie', replicas: 2 }));
    await budget('es-again', { maxUnavailable: 1 });
    const running = await advanceUntil(c.clock, async () => {
      const list = await pods('es');
      return (
        list.length === 2 &&
        list.every(p => p.status?.phase === 'Running') &&
        list
      );
    });
    const twice = failure(
      await evict(running[0].metadata!.name!).catch(e => e),
    );
    expect(twice.code).toBe(500);
    expect(twice.message).toContain('more than one PodDisruptionBudget');
  });
});
