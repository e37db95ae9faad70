import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  DATABASES,
  Portal,
  databaseConfig,
  dropStaleDatabases,
  startPortal,
} from './__testUtils__/portal';

jest.setTimeout(300_000);

/*
 * One environment, one record, one owner — as users meet it in the portal: the real catalog,
 * scaffolder and permission backend with the portal's policy, the CodeMie plugin, the templates
 * of templates/, and the GCP sandbox; on SQLite and on PostgreSQL.
 */
const ANA = 'user:default/ana'; // member of group:default/team-a
const EVE = 'user:default/eve'; // member of group:default/team-e
const CREATE = 'template:default/create-codemie-environment';
const DESTROY = 'template:default/destroy-codemie-environment';
const REDEPLOY = 'template:default/redeploy-codemie-environment';
const PROJECT = 'acme-trial-4821';

const sizing = {
  concurrentUsers: 25,
  vectorDatasourceGiB: 10,
  logRetentionDays: 7,
  llmProxyType: 'litellm',
  includeNats: false,
};
const anasEnvironment = {
  name: 'dup-a',
  owner: 'group:default/team-a',
  projectId: PROJECT,
  region: 'europe-west1',
  regional: false,
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: 'dup-a.example.com',
  createDnsZone: true,
  ...sizing,
};
// The careless second create: same name and project, everything else different.
const evesDuplicate = {
  name: 'dup-a',
  owner: 'group:default/team-e',
  projectId: PROJECT,
  region: 'europe-west3',
  regional: true,
  option: 'private',
  bastionMembers: ['group:eve-team@example.com'],
  domain: 'other.example.com',
  createDnsZone: true,
  ...sizing,
};

/** Everything the sandbox holds for the project, serialised: Google Cloud resources byte for byte. */
function cloudOf(sandbox: GcpSandbox): string {
  const s = sandbox.state as any;
  const pick = (map: Map<string, any>) =>
    [...map.entries()]
      .filter(([key]) => key.includes(PROJECT))
      .map(([key, value]) => [key, value.resource ?? value])
      .sort();
  return JSON.stringify({
    clusters: pick(s.clusters),
    compute: pick(s.compute),
    sql: pick(s.sqlInstances),
    dns: pick(s.dnsZones),
    secrets: pick(s.secrets),
    serviceAccounts: pick(s.serviceAccounts),
  });
}

