import {
  ApiException,
  CoreV1Api,
  KubernetesObjectApi,
  V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import {
  TestCluster,
  deployment,
  kubeConfigFor,
  startCluster,
  waitFor,
} from './__testUtils__/cluster';

describe('KubernetesApiServer: HTTP, TLS, auth, discovery, faults', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await startCluster();
  });
  afterAll(async () => {
    await c.server.stop();
  });

  it('serves TLS with the generated CA, and a client without the CA is refused', async () => {
    expect(c.server.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(c.server.caCertificatePem).toContain('BEGIN CERTIFICATE');
    const ns = await c.core.readNamespace({ name: 'default' });
    expect(ns.status?.phase).toBe('Active');

    const noCa = kubeConfigFor(c.server, { withCa: false }).makeApiClient(
      CoreV1Api,
    );
    await expect(noCa.readNamespace({ name: 'default' })).rejects.toThrow(
      /certificate|fetch failed/i,
    );
  });

  it('answers 401 with a Status when there is no bearer token', async () => {
    const anonymousKc = kubeConfigFor(c.server, { token: '' });
    const err = await anonymousKc
      .makeApiClient(CoreV1Api)
      .listNamespace()
      .catch(e => e);
    expect(err).toBeInstanceOf(ApiException);
    expect(err.code).toBe(401);
    // The typed client drops 401 bodies; the generic one keeps the Status.
    const generic = await KubernetesObjectApi.makeApiClient(anonymousKc)
      .read({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'default' },
      })
      .catch(e => e);
    expect(generic.code).toBe(401);
    const status =
      typeof generic.body === 'string'
        ? JSON.parse(generic.body)
        : generic.body;
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Unauthorized',
      code: 401,
    });
    expect(
      c.journal.list({ service: 'kubernetes' }).some(e => e.status === 401),
    ).toBe(true);
  });

  it('serves discovery, then creates with server-side apply', async () => {
    const cm: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'settings',
        namespace: 'default',
        labels: { app: 'codemie', tier: 'api' },
      },
      data: { a: '1', b: '2' },
    };
    const created: any = await c.apply(cm as any);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof created.metadata.resourceVersion).toBe('string');
    expect(created.metadata.creationTimestamp).toBeDefined();
    expect(created.metadata.managedFields[0]).toMatchObject({
      manager: 'codemie-deploy',
      operation: 'Apply',
    });
    const paths = c.journal
      .list({ service: 'kubernetes' })
      .map(e => `${e.method} ${e.path.split('?')[0]}`);
    expect(paths).toContain('GET /api/v1');
    const apply = c.journal.list({ method: 'PATCH' }).pop()!;
    expect(apply.path).toContain('fieldManager=codemie-deploy');
    expect(apply.body).toMatchObject({ kind: 'ConfigMap' });

    // discovery for a group, read by KubernetesObjectApi before an apply
    await c.apply(deployment('web'));
    expect(c.journal.list().some(e => e.path === '/apis/apps/v1')).toBe(true);
  });

  it('re-applying the same object changes nothing; changing one field changes only that', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'stable', namespace: 'default', labels: { app: 'x' } },
      data: { a: '1', b: '2' },
    };
    const first: any = await c.apply(cm);
    const again: any = await c.apply(cm);
    expect(again.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(again.metadata.managedFields).toEqual(first.metadata.managedFields);

    const changed: any = await c.apply({ ...cm, data: { a: '1', b: '3' } });
    expect(changed.metadata.resourceVersion).not.toBe(
      first.metadata.resourceVersion,
    );
    expect(changed.data).toEqual({ a: '1', b: '3' });
    expect(changed.metadata.labels).toEqual({ app: 'x' });
    expect(changed.metadata.uid).toBe(first.metadata.uid);

    // A field dropped from the configuration is removed.
    const dropped: any = await c.apply({ ...cm, data: { a: '1' } });
    expect(dropped.data).toEqual({ a: '1' });
  });

  it('bumps generation only for spec changes of a Deployment', async () => {
    const d = deployment('gen', { replicas: 1 });
    const v1: any = await c.apply(d);
    expect(v1.metadata.generation).toBe(1);
    const same: any = await c.apply(d);
    expect(same.metadata.generation).toBe(1);
    const labelled: any = await c.apply({
      ...d,
      metadata: { ...d.metadata, annotations: { note: 'x' } },
    });
    expect(labelled.metadata.generation).toBe(1);
    const scaled: any = await c.apply({
      ...d,
      metadata: { ...d.metadata, annotations: { note: 'x' } },
      spec: { ...d.spec, replicas: 2 },
    });
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.spec.replicas).toBe(2);
    expect(scaled.spec.template).toEqual(v1.spec.template);
  });

  it('reports a field-manager conflict unless forced', async () => {
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shared', namespace: 'default' },
      data: { k: 'a' },
    };
    await c.apply(cm, 'first');
    const err = await c.objects
      .patch(
        { ...cm, data: { k: 'b' } },
        undefined,
        undefined,
        'second',
        false,
        'application/apply-patch+yaml',
      )
      .catch(e => e);
    expect(err.code).toBe(409);
    expect(JSON.parse(err.body)).toMatchObject({
      reason: 'Conflict',
      message: expect.stringContaining('conflict with "first"'),
    });
    const forced: any = await c.apply({ ...cm, data: { k: 'b' } }, 'second');
    expect(forced.data.k).toBe('b');
  });

  it('creates (409 AlreadyExists as a Status), reads, replaces, merge-patches, JSON-patches and deletes', async () => {
    const body = {
      metadata: { name: 'crud', labels: { a: '1' } },
      data: { x: '1' },
    };
    await c.core.createNamespacedConfigMap({ namespace: 'default', body });
    const dup = await c.core
      .createNamespacedConfigMap({ namespace: 'default', body })
      .catch(e => e);
    expect(dup.code).toBe(409);
    expect(JSON.parse(dup.body)).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      reason: 'AlreadyExists',
      message: 'configmaps "crud" already exists',
      code: 409,
    });
    const read = await c.core.readNamespacedConfigMap({
      name: 'crud',
      namespace: 'default',
    });
    const replaced = await c.core.replaceNamespacedConfigMap({
      name: 'crud',
      namespace: 'default',
      body: { ...read, data: { x: '2' } },
    });
    expect(replaced.data).toEqual({ x: '2' });
    const stale = await c.core
      .replaceNamespacedConfigMap({
        name: 'crud',
        namespace: 'default',
        body: { ...read, data: { x: '3' } },
      })
      .catch(e => e);
    expect(stale.code).toBe(409);

    const merged: any = await c.objects.patch(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'crud', namespace: 'default' },
        data: { y: '1' },
      } as any,
      undefined,
      undefined,
      undefined,
      undefined,
      'application/merge-patch+json',
    );
    expect(merged.data).toEqual({ x: '2', y: '1' });
    const patched = await c.core.patchNamespacedConfigMap({
      name: 'crud',
      namespace: 'default',
      body: [{ op: 'replace', path: '/data/x', value: '9' }],
    });
    expect(patched.data).toEqual({ x: '9', y: '1' });

    await c.core.deleteNamespacedConfigMap({
      name: 'crud',
      namespace: 'default',
    });
    const gone = await c.core
      .readNamespacedConfigMap({ name: 'crud', namespace: 'default' })
      .catch(e => e);
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({
      reason: 'NotFound',
      message: 'configmaps "crud" not found',
    });
  });

  it('rejects objects in a missing namespace and invalid workloads', async () => {
    const err = await c
      .apply(deployment('x', { namespace: 'nowhere' }))
      .catch(e => e);
    expect(err.code).toBe(404);
    expect(JSON.parse(err.body).message).toBe('namespaces "nowhere" not found');
    const bad = deployment('bad');
    bad.spec.template.metadata.labels = { other: 'label' };
    const invalid = await c.apply(bad).catch(e => e);
    expect(invalid.code).toBe(422);
    expect(JSON.parse(invalid.body)).toMatchObject({
      reason: 'Invalid',
      message: expect.stringContaining(
        '`selector` does not match template `labels`',
      ),
    });
  });

  it('lists with equality and set-based label selectors', async () => {
    for (const [name, tier] of [
      ['l1', 'api'],
      ['l2', 'ui'],
      ['l3', 'db'],
    ]) {
      await c.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace: 'default',
          labels: { group: 'sel', tier },
        },
        data: {},
      });
    }
    const eq = await c.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'group=sel,tier=api',
    });
    expect(eq.items.map(i => i.metadata?.name)).toEqual(['l1']);
    const setBased = await c.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'group=sel,tier in (api, ui)',
    });
    expect(setBased.items.map(i => i.metadata?.name)).toEqual(['l1', 'l2']);
    const notIn = await c.core.listNamespacedConfigMap({
      namespace: 'default',
      labelSelector: 'group=sel,tier notin (api)',
    });
    expect(notIn.items.map(i => i.metadata?.name)).toEqual(['l2', 'l3']);
    const generic = await c.objects.list(
      'v1',
      'ConfigMap',
      'default',
      undefined,
      undefined,
      undefined,
      undefined,
      'tier!=api,group',
    );
    expect(generic.items.map(i => i.metadata?.name)).toEqual(['l2', 'l3']);
  });

  it('answers injected faults with a Status of that code, and only on the matching path', async () => {
    const remove = c.faults.add({
      service: 'kubernetes',
      method: 'GET',
      path: '/api/v1/namespaces/default/configmaps',
      status: 503,
    });
    const err = await c.core
      .listNamespacedConfigMap({ namespace: 'default' })
      .catch(e => e);
    expect(err.code).toBe(503);
    expect(JSON.parse(err.body)).toMatchObject({
      kind: 'Status',
      reason: 'ServiceUnavailable',
      code: 503,
    });
    await expect(c.core.listNamespace()).resolves.toBeDefined();
    remove();
    await expect(
      c.core.listNamespacedConfigMap({ namespace: 'default' }),
    ).resolves.toBeDefined();
  });

  it('adds injected latency before answering', async () => {
    const remove = c.faults.addLatency({
      service: 'kubernetes',
      path: '/api/v1/namespaces/kube-system',
      millis: 150,
    });
    const start = Date.now();
    await c.core.readNamespace({ name: 'kube-system' });
    expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    remove();
  });

  it('serves /version and generic reads through KubernetesObjectApi', async () => {
    const api = KubernetesObjectApi.makeApiClient(c.kc);
    const ns: any = await api.read({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kube-system' },
    });
    expect(ns.metadata.labels['kubernetes.io/metadata.name']).toBe(
      'kube-system',
    );
    const sc = await api.list('storage.k8s.io/v1', 'StorageClass');
    expect(sc.items.map((i: any) => i.metadata.name)).toContain('standard-rwo');
  });

  it('streams watch events', async () => {
    const seen: string[] = [];
    const req = await new Watch(c.kc).watch(
      '/api/v1/namespaces/default/configmaps',
      { labelSelector: 'watched=yes' },
      (type, obj) => seen.push(`${type} ${obj.metadata.name}`),
      () => undefined,
    );
    await c.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'w1',
        namespace: 'default',
        labels: { watched: 'yes' },
      },
      data: {},
    });
    await waitFor(() => seen.includes('ADDED w1'), 3000, 'ADDED');
    await c.core.deleteNamespacedConfigMap({
      name: 'w1',
      namespace: 'default',
    });
    await waitFor(() => seen.includes('DELETED w1'), 3000, 'DELETED');
    req.abort();
    expect(seen.filter(e => e.endsWith(' w1'))[0]).toBe('ADDED w1');
  });
});
