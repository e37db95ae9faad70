import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InputError, NotAllowedError } from '@backstage/errors';
import { TestDatabases } from '@backstage/backend-test-utils';
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { SIZING_PRESETS } from '@codemie-gcp/plugin-codemie-common';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { recordProvisioned } from './__testUtils__/deployRecord';
import {
  SandboxClusterServer,
  createCluster,
  createNetwork,
  createSecret,
  plannedNodePool,
  startSandbox,
  testGoogleClients,
} from '../deploy/__testUtils__/sandbox';
import { createCodemieDeployAction } from './codemieDeploy';
import {
  changed,
  context,
  secretValuesIn,
  snapshot,
} from '../deploy/__testUtils__/actionContext';

const CODEMIE_DB_PASSWORD = 'pg-codemie-Zq81xLw0';
const LITELLM_DB_PASSWORD = 'pg-litellm-Mm27kPe4';

jest.setTimeout(60_000);

describe('codemie:deploy', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let store: CodemieStore;
  let production: { cluster: string; server: SandboxClusterServer };

  const action = (
    extra: Partial<Parameters<typeof createCodemieDeployAction>[0]> = {},
    services: Parameters<typeof actionServices>[1] = {},
  ) =>
    createCodemieDeployAction({
      google,
      ...actionServices(store, services),
      pollIntervalMs: 10,
      ...extra,
    });

  beforeAll(async () => {
    store = await testStore(await databases.init('SQLITE_3'));
    sandbox = await startSandbox(0.5);
    google = testGoogleClients();
    await createNetwork();
    await createSecret(
      google,
      'codemie-dev-codemie-db-password',
      CODEMIE_DB_PASSWORD,
    );
    // Keycloak's database is the Cloud SQL `keycloak` database: its password is a secret too.
    await createSecret(
      google,
      'codemie-dev-keycloak-db-password',
      'pg-keycloak-password-7c1e',
    );
    await createSecret(
      google,
      'codemie-dev-litellm-db-password',
      LITELLM_DB_PASSWORD,
    );
    production = await createCluster(
      sandbox,
      google,
      'codemie-dev-gke',
      plannedNodePool(SIZING_PRESETS.production),
    );
    // Loading the Google clients' protos takes a few seconds under jest.
  }, 20_000);

  afterAll(async () => {
    await sandbox?.close();
    await google?.close();
  });

  /** The record of a provisioned environment on `cluster`, and the deploy's input for it. */
  async function inputFor(
    cluster: string,
    overrides: Record<string, unknown> = {},
    record: Parameters<typeof recordProvisioned>[2] = {},
  ) {
    const { environment, options } = await recordProvisioned(
      store,
      { cluster, timeoutSeconds: 60, ...overrides },
      record,
    );
    return { environment, ...options };
  }

  it('rejects invalid options and any environment setting, naming every field, before contacting anything', async () => {
    const calls = sandbox.journal.length;
    const { environment } = await inputFor(production.cluster);
    const { ctx } = context({
      environment,
      cluster: 'projects/someone-else/locations/us-east1/clusters/theirs',
      database: {
        secrets: { codemie: 'projects/other/secrets/their-password' },
      },
      images: { 'codemie-apii': 'x:1' },
      apiEnv: { 'NOT-A-NAME': 'x' },
      timeoutSeconds: 0,
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    for (const field of [
      'cluster',
      'database',
      'images.codemie-apii',
      'apiEnv.NOT-A-NAME',
      'timeoutSeconds',
    ]) {
      expect(error.message).toContain(`${field}:`);
    }
    expect(error.message).toContain('come from its record');
    expect(sandbox.journal.length).toBe(calls);
  });

  it('refuses a re-deploy by someone who does not own the environment, with 0 calls', async () => {
    const calls = sandbox.journal.length;
    const { environment } = await inputFor(
      production.cluster,
      {},
      {
        taskId: 'the-create-task',
        state: 'ready',
        owner: 'group:default/data-team',
      },
    );
    const error = await action()
      .handler(context({ environment }).ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain(
      'may not deploy to resource:acme-ai-platform/codemie-dev (codemie.environment.update): it is owned by group:default/data-team',
    );
    expect(sandbox.journal.length).toBe(calls);
  });

  it('dry run: renders, summarises and writes manifests without contacting the cluster or Secret Manager', async () => {
    const workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'codemie-deploy-'),
    );
    const calls = sandbox.journal.length;
    const { ctx, outputs, lines } = context(
      await inputFor(production.cluster, { writeManifests: true }),
      {
        isDryRun: true,
        workspacePath,
      },
    );
    await action().handler(ctx);
    expect(sandbox.journal.length).toBe(calls);
    const out = outputs();
    const es = out.summary.components.find(
      (c: any) => c.id === 'elasticsearch',
    );
    expect(es).toMatchObject({
      pods: 2,
      requests: { cpuMillis: 8000, memoryMiB: 32768 },
      storageGiB: 400,
    });
    expect(out.summary.totalRequests.cpu).toBe('23800m');
    expect(out.components).toContainEqual({
      id: 'codemie-api',
      ready: 0,
      expected: 2,
    });
    expect(lines.join('\n')).toMatch(
      /\[dry run\] elasticsearch: \d+ objects \(.*1 StatefulSet.*\); 2 pod\(s\) requesting 8000m CPU, 32768Mi/,
    );
    expect(out.manifests).toContain('manifests/elasticsearch.yaml');
    const yaml = await fs.readFile(
      path.join(workspacePath, 'manifests/codemie-api.yaml'),
      'utf8',
    );
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('name: codemie-postgresql');
    expect(yaml).not.toMatch(/^data:/m);
    await fs.rm(workspacePath, { recursive: true, force: true });
  });

  it('deploys the production tier until every component is ready, logging progress per component and no secret', async () => {
    const { ctx, lines, outputs } = context(await inputFor(production.cluster));
    await action().handler(ctx);
    const out = outputs();
    expect(out.components.length).toBe(13);
    for (const c of out.components)
      expect({ id: c.id, ready: c.ready }).toEqual({
        id: c.id,
        ready: c.expected,
      });
    expect(out.components).toContainEqual({
      id: 'elasticsearch',
      ready: 2,
      expected: 2,
    });
    expect(out.ingressHosts).toEqual([
      'codemie.codemie.example.com',
      'keycloak.codemie.example.com',
      'kibana.codemie.example.com',
    ]);
    const log = lines.join('\n');
    // Progress per component, logged when it changes (once here: the pods became ready while
    // the sandbox was still answering the apply).
    for (const c of out.components) {
      expect(
        lines.filter(l => l.endsWith(`${c.id} ${c.ready}/${c.expected} ready`)),
      ).toHaveLength(1);
    }
    expect(log).toContain('elasticsearch 2/2 ready');
    expect(log).toMatch(
      /Applied \d+ objects with server-side apply \(field manager codemie-backstage\)/,
    );

    // The pods got what the tier sized, on the planner's node pool.
    const es = production.server
      .objects('Pod', 'elastic')
      .filter(p => p.metadata.name.startsWith('elasticsearch-master-'));
    expect(es.map(p => p.spec.containers[0].resources.requests)).toEqual([
      { cpu: '4', memory: '16Gi' },
      { cpu: '4', memory: '16Gi' },
    ]);
    expect(new Set(es.map(p => p.spec.nodeName)).size).toBe(2);
    const pvcs = production.server.objects('PersistentVolumeClaim', 'elastic');
    expect(
      pvcs.map(p => [
        p.metadata.name,
        p.spec.resources.requests.storage,
        p.spec.storageClassName,
      ]),
    ).toEqual([
      ['data-elasticsearch-master-0', '200Gi', 'codemie-pd-balanced'],
      ['data-elasticsearch-master-1', '200Gi', 'codemie-pd-balanced'],
    ]);

    // Secrets: the database passwords came from Secret Manager; no secret value reached the log.
    const pg = production.server
      .objects('Secret', 'codemie')
      .find(s => s.metadata.name === 'codemie-postgresql');
    expect(Buffer.from(pg.data.PG_PASS, 'base64').toString()).toBe(
      CODEMIE_DB_PASSWORD,
    );
    const secrets = secretValuesIn(production.server);
    expect(secrets).toContain(CODEMIE_DB_PASSWORD);
    // LiteLLM's password is inside its database URL.
    expect(
      secrets.some(v =>
        v.includes(`:${LITELLM_DB_PASSWORD}@10.40.0.3:5432/litellm`),
      ),
    ).toBe(true);
    expect(secrets.length).toBeGreaterThan(10);
    const everything = `${log}\n${JSON.stringify(out)}`;
    for (const value of [
      ...secrets,
      CODEMIE_DB_PASSWORD,
      LITELLM_DB_PASSWORD,
    ]) {
      expect(everything.includes(value)).toBe(false);
      // Nor a recognisable piece of one (e.g. a line of the TLS key).
      for (const piece of value
        .split('\n')
        .filter(p => p.length >= 16 && !p.startsWith('-----'))) {
        expect(everything.includes(piece)).toBe(false);
      }
    }
  });

  it('re-running with the same inputs changes nothing in the cluster', async () => {
    const before = snapshot(production.server);
    expect(before.size).toBeGreaterThan(80);
    const secretsBefore = secretValuesIn(production.server);
    const { ctx, outputs } = context(await inputFor(production.cluster));
    await action().handler(ctx);
    expect(outputs().components.every((c: any) => c.ready === c.expected)).toBe(
      true,
    );
    expect(changed(before, snapshot(production.server))).toEqual([]);
    // Generated credentials were read back, not regenerated.
    expect(secretValuesIn(production.server)).toEqual(secretsBefore);
  });

  it('changing the tier changes only the affected objects (more log retention: bigger Elasticsearch volumes)', async () => {
    const before = snapshot(production.server);
    const { ctx, lines } = context(
      await inputFor(production.cluster, {
        sizing: { ...SIZING_PRESETS.production, logRetentionDays: 60 },
      }),
    );
    await action().handler(ctx);
    expect(changed(before, snapshot(production.server))).toEqual([
      'PersistentVolumeClaim/elastic/data-elasticsearch-master-0',
      'PersistentVolumeClaim/elastic/data-elasticsearch-master-1',
    ]);
    const pvcs = production.server.objects('PersistentVolumeClaim', 'elastic');
    expect(pvcs.map(p => p.spec.resources.requests.storage)).toEqual([
      '270Gi',
      '270Gi',
    ]);
    expect(lines.join('\n')).toContain(
      'PersistentVolumeClaim elastic/data-elasticsearch-master-0 grown from 200Gi to 270Gi',
    );
  });
});
