/**
 * Test harness: a GCP sandbox with a GKE cluster whose node pool comes from the planner, created
 * through the official clients exactly as provisioning does, and Secret Manager secrets.
 */
import { OAuth2Client } from 'google-auth-library';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  SizingInputs,
  planEnvironment,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';

export const PROJECT = 'acme-ai-platform';
export const REGION = 'europe-west1';
export const ZONE = 'europe-west1-b';

/**
 * What the tests need from a sandbox cluster's Kubernetes half.
 *
 * @public
 */
export interface SandboxClusterServer {
  /** Makes pods misbehave: an image that cannot be pulled, slower pulls, starts and readiness. */
  behaviour: {
    missingImage(image: string | RegExp): () => void;
    durations(
      target: object,
      durations: {
        pullSeconds?: number;
        startSeconds?: number;
        readySeconds?: number;
      },
    ): () => void;
  };
  /** The cluster's objects of a kind, in a namespace or all namespaces. */
  objects(kind: string, namespace?: string): any[];
}

/**
 * Google clients that present a fixed token over REST, so every call reaches a listening
 * `GcpSandbox` (it intercepts `fetch`).
 *
 * @public
 */
export function testGoogleClients(): GoogleClients {
  // Look fetch up per call: msw replaces globalThis.fetch when the sandbox starts listening.
  const auth = new OAuth2Client({
    transporterOptions: {
      fetchImplementation: (input: any, init: any) => fetch(input, init),
    },
  } as any);
  auth.setCredentials({
    access_token: 'sandbox-token',
    expiry_date: Date.now() + 3600e3,
  });
  return new GoogleClients({ authClient: auth, transport: 'rest' });
}

/**
 * A sandbox whose long-running GCP operations take a simulated second.
 *
 * @public
 */
export async function startSandbox(timeScale = 0.5): Promise<GcpSandbox> {
  const sandbox = await GcpSandbox.create({
    timeScale,
    durations: {
      clusterCreate: 1,
      nodePoolCreate: 1,
      network: 1,
      subnetwork: 1,
    },
  });
  sandbox.listen();
  return sandbox;
}

/** Calls the Compute REST API (the sandbox answers it); cheaper to load than the Compute client. */
async function compute(path: string, body?: unknown): Promise<any> {
  const res = await fetch(
    `https://compute.googleapis.com/compute/v1/projects/${PROJECT}/${path}`,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer sandbox-token',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const json = await res.json();
  if (!res.ok)
    throw new Error(`compute ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitCompute(op: any, scope: string): Promise<void> {
  let current = op;
  for (let i = 0; i < 100 && current.status !== 'DONE'; i++) {
    current = await compute(`${scope}/operations/${op.name}/wait`, {});
  }
  if (current.error) throw new Error(JSON.stringify(current.error));
}

/**
 * The VPC every test cluster lives in (create once per sandbox).
 *
 * @public
 */
export async function createNetwork(): Promise<void> {
  await waitCompute(
    await compute('global/networks', {
      name: 'codemie-vpc',
      autoCreateSubnetworks: false,
    }),
    'global',
  );
  const subnet = await compute(`regions/${REGION}/subnetworks`, {
    name: 'codemie-subnet',
    network: `projects/${PROJECT}/global/networks/codemie-vpc`,
    ipCidrRange: '10.10.0.0/20',
    secondaryIpRanges: [
      { rangeName: 'pods', ipCidrRange: '10.20.0.0/14' },
      { rangeName: 'services', ipCidrRange: '10.30.0.0/20' },
    ],
  });
  await waitCompute(subnet, `regions/${REGION}`);
}

/**
 * The planner's node pool for a sizing (zonal cluster in `ZONE`).
 *
 * @public
 */
export function plannedNodePool(sizing: SizingInputs) {
  const plan = planEnvironment(
    validateEnvironmentInput({
      name: 'codemie-dev',
      projectId: PROJECT,
      region: REGION,
      option: 'public',
      allowedNetworks: ['203.0.113.0/24'],
      domain: 'codemie.example.com',
      regional: false,
      sizing,
    }),
  );
  return {
    machineType: plan.nodePool.machineType,
    nodes: plan.nodePool.minNodesPerZone,
  };
}

/**
 * Creates a zonal GKE cluster with one node pool and waits until it runs. Returns its name.
 *
 * @public
 */
export async function createCluster(
  sandbox: GcpSandbox,
  google: GoogleClients,
  name: string,
  pool: { machineType: string; nodes: number },
): Promise<{ cluster: string; server: SandboxClusterServer }> {
  const parent = `projects/${PROJECT}/locations/${ZONE}`;
  const [op] = await google.container().createCluster({
    parent,
    cluster: {
      name,
      network: 'codemie-vpc',
      subnetwork: 'codemie-subnet',
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
      },
      workloadIdentityConfig: { workloadPool: `${PROJECT}.svc.id.goog` },
      nodePools: [
        {
          name: 'main',
          initialNodeCount: pool.nodes,
          config: {
            machineType: pool.machineType,
            workloadMetadataConfig: { mode: 'GKE_METADATA' },
          },
        },
      ],
    },
  });
  let current = op;
  for (
    let i = 0;
    i < 500 && current.status !== 'DONE' && (current.status as any) !== 3;
    i++
  ) {
    await new Promise(r => setTimeout(r, 5));
    [current] = await google
      .container()
      .getOperation({ name: `${parent}/operations/${op.name}` });
  }
  if (current.error)
    throw new Error(
      `cluster creation failed: ${JSON.stringify(current.error)}`,
    );
  const cluster = `${parent}/clusters/${name}`;
  const record = sandbox.state.clusters.get(cluster) as any;
  return { cluster, server: record.server as SandboxClusterServer };
}

/**
 * A Secret Manager secret with one version.
 *
 * @public
 */
export async function createSecret(
  google: GoogleClients,
  id: string,
  value: string,
): Promise<void> {
  const [secret] = await google.secretManager().createSecret({
    parent: `projects/${PROJECT}`,
    secretId: id,
    secret: { replication: { automatic: {} } },
  });
  await google.secretManager().addSecretVersion({
    parent: secret.name!,
    payload: { data: Buffer.from(value) },
  });
}
