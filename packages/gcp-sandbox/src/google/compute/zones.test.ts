import { ClusterManagerClient } from '@google-cloud/container';
import { InstancesClient, ZonesClient } from '@google-cloud/compute';
import { GcpSandbox } from '../../GcpSandbox';
import {
  FakeClusterServers,
  NO_RETRY,
  testAuthClient,
} from '../__testUtils__/clients';
import { createVpc } from '../__testUtils__/network';

const PROJECT = 'codemie-zones';

jest.setTimeout(30_000);

/**
 * Zone names differ per region (https://cloud.google.com/compute/docs/regions-zones):
 * europe-west1 and us-east1 have zones b, c, d; us-central1 has a, b, c, f. A client that assumes
 * `<region>-a/b/c` must fail here as it fails against Google.
 */
describe('zones as Google has them', () => {
  let sandbox: GcpSandbox;
  const authClient = testAuthClient();

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({
      timeScale: 0.05,
      clusterServers: new FakeClusterServers().factory,
    });
    sandbox.listen();
  });
  afterEach(() => sandbox.close());

  it('compute.zones.list serves each region its real zones, with status', async () => {
    sandbox.state.downZones.add('us-central1-f');
    const [zones] = await new ZonesClient({ authClient }).list({
      project: PROJECT,
    });
    const of = (region: string) =>
      zones
        .filter(z => String(z.region).endsWith(`/regions/${region}`))
        .map(z => `${z.name} ${z.status}`);
    expect(of('europe-west1')).toEqual([
      'europe-west1-b UP',
      'europe-west1-c UP',
      'europe-west1-d UP',
    ]);
    expect(of('us-east1')).toEqual([
      'us-east1-b UP',
      'us-east1-c UP',
      'us-east1-d UP',
    ]);
    expect(of('us-central1')).toEqual([
      'us-central1-a UP',
      'us-central1-b UP',
      'us-central1-c UP',
      'us-central1-f DOWN',
    ]);
  });

  it('GKE refuses node locations that are not zones of the region', async () => {
    await createVpc(PROJECT, 'europe-west1');
    const client = new ClusterManagerClient({ fallback: true, authClient });
    const error = await client
      .createCluster(
        {
          parent: `projects/${PROJECT}/locations/europe-west1`,
          cluster: {
            name: 'zones-gke',
            network: 'codemie-cluster-network',
            subnetwork: 'codemie-cluster-subnet',
            locations: ['europe-west1-a', 'europe-west1-b', 'europe-west1-c'],
            nodePools: [
              {
                name: 'main',
                initialNodeCount: 1,
                config: { machineType: 'e2-standard-4' },
              },
            ],
          },
        },
        NO_RETRY(),
      )
      .catch(e => e);
    expect(error.code).toBe(3);
    expect(error.message).toContain(
      'zone "europe-west1-a" does not exist in region "europe-west1" (its zones: europe-west1-b, europe-west1-c, europe-west1-d)',
    );
  });

  it('Compute has no instances collection in a zone that does not exist', async () => {
    const error = await new InstancesClient({ authClient })
      .insert({
        project: PROJECT,
        zone: 'europe-west1-a',
        instanceResource: { name: 'bastion' },
      })
      .catch(e => e);
    expect(error.message).toContain(
      `The resource 'projects/${PROJECT}/zones/europe-west1-a' was not found`,
    );
  });
});
