/**
 * Test helpers: a CodeMie environment in the GCP sandbox, made the way production makes one —
 * VPC through Compute, cluster through the GKE API, Cloud SQL through the SQL Admin API — then
 * its workloads seeded into the cluster's Kubernetes API, labelled as the deploy action labels
 * them.
 */
import { ClusterManagerClient, protos } from '@google-cloud/container';
import {
  NetworksClient,
  SubnetworksClient,
  RegionOperationsClient,
  GlobalOperationsClient,
} from '@google-cloud/compute';
import { SqlInstancesServiceClient } from '@google-cloud/sql';
import { OAuth2Client } from 'google-auth-library';
import { Entity } from '@backstage/catalog-model';
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
  SizedWorkload,
  SizingPresetName,
  TierSizing,
  formatCpuQuantity,
  formatMemoryQuantity,
  formatStorageQuantity,
  sizePreset,
} from '@codemie-gcp/plugin-codemie-common';

export const PROJECT = 'codemie-status-test';
export const REGION = 'europe-west3';
export const ZONE = `${REGION}-a`;

/** The token GoogleClients presents in sandbox mode. */
export const SANDBOX_TOKEN = 'sandbox-access-token';

function authClient(token = SANDBOX_TOKEN): any {
  const auth = new OAuth2Client({
    transporterOptions: {
      fetchImplementation: (input: any, init: any) => fetch(input, init),
    },
  } as any);
  auth.setCredentials({
    access_token: token,
    expiry_date: Date.now() + 3600e3,
  });
  return auth;
}

async function waitCompute(op: any, region?: string) {
  const auth = authClient();
  let current = op.latestResponse ?? op;
  for (let i = 0; i < 50 && current.status !== 'DONE'; i++) {
    [current] = region
      ? await new RegionOperationsClient({ authClient: auth }).wait({
          project: PROJECT,
          region,
          operation: current.name,
        })
      : await new GlobalOperationsClient({ authClient: auth }).wait({
          project: PROJECT,
          operation: current.name,
        });
  }
  if (current.error) throw new Error(JSON.stringify(current.error));
}

/**
 * The VPC every test cluster lives in (once per sandbox).
 *
 * @public
 */
export async function createNetwork(): Promise<void> {
  const auth = authClient();
  const [netOp] = await new NetworksClient({ authClient: auth }).insert({
    project: PROJECT,
    networkResource: {
      name: 'codemie-cluster-network',
      autoCreateSubnetworks: false,
    },
  });
  await waitCompute(netOp);
  const [subOp] = await new SubnetworksClient({ authClient: auth }).insert({
    project: PROJECT,
    region: REGION,
    subnetworkResource: {
      name: 'codemie-cluster-subnet',
      network: `projects/${PROJECT}/global/networks/codemie-cluster-network`,
      ipCidrRange: '10.10.0.0/20',
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.20.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.30.0.0/20' },
      ],
    },
  });
  await waitCompute(subOp, REGION);
}

/**
 * The Kubernetes half of a sandbox cluster (what tests steer).
 *
 * @public
 */
export interface SandboxKubernetes {
  /** The API server's URL. */
  endpoint: string;
  /** Makes pods misbehave: crash loops, OOM kills, missing images, usage and volume fill. */
  behaviour: {
    crashLoop(target: object, options?: object): () => void;
    oomKill(target: object, options?: object): () => void;
    missingImage(image: string | RegExp): () => void;
    usage(target: object, usage: { cpu?: number; memory?: number }): () => void;
    volumeUsage(
      target: { namespace?: string; pvcName?: string },
      fraction: number,
    ): () => void;
  };
  /** Applies `objects` as a running demo installation and reports how many pods became ready. */
  seedDemo(options: {
    objects: object[];
    crashLoop?: object | object[];
    readyAgoSeconds?: number;
  }): {
    applied: number;
    pods: number;
    ready: number;
    pending: string[];
  };
  /** Stops the API server. */
  stop(): Promise<void>;
}

export const clusterName = (name: string) =>
  `projects/${PROJECT}/locations/${ZONE}/clusters/${name}`;

/**
 * Creates a zonal cluster through the GKE API and waits until it runs.
 *
 * @public
 */
