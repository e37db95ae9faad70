import {
  GlobalOperationsClient,
  NetworksClient,
  RegionOperationsClient,
  SubnetworksClient,
  ZoneOperationsClient,
} from '@google-cloud/compute';
import { testAuthClient } from './clients';

// Compute clients parse a 12 MB protobuf definition when constructed: build each once per test file.
// (The auth client looks fetch up per call, so one instance serves every sandbox.)
let clients:
  | {
      global: GlobalOperationsClient;
      region: RegionOperationsClient;
      zone: ZoneOperationsClient;
      networks: NetworksClient;
      subnetworks: SubnetworksClient;
    }
  | undefined;
function compute() {
  if (!clients) {
    const authClient = testAuthClient();
    clients = {
      global: new GlobalOperationsClient({ authClient }),
      region: new RegionOperationsClient({ authClient }),
      zone: new ZoneOperationsClient({ authClient }),
      networks: new NetworksClient({ authClient }),
      subnetworks: new SubnetworksClient({ authClient }),
    };
  }
  return clients;
}

/** Waits for a Compute operation the way product code does: `wait` in a loop until DONE. */
export async function waitCompute(
  project: string,
  op: any,
  scope: { region?: string; zone?: string } = {},
): Promise<any> {
  const c = compute();
  let current = op;
  for (let i = 0; i < 50 && current.status !== 'DONE'; i++) {
    if (scope.region) {
      [current] = await c.region.wait({
        project,
        region: scope.region,
        operation: op.name,
      });
    } else if (scope.zone) {
      [current] = await c.zone.wait({
        project,
        zone: scope.zone,
        operation: op.name,
      });
    } else {
      [current] = await c.global.wait({ project, operation: op.name });
    }
  }
  return current;
}

/** Creates a custom-mode VPC and a subnet with `pods`/`services` secondary ranges through the Compute client. */
export async function createVpc(
  project: string,
  region: string,
  name = 'codemie-cluster-network',
): Promise<void> {
  const [netOp] = await compute().networks.insert({
    project,
    networkResource: { name, autoCreateSubnetworks: false },
  });
  const net = await waitCompute(project, netOp.latestResponse ?? netOp);
  if (net.error) throw new Error(JSON.stringify(net.error));
  const [subOp] = await compute().subnetworks.insert({
    project,
    region,
    subnetworkResource: {
      name: 'codemie-cluster-subnet',
      network: `projects/${project}/global/networks/${name}`,
      ipCidrRange: '10.10.0.0/20',
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.20.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.30.0.0/20' },
      ],
    },
  });
  const sub = await waitCompute(project, subOp.latestResponse ?? subOp, {
    region,
  });
  if (sub.error) throw new Error(JSON.stringify(sub.error));
}
