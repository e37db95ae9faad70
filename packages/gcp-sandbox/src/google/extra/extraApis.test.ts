import { ServiceUsageClient } from '@google-cloud/service-usage';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { ProjectsClient } from '@google-cloud/resource-manager';
import { ClusterManagerClient } from '@google-cloud/container';
import { GlobalAddressesClient } from '@google-cloud/compute';
import { SqlInstancesServiceClient } from '@google-cloud/sql';
import { iam } from '@googleapis/iam';
import { GcpSandbox } from '../../GcpSandbox';
import { NO_RETRY, testAuthClient } from '../__testUtils__/clients';
import { createVpc, waitCompute } from '../__testUtils__/network';
import { projectNumber } from '../context';

const PROJECT = 'codemie-test';

jest.setTimeout(30_000);

describe('Service Usage, Secret Manager, IAM, Resource Manager, Service Networking', () => {
  let sandbox: GcpSandbox;
  let authClient: any;

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2, clusterServers: null });
    sandbox.listen();
    authClient = testAuthClient();
  });
  afterEach(() => sandbox.close());

  it('Service Usage: batchEnable is a long-running operation; services then ENABLED', async () => {
    const client = new ServiceUsageClient({ fallback: true, authClient });
    const [operation] = await client.batchEnableServices({
      parent: `projects/${PROJECT}`,
      serviceIds: ['container.googleapis.com', 'sqladmin.googleapis.com'],
    });
    const [response] = await operation.promise();
    expect(response.services!.map(s => s.config!.name)).toEqual([
      'container.googleapis.com',
      'sqladmin.googleapis.com',
    ]);
    const [service] = await client.getService({
      name: `projects/${PROJECT}/services/container.googleapis.com`,
    });
    expect(service.state).toBe('ENABLED');
    expect(service.name).toBe(
      `projects/${projectNumber(PROJECT)}/services/container.googleapis.com`,
    );
    const [dns] = await client.getService({
      name: `projects/${PROJECT}/services/dns.googleapis.com`,
    });
    expect(dns.state).toBe('DISABLED');
  });

  it('requireEnabledServices: a disabled API answers 403 SERVICE_DISABLED', async () => {
    await sandbox.close();
    sandbox = await GcpSandbox.create({
      timeScale: 0.2,
      clusterServers: null,
      requireEnabledServices: true,
    });
    sandbox.listen();
    const container = new ClusterManagerClient({ fallback: true, authClient });
    const err = await container
      .listClusters({ parent: `projects/${PROJECT}/locations/-` }, NO_RETRY())
      .catch(e => e);
    expect(err.code).toBe(7);
    expect(err.message).toContain(
      'Kubernetes Engine API has not been used in project',
    );
    expect(err.reason).toBe('SERVICE_DISABLED');
    sandbox.enableServices(PROJECT, ['container.googleapis.com']);
    const [list] = await container.listClusters({
      parent: `projects/${PROJECT}/locations/-`,
    });
    expect(list.clusters).toEqual([]);
  });

  it('Secret Manager: create, addVersion, access latest, 409, delete', async () => {
    const client = new SecretManagerServiceClient({
      fallback: true,
      authClient,
    });
    const [secret] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'demo-codemie-db-password',
      secret: {
        replication: { automatic: {} },
        labels: { 'codemie-environment': 'demo' },
      },
    });
    expect(secret.name).toBe(
      `projects/${projectNumber(PROJECT)}/secrets/demo-codemie-db-password`,
    );
    const dup = await client
      .createSecret({
        parent: `projects/${PROJECT}`,
        secretId: 'demo-codemie-db-password',
        secret: { replication: { automatic: {} } },
      })
      .catch(e => e);
    expect(dup.code).toBe(6);
    const [version] = await client.addSecretVersion({
      parent: secret.name,
      payload: { data: Buffer.from('s3cret') },
    });
    expect(version.name).toBe(`${secret.name}/versions/1`);
    expect(version.state).toBe('ENABLED');
    const [access] = await client.accessSecretVersion({
      name: `projects/${PROJECT}/secrets/demo-codemie-db-password/versions/latest`,
    });
    expect(Buffer.from(access.payload!.data as Uint8Array).toString()).toBe(
      's3cret',
    );
    expect(
      sandbox.resourcesLabelled(PROJECT, 'codemie-environment', 'demo'),
    ).toHaveLength(1);
    await client.deleteSecret({ name: secret.name });
    const missing = await client
      .getSecret({ name: secret.name }, NO_RETRY())
      .catch(e => e);
    expect(missing.code).toBe(5);
  });

  it('IAM service accounts through @googleapis/iam; project policy read-modify-write with etag', async () => {
    sandbox.emulation.durations.iamPropagation = 1e9; // the new account stays unknown to IAM for now
    const client = iam({ version: 'v1', auth: authClient });
    const { data: account } = await client.projects.serviceAccounts.create({
      name: `projects/${PROJECT}`,
      requestBody: {
        accountId: 'demo-codemie',
        serviceAccount: { displayName: 'CodeMie' },
      },
    });
    expect(account.email).toBe(
      `demo-codemie@${PROJECT}.iam.gserviceaccount.com`,
    );
    const dup = await client.projects.serviceAccounts
      .create({
        name: `projects/${PROJECT}`,
        requestBody: { accountId: 'demo-codemie' },
      })
      .catch(e => e);
    expect(dup.status ?? dup.code).toBe(409);

    const projects = new ProjectsClient({ fallback: true, authClient });
    const [policy] = await projects.getIamPolicy({
      resource: `projects/${PROJECT}`,
    });
    const member = `serviceAccount:${account.email}`;
    // Right after creation IAM does not know the account yet (eventual consistency).
    const early = await projects
      .setIamPolicy({
        resource: `projects/${PROJECT}`,
        policy: {
          ...policy,
          bindings: [
            ...policy.bindings!,
            { role: 'roles/aiplatform.user', members: [member] },
          ],
        },
      })
      .catch(e => e);
    // resource-manager 6.3 runs on google-gax 5, whose REST errors carry the HTTP status as `code`.
    expect(early.code).toBe(400);
    expect(early.message).toContain('does not exist');
    sandbox.emulation.durations.iamPropagation = 0; // … and now it has propagated
    const [updated] = await projects.setIamPolicy({
      resource: `projects/${PROJECT}`,
      policy: {
        ...policy,
        bindings: [
          ...policy.bindings!,
          { role: 'roles/aiplatform.user', members: [member] },
        ],
      },
    });
    expect(updated.bindings!.map(b => b.role)).toContain(
      'roles/aiplatform.user',
    );
    const stale = await projects
      .setIamPolicy({ resource: `projects/${PROJECT}`, policy })
      .catch(e => e);
    expect(stale.code).toBe(409);
    expect(stale.message).toContain('concurrent policy changes');

    const { data: saPolicy } =
      await client.projects.serviceAccounts.setIamPolicy({
        resource: `projects/${PROJECT}/serviceAccounts/${account.email}`,
        requestBody: {
          policy: {
            bindings: [
              {
                role: 'roles/iam.workloadIdentityUser',
                members: [
                  `serviceAccount:${PROJECT}.svc.id.goog[codemie/codemie-api]`,
                ],
              },
            ],
          },
        },
      });
    expect(saPolicy.bindings![0].role).toBe('roles/iam.workloadIdentityUser');
    await client.projects.serviceAccounts.delete({
      name: `projects/${PROJECT}/serviceAccounts/${account.email}`,
    });
    expect(
      sandbox.resourcesIn(PROJECT).filter(r => r.kind === 'serviceAccount'),
    ).toEqual([]);
  });

  it('Service Networking: connection needs a VPC_PEERING range; Cloud SQL private IP then works; deleting it waits for SQL', async () => {
    await createVpc(PROJECT, 'europe-west3');
    const network = `projects/${projectNumber(PROJECT)}/global/networks/codemie-cluster-network`;
    const url =
      'https://servicenetworking.googleapis.com/v1/services/servicenetworking.googleapis.com/connections';
    const noRange = await authClient
      .request({
        url,
        method: 'POST',
        data: { network, reservedPeeringRanges: ['psa'] },
      })
      .catch((e: any) => e);
    expect(noRange.status).toBe(400);
    const [g] = await new GlobalAddressesClient({ authClient }).insert({
      project: PROJECT,
      addressResource: {
        name: 'psa',
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        prefixLength: 16,
        network: 'global/networks/codemie-cluster-network',
      },
    });
    await waitCompute(PROJECT, g.latestResponse);
    const { data: op } = await authClient.request({
      url,
      method: 'POST',
      data: { network, reservedPeeringRanges: ['psa'] },
    });
    expect(op.name).toMatch(/^operations\//);
    await sandbox.settle();
    const { data: done } = await authClient.request({
      url: `https://servicenetworking.googleapis.com/v1/${op.name}`,
    });
    expect(done).toMatchObject({
      done: true,
      response: { peering: 'servicenetworking-googleapis-com' },
    });
    const { data: list } = await authClient.request({
      url: `${url}?network=${encodeURIComponent(network)}`,
    });
    expect(list.connections).toHaveLength(1);

    const sql = new SqlInstancesServiceClient({ fallback: true, authClient });
    await sql.insert({
      project: PROJECT,
      body: {
        name: 'pg',
        region: 'europe-west3',
        databaseVersion: 'POSTGRES_16',
        settings: {
          tier: 'db-custom-1-3840',
          ipConfiguration: {
            ipv4Enabled: { value: false },
            privateNetwork: network,
          },
        },
      },
    });
    await sandbox.settle();
    const [instance] = await sql.get({ project: PROJECT, instance: 'pg' });
    expect(instance.ipAddresses).toEqual([
      expect.objectContaining({ type: 'PRIVATE' }),
    ]);
    const { data: delOp } = await authClient.request({
      url: `${url}/servicenetworking-googleapis-com:deleteConnection`,
      method: 'POST',
      data: { consumerNetwork: network },
    });
    await sandbox.settle();
    const { data: delDone } = await authClient.request({
      url: `https://servicenetworking.googleapis.com/v1/${delOp.name}`,
    });
    expect(delDone.error).toMatchObject({
      code: 9,
      message: expect.stringContaining('still using this connection'),
    });
  });

  it('401 UNAUTHENTICATED without credentials', async () => {
    const res = await fetch(
      `https://container.googleapis.com/v1/projects/${PROJECT}/locations/-/clusters`,
    );
    expect(res.status).toBe(401);
    expect((await res.json()).error.status).toBe('UNAUTHENTICATED');
  });
});
