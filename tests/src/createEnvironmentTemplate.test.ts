import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { Portal, databaseConfig, startPortal } from './__testUtils__/portal';
import { repoRoot } from './__testUtils__/repoRoot';

jest.setTimeout(240_000);

/*
 * The "Create CodeMie environment" template as users run it: loaded from templates/, driven
 * through the real scaffolder backend, the CodeMie actions, and the GCP sandbox.
 */
const template = yaml.parse(
  fs.readFileSync(
    path.join(repoRoot, 'templates/create-codemie-environment/template.yaml'),
    'utf8',
  ),
);

const ANA = 'user:default/ana';
const common = {
  owner: 'group:default/team-a',
  projectId: 'acme-ai-platform',
  region: 'europe-west1',
  regional: true,
  domain: 'codemie.example.com',
  createDnsZone: true,
  vectorDatasourceGiB: 20,
  logRetentionDays: 14,
  llmProxyType: 'litellm',
  includeNats: false,
};
const publicValues = {
  ...common,
  name: 'codemie-pub',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  allowPublicInternet: false,
  concurrentUsers: 100,
};
const privateValues = {
  ...common,
  name: 'codemie-priv',
  option: 'private',
  bastionMembers: ['group:platform@example.com'],
  concurrentUsers: 25,
};

