import { InputError, NotAllowedError } from '@backstage/errors';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  SIZING_PRESETS,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  environmentEntity,
  GoogleClients,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { context } from '../deploy/__testUtils__/actionContext';
import {
  startSandbox,
  testGoogleClients,
} from '../deploy/__testUtils__/sandbox';
import {
  seededEnvironment,
  watchReadiness,
} from '../resize/__testUtils__/seededEnvironment';
import { createCodemieResizeAction } from './codemieResize';

jest.setTimeout(120_000);

const config = mockServices.rootConfig({
  data: {
    codemie: {
      gcp: {
        retry: {
          baseDelay: { milliseconds: 1 },
          maxDelay: { milliseconds: 5 },
          poll: { milliseconds: 5 },
          maxPoll: { milliseconds: 20 },
        },
      },
    },
  },
});

describe('codemie:resize (sandbox end to end)', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let store: CodemieStore;

  beforeAll(async () => {
    store = await testStore(await databases.init('SQLITE_3'));
    sandbox = await startSandbox(0.5);
    google = testGoogleClients();
  }, 30_000);

  afterAll(async () => {
    await sandbox?.close();
    await google?.close();
  });

  const action = (services: Parameters<typeof actionServices>[1] = {}) =>
    createCodemieResizeAction({
      config,
      google,
      ...actionServices(store, services),
      pollIntervalMs: 5,
      failFastSeconds: 30,
    });

  const pools = (clusterName: string) =>
    (sandbox.state.clusters.get(clusterName) as any).resource.nodePools.map(
      (p: any) => ({
        name: p.name,
        machineType: p.config.machineType,
        min: p.autoscaling?.minNodeCount,
        max: p.autoscaling?.maxNodeCount,
      }),
    );

  const mutatingSince = (mark: number) =>
    sandbox.journal
      .list()
      .slice(mark)
      .filter(e => e.mutating);

  it('small → medium: the plan diff first, the node pool grown before the workloads, every budget and Deployment ready throughout; recorded; a second run changes nothing', async () => {
    const { environment, cluster, clusterName } = await seededEnvironment(
      sandbox,
      store,
      {
        name: 'team-dev',
        preset: 'small',
      },
    );
    const recorded = (await store.getEnvironment(environment))!.spec as any;
    const medium = planEnvironment({
      ...recorded.input,
      sizing: { ...SIZING_PRESETS.medium, includeNats: false },
    });
    const mark = sandbox.journal.length;
    const { ctx, lines, outputs } = context({ environment, tier: 'medium' });
    // The journal's mutating calls at the moment the plan is logged.
    let mutatingWhenPlanned = -1;
    const info = ctx.logger.info;
    ctx.logger.info = (line: string) => {
      if (mutatingWhenPlanned < 0 && line.startsWith('Resize ')) {
        mutatingWhenPlanned = mutatingSince(mark).length;
      }
      info(line);
    };
    const watch = watchReadiness(cluster, 'team-dev');
    await action().handler(ctx);
    watch.stop();

    expect(mutatingWhenPlanned).toBe(0);
    const log = lines.join('\n');
    expect(log).toMatch(
      /Resize codemie-sandbox\/team-dev: small → medium; estimated monthly cost \$[\d,]+ → \$[\d,]+ \(\+\$[\d,]+\/month/,
    );
    expect(log).toMatch(
      /Node pool: e2-standard-4 × 6–9 nodes → e2-standard-4 × 9–12 nodes \(same machines/,
    );
    expect(log).toContain(
      'CodeMie API: 1 × 1 vCPU / 2 GiB → 1 × 2 vCPU / 6 GiB',
    );
    expect(log).toContain('volumes grow in place from 30 to 50 GiB per pod');

    // Capacity before workloads: the pool grew (GKE calls) before the first workload was applied.
    const calls = sandbox.journal.list().slice(mark);
    const grown = calls.findIndex(
      e => e.service === 'container' && e.path.includes(':setSize'),
    );
    const firstApply = calls.findIndex(
      e =>
        e.service === 'kubernetes' &&
        e.method === 'PATCH' &&
        /\/(deployments|statefulsets)\//.test(e.path),
    );
    expect(grown).toBeGreaterThanOrEqual(0);
    expect(firstApply).toBeGreaterThan(grown);
    expect(pools(clusterName)).toEqual([
      {
        name: 'team-dev-pool',
        machineType: medium.nodePool.machineType,
        min: medium.nodePool.minNodesPerZone,
        max: medium.nodePool.maxNodesPerZone,
      },
    ]);
    expect(cluster.objects('Node')).toHaveLength(medium.nodePool.minNodes);

    // Workloads at the medium sizing, every component ready, never short of its budget.
    const api = cluster
      .objects('apps/v1/Deployment', 'codemie')
      .find((d: any) => d.metadata.name === 'codemie-api');
    expect(
      api.spec.template.spec.containers[0].resources.requests,
    ).toMatchObject({ cpu: '2', memory: '6Gi' });
    const esClaims = cluster.objects('PersistentVolumeClaim', 'elastic');
    expect(esClaims.map((c: any) => c.spec.resources.requests.storage)).toEqual(
      ['50Gi', '50Gi'],
    );
    expect(outputs().components.every((c: any) => c.ready === c.expected)).toBe(
      true,
    );
    expect(watch.states).toBeGreaterThan(100);
    expect(watch.shortfalls).toEqual([]);

    // Recorded: the record and its entity say medium.
    const record = (await store.getEnvironment(environment))!;
    expect(record).toMatchObject({
      state: 'ready',
      spec: { tier: 'medium', input: { sizing: { concurrentUsers: 100 } } },
      outputs: {
        nodePool: 'team-dev-pool',
        resize: null,
        lastResize: {
          from: 'small',
          to: 'medium',
          // What the status advises on new samples only.
          changed: expect.arrayContaining(['codemie-api', 'elasticsearch']),
        },
      },
    });
    expect(record.lastError).toBeUndefined();
    const entity = environmentEntity(record);
    expect(entity.metadata.annotations?.['codemie.ai/tier']).toBe('medium');
    expect(
      JSON.parse(entity.metadata.annotations!['codemie.ai/sizing']),
    ).toMatchObject({
      concurrentUsers: 100,
      vectorDatasourceGiB: 20,
    });
    expect(outputs()).toMatchObject({
      changed: true,
      nodePool: 'team-dev-pool',
    });
    expect(outputs().makespanSeconds).toBeGreaterThan(0);

    // Idempotent: the same resize again reads and changes nothing.
    const again = sandbox.journal.length;
    const second = context({ environment, tier: 'medium' });
    await action().handler(second.ctx);
    expect(mutatingSince(again)).toEqual([]);
    expect(second.outputs()).toMatchObject({
      changed: false,
      makespanSeconds: 0,
    });
    expect(second.lines.join('\n')).toContain(
      'already runs this sizing and these images',
    );
  });

  it('medium → large moves to a new pool of the new machine type: Deployments restarted new pod first, StatefulSets evicted within their budgets, the old pool deleted', async () => {
    const { environment, cluster, clusterName } = await seededEnvironment(
      sandbox,
      store,
      {
        name: 'team-up',
        preset: 'medium',
      },
    );
    const before = pools(clusterName);
    const { ctx, lines } = context({ environment, tier: 'large' });
    const watch = watchReadiness(cluster, 'team-up');
    await action().handler(ctx);
    watch.stop();
    expect(watch.shortfalls).toEqual([]);

    const after = pools(clusterName);
    expect(after).toHaveLength(1);
    expect(after[0].name).toBe('team-up-pool-2');
    expect(after[0].machineType).not.toBe(before[0].machineType);
    const nodes = cluster.objects('Node');
    expect(
      nodes.every(
        (n: any) =>
          n.metadata.labels['cloud.google.com/gke-nodepool'] ===
          'team-up-pool-2',
      ),
    ).toBe(true);
    const running = cluster
      .objects('Pod')
      .filter(
        (p: any) => p.metadata.labels?.['codemie.ai/environment'] === 'team-up',
      );
    expect(
      running.every((p: any) => p.spec.nodeName?.includes('team-up-pool-2')),
    ).toBe(true);

    const log = lines.join('\n');
    expect(log).toContain('Cordoned the');
    // The components whose sizing did not change are moved by a restart, new pod first.
    for (const unchanged of [
      'codemie/codemie-ui',
      'oauth2-proxy/oauth2-proxy',
    ]) {
      expect(log).toContain(
        `Deployment ${unchanged}: restarted off node pool team-up-pool (new pod first)`,
      );
    }
    expect(log).toMatch(/node pool team-up-pool: deleting/);
    expect((await store.getEnvironment(environment))!.outputs).toMatchObject({
      nodePool: 'team-up-pool-2',
    });
  });

  it('a stopped resize stays recorded as resizing with why, and running it again finishes it', async () => {
    const { environment, clusterName } = await seededEnvironment(
      sandbox,
      store,
      {
        name: 'team-stop',
        preset: 'medium',
      },
    );
    const undo = sandbox.failNextOperation({
      service: 'container',
      operationType: 'DELETE_NODE_POOL',
      code: 13,
      message: 'Internal error while deleting the node pool.',
    });
    const first = context({ environment, tier: 'large' });
    await expect(action().handler(first.ctx)).rejects.toThrow(
      /deleting node pool team-stop-pool/,
    );
    undo();
    const stopped = (await store.getEnvironment(environment))!;
    expect(stopped.state).toBe('resizing');
    expect(stopped.lastError).toMatch(
      /^resize: .*Internal error while deleting the node pool/,
    );
    // The inputs stay as they were until the resize finishes.
    expect(stopped.spec).toMatchObject({ tier: 'medium' });

    const second = context({ environment, tier: 'large' });
    await action().handler(second.ctx);
    expect(second.lines.join('\n')).toContain(
      'To change: node pool team-stop-pool is still there',
    );
    expect(pools(clusterName).map((p: any) => p.name)).toEqual([
      'team-stop-pool-2',
    ]);
    expect(await store.getEnvironment(environment)).toMatchObject({
      state: 'ready',
      spec: { tier: 'large' },
    });
  });

  it('rolls out another CodeMie version with the rollout progress, and records it', async () => {
    const { environment, cluster } = await seededEnvironment(sandbox, store, {
      name: 'team-img',
      preset: 'small',
    });
    const { ctx, lines, outputs } = context({
      environment,
      imageVersion: '1.4.2',
    });
    await action().handler(ctx);
    const log = lines.join('\n');
    expect(log).toContain('CodeMie images: latest → 1.4.2');
    expect(log).toMatch(/codemie-api \d\/1 ready/);
    const api = cluster
      .objects('apps/v1/Deployment', 'codemie')
      .find((d: any) => d.metadata.name === 'codemie-api');
    expect(api.spec.template.spec.containers[0].image).toMatch(
      /\/codemie:1\.4\.2$/,
    );
    expect(outputs().changed).toBe(true);
    expect((await store.getEnvironment(environment))!.outputs).toMatchObject({
      deployed: { images: { version: '1.4.2' } },
    });
  });

  it('refuses a user who does not own the environment, bad input, and a second resize while one runs — before any call', async () => {
    const { environment } = await seededEnvironment(sandbox, store, {
      name: 'team-deny',
      preset: 'small',
      owner: 'group:default/data-team',
    });
    const mark = sandbox.journal.length;
    const refused = await action()
      .handler(
        context(
          { environment, tier: 'medium' },
          { user: { ref: 'user:default/mock' } },
        ).ctx,
      )
      .catch(e => e);
    expect(refused).toBeInstanceOf(NotAllowedError);
    expect(refused.message).toBe(
      'user:default/mock may not resize resource:codemie-sandbox/team-deny (codemie.environment.update): it is owned by group:default/data-team, and only its owners may. Nothing was changed',
    );

    const owner = {
      owners: { 'user:default/mock': ['group:default/data-team'] },
    };
    const bad = await action(owner)
      .handler(
        context({
          environment,
          tier: 'huge',
          sizing: { concurrentUsers: 0 },
          region: 'us-east1',
        }).ctx,
      )
      .catch(e => e);
    expect(bad).toBeInstanceOf(InputError);
    expect(bad.message).toContain('region: is not an input of this step');

    const badSizing = await action(owner)
      .handler(
        context({
          environment,
          tier: 'custom',
          sizing: { ...SIZING_PRESETS.small, concurrentUsers: 0 },
        }).ctx,
      )
      .catch(e => e);
    expect(badSizing).toBeInstanceOf(InputError);
    expect(badSizing.message).toContain('sizing.concurrentUsers');

    const lease = await store.locks.acquire(environment, 'task other-resize');
    try {
      const busy = await action(owner)
        .handler(context({ environment, tier: 'medium' }).ctx)
        .catch(e => e);
      expect(busy).toBeInstanceOf(InputError);
      expect(busy.message).toContain('is being changed by task other-resize');
    } finally {
      await lease.release();
    }
    expect(mutatingSince(mark)).toEqual([]);
    expect((await store.getEnvironment(environment))!.state).toBe('ready');
  });

  it('a dry run shows the plan diff and calls nothing', async () => {
    const { environment } = await seededEnvironment(sandbox, store, {
      name: 'team-dry',
      preset: 'small',
    });
    const mark = sandbox.journal.length;
    const { ctx, lines, outputs } = context(
      { environment, tier: 'large' },
      { isDryRun: true },
    );
    await action().handler(ctx);
    expect(sandbox.journal.length).toBe(mark);
    expect(outputs().plan.nodePool.method).toBe('replace');
    expect(lines.join('\n')).toContain('Dry run: nothing was changed');
  });
});