describe.each(DATABASES)(
  'one environment, one record, one owner (%s)',
  kind => {
    const prefix = `codemie_own_${process.pid}_`;
    let sandbox: GcpSandbox;
    let portal: Portal;

    beforeAll(async () => {
      if (kind === 'postgres') await dropStaleDatabases('codemie_own');
      sandbox = await GcpSandbox.create({ timeScale: 0.05 });
      sandbox.listen();
      portal = await startPortal({ database: databaseConfig(kind, prefix) });
      await portal.template('create-codemie-environment');
      await portal.template('destroy-codemie-environment');
      await portal.template('redeploy-codemie-environment');
    });

    afterAll(async () => {
      await portal?.stop();
      await sandbox?.close();
    });

    const entityRef = `resource:${PROJECT}/dup-a`;
    const statusUrl = `/api/codemie/v1/entities/resource/${PROJECT}/dup-a/status`;

    it('creates the environment of team-a', async () => {
      const { task, log } = await portal.runTask(CREATE, anasEnvironment, ANA);
      expect({
        status: task.status,
        log: task.status === 'completed' ? '' : log,
      }).toEqual({
        status: 'completed',
        log: '',
      });
      // The catalog shows the state the record reached once it has processed the change.
      const entity = await portal.waitFor('the ready entity', async () => {
        const res = await portal.entity(entityRef);
        return res.body?.metadata?.annotations?.['codemie.ai/state'] === 'ready'
          ? res.body
          : undefined;
      });
      expect(entity.spec).toMatchObject({ owner: 'group:default/team-a' });
      expect(entity.metadata.annotations['codemie.ai/state']).toBe('ready');
      expect((await portal.get(statusUrl)).status).toBe(200);
    });

    it('refuses a second create of the name, changing nothing: record, entity, cloud', async () => {
      const entityBefore = (await portal.entity(entityRef)).body;
      const recordBefore = (
        await portal.get(`/api/codemie/v1/environments/${PROJECT}/dup-a`)
      ).body;
      const cloudBefore = cloudOf(sandbox);
      const mutatingBefore = sandbox.journal.mutating().length;

      const { task, log } = await portal.runTask(CREATE, evesDuplicate, EVE);
      expect(task.status).toBe('failed');
      expect(log).toContain(
        `dup-a already exists in ${PROJECT}, owned by group:default/team-a (state ready); choose another name`,
      );

      expect(sandbox.journal.mutating().slice(mutatingBefore)).toEqual([]);
      expect(cloudOf(sandbox)).toBe(cloudBefore);
      expect(
        (await portal.get(`/api/codemie/v1/environments/${PROJECT}/dup-a`))
          .body,
      ).toEqual(recordBefore);
      expect((await portal.entity(entityRef)).body).toEqual(entityBefore);
      const status = await portal.get(statusUrl);
      expect(status.status).toBe(200);
      expect(status.body.verdict.health).not.toBe('error');
    });

    it('refuses a destroy and a deploy by someone who does not own it, with 0 mutating calls', async () => {
      const mutatingBefore = sandbox.journal.mutating().length;
      const destroy = await portal.runTask(
        DESTROY,
        { environment: entityRef, confirmName: 'dup-a' },
        EVE,
      );
      expect(destroy.task.status).toBe('failed');
      expect(destroy.log).toContain(
        `user:default/eve may not destroy ${entityRef} (codemie.environment.delete): it is owned by group:default/team-a`,
      );
      const deploy = await portal.runTask(
        REDEPLOY,
        { environment: entityRef },
        EVE,
      );
      expect(deploy.task.status).toBe('failed');
      expect(deploy.log).toContain(
        `user:default/eve may not deploy to ${entityRef} (codemie.environment.update)`,
      );
      expect(sandbox.journal.mutating().slice(mutatingBefore)).toEqual([]);
    });

    it('gives a look-alike entity no cluster data, even with a forged location', async () => {
      await portal.waitFor('the look-alike', async () =>
        (await portal.entity(`resource:${PROJECT}/lookalike`)).status === 200
          ? true
          : undefined,
      );
      const callsBefore = sandbox.journal.length;
      const res = await portal.get(
        `/api/codemie/v1/entities/resource/${PROJECT}/lookalike/status`,
      );
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('is not managed here');
      expect(JSON.stringify(res.body)).not.toContain('dup-a-gke');
      expect(sandbox.journal.length).toBe(callsBefore);
    });

    it('lets its owner destroy it: nothing labelled is left, the entity goes, the name is free', async () => {
      const { task, log } = await portal.runTask(
        DESTROY,
        { environment: entityRef, confirmName: 'dup-a' },
        ANA,
      );
      expect({
        status: task.status,
        log: task.status === 'completed' ? '' : log,
      }).toEqual({
        status: 'completed',
        log: '',
      });
      // Google releases the private services peering days after Cloud SQL goes: a re-run then
      // finishes, and until then the environment says it is waiting.
      expect(
        sandbox
          .resourcesLabelled(PROJECT, 'codemie-environment', 'dup-a')
          .map(r => r.name),
      ).toEqual([`projects/${PROJECT}/global/addresses/dup-a-psa-range`]);
      expect(
        (await portal.get(`/api/codemie/v1/environments/${PROJECT}/dup-a`)).body
          .state,
      ).toBe('destroying');
      await sandbox.clock.advance(4 * 24 * 3600 * 1000);
      const rerun = await portal.runTask(
        DESTROY,
        { environment: entityRef, confirmName: 'dup-a' },
        ANA,
      );
      expect(rerun.task.status).toBe('completed');
      expect(
        sandbox.resourcesLabelled(PROJECT, 'codemie-environment', 'dup-a'),
      ).toEqual([]);
      await portal.waitFor('the entity to disappear', async () =>
        (await portal.entity(entityRef)).status === 404 ? true : undefined,
      );
      expect(
        (await portal.get(`/api/codemie/v1/environments/${PROJECT}/dup-a`)).body
          .exists,
      ).toBe(false);
    });
  },
);
