import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import {
  requestValidation,
  sandboxGoogleClients,
} from '@codemie-gcp/plugin-codemie-node/testUtils';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { createCodemiePlanAction } from './codemiePlan';
import { createCodemieGcpProvisionAction } from './codemieGcpProvision';
import { createCodemieGcpDestroyAction } from './codemieGcpDestroy';

// Not for waiting (time is the sandbox's auto clock): a provision and destroy are hundreds of
// requests through the official clients, 10–40 s of CPU on a loaded 2-core machine.
jest.setTimeout(120_000);

// The default retry policy (1 s backoff, 2 s polls): the actions wait on the sandbox's `auto`
// clock, whose simulated time jumps to the next timer whenever everything waits.
const config = mockServices.rootConfig({ data: { codemie: {} } });

const publicInput = {
  name: 'codemie-dev',
  projectId: 'acme-ai-platform',
  region: 'europe-west1',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: 'codemie.example.com',
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 40,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
  owner: 'group:default/platform-engineering',
};
const privateInput = {
  ...publicInput,
  name: 'codemie-prod',
  option: 'private',
  allowedNetworks: undefined,
  bastionMembers: ['group:platform@example.com'],
};

/** A task's checkpoints, replayed like the scaffolder does on retry; optionally crashes after the Nth. */
function checkpoints(crashAfter?: number) {
  const stored = new Map<string, unknown>();
  let completed = 0;
  return {
    stored,
    checkpoint: async ({
      key,
      fn,
    }: {
      key: string;
      fn: () => Promise<any>;
    }) => {
      if (stored.has(key)) return stored.get(key);
      const value = await fn();
      stored.set(key, value);
      completed += 1;
      if (crashAfter !== undefined && completed === crashAfter) {
        throw new Error(`simulated crash after checkpoint ${key}`);
      }
      return value;
    },
  };
}

/** Creates that hit an existing resource (409) or ran twice for the same resource. */
function duplicateCreates(sandbox: GcpSandbox) {
  const creates = sandbox.journal
    .mutating()
    .filter(
      e =>
        e.method === 'POST' &&
        !/:|\/wait$|\/operations\//.test(e.path.split('?')[0]),
    );
  const seen = new Map<string, number>();
  for (const e of creates) {
    if (e.status >= 400) continue;
    const body = (e.body ?? {}) as any;
    const id = `${e.path.split('?')[0]} ${body.name ?? body.cluster?.name ?? body.nodePool?.name ?? body.accountId ?? body.network ?? e.path.split('secretId=')[1] ?? ''}`;
    seen.set(id, (seen.get(id) ?? 0) + 1);
  }
  return {
    conflicts: sandbox.journal
      .list()
      .filter(e => e.status === 409)
      .map(e => `${e.method} ${e.path}`),
    twice: [...seen].filter(([, n]) => n > 1).map(([id]) => id),
  };
}