describe('the Create CodeMie environment template', () => {
  let sandbox: GcpSandbox;
  let portal: Portal;

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.05 });
    sandbox.listen();
    portal = await startPortal({ database: databaseConfig('sqlite', '') });
    await portal.template('create-codemie-environment');
    await portal.template('destroy-codemie-environment');
  });

  afterAll(async () => {
    await portal?.stop();
    await sandbox?.close();
  });

  const dryRun = (values: object) =>
    request(portal.server)
      .post('/api/scaffolder/v2/dry-run')
      .set(Portal.as(ANA))
      .send({ template, values, directoryContents: [] });

  // The production tier is the seed's table: API 2 × 4 CPU / 8Gi, Elasticsearch 2 × 4 CPU / 16Gi.
  const seedRows = [
    /Elasticsearch: 2 pod\(s\) × 4 CPU, 16Gi/,
    /CodeMie API: 2 pod\(s\) × 4 CPU, 8Gi/,
  ];
  it.each([
    ['public', 'medium-sized', publicValues, [/CodeMie API: 1 pod\(s\)/]],
    ['private', 'small', privateValues, [/Elasticsearch: 2 pod\(s\)/]],
    [
      'private',
      'production',
      {
        ...privateValues,
        concurrentUsers: 500,
        vectorDatasourceGiB: 100,
        logRetentionDays: 30,
        includeNats: true,
      },
      seedRows,
    ],
  ])(
    'dry-runs the %s option, %s tier, without a single cloud call or record',
    async (option, _tier, values, expectedLines) => {
      const before = sandbox.journal.length;
      const res = await dryRun(values);
      expect({
        status: res.status,
        body: res.status === 200 ? undefined : res.body,
      }).toEqual({ status: 200, body: undefined });
      const messages = (
        res.body.log as Array<{ body: { message: string; stepId?: string } }>
      )
        .map(l => `${l.body.stepId ?? ''} ${l.body.message}`)
        // eslint-disable-next-line no-control-regex
        .map(m => m.replace(/\u001b\[[0-9;]*m/g, ''));
      expect(
        messages.some(m =>
          /^plan .*node pool .* × \d+–\d+, about \$[\d,]+\/month/.test(m),
        ),
      ).toBe(true);
      expect(
        messages.some(
          m =>
            m.startsWith('provision') && m.includes('Dry run: would provision'),
        ),
      ).toBe(true);
      for (const line of expectedLines) {
        expect({
          line: String(line),
          found: messages.some(m => line.test(m)),
        }).toEqual({ line: String(line), found: true });
      }
      // The plan lists what provisioning will create; only the private option has a bastion.
      const planned = messages.filter(m => m.startsWith('plan')).join('\n');
      expect(planned.includes('bastion')).toBe(option === 'private');
      expect(sandbox.journal.length).toBe(before);
      const name = (values as { name: string }).name;
      expect(
        (
          await portal.get(
            `/api/codemie/v1/environments/acme-ai-platform/${name}`,
          )
        ).body.exists,
      ).toBe(false);
    },
  );

  it.each([
    ['projectId', { projectId: 'Not_A_Project' }],
    ['allowedNetworks', { allowedNetworks: ['10.0.0.1/33'] }],
    ['allowedNetworks', { allowedNetworks: ['010.0.0.0/8'] }],
    ['concurrentUsers', { concurrentUsers: 2_000_000_000 }],
  ])(
    'refuses an invalid %s with what is allowed, before any step runs',
    async (field, patch) => {
      const res = await dryRun({ ...publicValues, ...patch });
      expect(res.status).toBe(400);
      const [error] = res.body.errors;
      expect(error.property).toContain(field);
      // The form shows the field's own sentence (ajv-errors), never the raw pattern.
      expect(JSON.stringify(error.schema.errorMessage)).toMatch(
        /e\.g\.|At most/,
      );
      expect(sandbox.journal.length).toBe(0);
    },
  );

  it.each([
    ['private', privateValues],
    ['public', publicValues],
  ])(
    'creates a %s environment end to end, registers it, reports it healthy; destroy removes it all',
    async (option, values) => {
      const { task, log, output } = await portal.runTask(
        'template:default/create-codemie-environment',
        values,
        ANA,
      );
      expect({
        status: task.status,
        log: task.status === 'completed' ? '' : log,
      }).toEqual({ status: 'completed', log: '' });
      // What the user reads at the end of the task: the cost in dollars, the kubectl command,
      // and the bastion only for the private option.
      const text = Object.fromEntries(
        (output?.text ?? [])
          .filter(t => t.content !== undefined)
          .map(t => [t.title, t.content]),
      );
      expect(text['Estimated monthly cost']).toMatch(
        /^\$\d{1,3}(,\d{3})* a month at on-demand prices \(.+ node pool, .+ tier\)\.$/,
      );
      expect(text['Connect kubectl']).toContain(
        'gcloud container clusters get-credentials',
      );
      expect('Bastion' in text).toBe(option === 'private');
      const name = values.name;
      const entityRef = `resource:acme-ai-platform/${name}`;
      const entity = await portal.waitFor('the ready entity', async () => {
        const res = await portal.entity(entityRef);
        return res.body?.metadata?.annotations?.['codemie.ai/state'] === 'ready'
          ? res.body
          : undefined;
      });
      expect(entity.spec).toMatchObject({
        type: 'codemie-environment',
        owner: 'group:default/team-a',
      });
      expect(entity.metadata.annotations['codemie.ai/option']).toBe(option);
      expect(entity.metadata.annotations['codemie.ai/gke-cluster']).toMatch(
        new RegExp(
          `^projects/acme-ai-platform/locations/europe-west1(-[a-z])?/clusters/${name}-gke$`,
        ),
      );

      const status = await portal.get(
        `/api/codemie/v1/entities/resource/acme-ai-platform/${name}/status`,
      );
      expect(status.status).toBe(200);
      const unhealthy = status.body.components.filter(
        (c: any) => c.enabled && c.health !== 'ok' && c.id !== 'postgresql',
      );
      expect(
        unhealthy.map((c: any) => `${c.id}: ${c.reasons.join('; ')}`),
      ).toEqual([]);

      const destroyValues = { environment: entityRef, confirmName: name };
      const destroyed = await portal.runTask(
        'template:default/destroy-codemie-environment',
        destroyValues,
        ANA,
      );
      expect(destroyed.task.status).toBe('completed');
      // Google keeps the private services peering for days after the Cloud SQL instance is
      // deleted: the first run removes everything else and says when to run it again.
      expect(
        sandbox
          .resourcesLabelled('acme-ai-platform', 'codemie-environment', name)
          .map(r => r.name),
      ).toEqual([
        `projects/acme-ai-platform/global/addresses/${name}-psa-range`,
      ]);
      expect(destroyed.log).toMatch(
        /waiting on Google to release .*run "Destroy CodeMie environment" again after \d{4}-/,
      );
      const waiting = await portal.get(
        `/api/codemie/v1/entities/resource/acme-ai-platform/${name}/status`,
      );
      expect(waiting.body.lifecycle.state).toBe('destroying');
      expect(waiting.body.problems[0]).toMatchObject({
        severity: 'warning',
        title: 'Waiting on Google to release the peering',
      });
      await sandbox.clock.advance(4 * 24 * 3600 * 1000);
      const finished = await portal.runTask(
        'template:default/destroy-codemie-environment',
        destroyValues,
        ANA,
      );
      expect(finished.task.status).toBe('completed');
      expect(
        sandbox.resourcesLabelled(
          'acme-ai-platform',
          'codemie-environment',
          name,
        ),
      ).toEqual([]);
      await portal.waitFor('the entity to disappear', async () =>
        (await portal.entity(entityRef)).status === 404 ? true : undefined,
      );
    },
  );
});
