import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import codemiePlugin, {
  codemieCatalogModule,
  codemieScaffolderModule,
} from '@codemie-gcp/plugin-codemie-backend';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { repoRoot } from './repoRoot';

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

const common = {
  owner: 'group:default/platform-engineering',
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
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  const asUser = { Authorization: mockCredentials.user.header() };

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.05 });
    sandbox.listen();
    backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleScaffolderEntityModel,
        scaffolderPlugin,
        codemiePlugin,
        codemieScaffolderModule,
        codemieCatalogModule,
        mockServices.rootConfig.factory({
          data: {
            backend: {
              database: { client: 'better-sqlite3', connection: ':memory:' },
            },
            catalog: {
              rules: [
                {
                  allow: [
                    'Component',
                    'System',
                    'Resource',
                    'Location',
                    'Template',
                    'Group',
                  ],
                },
              ],
              processingInterval: { seconds: 1 },
              locations: [
                {
                  type: 'file',
                  target: path.join(repoRoot, 'catalog-info.yaml'),
                },
              ],
            },
            codemie: {
              sandbox: { enabled: true },
              gcp: {
                retry: {
                  baseDelayMillis: 1,
                  maxDelayMillis: 5,
                  pollMillis: 5,
                  maxPollMillis: 20,
                },
              },
              status: { cacheSeconds: 1, sampleInitialDelaySeconds: 3600 },
            },
          },
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.close();
  });

  const dryRun = (values: object) =>
    request(backend.server)
      .post('/api/scaffolder/v2/dry-run')
      .set(asUser)
      .send({ template, values, directoryContents: [] });

  // The production tier is the seed's table: API 2 × 4 CPU / 8Gi, Elasticsearch 2 × 4 CPU / 16Gi, 200 GB.
  const seedRows = [
    /Elasticsearch: 2 pod\(s\) × 4 CPU, 16Gi, 200Gi storage/,
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
    'dry-runs the %s option, %s tier, without a single cloud call',
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
      const planStep = res.body.steps.find((s: any) => s.id === 'plan');
      expect(planStep).toBeDefined();
      expect(
        messages.some(m =>
          /^plan .*node pool .* × \d+–\d+, about \$[\d.]+\/month/.test(m),
        ),
      ).toBe(true);
      expect(
        messages.some(
          m =>
            m.startsWith('provision') && m.includes('Dry run: would provision'),
        ),
      ).toBe(true);
      expect(messages.some(m => m.startsWith('deploy'))).toBe(true);
      for (const line of expectedLines) {
        expect({
          line: String(line),
          found: messages.some(m => line.test(m)),
        }).toEqual({ line: String(line), found: true });
      }
      expect(messages.join('\n')).toContain(
        option === 'private' ? 'bastion' : 'allow-internal',
      );
      expect(sandbox.journal.length).toBe(before);
    },
  );

  it('refuses invalid values with the field named, before any step runs', async () => {
    const res = await dryRun({
      ...publicValues,
      projectId: 'Not_A_Project',
      allowedNetworks: ['10.0.0.1/33'],
    });
    expect(res.status).toBe(400);
    const text = JSON.stringify(res.body.errors);
    expect(text).toContain('projectId');
    expect(text).toContain('allowedNetworks');
  });

  async function runTask(templateRef: string, values: object) {
    const created = await request(backend.server)
      .post('/api/scaffolder/v2/tasks')
      .set(asUser)
      .send({ templateRef, values });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const deadline = Date.now() + 200_000;
    for (;;) {
      const task = await request(backend.server)
        .get(`/api/scaffolder/v2/tasks/${id}`)
        .set(asUser);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(backend.server)
          .get(`/api/scaffolder/v2/tasks/${id}/events`)
          .set(asUser);
        return {
          task: task.body,
          log: (events.body as any[])
            .map(e => e.body?.message ?? '')
            .join('\n'),
        };
      }
      if (Date.now() > deadline)
        throw new Error(`task ${id} still ${task.body.status}`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async function waitFor<T>(
    what: string,
    read: () => Promise<T | undefined>,
  ): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('creates a private environment end to end, registers it, reports it healthy; a second run changes nothing; destroy removes it all', async () => {
    await waitFor('the template in the catalog', async () => {
      const res = await request(backend.server)
        .get(
          '/api/catalog/entities/by-name/template/default/create-codemie-environment',
        )
        .set(asUser);
      return res.status === 200 ? true : undefined;
    });
    const { task, log } = await runTask(
      'template:default/create-codemie-environment',
      privateValues,
    );
    expect({
      status: task.status,
      log: task.status === 'completed' ? '' : log,
    }).toEqual({ status: 'completed', log: '' });

    const entity = await waitFor('the environment entity', async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/resource/default/codemie-priv')
        .set(asUser);
      return res.status === 200 ? res.body : undefined;
    });
    expect(entity.spec).toMatchObject({
      type: 'codemie-environment',
      owner: 'group:default/platform-engineering',
    });
    expect(entity.metadata.annotations['codemie.ai/gke-cluster']).toBe(
      'projects/acme-ai-platform/locations/europe-west1/clusters/codemie-priv-gke',
    );

    const status = await request(backend.server)
      .get('/api/codemie/v1/entities/resource/default/codemie-priv/status')
      .set(asUser);
    expect(status.status).toBe(200);
    const unhealthy = status.body.components.filter(
      (c: any) => c.enabled && c.health !== 'ok' && c.id !== 'postgresql',
    );
    expect(
      unhealthy.map((c: any) => `${c.id}: ${c.reasons.join('; ')}`),
    ).toEqual([]);

    // Running the same template again: no Google Cloud change, no Kubernetes object change.
    const mutatingBefore = sandbox.journal.mutating().length;
    const again = await runTask(
      'template:default/create-codemie-environment',
      privateValues,
    );
    expect(again.task.status).toBe('completed');
    const changes = sandbox.journal
      .mutating()
      .slice(mutatingBefore)
      .filter(
        e =>
          !(
            e.service === 'kubernetes' &&
            e.method === 'PATCH' &&
            e.status === 200
          ),
      );
    expect(changes.map(e => `${e.service} ${e.method} ${e.path}`)).toEqual([]);

    await waitFor('the destroy template in the catalog', async () => {
      const res = await request(backend.server)
        .get(
          '/api/catalog/entities/by-name/template/default/destroy-codemie-environment',
        )
        .set(asUser);
      return res.status === 200 ? true : undefined;
    });
    const destroyValues = {
      environment: 'resource:default/codemie-priv',
      projectId: 'acme-ai-platform',
      confirmName: 'codemie-priv',
    };
    const destroyed = await runTask(
      'template:default/destroy-codemie-environment',
      destroyValues,
    );
    expect(destroyed.task.status).toBe('completed');
    // Google keeps the private services peering for days after the Cloud SQL instance is
    // deleted: the first run removes everything else; a run after that finishes.
    expect(
      sandbox
        .resourcesLabelled(
          'acme-ai-platform',
          'codemie-environment',
          'codemie-priv',
        )
        .map(r => r.name),
    ).toEqual([
      'projects/acme-ai-platform/global/addresses/codemie-priv-psa-range',
    ]);
    sandbox.clock.advance(4 * 24 * 3600);
    const finished = await runTask(
      'template:default/destroy-codemie-environment',
      destroyValues,
    );
    expect(finished.task.status).toBe('completed');
    expect(
      sandbox.resourcesLabelled(
        'acme-ai-platform',
        'codemie-environment',
        'codemie-priv',
      ),
    ).toEqual([]);
    await waitFor('the entity to disappear', async () => {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-name/resource/default/codemie-priv')
        .set(asUser);
      return res.status === 404 ? true : undefined;
    });
  });
});