export async function createCluster(
  sandbox: GcpSandbox,
  name: string,
  pool: { machineType?: string; nodes?: number; maxNodes?: number } = {},
): Promise<SandboxKubernetes> {
  const client = new ClusterManagerClient({
    fallback: true,
    authClient: authClient(),
  });
  const nodes = pool.nodes ?? 2;
  const [op] = await client.createCluster({
    parent: `projects/${PROJECT}/locations/${ZONE}`,
    cluster: {
      name,
      network: 'codemie-cluster-network',
      subnetwork: 'codemie-cluster-subnet',
      ipAllocationPolicy: {
        useIpAliases: true,
        clusterSecondaryRangeName: 'pods',
        servicesSecondaryRangeName: 'services',
      },
      nodePools: [
        {
          name: 'codemie-pool',
          initialNodeCount: nodes,
          config: { machineType: pool.machineType ?? 'e2-standard-8' },
          autoscaling: {
            enabled: true,
            minNodeCount: nodes,
            maxNodeCount: pool.maxNodes ?? nodes + 2,
          },
        },
      ],
    },
  });
  const Done = protos.google.container.v1.Operation.Status.DONE;
  let current = op;
  for (
    let i = 0;
    i < 500 && current.status !== 'DONE' && current.status !== Done;
    i++
  ) {
    await new Promise(r => setTimeout(r, 10));
    [current] = await client.getOperation({
      name: `projects/${PROJECT}/locations/${ZONE}/operations/${op.name}`,
    });
  }
  if (current.error)
    throw new Error(`cluster ${name}: ${JSON.stringify(current.error)}`);
  const record = sandbox.state.clusters.get(clusterName(name));
  if (!record?.server)
    throw new Error(`cluster ${name} has no Kubernetes API server`);
  return record.server as unknown as SandboxKubernetes;
}

/** Creates the environment's Cloud SQL instance and waits until it is RUNNABLE. */
export async function createCloudSql(
  name: string,
  diskGiB: number,
): Promise<string> {
  const client = new SqlInstancesServiceClient({
    fallback: true,
    authClient: authClient(),
  });
  await client.insert({
    project: PROJECT,
    body: {
      name,
      region: REGION,
      databaseVersion: 'POSTGRES_16',
      settings: {
        tier: 'db-custom-1-3840',
        dataDiskSizeGb: { value: diskGiB },
        ipConfiguration: { ipv4Enabled: { value: true } },
      },
    },
  });
  for (let i = 0; i < 500; i++) {
    const [instance] = await client.get({ project: PROJECT, instance: name });
    if (instance.state === 'RUNNABLE') break;
    await new Promise(r => setTimeout(r, 10));
  }
  return `${PROJECT}:${REGION}:${name}`;
}

const IMAGES: Record<string, string> = {
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0',
  kibana: 'docker.elastic.co/kibana/kibana:8.19.0',
  keycloak: 'quay.io/keycloak/keycloak:26.0',
  'keycloak-db': 'docker.io/bitnami/postgresql:16',
  'fluent-bit': 'cr.fluentbit.io/fluent/fluent-bit:3.2',
  'llm-proxy': 'ghcr.io/berriai/litellm-database:v1.110.4',
};

/**
 * The environment's workloads as the deploy action renders them (until its renderer lands):
 * one Deployment/StatefulSet/DaemonSet per sized workload, requests and limits from the tier,
 * Elasticsearch and Keycloak's database with volume claim templates, replicas spread.
 *
 * @public
 */
export function renderWorkloads(
  sizing: TierSizing,
  environment: string,
  options: { image?: (id: string) => string | undefined } = {},
): object[] {
  const objects: object[] = [];
  const render = (w: SizedWorkload) => {
    const labels = {
      'app.kubernetes.io/part-of': 'codemie',
      'app.kubernetes.io/component': w.id,
      'app.kubernetes.io/name': w.id,
      'codemie.ai/environment': environment,
      'backstage.io/kubernetes-id': environment,
    };
    const selector = {
      'app.kubernetes.io/component': w.id,
      'codemie.ai/environment': environment,
    };
    const container = {
      name: w.id,
      image:
        options.image?.(w.id) ??
        IMAGES[w.id] ??
        `europe-west3-docker.pkg.dev/epam/prod/${w.id}:2.4.0`,
      resources: {
        requests: {
          cpu: formatCpuQuantity(w.requests.cpuMillis),
          memory: formatMemoryQuantity(w.requests.memoryMiB),
        },
        limits: {
          cpu: formatCpuQuantity(w.limits.cpuMillis),
          memory: formatMemoryQuantity(w.limits.memoryMiB),
        },
      },
      ...(w.storageGiBPerPod > 0
        ? { volumeMounts: [{ name: 'data', mountPath: '/data' }] }
        : {}),
    };
    const podSpec = {
      containers: [container],
      ...(w.spreadReplicas
        ? {
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  {
                    labelSelector: { matchLabels: selector },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                ],
              },
            },
          }
        : {}),
    };
    const metadata = { name: w.id, namespace: w.namespace, labels };
    const template = { metadata: { labels }, spec: podSpec };
    if (w.kind === 'DaemonSet') {
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata,
        spec: { selector: { matchLabels: selector }, template },
      });
    } else if (w.kind === 'StatefulSet') {
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata,
        spec: {
          replicas: w.replicas,
          serviceName: metadata.name,
          podManagementPolicy: 'Parallel',
          selector: { matchLabels: selector },
          template,
          ...(w.storageGiBPerPod > 0
            ? {
                volumeClaimTemplates: [
                  {
                    metadata: { name: 'data' },
                    spec: {
                      accessModes: ['ReadWriteOnce'],
                      resources: {
                        requests: {
                          storage: formatStorageQuantity(w.storageGiBPerPod),
                        },
                      },
                    },
                  },
                ],
              }
            : {}),
        },
      });
    } else {
      objects.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata,
        spec: {
          replicas: w.replicas,
          selector: { matchLabels: selector },
          template,
        },
      });
    }
  };
  [...sizing.daemonSets, ...sizing.workloads].forEach(render);
  return objects;
}

