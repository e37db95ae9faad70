/**
 * Deploy benchmark: how close `codemie:deploy`'s parallel apply comes to the ideal — the
 * environment ready as soon as its slowest component alone would be — compared with installing
 * the components one after another and waiting for each (what sequential `helm --wait` installs
 * take).
 *
 * On GCP sandbox clusters (planner-sized production node pool, simulated pulls and start-ups):
 * 1. parallel: the action deploys the production tier on a fresh cluster; all-ready = first
 *    apply → every component ready;
 * 2. single: on a fresh cluster per component, the shared foundations and every Secret/ConfigMap
 *    are applied first (untimed: what earlier installs would have left), then the component's
 *    objects alone, timed from its first apply to ready.
 * Times are simulated seconds (real ms / time scale), so they do not depend on the machine's
 * speed except through the sandbox's per-request cost.
 *
 * Run: npm run bench:deploy   (BENCH_TIME_SCALE=<real ms per simulated s>, default 50)
 */
import { SIZING_PRESETS } from '@codemie-gcp/plugin-codemie-common';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { ClusterConnector } from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import {
  DeploySecretValues,
  applyComponents,
  applyStage,
  createCluster,
  createCodemieDeployAction,
  createNetwork,
  createSecret,
  deploySettings,
  generateCredentials,
  plannedNodePool,
  recordProvisioned,
  renderEnvironment,
  resolvedDeployInput,
  testGoogleClients,
  waitForRollout,
} from '@codemie-gcp/plugin-scaffolder-backend-module-codemie/testUtils';
import knexFactory from 'knex';

const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 50);
const POLL_MS = 20;

const sim = (realMs: number) => realMs / TIME_SCALE;
const fmt = (s: number) => s.toFixed(1).padStart(7);

async function main() {
  // The sandbox's timers are unref'd; keep the process alive while they run.
  const keepAlive = setInterval(() => {}, 1000);
  const sandbox = await GcpSandbox.create({
    timeScale: TIME_SCALE,
    durations: {
      clusterCreate: 1,
      nodePoolCreate: 1,
      network: 1,
      subnetwork: 1,
    },
  });
  sandbox.listen();
  const google = testGoogleClients();
  try {
    await createNetwork();
    await createSecret(
      google,
      'codemie-dev-codemie-db-password',
      'bench-codemie-password',
    );
    await createSecret(
      google,
      'codemie-dev-litellm-db-password',
      'bench-litellm-password',
    );
    const pool = plannedNodePool(SIZING_PRESETS.production);
    console.log(
      `deploy bench: production tier on ${pool.nodes} × ${pool.machineType} (planner), time scale ${TIME_SCALE} ms per simulated second`,
    );

    // 1. Parallel: the action itself.
    const parallel = await createCluster(
      sandbox,
      google,
      'bench-parallel',
      pool,
    );
    const readyAt = new Map<string, number>();
    const logger: any = {
      info: (line: string) => {
        const m = /^(\S+) (\d+)\/(\d+) ready$/.exec(line);
        if (m && m[2] === m[3] && !readyAt.has(m[1]))
          readyAt.set(m[1], Date.now());
      },
      warn: () => {},
      error: (line: string) => console.error(line),
      debug: () => {},
    };
    logger.child = () => logger;
    const journalStart = sandbox.journal.length;
    const store = await CodemieStore.create({
      database: {
        getClient: async () =>
          knexFactory({
            client: 'better-sqlite3',
            connection: ':memory:',
            useNullAsDefault: true,
          }),
      },
    });
    const { environment, options } = await recordProvisioned(store, {
      cluster: parallel.cluster,
      timeoutSeconds: 3600,
    });
    const ctx: any = {
      input: { environment, ...options },
      task: { id: 'mock-task-id' },
      getInitiatorCredentials: async () => ({}),
      logger,
      output: () => {},
      checkpoint: async ({ fn }: any) => fn(),
      workspacePath: '/tmp',
      secrets: {},
    };
    await createCodemieDeployAction({
      google,
      store,
      // The create task holds the record: no permission is asked.
      permissions: undefined as any,
      pollIntervalMs: POLL_MS,
    }).handler(ctx);
    const done = Date.now();
    const firstApply = sandbox.journal
      .list({ service: 'kubernetes', method: 'PATCH' })
      .find(e => e.seq > journalStart)!.at;
    const allReady = sim(done - firstApply);

    // 2. Each component alone.
    const input = resolvedDeployInput({ cluster: parallel.cluster });
    const secrets: DeploySecretValues = {
      ...generateCredentials({ keycloakDbInCluster: true }),
      keycloakDbPassword: 'bench-keycloak-password',
      codemieDbPassword: 'bench-codemie-password',
      litellmDbPassword: 'bench-litellm-password',
    } as DeploySecretValues;
    const components = renderEnvironment(deploySettings(input, secrets));
    const prerequisites = components
      .flatMap(c => c.objects)
      .filter(o => applyStage(o.kind) < 2);
    const single = new Map<string, number>();
    for (const c of components.filter(x => x.workloads.length > 0)) {
      const cluster = await createCluster(
        sandbox,
        google,
        `bench-${c.componentId}`.slice(0, 40),
        pool,
      );
      const kc = await new ClusterConnector(google).kubeConfig(cluster.cluster);
      // The component alone, in the action's own apply order (foundations, then what its pods
      // read, then its workloads).
      await applyComponents(kc, [{ ...c, objects: prerequisites }]);
      const start = Date.now();
      await applyComponents(kc, [
        { ...c, objects: c.objects.filter(o => applyStage(o.kind) === 2) },
      ]);
      await waitForRollout(kc, {
        environment: input.environment,
        workloads: c.workloads.map(w => ({ ...w, componentId: c.componentId })),
        timeoutMs: 3_600_000,
        pollIntervalMs: POLL_MS,
      });
      single.set(c.componentId, sim(Date.now() - start));
    }

    const slowest = Math.max(...single.values());
    const sequential = [...single.values()].reduce((a, b) => a + b, 0);
    console.log('\ncomponent            alone (s)  ready in parallel run (s)');
    for (const [id, t] of [...single.entries()].sort((a, b) => b[1] - a[1])) {
      const inParallel = readyAt.has(id)
        ? fmt(sim(readyAt.get(id)! - firstApply))
        : '      ?';
      console.log(`${id.padEnd(20)} ${fmt(t)}    ${inParallel}`);
    }
    console.log(
      `\nparallel all-ready ${allReady.toFixed(1)} s; slowest component alone ${slowest.toFixed(1)} s; sequential (sum) ${sequential.toFixed(1)} s`,
    );
    console.log(
      `deploy: all-ready/slowest=${(allReady / slowest).toFixed(2)} sequential/slowest=${(sequential / slowest).toFixed(2)}`,
    );
  } finally {
    await sandbox.close();
    await google.close();
    clearInterval(keepAlive);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
