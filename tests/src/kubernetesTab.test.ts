/**
 * The Kubernetes tab of the local portal: Backstage's Kubernetes plugin, configured as
 * app-config.yaml configures it, with the CodeMie cluster supplier, in the portal's backend with
 * its sandbox demo. What the tab asks for (`POST /api/kubernetes/services/<entity>`) answers
 * with the demo environment's pods from its own sandbox GKE cluster, without errors; the
 * Kubernetes proxy, which would use the portal's own cluster credentials, is closed.
 */
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import kubernetesModuleCodemieClusters from '@codemie-gcp/plugin-kubernetes-backend-module-codemie';
import { kubernetesBackendUnderJest } from '@codemie-gcp/plugin-kubernetes-backend-module-codemie/testUtils';
import { Portal, databaseConfig, startPortal } from './__testUtils__/portal';
import { repoRoot } from './__testUtils__/repoRoot';

kubernetesBackendUnderJest();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kubernetesPlugin =
  require('@backstage/plugin-kubernetes-backend').default;

jest.setTimeout(180_000);

const GUEST = 'user:development/guest';
const DEMO = 'resource:codemie-sandbox/codemie-demo';

describe('the Kubernetes tab of the local portal', () => {
  let portal: Portal;

  beforeAll(async () => {
    const appConfig = parse(
      fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
    );
    portal = await startPortal({
      database: databaseConfig('sqlite', 'kubernetestab'),
      sandboxDemo: true,
      features: [kubernetesPlugin, kubernetesModuleCodemieClusters],
      kubernetes: appConfig.kubernetes,
    });
  });

  afterAll(async () => {
    await portal?.stop();
  });

  it('shows the demo environment’s pods from its own cluster, the restarting one among them', async () => {
    const entity = await portal.waitFor('the demo entity', async () => {
      const res = await portal.entity(DEMO, GUEST);
      return res.status === 200 ? res.body : undefined;
    });

    const res = await request(portal.server)
      .post('/api/kubernetes/services/codemie-demo')
      .set(Portal.as(GUEST))
      .send({ entity });

    expect(res.status).toBe(200);
    expect(res.body.items.map((i: any) => i.cluster.name)).toEqual([
      'codemie-sandbox/codemie-demo',
    ]);
    const [item] = res.body.items;
    expect(item.errors).toEqual([]);
    const pods = item.resources.find((r: any) => r.type === 'pods').resources;
    const components = new Set(
      pods.map((p: any) => p.metadata.labels['app.kubernetes.io/component']),
    );
    for (const component of ['codemie-api', 'keycloak', 'elasticsearch']) {
      expect(components).toContain(component);
    }
    const mcp = pods.find((p: any) =>
      p.metadata.name.startsWith('codemie-mcp-connect'),
    );
    expect(mcp.status.containerStatuses[0].restartCount).toBeGreaterThan(0);
    // The trial environment's pods live on another cluster and never show here.
    expect(
      pods.every((p: any) =>
        Object.values(p.metadata.labels).every(v => v !== 'codemie-trial'),
      ),
    ).toBe(true);
  });

  it('refuses the Kubernetes proxy', async () => {
    const res = await request(portal.server)
      .get('/api/kubernetes/proxy/api/v1/namespaces/codemie/secrets')
      .set(Portal.as(GUEST))
      .set('Backstage-Kubernetes-Cluster', 'codemie-sandbox/codemie-demo');

    expect(res.status).toBe(403);
  });
});
