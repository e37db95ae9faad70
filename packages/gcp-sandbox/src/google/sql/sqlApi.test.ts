import {
  SqlDatabasesServiceClient,
  SqlInstancesServiceClient,
  SqlOperationsServiceClient,
  SqlUsersServiceClient,
  protos,
} from '@google-cloud/sql';
import { GcpSandbox } from '../../GcpSandbox';
import { NO_RETRY, testAuthClient } from '../__testUtils__/clients';
import { createVpc } from '../__testUtils__/network';

const PROJECT = 'codemie-test';
const OpStatus = protos.google.cloud.sql.v1.Operation.SqlOperationStatus;
type Op = protos.google.cloud.sql.v1.IOperation;

jest.setTimeout(30_000);

describe('Cloud SQL Admin emulation through the official clients (fallback: true)', () => {
  let sandbox: GcpSandbox;
  let instances: SqlInstancesServiceClient;
  let databases: SqlDatabasesServiceClient;
  let users: SqlUsersServiceClient;
  let operations: SqlOperationsServiceClient;

  async function waitOp(op: Op): Promise<Op> {
    let current = op;
    for (
      let i = 0;
      i < 200 && current.status !== 'DONE' && current.status !== OpStatus.DONE;
      i++
    ) {
      await new Promise(r => setTimeout(r, 20));
      [current] = await operations.get({
        project: PROJECT,
        operation: op.name,
      });
    }
    return current;
  }

  const instanceBody = (
    name = 'codemie-postgresql',
  ): protos.google.cloud.sql.v1.IDatabaseInstance => ({
    name,
    region: 'europe-west3',
    databaseVersion: 'POSTGRES_16',
    settings: {
      tier: 'db-custom-2-7680',
      dataDiskSizeGb: { value: 20 },
      availabilityType: 'ZONAL',
      userLabels: { 'codemie-env': 'dev' },
      ipConfiguration: { ipv4Enabled: { value: true } },
    },
  });

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2, clusterServers: null });
    sandbox.listen();
    const authClient = testAuthClient();
    instances = new SqlInstancesServiceClient({ fallback: true, authClient });
    databases = new SqlDatabasesServiceClient({ fallback: true, authClient });
    users = new SqlUsersServiceClient({ fallback: true, authClient });
    operations = new SqlOperationsServiceClient({ fallback: true, authClient });
  });
  afterEach(() => sandbox.close());

  it('creates an instance: operation polled to DONE, PENDING_CREATE → RUNNABLE, labels kept', async () => {
    const release = sandbox.holdOperations();
    const [op] = await instances.insert({
      project: PROJECT,
      body: instanceBody(),
    });
    expect(op).toMatchObject({
      kind: 'sql#operation',
      operationType: 'CREATE',
      targetId: 'codemie-postgresql',
    });
    const [pending] = await instances.get({
      project: PROJECT,
      instance: 'codemie-postgresql',
    });
    expect(pending.state).toBe('PENDING_CREATE');
    release();
    expect((await waitOp(op)).error).toBeFalsy();
    const [instance] = await instances.get({
      project: PROJECT,
      instance: 'codemie-postgresql',
    });
    expect(instance).toMatchObject({
      state: 'RUNNABLE',
      databaseVersion: 'POSTGRES_16',
      connectionName: `${PROJECT}:europe-west3:codemie-postgresql`,
      settings: expect.objectContaining({
        tier: 'db-custom-2-7680',
        userLabels: { 'codemie-env': 'dev' },
      }),
    });
    expect(Number(instance.settings!.dataDiskSizeGb!.value)).toBe(20); // Int64Value decodes as a string
    expect(instance.ipAddresses![0].type).toBe('PRIMARY');
    expect(sandbox.resourcesLabelled(PROJECT, 'codemie-env', 'dev')).toEqual([
      expect.objectContaining({ service: 'sqladmin', kind: 'instance' }),
    ]);
  });

  it('databases and users; one operation at a time (409); password never read back', async () => {
    const release = sandbox.holdOperations();
    const [op] = await instances.insert({
      project: PROJECT,
      body: instanceBody(),
    });
    const busy = await databases
      .insert({
        project: PROJECT,
        instance: 'codemie-postgresql',
        body: { name: 'codemie' },
      })
      .catch(e => e);
    expect(busy.message).toContain('another operation was already in progress');
    release();
    await waitOp(op);
    const [dbOp] = await databases.insert({
      project: PROJECT,
      instance: 'codemie-postgresql',
      body: { name: 'codemie' },
    });
    expect((await waitOp(dbOp)).operationType).toBe('CREATE_DATABASE');
    const [db] = await databases.get({
      project: PROJECT,
      instance: 'codemie-postgresql',
      database: 'codemie',
    });
    expect(db).toMatchObject({ name: 'codemie', charset: 'UTF8' });
    const [dupOp] = await databases.insert({
      project: PROJECT,
      instance: 'codemie-postgresql',
      body: { name: 'codemie' },
    });
    const dup = await waitOp(dupOp);
    expect(dup.error!.errors![0]).toMatchObject({
      code: 'ERROR_RDBMS',
      message: 'pq: database "codemie" already exists',
    });

    const [userOp] = await users.insert({
      project: PROJECT,
      instance: 'codemie-postgresql',
      body: { name: 'codemie', password: 's3cret' },
    });
    await waitOp(userOp);
    const [list] = await users.list({
      project: PROJECT,
      instance: 'codemie-postgresql',
    });
    expect(list.items!.map(u => u.name).sort()).toEqual([
      'codemie',
      'postgres',
    ]);
    expect(list.items!.every(u => !u.password)).toBe(true);
    const [delOp] = await users.delete({
      project: PROJECT,
      instance: 'codemie-postgresql',
      name: 'codemie',
    });
    await waitOp(delOp);
    const missing = await users
      .get(
        { project: PROJECT, instance: 'codemie-postgresql', name: 'codemie' },
        NO_RETRY(),
      )
      .catch(e => e);
    expect(missing.code).toBe(5);
  });

  it('409 for an existing name and for a name deleted less than a week ago; 404 for a missing instance', async () => {
    const release = sandbox.holdOperations();
    const [op] = await instances.insert({
      project: PROJECT,
      body: instanceBody(),
    });
    const dup = await instances
      .insert({ project: PROJECT, body: instanceBody() })
      .catch(e => e);
    expect(dup.code).toBe(10); // HTTP 409 without `status` maps to ABORTED in the REST transport
    expect(dup.message).toContain('The Cloud SQL instance already exists');
    release();
    await waitOp(op);
    const [del] = await instances.delete({
      project: PROJECT,
      instance: 'codemie-postgresql',
    });
    await waitOp(del);
    const missing = await instances
      .get({ project: PROJECT, instance: 'codemie-postgresql' }, NO_RETRY())
      .catch(e => e);
    expect(missing.code).toBe(5);
    const reuse = await instances
      .insert({ project: PROJECT, body: instanceBody() })
      .catch(e => e);
    expect(reuse.message).toContain(
      "can't reuse the name of the deleted instance until one week",
    );
    expect(sandbox.resourcesIn(PROJECT)).toEqual([]);
  });

  it('sends numeric databaseVersion and string wrappers; rejects unknown fields on the wire', async () => {
    await instances.insert({ project: PROJECT, body: instanceBody() });
    const body = sandbox.journal.list({
      service: 'sqladmin',
      method: 'POST',
    })[0].body as any;
    expect(typeof body.databaseVersion).toBe('number');
    expect(body.settings.dataDiskSizeGb).toBe('20');
    const res = await fetch(
      `https://sqladmin.googleapis.com/v1/projects/${PROJECT}/instances`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: 'Bearer sandbox-token',
        },
        body: JSON.stringify({
          name: 'x',
          settings: { tier: 'db-f1-micro', diskSize: 10 },
        }),
      },
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe(
      `Invalid JSON payload received. Unknown name "diskSize" at 'body.settings': Cannot find field.`,
    );
  });

  it('private IP needs a Service Networking connection on the network', async () => {
    await createVpc(PROJECT, 'europe-west3');
    const body = instanceBody();
    body.settings!.ipConfiguration = {
      ipv4Enabled: { value: false },
      privateNetwork: `projects/${PROJECT}/global/networks/codemie-cluster-network`,
    };
    const err = await instances
      .insert({ project: PROJECT, body })
      .catch(e => e);
    expect(err.message).toContain('SERVICE_NETWORKING_NOT_ENABLED');
  });

  it('operation faults and quota', async () => {
    sandbox.failNextOperation({
      service: 'sqladmin',
      operationType: 'CREATE',
      message: 'An internal error has occurred.',
    });
    const [op] = await instances.insert({
      project: PROJECT,
      body: instanceBody('a'),
    });
    const done = await waitOp(op);
    expect(done.error!.errors![0]).toMatchObject({ code: 'INTERNAL_ERROR' });
    const [failed] = await instances.get({ project: PROJECT, instance: 'a' });
    expect(failed.state).toBe('FAILED');
    sandbox.quota.exceed({
      service: 'sqladmin',
      metric: 'INSTANCES',
      times: 1,
    });
    const quota = await instances
      .insert({ project: PROJECT, body: instanceBody('b') })
      .catch(e => e);
    expect(quota.code).toBe(7);
    expect(quota.message).toContain("Quota 'INSTANCES' exceeded");
  });
});
