import { sandboxGoogleClients } from '@codemie-gcp/plugin-codemie-node/testUtils';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { createCodemiePlanAction } from './codemiePlan';
import { createCodemieGcpProvisionAction } from './codemieGcpProvision';
import { createCodemieGcpDestroyAction } from './codemieGcpDestroy';

// Not for waiting (no test sleeps): a provision is some 200 requests through the official
// clients, 5–15 s of CPU on a loaded 2-core machine.
jest.setTimeout(120_000);

/**
 * Behaviours of real Google Cloud that the sandbox reproduces and provisioning must survive:
 * the default 429 text, IAM's propagation delay for a name containing "quota", a Cloud SQL
 * instance left FAILED, a Cloud SQL name reserved after deletion, a project policy with
 * conditional bindings.
 *
 * The sandbox runs on a manual clock that the actions wait on too, with the default retry
 * policy (1 s backoff, 2 s polls): each step runs with `sandbox.clock.runUntil(…)`, which moves
 * simulated time whenever everything waits, so nothing sleeps for real.
 */

const config = mockServices.rootConfig({ data: {} });

const PROJECT = 'acme-faults';
const input = (name: string) => ({
  name,
  projectId: PROJECT,
  region: 'europe-west3',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: `${name}.example.com`,
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 40,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
});

