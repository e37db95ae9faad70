import { ClusterManagerClient, protos } from '@google-cloud/container';
import { GcpSandbox } from '../../GcpSandbox';
import {
  FakeClusterServers,
  NO_RETRY,
  testAuthClient,
} from '../__testUtils__/clients';
import { createVpc } from '../__testUtils__/network';

const PROJECT = 'codemie-test';
const REGION = 'europe-west3';
const PARENT = `projects/${PROJECT}/locations/${REGION}`;
const OpStatus = protos.google.container.v1.Operation.Status;

function clusterRequest(
  name = 'codemie-gke',
): protos.google.container.v1.ICreateClusterRequest {
  return {
    parent: PARENT,
    cluster: {
      name,
      network: 'codemie-cluster-network',
      subnetwork: 'codemie-cluster-subnet',
      resourceLabels: { 'codemie-env': 'dev' },
      releaseChannel: { channel: 'REGULAR' },
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
      },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: false,
        masterIpv4CidrBlock: '172.16.0.0/28',
      },
      workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` },
      nodePools: [
        {
          name: 'main',
          initialNodeCount: 1,
          config: {
            machineType: 'e2-standard-8',
            workloadMetadataConfig: { mode: 'GKE_METADATA' },
          },
          autoscaling: { enabled: true, minNodeCount: 1, maxNodeCount: 3 },
          management: { autoRepair: true, autoUpgrade: true },
        },
      ],
    },
  };
}

async function waitOp(
  client: ClusterManagerClient,
  op: protos.google.container.v1.IOperation,
) {
  let current = op;
  for (
    let i = 0;
    i < 200 && current.status !== 'DONE' && current.status !== OpStatus.DONE;
    i++
  ) {
    await new Promise(r => setTimeout(r, 20));
    [current] = await client.getOperation({
      name: `${PARENT}/operations/${op.name}`,
    });
  }
  return current;
}

jest.setTimeout(30_000);

describe('GKE emulation through ClusterManagerClient (REST fallback)', () => {
  let sandbox: GcpSandbox;
  let client: ClusterManagerClient;
  let fakes: FakeClusterServers;

  beforeEach(async () => {
    fakes = new FakeClusterServers();
    sandbox = await GcpSandbox.create({
      timeScale: 0.2,
      clusterServers: fakes.factory,
    });
    sandbox.listen();
    client = new ClusterManagerClient({
      fallback: true,
      authClient: testAuthClient(),
    });
    await createVpc(PROJECT, REGION);
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('creates a private cluster: PROVISIONING, then RUNNING with endpoint and CA of its API server', async () => {
    const release = sandbox.holdOperations();
    const [op] = await client.createCluster(clusterRequest());
    expect(op.operationType).toBe('CREATE_CLUSTER');
    expect(op.status).toBe('RUNNING');
    const [provisioning] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(provisioning.status).toBe('PROVISIONING');
    expect(provisioning.endpoint).toBeFalsy();
    release();

    const done = await waitOp(client, op);
    expect(done.status).toBe('DONE');
    expect(done.error).toBeFalsy();
    const [cluster] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(cluster.status).toBe('RUNNING');
    expect(cluster.endpoint).toBe(fakes.started[0].server.endpoint);
    expect(
      Buffer.from(
        cluster.masterAuth!.clusterCaCertificate!,
        'base64',
      ).toString(),
    ).toContain('BEGIN CERTIFICATE');
    expect(cluster.privateClusterConfig).toMatchObject({
      enablePrivateNodes: true,
      masterIpv4CidrBlock: '172.16.0.0/28',
    });
    expect(cluster.releaseChannel?.channel).toBe('REGULAR');
    expect(cluster.resourceLabels).toEqual({ 'codemie-env': 'dev' });
    expect(cluster.locations).toEqual([
      'europe-west3-a',
      'europe-west3-b',
      'europe-west3-c',
    ]);
    expect(cluster.clusterIpv4Cidr).toBe('10.20.0.0/14');
    expect(cluster.nodePools![0]).toMatchObject({
      name: 'main',
      status: 'RUNNING',
    });
    expect(cluster.currentNodeCount).toBe(3);
    expect(fakes.started[0].nodes()).toHaveLength(3);
    expect(fakes.started[0].nodes()[0]).toMatchObject({
      machineType: 'e2-standard-8',
      vcpu: 8,
      memoryGiB: 32,
      maxPods: 110,
    });
    expect(
      sandbox.resourcesLabelled(PROJECT, 'codemie-env', 'dev').map(r => r.kind),
    ).toEqual(['cluster']);
  });

  it('answers the numeric enums the REST fallback asks for, and accepts numeric enums in requests', async () => {
    const req = clusterRequest();
    req.cluster!.releaseChannel = { channel: 2 };
    await client.createCluster(req);
    const entry = sandbox.journal.list({
      service: 'container',
      method: 'POST',
    })[0];
    expect((entry.body as any).cluster.releaseChannel.channel).toBe(2);
    expect(
      sandbox.state.clusters.get(`${PARENT}/clusters/codemie-gke`)!.resource
        .releaseChannel.channel,
    ).toBe('REGULAR');
  });

  it('rejects wrong types and unknown enum values on the wire with 400 INVALID_ARGUMENT', async () => {
    // The client would coerce or refuse such values itself (protobufjs); what reaches Google is checked on the wire.
    const res = await fetch(
      `https://container.googleapis.com/v1/${PARENT}/clusters?$alt=json;enum-encoding=int`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sandbox-token',
        },
        body: JSON.stringify({
          cluster: {
            name: 'x',
            nodePools: [{ name: 'a', initialNodeCount: 'three' }],
            releaseChannel: { channel: 42 },
          },
        }),
      },
    );
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.status).toBe('INVALID_ARGUMENT');
    expect(error.message).toContain(
      `Invalid value at 'cluster.node_pools[0].initial_node_count' (TYPE_INT32), "three"`,
    );
    expect(error.message).toContain(
      `Invalid value at 'cluster.release_channel.channel' (type.googleapis.com/google.container.v1.ReleaseChannel.Channel), 42`,
    );
    expect(sandbox.state.clusters.size).toBe(0);
  });

  it('rejects a body with an unknown field (validated on the wire)', async () => {
    const res = await fetch(
      `https://container.googleapis.com/v1/${PARENT}/clusters`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sandbox-token',
        },
        body: JSON.stringify({
          cluster: { name: 'x', initialNodeCount: 1, nodePoolz: [] },
        }),
      },
    );
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: `Invalid JSON payload received. Unknown name "nodePoolz" at 'cluster': Cannot find field.`,
    });
    expect(body.error.details[0]['@type']).toBe(
      'type.googleapis.com/google.rpc.BadRequest',
    );
  });

  it('409 ALREADY_EXISTS → code 6; 404 → code 5', async () => {
    await client.createCluster(clusterRequest());
    const dup = await client.createCluster(clusterRequest()).catch(e => e);
    expect(dup.code).toBe(6);
    expect(dup.message).toContain(
      `Already exists: ${PARENT}/clusters/codemie-gke`,
    );
    const missing = await client
      .getCluster({ name: `${PARENT}/clusters/nope` }, NO_RETRY())
      .catch(e => e);
    expect(missing.code).toBe(5);
  });

  it('one operation at a time per cluster: 400 FAILED_PRECONDITION (code 9) "currently creating"', async () => {
    sandbox.holdOperations();
    const [op] = await client.createCluster(clusterRequest());
    const err = await client
      .createNodePool({
        parent: `${PARENT}/clusters/codemie-gke`,
        nodePool: { name: 'extra', initialNodeCount: 1 },
      })
      .catch(e => e);
    expect(err.code).toBe(9);
    expect(err.message).toContain(
      `Operation ${op.name} is currently creating cluster codemie-gke`,
    );
    const del = await client
      .deleteCluster({ name: `${PARENT}/clusters/codemie-gke` }, NO_RETRY())
      .catch(e => e);
    expect(del.code).toBe(9);
  });

  it('refuses a cluster whose subnetwork is missing or lacks the named secondary range', async () => {
    const req = clusterRequest();
    req.cluster!.ipAllocationPolicy!.clusterSecondaryRangeName = 'nope';
    const err = await client.createCluster(req).catch(e => e);
    expect(err.code).toBe(3);
    expect(err.message).toContain('Secondary range "nope" does not exist');
    const req2 = clusterRequest();
    req2.cluster!.subnetwork = 'other';
    expect((await client.createCluster(req2).catch(e => e)).message).toContain(
      'subnetworks/other" does not exist',
    );
  });

  it('node pools: create, get, setSize, delete; the API server is told about node changes', async () => {
    const [op] = await client.createCluster(clusterRequest());
    await waitOp(client, op);
    const release = sandbox.holdOperations();
    const [npOp] = await client.createNodePool({
      parent: `${PARENT}/clusters/codemie-gke`,
      nodePool: {
        name: 'highmem',
        initialNodeCount: 1,
        locations: ['europe-west3-a'],
        config: { machineType: 'n2-highmem-8' },
      },
    });
    expect(npOp.operationType).toBe('CREATE_NODE_POOL');
    const [reconciling] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(reconciling.status).toBe('RECONCILING');
    release();
    await waitOp(client, npOp);
    const [pool] = await client.getNodePool({
      name: `${PARENT}/clusters/codemie-gke/nodePools/highmem`,
    });
    expect(pool.status).toBe('RUNNING');
    const nodes = fakes.started[0].nodes();
    expect(nodes.filter(n => n.nodePool === 'highmem')).toEqual([
      expect.objectContaining({
        zone: 'europe-west3-a',
        machineType: 'n2-highmem-8',
        vcpu: 8,
        memoryGiB: 64,
      }),
    ]);
    const notified = fakes.started[0].server.nodesChangedCalls;
    expect(notified).toBeGreaterThan(0);

    const [sizeOp] = await client.setNodePoolSize({
      name: `${PARENT}/clusters/codemie-gke/nodePools/highmem`,
      nodeCount: 3,
    });
    await waitOp(client, sizeOp);
    expect(
      fakes.started[0].nodes().filter(n => n.nodePool === 'highmem'),
    ).toHaveLength(3);

    const [delOp] = await client.deleteNodePool({
      name: `${PARENT}/clusters/codemie-gke/nodePools/highmem`,
    });
    await waitOp(client, delOp);
    expect(fakes.started[0].nodes().every(n => n.nodePool === 'main')).toBe(
      true,
    );
    expect(fakes.started[0].server.nodesChangedCalls).toBeGreaterThan(notified);
  });

  it('setAutoscaling changes the bounds without adding nodes; setSize then grows the pool to them', async () => {
    const [op] = await client.createCluster(clusterRequest());
    await waitOp(client, op);
    const name = `${PARENT}/clusters/codemie-gke/nodePools/main`;
    const zones = (
      await client.getCluster({ name: `${PARENT}/clusters/codemie-gke` })
    )[0].locations!.length;
    const mainNodes = () =>
      fakes.started[0].nodes().filter(n => n.nodePool === 'main');
    expect(mainNodes()).toHaveLength(zones);

    const refused = await client
      .setNodePoolAutoscaling(
        {
          name,
          autoscaling: { enabled: true, minNodeCount: 4, maxNodeCount: 2 },
        },
        NO_RETRY(),
      )
      .catch(e => e);
    expect(refused.code).toBe(3);
    expect(refused.message).toContain('max_node_count 2');

    const [scaleOp] = await client.setNodePoolAutoscaling({
      name,
      autoscaling: { enabled: true, minNodeCount: 2, maxNodeCount: 4 },
    });
    expect(scaleOp.operationType).toBe('UPDATE_CLUSTER');
    expect((await waitOp(client, scaleOp)).error).toBeFalsy();
    const [pool] = await client.getNodePool({ name });
    expect(pool.autoscaling).toMatchObject({
      enabled: true,
      minNodeCount: 2,
      maxNodeCount: 4,
    });
    // The autoscaler does not enforce a raised minimum by itself.
    expect(mainNodes()).toHaveLength(zones);

    const [sizeOp] = await client.setNodePoolSize({ name, nodeCount: 2 });
    await waitOp(client, sizeOp);
    expect(mainNodes()).toHaveLength(2 * zones);
    // The pool keeps the count it was created with.
    expect(
      Number((await client.getNodePool({ name }))[0].initialNodeCount),
    ).toBe(1);
  });

  it('delete: STOPPING, then gone, its API server stopped', async () => {
    const [op] = await client.createCluster(clusterRequest());
    await waitOp(client, op);
    const release = sandbox.holdOperations();
    const [delOp] = await client.deleteCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(delOp.operationType).toBe('DELETE_CLUSTER');
    const [stopping] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(stopping.status).toBe('STOPPING');
    release();
    await waitOp(client, delOp);
    const [list] = await client.listClusters({
      parent: `projects/${PROJECT}/locations/-`,
    });
    expect(list.clusters).toEqual([]);
    expect(fakes.started[0].server.stopped).toBe(true);
    expect(sandbox.resourcesLabelled(PROJECT, 'codemie-env')).toEqual([]);
  });

  it('quota at request: 403 → code 7; quota in the operation: DONE with error code 8 and cluster ERROR', async () => {
    const remove = sandbox.quota.exceed({
      service: 'container',
      metric: 'CPUS',
      region: REGION,
    });
    const err = await client.createCluster(clusterRequest()).catch(e => e);
    expect(err.code).toBe(7);
    expect(err.message).toContain(
      'Insufficient regional quota to satisfy request: resource "CPUS"',
    );
    remove();

    sandbox.quota.exceed({
      service: 'container',
      metric: 'IN_USE_ADDRESSES',
      at: 'operation',
      times: 1,
    });
    const [op] = await client.createCluster(clusterRequest());
    const done = await waitOp(client, op);
    expect(done.status).toBe('DONE');
    expect(done.error).toMatchObject({
      code: 8,
      message:
        "Quota 'IN_USE_ADDRESSES' exceeded. Limit: 24.0 in region europe-west3.",
    });
    expect(done.clusterConditions![0]).toMatchObject({
      code: 'GCE_QUOTA_EXCEEDED',
    });
    const [cluster] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(cluster.status).toBe('ERROR');
  });

  it('failNextOperation: the operation ends DONE with the given error', async () => {
    sandbox.failNextOperation({
      service: 'container',
      operationType: 'CREATE_CLUSTER',
      code: 13,
      message: 'Internal error.',
    });
    const [op] = await client.createCluster(clusterRequest());
    const done = await waitOp(client, op);
    expect(done.error).toMatchObject({ code: 13, message: 'Internal error.' });
  });

  it('transient 503 on get: fails fast with {retry: null}, and the default retry recovers', async () => {
    await client.createCluster(clusterRequest());
    sandbox.faults.add({
      service: 'container',
      method: 'GET',
      status: 503,
      times: 1,
    });
    const err = await client
      .getCluster({ name: `${PARENT}/clusters/codemie-gke` }, NO_RETRY())
      .catch(e => e);
    expect(err.code).toBe(14);
    sandbox.faults.add({
      service: 'container',
      method: 'GET',
      status: 503,
      times: 1,
    });
    const [cluster] = await client.getCluster({
      name: `${PARENT}/clusters/codemie-gke`,
    });
    expect(cluster.name).toBe('codemie-gke');
    expect(
      sandbox.journal
        .list({ service: 'container', method: 'GET' })
        .map(e => e.status),
    ).toEqual([503, 503, 200]);
  });

  it('fails the Nth call and adds latency', async () => {
    sandbox.faults.add({
      service: 'container',
      method: 'POST',
      nth: 2,
      status: 429,
    });
    sandbox.faults.addLatency({ service: 'container', millis: 30 });
    await client.createCluster(clusterRequest('a'));
    const start = Date.now();
    const err = await client.createCluster(clusterRequest('b')).catch(e => e);
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
    expect(err.code).toBe(8);
    await client.createCluster(clusterRequest('c'));
    expect(sandbox.journal.mutating().map(e => e.status)).toEqual(
      expect.arrayContaining([200, 429, 200]),
    );
  });

  it('journals every call; reads are not mutating', async () => {
    await client.listClusters({ parent: PARENT });
    expect(sandbox.journal.list({ service: 'container' })).toEqual([
      expect.objectContaining({
        method: 'GET',
        path: expect.stringContaining(`/v1/${PARENT}/clusters`),
        status: 200,
        mutating: false,
      }),
    ]);
    expect(
      sandbox.journal.mutating().filter(e => e.service === 'container'),
    ).toHaveLength(0);
  });
});
