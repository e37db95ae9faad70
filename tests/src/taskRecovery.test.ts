import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  Portal,
  databaseConfig,
  dropStaleDatabases,
  startPortal,
} from './__testUtils__/portal';

jest.setTimeout(300_000);

const postgres =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;

const ANA = 'user:default/ana';
const PROJECT = 'acme-recover-01';
const values = {
  name: 'resumed',
  owner: 'group:default/team-a',
  projectId: PROJECT,
  region: 'europe-west1',
  regional: false,
  option: 'private',
  bastionMembers: ['group:platform@example.com'],
  domain: 'resumed.example.com',
  createDnsZone: true,
  concurrentUsers: 25,
  vectorDatasourceGiB: 10,
  logRetentionDays: 7,
  llmProxyType: 'litellm',
  includeNats: false,
};

/*
 * A backend that stops in the middle of provisioning (a crash, a rollout) leaves its task
 * `processing`. With scaffolder.taskRecovery on (app-config), the next backend on the same
 * PostgreSQL database takes the task over once its heartbeat is stale, starts the interrupted
 * step over, and — every step being idempotent, every finished resource a checkpoint —
 * converges with exactly one of each resource.
 */
(postgres ? describe : describe.skip)(
  'a create task interrupted by a backend stop (PostgreSQL)',
  () => {
    const prefix = `codemie_recover_${process.pid}_`;
    const scaffolder = {
      taskRecovery: { enabled: true, staleTimeout: { seconds: 2 } },
    };
    let sandbox: GcpSandbox;
    let second: Portal | undefined;

    beforeAll(async () => {
      await dropStaleDatabases('codemie_recover');
      sandbox = await GcpSandbox.create({ timeScale: 0.05 });
      sandbox.listen();
    });

    afterAll(async () => {
      await second?.stop();
      await sandbox?.close();
    });

    it('resumes on the next backend and converges with one of each resource', async () => {
      const database = databaseConfig('postgres', prefix);
      const first = await startPortal({ database, scaffolder, mortal: true });
      await first.template('create-codemie-environment');

      // The first backend's Cloud SQL create never comes back (its process "died" with it).
      const stall = sandbox.faults.addLatency({
        service: 'sqladmin',
        method: 'POST',
        path: /\/instances$/,
        millis: 3_600_000,
      });
      const id = await first.startTask(
        'template:default/create-codemie-environment',
        values,
        ANA,
      );
      await first.waitFor('provisioning to reach Cloud SQL', async () =>
        /Cloud SQL instance .*: creating/.test(await first.taskLog(id, ANA))
          ? true
          : undefined,
      );
      const createdBeforeStop = sandbox.journal
        .mutating()
        .filter(e => e.method === 'POST' && e.status < 300).length;
      expect(createdBeforeStop).toBeGreaterThan(0);
      // A rollout: the next backend starts beside it, on the same database…
      second = await startPortal({ database, scaffolder });
      // …and the first one stops and dies: what is left of it in this process no longer reaches
      // the database, so its task is neither heartbeated nor given an outcome.
      await first.die();
      stall();
      const { task, log } = await second.finishTask(id, ANA, 240_000);
      expect({
        status: task.status,
        log: task.status === 'completed' ? '' : log,
      }).toEqual({ status: 'completed', log: '' });
      // Backstage's own record of the takeover (the project's name also says "recover").
      const events = await second.get(`/api/scaffolder/v2/tasks/${id}/events`);
      expect(
        (events.body as Array<{ type: string }>).map(e => e.type),
      ).toContain('recovered');

      // Exactly one of each resource: no name was created twice.
      const creates = sandbox.journal
        .mutating()
        .filter(
          e =>
            e.method === 'POST' &&
            e.status < 300 &&
            !/:|\/wait$|\/operations\//.test(e.path.split('?')[0]),
        )
        .map(e => {
          const body = (e.body ?? {}) as any;
          return `${e.path.split('?')[0]} ${body.name ?? body.cluster?.name ?? body.nodePool?.name ?? body.accountId ?? e.path.split('secretId=')[1] ?? ''}`;
        });
      expect(creates.filter((c, i) => creates.indexOf(c) !== i)).toEqual([]);
      expect(
        [...(sandbox.state as any).sqlInstances.keys()].filter((k: string) =>
          k.includes(PROJECT),
        ),
      ).toHaveLength(1);
      expect(
        [...(sandbox.state as any).clusters.keys()].filter((k: string) =>
          k.includes(PROJECT),
        ),
      ).toHaveLength(1);
      const environment = await second.get(
        `/api/codemie/v1/environments/${PROJECT}/resumed`,
      );
      expect(environment.body).toMatchObject({
        state: 'ready',
        owner: 'group:default/team-a',
      });
    });
  },
);
