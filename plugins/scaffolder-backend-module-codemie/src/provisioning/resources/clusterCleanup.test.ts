import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  SIZING_PRESETS,
  planEnvironment,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  GoogleClients,
  ClusterConnector,
} from '@codemie-gcp/plugin-codemie-node';
import { TestDatabases } from '@backstage/backend-test-utils';
import { actionServices, testStore } from '../../__testUtils__/actionServices';
import { recordProvisioned } from '../../actions/__testUtils__/deployRecord';
import { context } from '../../deploy/__testUtils__/actionContext';
import {
  createCluster,
  createNetwork,
  createSecret,
  plannedNodePool,
  startSandbox,
  testGoogleClients,
} from '../../deploy/__testUtils__/sandbox';
import { createCodemieDeployAction } from '../../actions/codemieDeploy';
import { DEFAULT_CLUSTER_ACCESS, ProvisionContext } from '../ProvisionContext';
import { releaseKubernetesCloudResources } from './clusterCleanup';

jest.setTimeout(90_000);

/**
 * Deleting a GKE cluster leaves the forwarding rules and firewall rules of LoadBalancer
 * Services and the disks of Retain volumes behind: destroy releases them first.
 */
describe('releasing what Kubernetes created before the cluster is deleted', () => {
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  const plan = planEnvironment(
    validateEnvironmentInput({
      name: 'codemie-dev',
      projectId: 'acme-ai-platform',
      region: 'europe-west1',
      option: 'public',
      allowedNetworks: ['203.0.113.0/24'],
      domain: 'codemie.example.com',
      sizing: SIZING_PRESETS.small,
    }),
  );
  const provisionContext = (logs: string[]): ProvisionContext => ({
    plan,
    google,
    log: m => logs.push(m),
    policy: {
      attempts: 3,
      baseDelayMillis: 1,
      maxDelayMillis: 5,
      pollMillis: 10,
      maxPollMillis: 50,
    },
    outputs: new Map(),
    placement: { zones: ['europe-west1-b'], clusterLocation: 'europe-west1' },
    access: DEFAULT_CLUSTER_ACCESS,
  });

  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });

  beforeAll(async () => {
    sandbox = await startSandbox(0.5);
    google = testGoogleClients();
    await createNetwork();
    await createSecret(google, 'codemie-dev-codemie-db-password', 'pw-1');
    await createSecret(google, 'codemie-dev-litellm-db-password', 'pw-2');
    await createSecret(google, 'codemie-dev-keycloak-db-password', 'pw-3');
  }, 30_000);
  afterAll(async () => {
    await sandbox?.close();
    await google?.close();
  });

  it('deletes the load balancer Services and every claim, its Retain disks reclaimed, before the cluster goes', async () => {
    const { cluster } = await createCluster(
      sandbox,
      google,
      'codemie-dev-gke',
      plannedNodePool(SIZING_PRESETS.small),
    );
    const store = await testStore(await databases.init('SQLITE_3'));
    const { environment, options } = await recordProvisioned(store, {
      cluster,
      sizing: SIZING_PRESETS.small,
      timeoutSeconds: 60,
    });
    const { ctx } = context({ environment, ...options });
    await createCodemieDeployAction({
      google,
      ...actionServices(store),
      pollIntervalMs: 10,
    }).handler(ctx as any);
    const kc = await new ClusterConnector(google).kubeConfig(cluster);
    const core = kc.makeApiClient(CoreV1Api);
    const loadBalancers = async () =>
      (await core.listServiceForAllNamespaces()).items.filter(
        s => s.spec?.type === 'LoadBalancer',
      );
    expect((await loadBalancers()).length).toBeGreaterThan(0);
    const volumes = (await core.listPersistentVolume()).items;
    expect(volumes.map(v => v.spec?.persistentVolumeReclaimPolicy)).toContain(
      'Retain',
    );

    const logs: string[] = [];
    await releaseKubernetesCloudResources(provisionContext(logs), cluster);
    expect(await loadBalancers()).toEqual([]);
    expect(
      (await core.listPersistentVolumeClaimForAllNamespaces()).items,
    ).toEqual([]);
    expect((await core.listPersistentVolume()).items).toEqual([]);
    expect(logs.join('\n')).toMatch(
      /deleting \d+ load balancer Service\(s\) and \d+ volume claim\(s\)/,
    );
  });

  it('says what will be left, and what it costs, when the cluster cannot be reached', async () => {
    const logs: string[] = [];
    await releaseKubernetesCloudResources(
      provisionContext(logs),
      'projects/acme-ai-platform/locations/europe-west1/clusters/missing-gke',
    );
    expect(logs.join('\n')).toMatch(
      /cannot reach its Kubernetes API .* k8s-fw-\* firewall rules .* Retain disks of its volumes \(elasticsearch \d+×\d+ GiB.*about \$\d+\.\d\d\/month\)/,
    );
  });
});
