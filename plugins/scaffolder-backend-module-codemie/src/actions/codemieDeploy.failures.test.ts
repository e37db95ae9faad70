import { TestDatabases } from '@backstage/backend-test-utils';
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { SIZING_PRESETS } from '@codemie-gcp/plugin-codemie-common';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { context } from '../deploy/__testUtils__/actionContext';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { recordProvisioned } from './__testUtils__/deployRecord';
import {
  createCluster,
  createNetwork,
  createSecret,
  plannedNodePool,
  startSandbox,
  testGoogleClients,
} from '../deploy/__testUtils__/sandbox';
import { createCodemieDeployAction } from './codemieDeploy';

jest.setTimeout(60_000);

describe('codemie:deploy failures', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  let store: CodemieStore;

  async function inputFor(overrides: Record<string, unknown>) {
    const { environment, options } = await recordProvisioned(store, overrides);
    return { environment, ...options };
  }

  // A definitive problem fails the action after 0.3 s instead of the 60 s timeout.
  const action = () =>
    createCodemieDeployAction({
      google,
      ...actionServices(store),
      pollIntervalMs: 10,
      failFastSeconds: 0.3,
    });

  beforeAll(async () => {
    store = await testStore(await databases.init('SQLITE_3'));
    sandbox = await startSandbox(0.5);
    google = testGoogleClients();
    await createNetwork();
    await createSecret(
      google,
      'codemie-dev-codemie-db-password',
      'pg-codemie-password',
    );
    // Keycloak's database is the Cloud SQL `keycloak` database: its password is a secret too.
    await createSecret(
      google,
      'codemie-dev-keycloak-db-password',
      'pg-keycloak-password',
    );
    await createSecret(
      google,
      'codemie-dev-litellm-db-password',
      'pg-litellm-password',
    );
  }, 20_000);

  afterAll(async () => {
    await sandbox?.close();
    await google?.close();
  });

  it('fails on an undersized node pool, naming the Pending pods and the shortfall', async () => {
    const planned = plannedNodePool(SIZING_PRESETS.production);
    const small = await createCluster(sandbox, google, 'codemie-small-gke', {
      ...planned,
      nodes: 1,
    });
    const { ctx, lines, outputs } = context(
      await inputFor({ cluster: small.cluster, timeoutSeconds: 60 }),
    );
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toMatch(
      /cannot become ready \(a problem has persisted for \d+ s\): \d+ of 13 components not ready/,
    );
    // One node cannot hold the tier: Elasticsearch's pods are named with the scheduler's reason.
    expect(error.message).toMatch(
      /\nelasticsearch [01]\/2 ready:\n {2}elastic\/elasticsearch-master-\d Unschedulable: 0\/1 nodes are available: [^\n]*Insufficient/,
    );
    expect(error.message).toMatch(
      /Shortfall: requests 4 CPU, 16Gi memory; most free on any of 1 node\(s\): \d+m CPU, \d+Mi memory; short by [^\n]*memory/,
    );
    // Progress was logged as it changed, and the output says what is ready.
    expect(lines.join('\n')).toMatch(/elasticsearch [01]\/2 ready/);
    // The record says the deploy failed and why; its inputs are as planned.
    expect(
      await store.getEnvironment('acme-ai-platform/codemie-dev'),
    ).toMatchObject({
      state: 'failed',
      lastError: expect.stringMatching(/^deploy: .*cannot become ready/),
    });
    const es = outputs().components.find((c: any) => c.id === 'elasticsearch');
    expect(es.expected).toBe(2);
    expect(es.ready).toBeLessThan(2);
  });

  it('fails naming an image that cannot be pulled, and only that component', async () => {
    const other = await createCluster(
      sandbox,
      google,
      'codemie-img-gke',
      plannedNodePool(SIZING_PRESETS.production),
    );
    const image =
      'europe-west3-docker.pkg.dev/epam-test/prod/mermaid-server:9.9.9-missing';
    other.server.behaviour.missingImage('9.9.9-missing');
    const { ctx } = context(
      await inputFor({
        cluster: other.cluster,
        timeoutSeconds: 60,
        images: {
          registry: 'europe-west3-docker.pkg.dev/epam-test/prod',
          version: '1.2.3',
          'mermaid-server': image,
        },
      }),
    );
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.message).toMatch(/1 of 13 components not ready/);
    expect(error.message).toMatch(
      /\nmermaid-server 0\/1 ready:\n {2}codemie\/mermaid-server-[a-z0-9]+-[a-z0-9]+ (ImagePullBackOff|ErrImagePull): container mermaid-server cannot pull image /,
    );
    expect(error.message).toContain(image);
  });
});