describe('codemie:gcp:provision and codemie:gcp:destroy', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let store: CodemieStore;

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({
      clock: 'auto',
      clusterServers: null,
    });
    sandbox.listen();
    google = sandboxGoogleClients();
    store = await testStore(await databases.init('SQLITE_3'));
  });
  afterEach(async () => {
    await google.close();
    await sandbox.close();
  });

  const provision = () =>
    createCodemieGcpProvisionAction({
      config,
      google,
      store,
      clock: sandbox.clock,
    });
  const destroy = (services: Parameters<typeof actionServices>[1] = {}) =>
    createCodemieGcpDestroyAction({
      config,
      google,
      ...actionServices(store, services),
      clock: sandbox.clock,
    });
  /** Runs codemie:plan for `input` as task `taskId`: the record the later steps take. */
  async function plan(input: object, taskId = 'mock-task-id') {
    const action = createCodemiePlanAction({
      config,
      ...actionServices(store),
    });
    await action.handler(context(input, { task: { id: taskId } }).ctx as any);
    const { projectId, name } = input as { projectId: string; name: string };
    return `${projectId}/${name}`;
  }
  function context(input: object, extra: object = {}) {
    const logs: string[] = [];
    // createMockActionContext drops isDryRun, signal, checkpoint and task: spread them in.
    const ctx = {
      ...createMockActionContext({ input: input as any }),
      ...extra,
    } as ReturnType<typeof createMockActionContext>;
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

  const checkPublic = (out: any, cluster: any) => {
    expect(
      cluster.masterAuthorizedNetworksConfig.cidrBlocks.map(
        (b: any) => b.cidrBlock,
      ),
    ).toEqual(['203.0.113.0/24']);
    expect(cluster.privateClusterConfig).toMatchObject({
      enablePrivateNodes: true,
      enablePrivateEndpoint: false,
    });
    expect(out.nameServers.length).toBeGreaterThan(0);
    expect(out.bastion).toBe('');
  };
  const checkPrivate = (out: any, cluster: any) => {
    expect(cluster.privateClusterConfig).toMatchObject({
      enablePrivateNodes: true,
      enablePrivateEndpoint: true,
    });
    expect(out.bastionSshCommand).toBe(
      // europe-west1's zones are b, c, d (Google's zone list; there is no europe-west1-a).
      'gcloud compute ssh codemie-prod-bastion --zone europe-west1-b --project acme-ai-platform --tunnel-through-iap',
    );
    // Secure default: nothing outside the VPC reaches the control plane; kubectl from the VPC.
    expect(
      cluster.controlPlaneEndpointsConfig.dnsEndpointConfig
        .allowExternalTraffic,
    ).toBe(false);
    expect(out.getCredentialsCommand).toContain('--internal-ip');
    // Bastion members get their roles on the bastion alone: its IAP tunnel and the VM.
    const member = 'group:platform@example.com';
    const rolesOn = (resource: string) =>
      (sandbox.state.iamPolicies.get(resource)?.bindings ?? [])
        .filter((b: any) => b.members.includes(member))
        .map((b: any) => b.role);
    const vm =
      'projects/acme-ai-platform/zones/europe-west1-b/instances/codemie-prod-bastion';
    expect(rolesOn(vm)).toEqual(['roles/compute.osLogin']);
    expect(rolesOn(vm.replace('/zones/', '/iap_tunnel/zones/'))).toEqual([
      'roles/iap.tunnelResourceAccessor',
    ]);
    expect(rolesOn('projects/acme-ai-platform')).toEqual([]);
  };

  it.each([
    ['public', publicInput, checkPublic],
    ['private', privateInput, checkPrivate],
  ])(
    'provisions the %s option end to end; a second run makes no mutating call; destroy removes it all',
    async (_, input, checkOption) => {
      const environment = await plan(input);
      const run = context({ environment });
      await provision().handler(run.ctx as any);
      const out = run.outputs();
      expect(out.clusterName).toBe(
        `projects/acme-ai-platform/locations/europe-west1/clusters/${input.name}-gke`,
      );
      expect(out.sqlConnectionName).toMatch(
        new RegExp(
          `^acme-ai-platform:europe-west1:${input.name}-pg-[0-9a-f]{6}$`,
        ),
      );
      expect(out.zones).toEqual([
        'europe-west1-b',
        'europe-west1-c',
        'europe-west1-d',
      ]);
      expect(out.googleServiceAccount).toBe(
        `${input.name}-codemie@acme-ai-platform.iam.gserviceaccount.com`,
      );
      const cluster = sandbox.state.clusters.get(
        `projects/acme-ai-platform/locations/europe-west1/clusters/${input.name}-gke`,
      )!.resource;
      checkOption(out, cluster);
      expect(cluster.locations).toEqual(out.zones);
      // Nodes run as their own least-privilege account, not the Compute Engine default one.
      const nodeAccount = `${input.name}-gke-nodes@acme-ai-platform.iam.gserviceaccount.com`;
      expect(cluster.nodePools[0].config.serviceAccount).toBe(nodeAccount);
      const projectPolicy = sandbox.state.iamPolicies.get(
        'projects/acme-ai-platform',
      )!;
      expect(
        projectPolicy.bindings
          .filter((b: any) =>
            b.members.includes(`serviceAccount:${nodeAccount}`),
          )
          .map((b: any) => b.role)
          .sort(),
      ).toEqual([
        'roles/artifactregistry.reader',
        'roles/logging.logWriter',
        'roles/monitoring.metricWriter',
        'roles/monitoring.viewer',
        'roles/stackdriver.resourceMetadata.writer',
      ]);
      // Only the listed networks reach the control plane, not all of Google Cloud's addresses.
      expect(
        cluster.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled,
      ).toBe(false);
      // CodeMie's hosts resolve, in the environment's (public or private) zone, to the
      // reserved ingress address that codemie:deploy pins the load balancer to.
      expect(out.ingressAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      const zone = sandbox.state.dnsZones.get(
        `projects/acme-ai-platform/managedZones/${input.name}-zone`,
      )!;
      expect(
        ['codemie', 'keycloak', 'kibana'].map(
          h => zone.rrsets.get(`${h}.codemie.example.com. A`)?.rrdatas,
        ),
      ).toEqual([
        [out.ingressAddress],
        [out.ingressAddress],
        [out.ingressAddress],
      ]);
      expect(zone.resource.visibility ?? 'public').toBe(input.option);
      expect(cluster.workloadIdentityConfig.workloadPool).toBe(
        'acme-ai-platform.svc.id.goog',
      );
      // Passwords live in Secret Manager only: not in the log, not in the outputs.
      const passwords = [...sandbox.state.secrets.values()].flatMap((s: any) =>
        (s.versions ?? []).map((v: any) =>
          Buffer.from(v.payload?.data ?? '', 'base64').toString(),
        ),
      );
      expect(passwords.length).toBeGreaterThanOrEqual(3);
      for (const password of passwords) {
        expect(run.logs.join('\n')).not.toContain(password);
        expect(JSON.stringify(out)).not.toContain(password);
      }
      expect(
        (await store.getEnvironment(`acme-ai-platform/${input.name}`))?.state,
      ).toBe('provisioned');

      // Every request was checked before serialization (setupTests.ts): protos of the gax
      // clients, discovery documents of IAM and Service Networking.
      expect([...requestValidation.calls.keys()]).toEqual(
        expect.arrayContaining([
          'google.container.v1.ClusterManager.CreateCluster',
          'google.cloud.sql.v1.SqlInstancesService.Insert',
          'google.cloud.compute.v1.Networks.Insert',
          'google.cloud.compute.v1.Zones.List',
          'google.cloud.resourcemanager.v3.Projects.SetIamPolicy',
          'google.api.serviceusage.v1.ServiceUsage.BatchEnableServices',
          'google.cloud.secretmanager.v1.SecretManagerService.CreateSecret',
          'iam.projects.serviceAccounts.create',
          'iam.projects.serviceAccounts.setIamPolicy',
          'servicenetworking.services.connections.create',
        ]),
      );
      expect(requestValidation.failures).toEqual([]);

      const before = sandbox.journal.mutating().length;
      await provision().handler(context({ environment }).ctx as any);
      expect(sandbox.journal.mutating().slice(before)).toEqual([]);

      const destroyInput = {
        environment: `resource:${environment}`,
        confirm: input.name,
      };
      const first = context(destroyInput);
      await destroy().handler(first.ctx as any);
      // Cloud SQL keeps the private services peering for days after its instance is deleted:
      // destroy removes everything else and says when a re-run can finish.
      expect(first.outputs().deleted).toEqual(
        expect.arrayContaining(['cluster', 'sql-instance']),
      );
      expect(
        first
          .outputs()
          .blocked.map((b: any) => b.id)
          .sort(),
      ).toEqual(['network', 'psa-connection', 'psa-range']);
      expect(first.logs.join('\n')).toContain(
        'waiting on Google to release the private services peering',
      );
      expect(
        (await store.getEnvironment(`acme-ai-platform/${input.name}`))?.state,
      ).toBe('destroying');
      await sandbox.clock.advance(4 * 24 * 3600 * 1000);
      const gone = context(destroyInput);
      await destroy().handler(gone.ctx as any);
      expect(gone.outputs().deleted).toEqual(
        expect.arrayContaining(['psa-connection', 'psa-range', 'network']),
      );
      expect(gone.outputs().blocked).toEqual([]);
      expect(
        sandbox.resourcesLabelled(
          'acme-ai-platform',
          'codemie-environment',
          input.name,
        ),
      ).toEqual([]);
      expect(
        [...sandbox.state.compute.keys()].filter(k => k.includes(input.name)),
      ).toEqual([]);
      expect(
        (await store.getEnvironment(`acme-ai-platform/${input.name}`))?.state,
      ).toBe('gone');
    },
  );

  it("opens the private cluster's DNS endpoint and adds the portal's egress only when configured", async () => {
    const configured = mockServices.rootConfig({
      data: {
        codemie: {
          ...(config.getOptional('codemie') as object),
          gcp: {
            ...(config.getOptional('codemie.gcp') as object),
            privateClusterAccess: 'dns-endpoint',
            portalEgressCidrs: ['198.51.100.10/32'],
          },
        },
      },
    });
    const run = context({ environment: await plan(privateInput) });
    await createCodemieGcpProvisionAction({
      config: configured,
      google,
      store,
      clock: sandbox.clock,
    }).handler(run.ctx as any);
    const cluster = sandbox.state.clusters.get(
      'projects/acme-ai-platform/locations/europe-west1/clusters/codemie-prod-gke',
    )!.resource;
    expect(
      cluster.controlPlaneEndpointsConfig.dnsEndpointConfig
        .allowExternalTraffic,
    ).toBe(true);
    expect(cluster.masterAuthorizedNetworksConfig.cidrBlocks).toContainEqual({
      cidrBlock: '198.51.100.10/32',
      displayName: 'backstage-portal-1',
    });
    expect(run.outputs().getCredentialsCommand).toContain('--dns-endpoint');
  });

  it('resumes after a crash at any checkpoint with no duplicate create', async () => {
    const crashes = [1, 2, 4, 7, 10, 14, 18, 22, 26, 30];
    for (const crashAfter of crashes) {
      const projectId = `acme-crash-${crashAfter}`;
      const input = { ...privateInput, projectId };
      const task = checkpoints(crashAfter);
      const environment = await plan(input, `t${crashAfter}`);
      const first = context(
        { environment },
        {
          checkpoint: task.checkpoint,
          task: { id: `t${crashAfter}` },
        },
      );
      const crashed = await provision()
        .handler(first.ctx as any)
        .then(
          () => undefined,
          e => e,
        );
      if (!crashed) continue; // fewer resources than this position
      expect(crashed.message).toContain('simulated crash');
      expect(crashed.message).toContain('To resume');
      const retry = context(
        { environment },
        {
          checkpoint: task.checkpoint,
          task: { id: `t${crashAfter}` },
        },
      );
      await provision().handler(retry.ctx as any);
      expect(retry.outputs().clusterName).toContain(projectId);
    }
    expect(duplicateCreates(sandbox)).toEqual({ conflicts: [], twice: [] });
  });

  it('rides out transient 503s on one call in five', async () => {
    sandbox.faults.add({
      rate: 0.2,
      status: 503,
      message: 'The service is currently unavailable.',
    });
    const run = context({ environment: await plan(publicInput) });
    await provision().handler(run.ctx as any);
    expect(run.outputs().clusterName).toContain('codemie-dev-gke');
    expect(
      sandbox.journal.list().filter(e => e.status === 503).length,
    ).toBeGreaterThan(5);
    expect(run.logs.some(l => /retrying/.test(l))).toBe(true);
  });

  it('fails fast naming the quota, says what exists, and destroy cleans it up', async () => {
    sandbox.quota.exceed({
      service: 'container',
      metric: 'CPUS',
      region: 'europe-west1',
      limit: 24,
    });
    const environment = await plan(publicInput);
    const run = context({ environment });
    const error = await provision()
      .handler(run.ctx as any)
      .then(
        () => undefined,
        e => e,
      );
    expect(error.message).toMatch(/quota exceeded \(CPUS\)/);
    expect(error.message).toContain(
      'iam-admin/quotas?project=acme-ai-platform',
    );
    expect(error.message).toMatch(
      /Exists now \(created or verified\): .*network/,
    );
    expect(
      await store.getEnvironment('acme-ai-platform/codemie-dev'),
    ).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/^provision: .*quota exceeded \(CPUS\)/),
    });

    const destroyInput = { environment, confirm: 'codemie-dev' };
    const first = context(destroyInput);
    await destroy().handler(first.ctx as any);
    if (first.outputs().blocked.length > 0) {
      // Cloud SQL was created: a re-run after Google released the peering finishes.
      await sandbox.clock.advance(4 * 24 * 3600 * 1000);
      await destroy().handler(context(destroyInput).ctx as any);
    }
    expect(
      sandbox.resourcesLabelled(
        'acme-ai-platform',
        'codemie-environment',
        'codemie-dev',
      ),
    ).toEqual([]);
    expect(
      [...sandbox.state.compute.keys()].filter(k => k.includes('codemie-dev')),
    ).toEqual([]);
  });

  it('runs only in the task that holds the record, and refuses a destroy while it runs', async () => {
    const environment = await plan(publicInput, 'task-a');
    const other = await provision()
      .handler(context({ environment }, { task: { id: 'task-b' } }).ctx as any)
      .then(
        () => undefined,
        e => e,
      );
    expect(other.message).toContain(
      'acme-ai-platform/codemie-dev is held by task task-a',
    );
    expect(sandbox.journal.length).toBe(0);
    const first = provision().handler(
      context({ environment }, { task: { id: 'task-a' } }).ctx as any,
    );
    // Let the provision take its lease before the destroy asks.
    while (!sandbox.journal.length) await new Promise(r => setTimeout(r, 5));
    const destroyWhileRunning = await destroy()
      .handler(
        context(
          { environment, confirm: 'codemie-dev' },
          { task: { id: 'task-c' } },
        ).ctx as any,
      )
      .then(
        () => undefined,
        e => e,
      );
    expect(destroyWhileRunning.message).toContain(
      'acme-ai-platform/codemie-dev is being changed by task task-a',
    );
    await first;
  });

  it('refuses a destroy by someone who does not own the environment, touching nothing', async () => {
    const environment = await plan(publicInput);
    await provision().handler(context({ environment }).ctx as any);
    const before = sandbox.journal.mutating().length;
    const error = await destroy({ owners: {} })
      .handler(
        context(
          { environment, confirm: 'codemie-dev' },
          { task: { id: 'task-x' } },
        ).ctx as any,
      )
      .then(
        () => undefined,
        e => e,
      );
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(
      'may not destroy resource:acme-ai-platform/codemie-dev (codemie.environment.delete): it is owned by group:default/platform-engineering',
    );
    expect(sandbox.journal.mutating().slice(before)).toEqual([]);
    expect(
      (await store.getEnvironment('acme-ai-platform/codemie-dev'))?.state,
    ).toBe('provisioned');
  });

  it('makes no call at all in a dry run', async () => {
    const run = context(
      { environment: 'acme-ai-platform/codemie-prod' },
      { isDryRun: true },
    );
    await provision().handler(run.ctx as any);
    expect(sandbox.journal.length).toBe(0);
    expect(run.logs.join('\n')).toContain('Dry run: would provision');
  });

  it('refuses destroy unless the name is typed, touching nothing', async () => {
    const environment = await plan(publicInput);
    const error = await destroy()
      .handler(context({ environment, confirm: 'codemie' }).ctx as any)
      .then(
        () => undefined,
        e => e,
      );
    expect(error.message).toContain(
      "confirm: type the environment name 'codemie-dev'",
    );
    expect(sandbox.journal.length).toBe(0);
  });

  it.each([
    ['a free-text description', { environment: 'codemie-dev' }],
    [
      'a project that was never recorded',
      { environment: 'other-project/codemie-dev' },
    ],
    [
      'another input than the reference',
      { environment: 'acme-ai-platform/codemie-dev', region: 'us-east1' },
    ],
  ])('refuses %s before any call', async (_, input) => {
    const error = await provision()
      .handler(context(input).ctx as any)
      .then(
        () => undefined,
        e => e,
      );
    expect(error?.message).toMatch(/^(environment|region): /);
    expect(sandbox.journal.length).toBe(0);
  });
});