/**
 * The catalog entity of an environment.
 *
 * @public
 */
export function environmentEntity(
  name: string,
  options: {
    tier?: SizingPresetName;
    cluster?: string;
    cloudSql?: string;
    option?: 'public' | 'private';
    domain?: string;
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        [CODEMIE_ANNOTATIONS.gcpProject]: PROJECT,
        [CODEMIE_ANNOTATIONS.gkeCluster]: options.cluster ?? clusterName(name),
        ...(options.cloudSql
          ? { [CODEMIE_ANNOTATIONS.cloudSqlInstance]: options.cloudSql }
          : {}),
        [CODEMIE_ANNOTATIONS.tier]: options.tier ?? 'small',
        [CODEMIE_ANNOTATIONS.option]: options.option ?? 'public',
        [CODEMIE_ANNOTATIONS.kubernetesId]: name,
        ...(options.domain
          ? { [CODEMIE_ANNOTATIONS.domain]: options.domain }
          : {}),
      },
    },
    spec: {
      type: CODEMIE_ENVIRONMENT_TYPE,
      owner: 'group:default/platform-engineering',
    },
  };
}

/** Creates a cluster and seeds a tier's workloads into it (ready an hour ago). */
export async function createEnvironment(
  sandbox: GcpSandbox,
  name: string,
  options: {
    tier?: SizingPresetName;
    pool?: { machineType?: string; nodes?: number; maxNodes?: number };
    crashLoop?: object;
    image?: (id: string) => string | undefined;
    before?: (k8s: SandboxKubernetes) => void;
    /** More objects to seed (e.g. the ingress controller's LoadBalancer Service). */
    objects?: object[];
  } = {},
) {
  const k8s = await createCluster(sandbox, name, options.pool);
  options.before?.(k8s);
  const seeded = k8s.seedDemo({
    objects: [
      ...renderWorkloads(sizePreset(options.tier ?? 'small'), name, {
        image: options.image,
      }),
      ...(options.objects ?? []),
    ],
    ...(options.crashLoop ? { crashLoop: options.crashLoop } : {}),
  });
  return { k8s, seeded };
}

/** The ingress controller's LoadBalancer Service, pinned to `address` as codemie:deploy pins it. */
export function ingressService(environment: string, address: string): object {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'ingress-nginx-controller',
      namespace: 'ingress-nginx',
      labels: {
        'app.kubernetes.io/component': 'ingress-nginx',
        'backstage.io/kubernetes-id': environment,
      },
    },
    spec: {
      type: 'LoadBalancer',
      loadBalancerIP: address,
      selector: { 'app.kubernetes.io/component': 'ingress-nginx' },
      ports: [{ name: 'https', port: 443, targetPort: 443 }],
    },
  };
}

/** A public Cloud DNS zone for `domain` with A records of CodeMie's hosts (through the DNS API). */
export async function createDnsZone(
  project: string,
  name: string,
  domain: string,
  records: Record<string, string>,
): Promise<void> {
  const call = async (path: string, body: unknown) => {
    const res = await fetch(
      `https://dns.googleapis.com/dns/v1/projects/${project}/${path}`,
      {
        method: 'POST',
        headers: {
          authorization: 'Bearer test',
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      },
    );
    if (!res.ok)
      throw new Error(`DNS ${path}: ${res.status} ${await res.text()}`);
  };
  await call('managedZones', {
    name,
    dnsName: `${domain}.`,
    description: name,
  });
  await call(`managedZones/${name}/changes`, {
    additions: Object.entries(records).map(([host, ip]) => ({
      name: `${host}.${domain}.`,
      type: 'A',
      ttl: 300,
      rrdatas: [ip],
    })),
  });
}
