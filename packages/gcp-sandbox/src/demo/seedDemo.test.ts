import { ClusterManagerClient } from '@google-cloud/container';
import { SqlInstancesServiceClient } from '@google-cloud/sql';
import { GcpSandbox } from '../GcpSandbox';
import {
  FakeClusterServers,
  testAuthClient,
} from '../google/__testUtils__/clients';

jest.setTimeout(30_000);

describe('seedDemo', () => {
  it('creates one ready installation, labelled, visible through the official clients, without journal entries', async () => {
    const fakes = new FakeClusterServers();
    const seeded: unknown[] = [];
    const factory: typeof fakes.factory = async options => {
      const server = await fakes.factory(options);
      return Object.assign(server, {
        seedDemo: (o: unknown) => seeded.push(o),
      });
    };
    const sandbox = await GcpSandbox.create({ clusterServers: factory });
    sandbox.listen();
    try {
      const demo = await sandbox.seedDemo();
      expect(demo).toMatchObject({
        projectId: 'codemie-demo',
        name: 'demo',
        cluster:
          'projects/codemie-demo/locations/europe-west3/clusters/demo-gke',
      });
      expect(sandbox.journal.length).toBe(0);
      const authClient = testAuthClient();
      const [cluster] = await new ClusterManagerClient({
        fallback: true,
        authClient,
      }).getCluster({ name: demo.cluster });
      expect(cluster.status).toBe('RUNNING');
      expect(cluster.endpoint).toBe(demo.endpoint);
      expect(cluster.nodePools![0].config!.machineType).toBe(demo.machineType);
      const [sql] = await new SqlInstancesServiceClient({
        fallback: true,
        authClient,
      }).get({ project: 'codemie-demo', instance: 'demo-pg' });
      expect(sql.state).toBe('RUNNABLE');
      const kinds = sandbox
        .resourcesLabelled('codemie-demo', 'codemie-environment', 'demo')
        .map(r => r.kind)
        .sort();
      expect(kinds).toEqual([
        'address',
        'cluster',
        'instance',
        'managedZone',
        'nodePool',
        'secret',
        'secret',
        'secret',
      ]);
      expect(fakes.started[0].nodes()).toHaveLength(3 * demo.nodesPerZone);
      expect(seeded).toHaveLength(1);
      const objects = (seeded[0] as any).objects as any[];
      expect(objects.map(o => o.kind)).toEqual(
        expect.arrayContaining([
          'Namespace',
          'Deployment',
          'StatefulSet',
          'DaemonSet',
          'Service',
        ]),
      );
      expect((seeded[0] as any).crashLoop).toEqual({
        namespace: 'codemie',
        component: 'mermaid-server',
      });
      expect(sandbox.emulation.durations.clusterCreate).toBeGreaterThan(0);
    } finally {
      await sandbox.close();
    }
  });
});
