import request from 'supertest';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { Portal, databaseConfig, startPortal } from './__testUtils__/portal';

jest.setTimeout(180_000);

/*
 * The sizing preview is the one route any signed-in user can make the backend work hard with:
 * the largest environments the input contract allows take about a second of planning each.
 * Eight of them at once must not stall the backend (health keeps answering within a second)
 * nor grow its heap without bound.
 */
const LARGEST = {
  region: 'asia-northeast1',
  option: 'public',
  regional: true,
  sizing: {
    concurrentUsers: 10_000,
    vectorDatasourceGiB: 5_000,
    logRetentionDays: 90,
    llmProxyType: 'litellm-ha',
    includeNats: true,
  },
};

describe('eight huge sizing previews at once', () => {
  let sandbox: GcpSandbox;
  let portal: Portal;

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.05 });
    sandbox.listen();
    portal = await startPortal({ database: databaseConfig('sqlite', '') });
  });
  afterAll(async () => {
    await portal?.stop();
    await sandbox?.close();
  });

  const preview = (user: string) =>
    request(portal.server)
      .post('/api/codemie/v1/plan/preview')
      .set(Portal.as(user))
      .send(LARGEST);

  it('keeps the backend answering health within a second, and its heap bounded', async () => {
    // Warm up: the worker starts and loads the planner once.
    expect((await preview('user:default/ana')).status).toBe(200);
    global.gc?.();
    const baseline = process.memoryUsage().heapUsed;

    let done = false;
    let slowest = 0;
    let peakHeap = baseline;
    const watch = (async () => {
      while (!done) {
        const started = Date.now();
        const health = await request(portal.server).get('/api/codemie/health');
        expect(health.status).toBe(200);
        slowest = Math.max(slowest, Date.now() - started);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
        await new Promise(r => setTimeout(r, 50));
      }
    })();
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => preview(`user:default/load-${i}`)),
    );
    const took = Date.now() - started;
    done = true;
    await watch;

    expect(answers.map(a => a.status)).toEqual(Array(8).fill(200));
    expect(new Set(answers.map(a => a.body.monthlyCostUsd)).size).toBe(1);
    // The previews took seconds of planning in all, and health never waited on them.
    expect(took).toBeGreaterThan(1000);
    expect(slowest).toBeLessThan(1000);
    expect((peakHeap - baseline) / 2 ** 20).toBeLessThan(300);
  });

  it('refuses a user who asks for more previews than a form would, with 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) {
      statuses.push(
        (
          await request(portal.server)
            .post('/api/codemie/v1/plan/preview')
            .set(Portal.as('user:default/script'))
            .send({ region: 'mars-north1', sizing: {} })
        ).status,
      );
    }
    // Refused inputs count too: a script cannot keep the planner busy by sending garbage.
    expect(statuses.slice(0, 60).every(s => s === 400)).toBe(true);
    expect(statuses.slice(60)).toEqual(Array(10).fill(429));
  });
});
