import {
  TestCluster,
  deployment,
  node,
  startCluster,
} from './__testUtils__/cluster';
import { SEED_FIELD_MANAGER } from './ControlPlane';

describe('seedDemo', () => {
  let c: TestCluster;
  beforeEach(async () => {
    c = await startCluster({ nodes: [node('gke-demo-0'), node('gke-demo-1')] });
  });
  afterEach(async () => {
    await c.server.stop();
  });

  it('makes objects ready at once, with one component crash-looping', async () => {
    const result = c.server.seedDemo({
      objects: [
        deployment('codemie-api', {
          namespace: 'codemie',
          replicas: 2,
          readinessDelay: 60,
        }),
        deployment('codemie-ui', { namespace: 'codemie' }),
        deployment('mermaid-server', { namespace: 'codemie' }),
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'elasticsearch-master', namespace: 'elastic' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'elasticsearch-master' } },
            template: {
              metadata: { labels: { app: 'elasticsearch-master' } },
              spec: {
                containers: [
                  {
                    name: 'elasticsearch',
                    image:
                      'docker.elastic.co/elasticsearch/elasticsearch:8.19.0',
                    resources: { requests: { cpu: '1', memory: '2Gi' } },
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
        },
      ],
      crashLoop: { namespace: 'codemie', component: 'mermaid-server' },
    });
    expect(result).toMatchObject({
      applied: 4,
      pods: 6,
      ready: 5,
      pending: [],
    });

    // No waiting: read at once through the API.
    const api = await c.apps.readNamespacedDeployment({
      name: 'codemie-api',
      namespace: 'codemie',
    });
    expect(api.status).toMatchObject({
      readyReplicas: 2,
      availableReplicas: 2,
    });
    expect(api.metadata?.managedFields?.[0].manager).toBe(SEED_FIELD_MANAGER);
    const es = await c.apps.readNamespacedStatefulSet({
      name: 'elasticsearch-master',
      namespace: 'elastic',
    });
    expect(es.status?.readyReplicas).toBe(2);
    const [mermaid] = (
      await c.core.listNamespacedPod({
        namespace: 'codemie',
        labelSelector: 'app.kubernetes.io/name=mermaid-server',
      })
    ).items;
    const status = mermaid.status!.containerStatuses![0];
    // Restarting for an hour: back-off has reached 5 minutes, so it is mostly in CrashLoopBackOff
    // (it has no readiness probe, so it reads Ready during each 5-second run, as a real one would).
    expect(status.restartCount).toBeGreaterThan(5);
    expect(status.lastState?.terminated?.reason).toBe('Error');

    // The seeded objects are ordinary objects: re-applying them through the API is a no-op.
    const before = c.server.object('Deployment', 'codemie', 'codemie-ui')!;
    const again: any = await c.apply(
      deployment('codemie-ui', { namespace: 'codemie' }),
      SEED_FIELD_MANAGER,
    );
    expect(again.metadata.resourceVersion).toBe(
      before.metadata?.resourceVersion,
    );
  });

  it('seeds into an undersized pool honestly: what does not fit stays Pending', () => {
    c.setNodes([
      node('gke-tiny-0', {
        machineType: 'e2-standard-2',
        vcpu: 2,
        memoryGiB: 8,
      }),
    ]);
    const result = c.server.seedDemo({
      objects: [deployment('big', { namespace: 'codemie', cpu: '3' })],
    });
    expect(result.ready).toBe(0);
    expect(result.pending).toHaveLength(1);
    const [pod] = c.server.objects('Pod', 'codemie');
    expect(pod.status.conditions[0].message).toContain('Insufficient cpu');
  });
});
