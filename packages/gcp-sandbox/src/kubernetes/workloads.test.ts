import {
  TestCluster,
  advanceUntil,
  deployment,
  node,
  startCluster,
  waitFor,
} from './__testUtils__/cluster';

const ready = (pod: any) =>
  pod.status?.conditions?.some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );

async function podsOf(c: TestCluster, namespace: string, name: string) {
  const list = await c.core.listNamespacedPod({
    namespace,
    labelSelector: `app.kubernetes.io/name=${name}`,
  });
  return list.items;
}

async function eventsFor(c: TestCluster, namespace: string, name: string) {
  return (
    await c.core.listNamespacedEvent({
      namespace,
      fieldSelector: `involvedObject.name=${name}`,
    })
  ).items;
}

describe('simulated workloads', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startCluster({
      nodes: [node('gke-a-0'), node('gke-a-1', { zone: 'europe-west3-b' })],
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

  it('exposes nodes with GKE labels and allocatable from the planner arithmetic', async () => {
    const nodes = (await c.core.listNode()).items;
    expect(nodes.map(n => n.metadata?.name)).toEqual(['gke-a-0', 'gke-a-1']);
    expect(nodes[1].metadata?.labels).toMatchObject({
      'kubernetes.io/hostname': 'gke-a-1',
      'topology.kubernetes.io/zone': 'europe-west3-b',
      'cloud.google.com/gke-nodepool': 'main',
      'node.kubernetes.io/instance-type': 'e2-standard-8',
    });
    expect(nodes[0].status?.capacity).toMatchObject({ cpu: '8', pods: '110' });
    // gkeNodeAllocatable(8, 32): 8000m - (60 + 10 + 10 + 10) = 7910m CPU
    expect(nodes[0].status?.allocatable?.cpu).toBe('7910m');
    expect(nodes[0].status?.allocatable?.memory).toMatch(/^\d+Ki$/);
  });

  it('runs a Deployment: ReplicaSet, pods Pending → ContainerCreating → Running/Ready, status updated', async () => {
    // A pull that never ends in this test, to see a pod still creating.
    c.server.behaviour.durations({ component: 'slow' }, { pullSeconds: 1e6 });
    await c.apply(deployment('slow', { namespace: 'codemie' }));
    const [slow] = await podsOf(c, 'codemie', 'slow');
    expect(slow.status?.phase).toBe('Pending');
    expect(slow.status?.containerStatuses?.[0].state?.waiting?.reason).toBe(
      'ContainerCreating',
    );
    expect(
      slow.status?.conditions?.find(x => x.type === 'PodScheduled')?.status,
    ).toBe('True');
    expect(
      (await eventsFor(c, 'codemie', slow.metadata!.name!)).map(e => e.reason),
    ).toEqual(expect.arrayContaining(['Scheduled', 'Pulling']));

    await c.apply(
      deployment('codemie-api', {
        namespace: 'codemie',
        replicas: 2,
        readinessDelay: 30,
      }),
    );
    const rs = (await c.apps.listNamespacedReplicaSet({ namespace: 'codemie' }))
      .items;
    expect(rs.map(r => r.metadata?.name)).toEqual([
      expect.stringMatching(/^codemie-api-[a-z0-9]{10}$/),
      expect.stringMatching(/^slow-/),
    ]);

    const first = await podsOf(c, 'codemie', 'codemie-api');
    expect(first).toHaveLength(2);
    for (const p of first) {
      expect(p.metadata?.name).toMatch(
        new RegExp(`^${rs[0].metadata?.name}-[a-z0-9]{5}$`),
      );
      expect(p.metadata?.ownerReferences?.[0]).toMatchObject({
        kind: 'ReplicaSet',
        controller: true,
      });
    }
    // Spread over both nodes (least-loaded, replicas apart).
    expect(new Set(first.map(p => p.spec?.nodeName)).size).toBe(2);

    const running = await waitFor(
      async () => {
        const pods = await podsOf(c, 'codemie', 'codemie-api');
        return pods.every(p => p.status?.phase === 'Running') && pods;
      },
      5000,
      'pods Running',
    );
    expect(
      running[0].status?.containerStatuses?.[0].state?.running?.startedAt,
    ).toBeDefined();

    const d = await waitFor(
      async () => {
        const dep = await c.apps.readNamespacedDeployment({
          name: 'codemie-api',
          namespace: 'codemie',
        });
        return dep.status?.readyReplicas === 2 && dep;
      },
      5000,
      'deployment ready',
    );
    expect(d.status).toMatchObject({
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 1,
    });
    expect(
      d.status?.conditions?.find(x => x.type === 'Available')?.status,
    ).toBe('True');
    expect(
      d.status?.conditions?.find(x => x.type === 'Progressing')?.reason,
    ).toBe('NewReplicaSetAvailable');
    const pods = await podsOf(c, 'codemie', 'codemie-api');
    expect(pods.every(ready)).toBe(true);
    // Ready no earlier than the readiness probe's initialDelaySeconds after the start.
    const status = pods[0].status!;
    const started = Date.parse(
      status.containerStatuses![0].state!.running!.startedAt as any,
    );
    const readyAt = Date.parse(
      status.conditions!.find(x => x.type === 'Ready')!
        .lastTransitionTime as any,
    );
    expect(readyAt - started).toBeGreaterThanOrEqual(30_000);

    const reasons = (
      await eventsFor(c, 'codemie', pods[0].metadata!.name!)
    ).map(e => e.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        'Scheduled',
        'Pulling',
        'Pulled',
        'Created',
        'Started',
      ]),
    );
    const ev = (await eventsFor(c, 'codemie', pods[0].metadata!.name!)).find(
      e => e.reason === 'Scheduled',
    )!;
    expect(ev).toMatchObject({
      type: 'Normal',
      count: 1,
      involvedObject: { kind: 'Pod', name: pods[0].metadata!.name },
    });
    expect(ev.firstTimestamp).toBeDefined();
  });

  it('leaves pods of an undersized pool Pending with a FailedScheduling event naming the shortfall', async () => {
    await c.apply(
      deployment('codemie-api', {
        namespace: 'codemie',
        replicas: 1,
        cpu: '4',
        memory: '40Gi',
      }),
    );
    const [pod] = await podsOf(c, 'codemie', 'codemie-api');
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    const cond = pod.status?.conditions?.find(x => x.type === 'PodScheduled');
    expect(cond).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    expect(cond?.message).toMatch(
      /^0\/2 nodes are available: 2 Insufficient memory\. preemption: 0\/2 nodes are available: 2 No preemption victims found for incoming pod\./,
    );
    expect(cond?.message).toMatch(
      new RegExp(
        `pod codemie/${pod.metadata!.name} requests 4000m CPU, 40960Mi memory; largest free on any node: \\d+m CPU, \\d+Mi memory`,
      ),
    );
    const events = await eventsFor(c, 'codemie', pod.metadata!.name!);
    const failed = events.find(e => e.reason === 'FailedScheduling')!;
    expect(failed).toMatchObject({
      type: 'Warning',
      message: cond?.message,
      source: { component: 'default-scheduler' },
    });

    // A bigger pool: the pod schedules.
    c.setNodes([
      node('gke-big-0', { machineType: 'n2-highmem-8', memoryGiB: 64 }),
    ]);
    const bound = await waitFor(
      async () =>
        (await podsOf(c, 'codemie', 'codemie-api'))[0]?.spec?.nodeName,
      2000,
      'rescheduling',
    );
    expect(bound).toBe('gke-big-0');
  });

  it('honours required pod anti-affinity: two replicas on one node leave one Pending', async () => {
    c.setNodes([node('gke-solo-0')]);
    await c.apply(
      deployment('elastic', {
        namespace: 'codemie',
        replicas: 2,
        antiAffinity: true,
      }),
    );
    const pods = await podsOf(c, 'codemie', 'elastic');
    expect(pods.filter(p => p.spec?.nodeName === 'gke-solo-0')).toHaveLength(1);
    const pending = pods.find(p => !p.spec?.nodeName)!;
    expect(pending.status?.conditions?.[0].message).toContain(
      "1 node(s) didn't match pod anti-affinity rules",
    );
    c.setNodes([node('gke-solo-0'), node('gke-solo-1')]);
    const nodes = await waitFor(
      async () => {
        const all = await podsOf(c, 'codemie', 'elastic');
        return (
          all.every(p => p.spec?.nodeName) && all.map(p => p.spec?.nodeName)
        );
      },
      2000,
      'second node',
    );
    expect(new Set(nodes).size).toBe(2);
  });

  it('reports an image that cannot be pulled: ErrImagePull, then ImagePullBackOff naming the image', async () => {
    // ErrImagePull shows for 5 simulated seconds after each failed pull: on a manual clock the
    // test looks every simulated second, so it sees it however busy the machine is.
    await c.server.stop();
    c = await startCluster({ nodes: [node('gke-a-0')], clock: 'manual' });
    await c.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'codemie' },
    });
    c.server.behaviour.missingImage('does-not-exist');
    const image =
      'europe-west3-docker.pkg.dev/epam/prod/codemie:does-not-exist';
    await c.apply(deployment('codemie-api', { namespace: 'codemie', image }));
    const waiting = async () => {
      const [p] = await podsOf(c, 'codemie', 'codemie-api');
      return p?.status?.containerStatuses?.[0].state?.waiting;
    };
    const err = await advanceUntil(
      c.clock,
      async () => {
        const w = await waiting();
        return w?.reason === 'ErrImagePull' && w;
      },
      'ErrImagePull',
    );
    expect(err.message).toContain(image);
    const backoff = await advanceUntil(
      c.clock,
      async () => {
        const w = await waiting();
        return w?.reason === 'ImagePullBackOff' && w;
      },
      'ImagePullBackOff',
    );
    expect(backoff.message).toContain(`Back-off pulling image "${image}"`);
    const [pod] = await podsOf(c, 'codemie', 'codemie-api');
    expect(pod.status?.phase).toBe('Pending');
    const events = await eventsFor(c, 'codemie', pod.metadata!.name!);
    expect(
      events.find(
        e =>
          e.reason === 'Failed' &&
          e.message?.startsWith('Failed to pull image'),
      )?.message,
    ).toContain(image);
  });

  it('crash-loops a container: CrashLoopBackOff with a growing restartCount and BackOff events', async () => {
    // On a manual clock: the back-off the test first sees is the first one (10 s), whatever the
    // machine's speed.
    await c.server.stop();
    c = await startCluster({ nodes: [node('gke-a-0')], clock: 'manual' });
    await c.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'codemie' },
    });
    c.server.behaviour.crashLoop({ component: 'mermaid-server' });
    // Readiness after 30 s: each 5-second run ends before the pod could become Ready.
    await c.apply(
      deployment('mermaid-server', {
        namespace: 'codemie',
        readinessDelay: 30,
      }),
    );
    const container = async () => {
      const [p] = await podsOf(c, 'codemie', 'mermaid-server');
      return p?.status?.containerStatuses?.[0];
    };
    const loop = await advanceUntil(
      c.clock,
      async () => {
        const s = await container();
        return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s;
      },
      'CrashLoopBackOff',
    );
    expect(loop.lastState?.terminated).toMatchObject({
      reason: 'Error',
      exitCode: 1,
    });
    expect(loop.state?.waiting?.message).toMatch(
      /^back-off 10s restarting failed container=app pod=mermaid-server-/,
    );
    const later = await advanceUntil(
      c.clock,
      async () => {
        const s = await container();
        return (s?.restartCount ?? 0) >= loop.restartCount + 2 && s;
      },
      'restarts',
    );
    expect(later.restartCount).toBeGreaterThan(loop.restartCount);
    const [pod] = await podsOf(c, 'codemie', 'mermaid-server');
    expect(pod.status?.phase).toBe('Running');
    expect(ready(pod)).toBe(false);
    const backoff = (await eventsFor(c, 'codemie', pod.metadata!.name!)).find(
      e => e.reason === 'BackOff',
    )!;
    expect(backoff.type).toBe('Warning');
    expect(backoff.count).toBeGreaterThanOrEqual(3);
    const logs = await c.core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: 'codemie',
      previous: true,
    });
    expect(logs).toContain('exiting with code 1');
  });

  it('OOM-kills a container: lastState.terminated.reason OOMKilled, restarting', async () => {
    await c.apply(deployment('litellm', { namespace: 'codemie' }));
    await waitFor(
      async () => (await podsOf(c, 'codemie', 'litellm')).every(ready),
      3000,
      'litellm ready',
    );
    // Switched on while running: the running container is killed from now on.
    c.server.behaviour.oomKill({ component: 'litellm' }, { afterSeconds: 20 });
    const s = await waitFor(
      async () => {
        const [p] = await podsOf(c, 'codemie', 'litellm');
        const cs = p?.status?.containerStatuses?.[0];
        return cs?.lastState?.terminated?.reason === 'OOMKilled' && cs;
      },
      3000,
      'OOMKilled',
    );
    expect(s.lastState?.terminated?.exitCode).toBe(137);
    expect(s.restartCount).toBeGreaterThanOrEqual(1);
  });

  it('runs a StatefulSet in order with claims bound in the pod zone', async () => {
    await c.apply({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'elasticsearch-master', namespace: 'codemie' },
      spec: {
        replicas: 3,
        serviceName: 'elasticsearch-master-headless',
        selector: { matchLabels: { app: 'elasticsearch-master' } },
        template: {
          metadata: { labels: { app: 'elasticsearch-master' } },
          spec: {
            containers: [
              {
                name: 'elasticsearch',
                image: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0',
                resources: { requests: { cpu: '500m', memory: '2Gi' } },
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: '30Gi' } },
            },
          },
        ],
      },
    });
    const firstPods = (await c.core.listNamespacedPod({ namespace: 'codemie' }))
      .items;
    // OrderedReady: pods appear one by one from ordinal 0. How many exist by now depends on how
    // much simulated time passed (a loaded machine is slower), so check for an ordered prefix.
    const ordinals = [0, 1, 2].map(i => `elasticsearch-master-${i}`);
    const names = firstPods.map(p => p.metadata?.name);
    expect(names.length).toBeGreaterThanOrEqual(1);
    expect(names).toEqual(ordinals.slice(0, names.length));
    const sts = await waitFor(
      async () => {
        const s = await c.apps.readNamespacedStatefulSet({
          name: 'elasticsearch-master',
          namespace: 'codemie',
        });
        return s.status?.readyReplicas === 3 && s;
      },
      5000,
      'statefulset ready',
    );
    expect(sts.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      observedGeneration: 1,
    });
    const pvcs = (
      await c.core.listNamespacedPersistentVolumeClaim({ namespace: 'codemie' })
    ).items;
    expect(pvcs.map(p => p.metadata?.name)).toEqual([
      'data-elasticsearch-master-0',
      'data-elasticsearch-master-1',
      'data-elasticsearch-master-2',
    ]);
    expect(
      pvcs.every(
        p =>
          p.status?.phase === 'Bound' && p.status.capacity?.storage === '30Gi',
      ),
    ).toBe(true);
    expect(pvcs[0].spec?.storageClassName).toBe('standard-rwo');
    const pvs = (await c.core.listPersistentVolume()).items;
    expect(pvs).toHaveLength(3);
    const pods = (await c.core.listNamespacedPod({ namespace: 'codemie' }))
      .items;
    const byName = Object.fromEntries(pods.map(p => [p.metadata!.name!, p]));
    const creation = [0, 1, 2].map(i =>
      Date.parse(
        byName[`elasticsearch-master-${i}`].metadata!.creationTimestamp as any,
      ),
    );
    expect(creation[1]).toBeGreaterThan(creation[0]);
    expect(creation[2]).toBeGreaterThan(creation[1]);
  });

  it('expands a mounted claim online — disk first, then the file system — and refuses to shrink one', async () => {
    const claim = (name: string, storage: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: 'codemie' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage } },
      },
    });
    await c.apply(claim('mounted', '30Gi'));
    await c.apply(claim('unmounted', '30Gi'));
    await c.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'uses-mounted', namespace: 'codemie' },
      spec: {
        containers: [{ name: 'app', image: 'busybox:1.36' }],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'mounted' } },
        ],
      },
    });
    const read = (name: string) =>
      c.core.readNamespacedPersistentVolumeClaim({
        name,
        namespace: 'codemie',
      });
    await waitFor(
      async () => (await read('mounted')).status?.phase === 'Bound',
      5000,
      'the mounted claim bound',
    );
    // A WaitForFirstConsumer claim without a pod stays Pending: give the other one a pod that
    // goes away, as a finished job would leave it.
    await c.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'used-unmounted', namespace: 'codemie' },
      spec: {
        containers: [{ name: 'app', image: 'busybox:1.36' }],
        volumes: [
          { name: 'data', persistentVolumeClaim: { claimName: 'unmounted' } },
        ],
      },
    });
    await waitFor(
      async () => (await read('unmounted')).status?.phase === 'Bound',
      5000,
      'the other claim bound',
    );
    await c.core.deleteNamespacedPod({
      name: 'used-unmounted',
      namespace: 'codemie',
      gracePeriodSeconds: 0,
    });
    await waitFor(
      async () =>
        !(await c.core.listNamespacedPod({ namespace: 'codemie' })).items.some(
          p => p.metadata?.name === 'used-unmounted',
        ),
      5000,
      'the pod of the other claim gone',
    );

    await c.apply(claim('mounted', '50Gi'));
    await c.apply(claim('unmounted', '50Gi'));
    const mounted = await waitFor(
      async () => {
        const pvc = await read('mounted');
        return pvc.status?.capacity?.storage === '50Gi' && pvc;
      },
      5000,
      'the mounted claim expanded',
    );
    expect(mounted.status?.conditions ?? []).toEqual([]);
    const unmounted = await waitFor(
      async () => {
        const pvc = await read('unmounted');
        return pvc.status?.conditions?.length ? pvc : undefined;
      },
      5000,
      'the unmounted claim waiting for a pod',
    );
    // The disk grew; the file system waits for a pod to mount it.
    expect(unmounted.status?.capacity?.storage).toBe('30Gi');
    expect(unmounted.status?.conditions?.[0].type).toBe(
      'FileSystemResizePending',
    );
    const volume = await c.core.readPersistentVolume({
      name: unmounted.spec!.volumeName!,
    });
    expect(volume.spec?.capacity?.storage).toBe('50Gi');
    const events = (await eventsFor(c, 'codemie', 'mounted')).map(
      e => e.reason,
    );
    expect(events).toEqual(
      expect.arrayContaining(['Resizing', 'FileSystemResizeSuccessful']),
    );

    await expect(c.apply(claim('mounted', '40Gi'))).rejects.toThrow(
      /spec\.resources\.requests\.storage: Forbidden: field can not be less than previous value/,
    );
    expect((await read('mounted')).spec?.resources?.requests?.storage).toBe(
      '50Gi',
    );
  });

  it('runs a DaemonSet pod per node and follows node changes', async () => {
    await c.apply({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'fluentbit' },
    });
    await c.apply({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'fluent-bit', namespace: 'fluentbit' },
      spec: {
        selector: { matchLabels: { app: 'fluent-bit' } },
        template: {
          metadata: { labels: { app: 'fluent-bit' } },
          spec: {
            containers: [
              {
                name: 'fluent-bit',
                image: 'cr.fluentbit.io/fluent/fluent-bit:3.2',
                resources: { requests: { cpu: '100m', memory: '128Mi' } },
              },
            ],
          },
        },
      },
    });
    const ds = await waitFor(
      async () => {
        const d = await c.apps.readNamespacedDaemonSet({
          name: 'fluent-bit',
          namespace: 'fluentbit',
        });
        return d.status?.numberReady === 2 && d;
      },
      3000,
      'daemonset ready',
    );
    expect(ds.status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
    });
    c.setNodes([node('gke-a-0'), node('gke-a-1'), node('gke-a-2')]);
    const pods = (await c.core.listNamespacedPod({ namespace: 'fluentbit' }))
      .items;
    expect(pods.map(p => p.spec?.nodeName).sort()).toEqual([
      'gke-a-0',
      'gke-a-1',
      'gke-a-2',
    ]);
    c.setNodes([node('gke-a-0')]);
    expect(
      (await c.core.listNamespacedPod({ namespace: 'fluentbit' })).items,
    ).toHaveLength(1);
  });

  it('reschedules the pods of a removed node', async () => {
    await c.apply(deployment('ui', { namespace: 'codemie', replicas: 2 }));
    c.setNodes([node('gke-a-0')]);
    const pods = await podsOf(c, 'codemie', 'ui');
    expect(pods).toHaveLength(2);
    expect(pods.every(p => p.spec?.nodeName === 'gke-a-0')).toBe(true);
  });
});
