/**
 * The local portal as a newcomer meets it, end to end: the portal's backend with its sandbox
 * plugin (the seeded demo and trial environments, each with a week of sandbox usage history),
 * the portal's permission policy and the "Resize CodeMie environment" template from templates/;
 * on SQLite and on PostgreSQL.
 *
 * - The demo's sizing advice is in the status API on first open: every kind, each priced, marked
 *   as resting on sandbox data.
 * - The guest (a member of codemie-newcomers) resizes the trial environment its advice points at,
 *   small → medium, through the template; the record and the catalog entity say medium; a second
 *   run changes nothing. The guest may not resize the demo, nor may a member of another team
 *   resize the trial.
 */
import {
  DATABASES,
  Portal,
  databaseConfig,
  dropStaleDatabases,
  startPortal,
} from './__testUtils__/portal';

jest.setTimeout(600_000);

const GUEST = 'user:development/guest';
const DEMO = 'resource:codemie-sandbox/codemie-demo';
const TRIAL = 'resource:codemie-sandbox/codemie-trial';
const TEMPLATE = 'template:default/resize-codemie-environment';

const statusOf = (portal: Portal, name: string, user = GUEST) =>
  portal.get(
    `/api/codemie/v1/entities/resource/codemie-sandbox/${name}/status`,
    user,
  );

describe.each(DATABASES)('the local portal’s sandbox demo on %s', database => {
  let portal: Portal;

  beforeAll(async () => {
    if (database === 'postgres') await dropStaleDatabases('sandboxresize');
    portal = await startPortal({
      database: databaseConfig(database, `sandboxresize_${Date.now()}_`),
      sandboxDemo: true,
      codemie: { sandbox: { enabled: true, timeScale: 0.5 } },
    });
    await portal.template('resize-codemie-environment');
  });

  afterAll(async () => {
    await portal?.stop();
  });

  it('shows the demo’s advice on first open: every kind, each with its monthly cost change, on sandbox data', async () => {
    const status = await statusOf(portal, 'codemie-demo');
    expect(status.status).toBe(200);
    expect(status.body.historyOrigin).toBe('sandbox');
    expect(status.body.adviceNote).toBeUndefined();
    const kinds = (status.body.advice as any[]).map(a => a.change).sort();
    expect(kinds).toEqual([
      'add-replicas',
      'grow-storage',
      'lower-cpu',
      'lower-memory',
      'raise-cpu',
      'raise-memory',
    ]);
    for (const a of status.body.advice) {
      expect(typeof a.monthlyCostDeltaUsd).toBe('number');
      expect(a.summary).toMatch(/\/month\)$|same node count\)$/);
    }
    const week = await portal.get(
      '/api/codemie/v1/entities/resource/codemie-sandbox/codemie-demo/history?window=7d',
      GUEST,
    );
    expect(week.body.origin).toBe('sandbox');
    expect(week.body.points.length).toBeGreaterThan(300);
  });

  it('lets the guest resize the trial environment its advice points at, small → medium, and records it', async () => {
    const before = await statusOf(portal, 'codemie-trial');
    const pointers = (before.body.advice as any[]).map(a => a.resize?.tier);
    expect(pointers.length).toBeGreaterThan(0);
    expect(new Set(pointers)).toEqual(new Set(['medium']));

    const run = await portal.runTask(
      TEMPLATE,
      { environment: TRIAL, tier: 'medium' },
      GUEST,
    );
    expect(run.task.status).toBe('completed');
    // The plan diff comes first, then the pool grows, then the rollout.
    const plan = run.log.indexOf(
      'Resize codemie-sandbox/codemie-trial: small → medium',
    );
    const grow = run.log.indexOf('node pool codemie-trial-pool: growing to');
    const rollout = run.log.indexOf('components to roll out');
    expect(plan).toBeGreaterThanOrEqual(0);
    expect(grow).toBeGreaterThan(plan);
    expect(rollout).toBeGreaterThan(grow);
    const result =
      run.output?.text?.find(t => t.title === 'Result')?.content ?? '';
    expect(result).toMatch(
      /^Resized in \d+(\.\d)? s; the environment runs on node pool codemie-trial-pool\.$/,
    );
    expect(
      run.output?.text?.find(t => t.title === 'Monthly cost')?.content,
    ).toMatch(/^\$1,133 → \$1,575 a month \(\+\$443\) at on-demand prices\.$/);
    // The makespan the portal measured, for the report.
    // eslint-disable-next-line no-console
    console.log(`resize makespan on ${database}: ${result}`);

    const entity = await portal.waitFor(
      'the entity to say medium',
      async () => {
        const e = await portal.entity(TRIAL, GUEST);
        return e.body?.metadata?.annotations?.['codemie.ai/tier'] === 'medium'
          ? e.body
          : undefined;
      },
    );
    expect(
      JSON.parse(entity.metadata.annotations['codemie.ai/sizing']),
    ).toMatchObject({
      concurrentUsers: 100,
    });
    const after = await statusOf(portal, 'codemie-trial');
    expect(after.body.lifecycle).toMatchObject({ state: 'ready' });
    expect(after.body.environment.tier).toBe('medium');
    // The week at the small size no longer advises the medium one.
    expect(after.body.advice).toEqual([]);
    expect(after.body.adviceNote).toMatch(
      /changed size recently: their CPU and memory advice waits for 24 h of samples at the new size\.$/,
    );

    const again = await portal.runTask(
      TEMPLATE,
      { environment: TRIAL, tier: 'medium' },
      GUEST,
    );
    expect(again.task.status).toBe('completed');
    expect(again.output?.text?.find(t => t.title === 'Result')?.content).toBe(
      'Nothing to change: the environment already had this sizing and these images.',
    );
  });

  it('refuses the guest the demo, and another team the trial, naming the owners', async () => {
    const demo = await portal.runTask(
      TEMPLATE,
      { environment: DEMO, tier: 'medium' },
      GUEST,
    );
    expect(demo.task.status).toBe('failed');
    expect(demo.log).toContain(
      `${GUEST} may not resize ${DEMO} (codemie.environment.update): it is owned by group:default/platform-engineering, and only its owners may. Nothing was changed`,
    );
    const eve = await portal.runTask(
      TEMPLATE,
      { environment: TRIAL, tier: 'large' },
      'user:default/eve',
    );
    expect(eve.task.status).toBe('failed');
    expect(eve.log).toContain(
      'it is owned by group:default/codemie-newcomers, and only its owners may',
    );
    const demoNow = await statusOf(portal, 'codemie-demo');
    expect(demoNow.body.environment.tier).toBe('small');
  });
});