describe('provisioning against Google behaviours', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let store: CodemieStore;

  async function start(durations: Record<string, number> = {}) {
    sandbox = await GcpSandbox.create({
      clock: 'manual',
      clusterServers: null,
      durations,
    });
    sandbox.listen();
    google = sandboxGoogleClients();
    store = await testStore(await databases.init('SQLITE_3'));
  }
  afterEach(async () => {
    await google?.close();
    await sandbox?.close();
  });

  function context(values: object) {
    const logs: string[] = [];
    const ctx = createMockActionContext({ input: values as any });
    for (const level of ['info', 'warn', 'error', 'debug'] as const) {
      jest.spyOn(ctx.logger, level).mockImplementation(((message: string) => {
        logs.push(message);
      }) as any);
    }
    return {
      ctx,
      logs,
      outputs: () => Object.fromEntries((ctx.output as jest.Mock).mock.calls),
    };
  }
  /** As the template runs it: codemie:plan records the environment, provisioning takes it. */
  const provision = async (values: { name: string }) => {
    await createCodemiePlanAction({ config, ...actionServices(store) }).handler(
      context({ ...values, owner: 'group:default/platform-engineering' })
        .ctx as any,
    );
    const run = context({ environment: `${PROJECT}/${values.name}` });
    return sandbox.clock.runUntil(
      createCodemieGcpProvisionAction({
        config,
        google,
        store,
        clock: sandbox.clock,
      })
        .handler(run.ctx as any)
        .then(
          () => ({ ...run, error: undefined as any }),
          error => ({ ...run, error }),
        ),
    );
  };
  const destroy = async (name: string) => {
    const run = context({ environment: `${PROJECT}/${name}`, confirm: name });
    await sandbox.clock.runUntil(
      createCodemieGcpDestroyAction({
        config,
        google,
        ...actionServices(store),
        clock: sandbox.clock,
      }).handler(run.ctx as any),
    );
    return run;
  };

  it("retries a 429 with Google's default text 'Resource has been exhausted (e.g. check quota)'", async () => {
    await start();
    // Google's default RESOURCE_EXHAUSTED text mentions quota but is a rate limit: retry it.
    sandbox.faults.add({
      service: 'sqladmin',
      status: 429,
      times: 3,
      message: 'Resource has been exhausted (e.g. check quota).',
    });
    const run = await provision(input('rate-limited'));
    expect(run.error).toBeUndefined();
    expect(sandbox.journal.list().filter(e => e.status === 429)).toHaveLength(
      3,
    );
    expect(run.logs.some(l => /exhausted.*retrying/.test(l))).toBe(true);
  });

  it('an environment named "fquota" rides out IAM propagation instead of reporting a quota', async () => {
    // Only the two refusals injected below: no propagation delay of the sandbox's own on top.
    await start({ iamPropagation: 0 });
    // IAM is eventually consistent: right after creation a service account is refused in
    // policies with 400 "Service account … does not exist" for a while. The message carries
    // the user-chosen name, which here contains "quota".
    sandbox.faults.add({
      service: 'cloudresourcemanager',
      path: ':setIamPolicy',
      status: 400,
      times: 2,
      message: `Service account fquota-codemie@${PROJECT}.iam.gserviceaccount.com does not exist.`,
    });
    const run = await provision(input('fquota'));
    expect(run.error?.message).toBeUndefined();
    expect(
      sandbox.journal
        .list()
        .filter(e => e.status === 400 && /setIamPolicy/.test(e.path)),
    ).toHaveLength(2);
    expect(run.logs.join('\n')).not.toMatch(/quota exceeded/);
  });

  it('a Cloud SQL instance left FAILED by its creation is named, then deleted and recreated on retry', async () => {
    await start();
    sandbox.failNextOperation({
      service: 'sqladmin',
      operationType: 'CREATE',
      message: 'An internal error has occurred.',
    });
    const failed = await provision(input('sql-fails'));
    const failedName = [...sandbox.state.sqlInstances.values()][0].resource
      .name;
    expect(failedName).toMatch(/^sql-fails-pg-[0-9a-f]{6}$/);
    expect(failed.error.message).toContain(
      `Cloud SQL instance ${failedName} failed to create; it is left in state FAILED and holds no data. Run the task again: the failed instance is deleted and a new one created`,
    );
    expect(
      [...sandbox.state.sqlInstances.values()].map(i => i.resource.state),
    ).toEqual(['FAILED']);

    const retry = await provision(input('sql-fails'));
    expect(retry.error).toBeUndefined();
    expect(retry.logs.join('\n')).toContain(
      `Cloud SQL instance ${failedName} is in state FAILED: its creation failed`,
    );
    const instances = [...sandbox.state.sqlInstances.values()].map(
      i => i.resource,
    );
    expect(instances.map(i => i.state)).toEqual(['RUNNABLE']);
    expect(instances[0].name).not.toBe(failedName);
    expect(retry.outputs().sqlInstance).toBe(instances[0].name);
  });

  it('re-creates a destroyed environment although Cloud SQL keeps the old name for a week', async () => {
    await start();
    const first = await provision(input('again'));
    expect(first.error).toBeUndefined();
    const firstName = first.outputs().sqlInstance;
    await destroy('again');
    await sandbox.clock.advance(4 * 24 * 3600 * 1000);
    const finished = await destroy('again');
    expect(finished.outputs().blocked).toEqual([]);

    const second = await provision(input('again'));
    expect(second.error).toBeUndefined();
    expect(second.outputs().sqlInstance).toMatch(/^again-pg-[0-9a-f]{6}$/);
    expect(second.outputs().sqlInstance).not.toBe(firstName);
    // The old name is still reserved: reusing it is what Cloud SQL refuses (409).
    expect(
      sandbox.state.sqlDeletedNames.has(
        `projects/${PROJECT}/instances/${firstName}`,
      ),
    ).toBe(true);
  });

  it('destroy reports the peering Google keeps after a Cloud SQL delete, and a re-run after the date finishes', async () => {
    await start();
    expect((await provision(input('peered'))).error).toBeUndefined();
    const first = await destroy('peered');
    const blocked = first.outputs().blocked;
    expect(blocked.map((b: any) => b.id).sort()).toEqual([
      'network',
      'psa-connection',
      'psa-range',
    ]);
    const peering = blocked.find((b: any) => b.id === 'psa-connection');
    expect(peering.reason).toContain(
      'Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection',
    );
    const days =
      (Date.parse(peering.retryAfter) - sandbox.clock.now()) / 86_400_000;
    expect(days).toBeGreaterThan(3.9);
    expect(days).toBeLessThan(4.1);
    expect(first.outputs().deleted).toEqual(
      expect.arrayContaining(['cluster', 'sql-instance', 'subnetwork']),
    );
    // Google releases it after up to 4 days: then the same destroy finishes.
    await sandbox.clock.advance(4 * 24 * 3600 * 1000);
    const second = await destroy('peered');
    expect(second.outputs().blocked).toEqual([]);
    expect(
      [...sandbox.state.compute.keys()].filter(k => k.includes('peered')),
    ).toEqual([]);
  });

  it('waits for the GKE operation that blocks deleting the cluster instead of giving up', async () => {
    await start();
    expect((await provision(input('busy'))).error).toBeUndefined();
    // An operation on the cluster (a node pool resize) is running when destroy comes.
    const release = sandbox.holdOperations();
    const res = await fetch(
      `https://container.googleapis.com/v1/projects/${PROJECT}/locations/europe-west3/clusters/busy-gke/nodePools/busy-pool:setSize`,
      {
        method: 'POST',
        headers: {
          authorization: 'Bearer admin',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ nodeCount: 2 }),
      },
    );
    expect(res.status).toBe(200);
    const run = context({ environment: `${PROJECT}/busy`, confirm: 'busy' });
    let finished = false;
    const destroying = createCodemieGcpDestroyAction({
      config,
      google,
      ...actionServices(store),
      clock: sandbox.clock,
    })
      .handler(run.ctx as any)
      .finally(() => {
        finished = true;
      });
    for (
      let i = 0;
      i < 600 && !run.logs.some(l => /waiting for it to finish/.test(l));
      i++
    )
      await sandbox.clock.advance(1_000);
    expect(run.logs.join('\n')).toMatch(
      /GKE is running SET_NODE_POOL_SIZE \(operation-[^)]+\) on busy-gke; waiting for it to finish/,
    );
    // Ten minutes: long past the ~31 s of blind retries the old code allowed. Still waiting.
    await sandbox.clock.advance(10 * 60_000);
    expect(finished).toBe(false);
    release();
    await sandbox.clock.runUntil(destroying);
    expect(
      [...sandbox.state.clusters.keys()].filter(k => k.includes('busy')),
    ).toEqual([]);
  });

  it("keeps a project's conditional role bindings: reads and writes IAM policy version 3", async () => {
    await start();
    const condition = {
      title: 'expires',
      expression: 'request.time < timestamp("2030-01-01T00:00:00Z")',
    };
    const res = await fetch(
      `https://cloudresourcemanager.googleapis.com/v3/projects/${PROJECT}:setIamPolicy`,
      {
        method: 'POST',
        headers: {
          authorization: 'Bearer admin',
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          policy: {
            version: 3,
            bindings: [
              { role: 'roles/owner', members: ['user:owner@example.com'] },
              {
                role: 'roles/storage.admin',
                members: ['user:contractor@example.com'],
                condition,
              },
            ],
          },
        }),
      },
    );
    expect(res.status).toBe(200);
    const run = await provision(input('conditional'));
    expect(run.error).toBeUndefined();
    const policy = sandbox.state.iamPolicies.get(`projects/${PROJECT}`)!;
    expect(policy.version).toBe(3);
    expect(policy.bindings).toEqual(
      expect.arrayContaining([
        {
          role: 'roles/storage.admin',
          members: ['user:contractor@example.com'],
          condition: expect.objectContaining(condition),
        },
        {
          role: 'roles/storage.admin',
          members: [
            `serviceAccount:conditional-codemie@${PROJECT}.iam.gserviceaccount.com`,
          ],
        },
      ]),
    );
  });
});
