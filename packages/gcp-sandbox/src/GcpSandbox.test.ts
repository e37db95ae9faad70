import { ClusterManagerClient } from '@google-cloud/container';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { GcpSandbox } from './GcpSandbox';
import { testAuthClient } from './google/__testUtils__/clients';
import { createVpc } from './google/__testUtils__/network';

/** A KubeConfig built from what GKE returns, as product code builds it. */
function kubeConfig(cluster: {
  endpoint?: string | null;
  masterAuth?: { clusterCaCertificate?: string | null } | null;
}) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'gke',
        server: `https://${cluster.endpoint}`,
        caData: cluster.masterAuth!.clusterCaCertificate!,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'google', token: 'sandbox-token' }],
    contexts: [{ name: 'gke', cluster: 'gke', user: 'google' }],
    currentContext: 'gke',
  });
  return kc;
}

jest.setTimeout(30_000);

describe('GcpSandbox with its Kubernetes half', () => {
  let sandbox: GcpSandbox;
  afterEach(() => sandbox?.close());

  it('a GKE cluster created through the official client serves its Kubernetes API at endpoint, with its CA, and its nodes', async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2 });
    sandbox.listen();
    const authClient = testAuthClient();
    await createVpc('p', 'europe-west3');
    const container = new ClusterManagerClient({ fallback: true, authClient });
    await container.createCluster({
      parent: 'projects/p/locations/europe-west3-b',
      cluster: {
        name: 'c1',
        network: 'codemie-cluster-network',
        subnetwork: 'codemie-cluster-subnet',
        nodePools: [
          {
            name: 'main',
            initialNodeCount: 2,
            config: { machineType: 'e2-standard-4' },
          },
        ],
      },
    });
    await sandbox.settle();
    const [cluster] = await container.getCluster({
      name: 'projects/p/locations/europe-west3-b/clusters/c1',
    });
    expect(cluster.status).toBe('RUNNING');
    const core = kubeConfig(cluster).makeApiClient(CoreV1Api);
    const nodes = await core.listNode();
    expect(nodes.items).toHaveLength(2);
    expect(nodes.items[0].metadata!.labels).toMatchObject({
      'cloud.google.com/gke-nodepool': 'main',
      'node.kubernetes.io/instance-type': 'e2-standard-4',
      'topology.kubernetes.io/zone': 'europe-west3-b',
    });

    const [op] = await container.setNodePoolSize({
      name: 'projects/p/locations/europe-west3-b/clusters/c1/nodePools/main',
      nodeCount: 3,
    });
    expect(op.operationType).toBe('SET_NODE_POOL_SIZE');
    await sandbox.settle();
    expect((await core.listNode()).items).toHaveLength(3);
    const [del] = await container.deleteCluster({
      name: 'projects/p/locations/europe-west3-b/clusters/c1',
    });
    expect(del.operationType).toBe('DELETE_CLUSTER');
    await sandbox.settle();
    await expect(core.listNode()).rejects.toThrow();
  });

  it('seedDemo: every workload running, one restarting', async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2 });
    sandbox.listen();
    const demo = await sandbox.seedDemo();
    const [cluster] = await new ClusterManagerClient({
      fallback: true,
      authClient: testAuthClient(),
    }).getCluster({ name: demo.cluster });
    const core = kubeConfig(cluster).makeApiClient(CoreV1Api);
    const pods = (await core.listPodForAllNamespaces()).items;
    expect(pods.length).toBeGreaterThan(10);
    const notRunning = pods.filter(p => p.status?.phase !== 'Running');
    expect(notRunning.map(p => p.metadata!.name)).toEqual([]);
    const restarting = pods.filter(p =>
      (p.status?.containerStatuses ?? []).some(c => (c.restartCount ?? 0) > 0),
    );
    expect(
      restarting.map(p => p.metadata!.labels!['app.kubernetes.io/component']),
    ).toEqual(['mermaid-server']);
  });
});

describe('seeded transient faults', () => {
  it('a 503 rate with the same seed fails the same calls; the client retries them', async () => {
    const run = async () => {
      const sandbox = await GcpSandbox.create({
        seed: 42,
        clusterServers: null,
      });
      sandbox.listen();
      sandbox.faults.add({
        service: 'container',
        method: 'GET',
        status: 503,
        rate: 0.3,
      });
      const client = new ClusterManagerClient({
        fallback: true,
        authClient: testAuthClient(),
      });
      for (let i = 0; i < 5; i++)
        await client.listClusters({ parent: 'projects/p/locations/-' });
      const statuses = sandbox.journal.list().map(e => e.status);
      await sandbox.close();
      return statuses;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first.filter(s => s === 200)).toHaveLength(5);
    expect(await run()).toEqual(first);
  }, 20000);
});

describe('a sandbox on a manual clock', () => {
  it("keeps a GKE cluster PROVISIONING until its creation's simulated 7 minutes have passed", async () => {
    const sandbox = await GcpSandbox.create({
      clock: 'manual',
      clusterServers: null,
    });
    sandbox.listen();
    try {
      // The VPC's operations take simulated time too: move it until they are done.
      await sandbox.clock.runUntil(createVpc('p', 'europe-west3'));
      const container = new ClusterManagerClient({
        fallback: true,
        authClient: testAuthClient(),
      });
      await container.createCluster({
        parent: 'projects/p/locations/europe-west3-b',
        cluster: {
          name: 'c1',
          network: 'codemie-cluster-network',
          subnetwork: 'codemie-cluster-subnet',
          nodePools: [
            {
              name: 'main',
              initialNodeCount: 1,
              config: { machineType: 'e2-standard-4' },
            },
          ],
        },
      });
      const status = async () =>
        (
          await container.getCluster({
            name: 'projects/p/locations/europe-west3-b/clusters/c1',
          })
        )[0].status;
      await sandbox.clock.advance(419_000);
      expect(await status()).toBe('PROVISIONING');
      await sandbox.clock.advance(1_000);
      expect(await status()).toBe('RUNNING');
    } finally {
      await sandbox.close();
    }
  });
});
