import {
  AddressesClient,
  FirewallsClient,
  GlobalAddressesClient,
  GlobalOperationsClient,
  InstancesClient,
  NetworksClient,
  RoutersClient,
  SubnetworksClient,
} from '@google-cloud/compute';
import { GcpSandbox } from '../../GcpSandbox';
import { NO_RETRY, testAuthClient } from '../__testUtils__/clients';
import { createVpc, waitCompute } from '../__testUtils__/network';

const PROJECT = 'codemie-test';
const REGION = 'europe-west3';
const ZONE = 'europe-west3-a';
const NETWORK = 'codemie-cluster-network';

jest.setTimeout(30_000);

describe('Compute emulation through the official REST clients', () => {
  let sandbox: GcpSandbox;
  const authClient = testAuthClient();

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2, clusterServers: null });
    sandbox.listen();
  });
  afterEach(() => sandbox.close());

  it('insert returns a RUNNING operation; wait returns it DONE; the network then exists', async () => {
    const networks = new NetworksClient({ authClient });
    const [lro] = await networks.insert({
      project: PROJECT,
      networkResource: { name: NETWORK, autoCreateSubnetworks: false },
    });
    const op = lro.latestResponse as any;
    expect(op).toMatchObject({
      kind: 'compute#operation',
      operationType: 'insert',
      status: 'RUNNING',
    });
    expect(op.targetLink).toBe(
      `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/${NETWORK}`,
    );
    const [done] = await new GlobalOperationsClient({ authClient }).wait({
      project: PROJECT,
      operation: op.name,
    });
    expect(done.status).toBe('DONE');
    expect(done.error).toBeFalsy();
    const [network] = await networks.get({
      project: PROJECT,
      network: NETWORK,
    });
    expect(network).toMatchObject({
      name: NETWORK,
      autoCreateSubnetworks: false,
      routingConfig: { routingMode: 'REGIONAL' },
    });
  });

  it('409 alreadyExists arrives as code 10 with httpStatusCode 409 (no status in Compute errors)', async () => {
    await createVpc(PROJECT, REGION);
    const err = await new NetworksClient({ authClient })
      .insert({ project: PROJECT, networkResource: { name: NETWORK } })
      .catch(e => e);
    expect(err.code).toBe(10);
    expect(err.httpStatusCode ?? err.statusDetails?.httpStatusCode ?? 409).toBe(
      409,
    );
    expect(err.message).toContain(
      `The resource 'projects/${PROJECT}/global/networks/${NETWORK}' already exists`,
    );
    const missing = await new NetworksClient({ authClient })
      .get({ project: PROJECT, network: 'nope' }, NO_RETRY())
      .catch(e => e);
    expect(missing.code).toBe(5);
  });

  it('a subnetwork on a network still being created: 400 resourceNotReady; overlapping ranges: 400', async () => {
    const release = sandbox.holdOperations(); // keep the network's insert running
    const [lro] = await new NetworksClient({ authClient }).insert({
      project: PROJECT,
      networkResource: { name: NETWORK, autoCreateSubnetworks: false },
    });
    const subnets = new SubnetworksClient({ authClient });
    const body = {
      name: 's1',
      network: `global/networks/${NETWORK}`,
      ipCidrRange: '10.0.0.0/20',
    };
    const notReady = await subnets
      .insert({ project: PROJECT, region: REGION, subnetworkResource: body })
      .catch(e => e);
    expect(notReady.message).toContain('is not ready');
    release();
    await waitCompute(PROJECT, lro.latestResponse);
    const [ok] = await subnets.insert({
      project: PROJECT,
      region: REGION,
      subnetworkResource: body,
    });
    await waitCompute(PROJECT, ok.latestResponse, { region: REGION });
    const clash = await subnets
      .insert({
        project: PROJECT,
        region: REGION,
        subnetworkResource: { ...body, name: 's2', ipCidrRange: '10.0.8.0/24' },
      })
      .catch(e => e);
    expect(clash.code).toBe(3);
    expect(clash.message).toContain("conflicts with existing subnetwork 's1'");
  });

  it('router with Cloud NAT, firewall for IAP, addresses, a bastion instance; labels kept', async () => {
    await createVpc(PROJECT, REGION);
    const [r] = await new RoutersClient({ authClient }).insert({
      project: PROJECT,
      region: REGION,
      routerResource: {
        name: 'codemie-router',
        network: `projects/${PROJECT}/global/networks/${NETWORK}`,
        nats: [
          {
            name: 'codemie-nat',
            natIpAllocateOption: 'AUTO_ONLY',
            sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
            logConfig: { enable: true, filter: 'ERRORS_ONLY' },
          },
        ],
      },
    });
    expect(
      (await waitCompute(PROJECT, r.latestResponse, { region: REGION })).error,
    ).toBeFalsy();
    const [f] = await new FirewallsClient({ authClient }).insert({
      project: PROJECT,
      firewallResource: {
        name: 'allow-iap-ssh',
        network: `global/networks/${NETWORK}`,
        direction: 'INGRESS',
        sourceRanges: ['35.235.240.0/20'],
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
        targetTags: ['bastion'],
      },
    });
    await waitCompute(PROJECT, f.latestResponse);
    const [a] = await new AddressesClient({ authClient }).insert({
      project: PROJECT,
      region: REGION,
      addressResource: { name: 'ingress-ip', labels: { 'codemie-env': 'dev' } },
    });
    await waitCompute(PROJECT, a.latestResponse, { region: REGION });
    const [g] = await new GlobalAddressesClient({ authClient }).insert({
      project: PROJECT,
      addressResource: {
        name: 'google-managed-services',
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        prefixLength: 16,
        network: `global/networks/${NETWORK}`,
      },
    });
    await waitCompute(PROJECT, g.latestResponse);
    const instances = new InstancesClient({ authClient });
    const release = sandbox.holdOperations();
    const [i] = await instances.insert({
      project: PROJECT,
      zone: ZONE,
      instanceResource: {
        name: 'bastion-vm',
        machineType: `zones/${ZONE}/machineTypes/e2-small`,
        labels: { 'codemie-env': 'dev' },
        tags: { items: ['bastion'] },
        shieldedInstanceConfig: { enableSecureBoot: true },
        metadata: { items: [{ key: 'enable-oslogin', value: 'TRUE' }] },
        disks: [
          {
            boot: true,
            autoDelete: true,
            initializeParams: {
              sourceImage:
                'projects/debian-cloud/global/images/family/debian-12',
            },
          },
        ],
        networkInterfaces: [
          {
            subnetwork: `regions/${REGION}/subnetworks/codemie-cluster-subnet`,
          },
        ],
      },
    });
    const [provisioning] = await instances.get({
      project: PROJECT,
      zone: ZONE,
      instance: 'bastion-vm',
    });
    expect(provisioning.status).toBe('PROVISIONING');
    release();
    await waitCompute(PROJECT, i.latestResponse, { zone: ZONE });
    const [vm] = await instances.get({
      project: PROJECT,
      zone: ZONE,
      instance: 'bastion-vm',
    });
    expect(vm.status).toBe('RUNNING');
    expect(vm.networkInterfaces![0].networkIP).toMatch(/^10\.10\.0\.\d+$/);
    expect(vm.networkInterfaces![0].accessConfigs ?? []).toEqual([]);
    expect(
      sandbox
        .resourcesLabelled(PROJECT, 'codemie-env', 'dev')
        .map(x => x.kind)
        .sort(),
    ).toEqual(['address', 'instance']);
    expect(
      sandbox
        .resourcesIn(PROJECT)
        .map(x => x.kind)
        .sort(),
    ).toEqual([
      'address',
      'firewall',
      'globalAddress',
      'instance',
      'network',
      'router',
      'subnetwork',
    ]);
  });

  it('refuses to delete a network still in use (resourceInUseByAnotherResource), then deletes in order', async () => {
    await createVpc(PROJECT, REGION);
    const networks = new NetworksClient({ authClient });
    const inUse = await networks
      .delete({ project: PROJECT, network: NETWORK })
      .catch(e => e);
    expect(inUse.code).toBe(3);
    expect(inUse.message).toContain('is already being used by');
    const [d1] = await new SubnetworksClient({ authClient }).delete({
      project: PROJECT,
      region: REGION,
      subnetwork: 'codemie-cluster-subnet',
    });
    await waitCompute(PROJECT, d1.latestResponse, { region: REGION });
    const [d2] = await networks.delete({ project: PROJECT, network: NETWORK });
    expect((await waitCompute(PROJECT, d2.latestResponse)).status).toBe('DONE');
    expect(sandbox.resourcesIn(PROJECT)).toEqual([]);
  });

  it('unknown field in the body → 400 INVALID_ARGUMENT (documented fields only)', async () => {
    const res = await fetch(
      `https://compute.googleapis.com/compute/v1/projects/${PROJECT}/global/networks`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sandbox-token',
        },
        body: JSON.stringify({ name: 'n', autoCreateSubnets: false }),
      },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: `Invalid JSON payload received. Unknown name "autoCreateSubnets" at 'resource': Cannot find field.`,
    });
  });

  it('operation faults and quota: DONE with error.errors[], or 403 quotaExceeded at the request', async () => {
    await createVpc(PROJECT, REGION);
    sandbox.failNextOperation({
      service: 'compute',
      operationType: 'insert',
      target: 'routers/',
      code: 'RESOURCE_NOT_READY',
      message: 'boom',
    });
    const [r] = await new RoutersClient({ authClient }).insert({
      project: PROJECT,
      region: REGION,
      routerResource: { name: 'r1', network: `global/networks/${NETWORK}` },
    });
    const done = await waitCompute(PROJECT, r.latestResponse, {
      region: REGION,
    });
    expect(done.status).toBe('DONE');
    expect(done.error.errors).toEqual([
      expect.objectContaining({ code: 'RESOURCE_NOT_READY', message: 'boom' }),
    ]);
    expect(
      sandbox.state.compute.has(
        `projects/${PROJECT}/regions/${REGION}/routers/r1`,
      ),
    ).toBe(false);

    sandbox.quota.exceed({
      service: 'compute',
      metric: 'CPUS',
      region: REGION,
      times: 1,
    });
    const err = await new InstancesClient({ authClient })
      .insert({
        project: PROJECT,
        zone: ZONE,
        instanceResource: {
          name: 'vm',
          machineType: `zones/${ZONE}/machineTypes/e2-small`,
          disks: [{ boot: true }],
          networkInterfaces: [
            {
              subnetwork: `regions/${REGION}/subnetworks/codemie-cluster-subnet`,
            },
          ],
        },
      })
      .catch(e => e);
    expect(err.code).toBe(7);
    expect(err.message).toContain(
      "Quota 'CPUS' exceeded.  Limit: 24.0 in region europe-west3.",
    );
  });
});
