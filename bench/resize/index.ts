/**
 * Resize benchmark: the makespan of `codemie:resize` on the GCP sandbox, phase by phase, for the
 * two ways a node pool changes — the same machines with other bounds (small → medium) and a new
 * machine type (medium → large: a new pool, the old one drained and deleted) — with, side by
 * side, what the environment went through (moments any PodDisruptionBudget or Deployment had
 * fewer ready pods than it allows: the target is none) and what a second run costs (mutating
 * calls: the target is none).
 *
 * The sandbox runs GKE operations for their simulated durations (DEFAULT_DURATIONS: node pool
 * create 150 s, resize 90 s, autoscaling 30 s, delete 120 s) and pods for theirs (pulls and
 * start-ups by image), scaled by BENCH_TIME_SCALE real ms per simulated second (default 50), so
 * the figures are simulated seconds — what the same steps take on GKE by those durations — plus
 * the sandbox's own per-request cost.
 *
 * Run: npm run bench:resize
 */
import knexFactory from 'knex';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { SizingPresetName } from '@codemie-gcp/plugin-codemie-common';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import {
  createCodemieResizeAction,
  testGoogleClients,
  seededEnvironment,
  watchReadiness,
} from '@codemie-gcp/plugin-scaffolder-backend-module-codemie/testUtils';

const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 50);
const sim = (realMs: number) => realMs / TIME_SCALE;
const fmt = (s: number) => s.toFixed(0).padStart(6);

/** The log's phases, by the lines that start them. */
const PHASES: Array<[string, RegExp]> = [
  ['capacity', /^(To change|node pool )/],
  ['apply', /^Generated \d+ credential|^Kept every generated credential/],
  ['rollout', /^Waiting up to/],
  [
    'drain+delete',
    /^(Cordoned \d+ node|Deployment .* restarted off|pod .* evicted|node pool .*: deleting)/,
  ],
];

async function resize(
  sandbox: GcpSandbox,
  store: CodemieStore,
  name: string,
  from: SizingPresetName,
  to: SizingPresetName,
) {
  const { environment, cluster } = await seededEnvironment(sandbox, store, {
    name,
    preset: from,
  });
  const action = createCodemieResizeAction({
    config: new ConfigReader({
      codemie: {
        gcp: {
          retry: {
            baseDelay: { milliseconds: 1 },
            maxDelay: { milliseconds: 5 },
            poll: { milliseconds: 20 },
            maxPoll: { milliseconds: 50 },
          },
        },
      },
    }),
    google: testGoogleClients(),
    store,
    // The owner runs it: the permission backend's answer is not what is measured.
    permissions: {
      authorize: async (requests: unknown[]) =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    } as any,
    pollIntervalMs: 20,
  });
  const stamps: Array<{ at: number; line: string }> = [];
  const context = (input: object) => {
    const logger: any = {
      info: (line: string) => stamps.push({ at: Date.now(), line }),
      warn: () => {},
      error: (line: string) => console.error(line),
      debug: () => {},
    };
    logger.child = () => logger;
    return {
      ctx: {
        input,
        task: { id: `bench-${name}` },
        user: { ref: 'user:default/bench' },
        getInitiatorCredentials: async () => ({}),
        logger,
        output: () => {},
        checkpoint: async ({ fn }: any) => fn(),
        workspacePath: '/tmp',
        secrets: {},
      } as any,
    };
  };
  const { ctx } = context({ environment, tier: to });
  const watch = watchReadiness(cluster as any, name);
  const started = Date.now();
  await action.handler(ctx);
  const ended = Date.now();
  watch.stop();

  // Phase boundaries: the first line of each phase; each lasts until the next one starts.
  const starts = PHASES.map(([phase, pattern]) => ({
    phase,
    at: stamps.find(s => pattern.test(s.line))?.at,
  })).filter((p): p is { phase: string; at: number } => p.at !== undefined);
  starts.sort((a, b) => a.at - b.at);
  const phases: Record<string, number> = {};
  starts.forEach((p, i) => {
    phases[p.phase] = sim((starts[i + 1]?.at ?? ended) - p.at);
  });

  const mark = sandbox.journal.length;
  await action.handler(context({ environment, tier: to }).ctx);
  const secondRunMutating = sandbox.journal
    .list()
    .slice(mark)
    .filter(e => e.mutating).length;
  return {
    row: `${from} → ${to}`,
    makespan: sim(ended - started),
    realSeconds: (ended - started) / 1000,
    phases,
    shortfalls: watch.shortfalls.length,
    states: watch.states,
    secondRunMutating,
  };
}

async function main() {
  const keepAlive = setInterval(() => {}, 1000);
  const sandbox = await GcpSandbox.create({ timeScale: TIME_SCALE });
  sandbox.listen();
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const store = await CodemieStore.create({
    database: { getClient: async () => knex } as any,
  });
  try {
    console.log(
      `resize bench: regional europe-west3 environments seeded by the sandbox, time scale ${TIME_SCALE} ms per simulated second`,
    );
    const rows = [
      await resize(sandbox, store, 'bench-grow', 'small', 'medium'),
      await resize(sandbox, store, 'bench-move', 'medium', 'large'),
    ];
    console.log(
      '\nresize              makespan  capacity   apply  rollout  drain+delete   real s  shortfalls (states)  2nd-run mutating',
    );
    for (const r of rows) {
      console.log(
        `${r.row.padEnd(18)}${fmt(r.makespan)} s ${fmt(r.phases.capacity ?? 0)} s ${fmt(r.phases.apply ?? 0)} s ${fmt(r.phases.rollout ?? 0)} s ${fmt(r.phases['drain+delete'] ?? 0)} s    ${r.realSeconds.toFixed(1).padStart(6)}  ${String(r.shortfalls).padStart(10)} (${r.states})  ${String(r.secondRunMutating).padStart(16)}`,
      );
    }
    console.log(
      `\nresize: makespan small→medium=${rows[0].makespan.toFixed(0)}s medium→large=${rows[1].makespan.toFixed(0)}s (simulated), shortfalls=${rows[0].shortfalls + rows[1].shortfalls}, second-run mutating calls=${rows[0].secondRunMutating + rows[1].secondRunMutating}`,
    );
  } finally {
    await sandbox.close();
    await knex.destroy();
    clearInterval(keepAlive);
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
