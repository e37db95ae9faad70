import {
  ENVIRONMENT_LABEL,
  planNodePool,
  resourceNames,
  sizePreset,
  type SizingPresetName,
} from '@codemie-gcp/plugin-codemie-common';
import type { EmulationContext } from '../google/context';
import { projectNumber } from '../google/context';
import type { Durations } from '../durations';
import { demoWorkloads, type ManifestObject } from './demoWorkloads';
import { type DemoUsageProfile, liveUsageOf } from './demoUsageHistory';

/**
 * Options of `GcpSandbox.seedDemo`.
 *
 * @public
 */
export interface DemoOptions {
  /** Default `codemie-demo`. */
  projectId?: string;
  /** Environment name; resources are named `<name>-vpc`, `<name>-gke`… as provisioning names them. Default `demo`. */
  name?: string;
  /** Default `europe-west3`. */
  region?: string;
  /** DNS domain of the installation. Default `<name>.codemie.example.com`. */
  domain?: string;
  /**
   * Access option, as provisioning made it: `private` (default) gets a private DNS zone bound
   * to the VPC and an internal ingress address; `public` a public zone and an external address.
   */
  option?: 'public' | 'private';
  /** Sizing preset of the workloads and node pool. Default `small`. */
  preset?: SizingPresetName;
  /** The component left restarting (CrashLoopBackOff). Default `mermaid-server` in `codemie`; `null` for none. */
  crashLoop?: { namespace?: string; component: string } | null;
  /** Kubernetes objects to seed instead of the rendered CodeMie workloads. */
  objects?: ManifestObject[];
  /**
   * Usage profiles by component (see `demoUsageHistory`): the live metrics follow them, so the
   * page's bars agree with the history a caller generates with the same profiles.
   */
  usageProfiles?: Record<string, DemoUsageProfile>;
}

/**
 * What `seedDemo` created.
 *
 * @public
 */
export interface DemoInstallation {
  /** The Google Cloud project. */
  projectId: string;
  /** The environment's name. */
  name: string;
  /** The region. */
  region: string;
  /** The domain CodeMie is served under. */
  domain: string;
  /** Labels on every created resource. */
  labels: Record<string, string>;
  /** `projects/<p>/locations/<region>/clusters/<name>-gke` */
  cluster: string;
  /** Kubernetes API endpoint (`127.0.0.1:<port>`), when the Kubernetes half runs. */
  endpoint?: string;
  /** The Kubernetes API server's CA certificate (PEM), when the Kubernetes half runs. */
  caCertificatePem?: string;
  /** The node pool's machine type. */
  machineType: string;
  /** Nodes per zone. */
  nodesPerZone: number;
  /** The Cloud SQL instance's name. */
  sqlInstance: string;
  /** The reserved ingress address the DNS records point at and the ingress Service takes. */
  ingressAddress: string;
  /** What the Kubernetes half reported, when it seeded the workloads. */
  workloads?: unknown;
}

/** Calls an emulated API internally (no auth, faults or journal); throws on an error status. */
export type InternalCall = (
  service: string,
  method: string,
  path: string,
  body?: unknown,
) => Promise<any>;

/**
 * Seeds one ready CodeMie installation: APIs enabled, VPC with subnet, Cloud NAT and firewall,
 * private services access, a RUNNING private GKE cluster sized by the planner, Cloud SQL with
 * its databases and users, a DNS zone, secrets, a service account, all labelled as provisioning
 * labels them; then the workloads in the cluster, all running but one restarting. Every resource
 * is created through the emulated APIs' own handlers, with operations made instant.
 */
export async function seedDemo(
  ctx: EmulationContext,
  call: InternalCall,
  options: DemoOptions = {},
): Promise<DemoInstallation> {
  const project = options.projectId ?? 'codemie-demo';
  const name = options.name ?? 'demo';
  const region = options.region ?? 'europe-west3';
  const domain = options.domain ?? `${name}.codemie.example.com`;
  const option = options.option ?? 'private';
  let ingressAddress = '';
  const names = resourceNames(name);
  const labels = { [ENVIRONMENT_LABEL]: name, 'managed-by': 'backstage' };
  const sizing = sizePreset(options.preset ?? 'small');
  const planned = planNodePool(sizing, {
    region,
    location: { kind: 'regional', zones: 3 },
  });
  if (!planned.plan)
    throw new Error(`gcp-sandbox demo: no node pool fits: ${planned.reason}`);
  const plan = planned.plan;

  const saved: Durations = { ...ctx.durations };
  for (const key of Object.keys(ctx.durations) as Array<keyof Durations>)
    ctx.durations[key] = 0;
  const settle = () => ctx.scheduler.idle();
  const number = projectNumber(project);
  try {
    ctx.state.knownProjects.add(project);
    await call(
      'serviceusage',
      'POST',
      `/v1/projects/${project}/services:batchEnable`,
      {
        serviceIds: [
          'compute.googleapis.com',
          'container.googleapis.com',
          'sqladmin.googleapis.com',
          'dns.googleapis.com',
          'secretmanager.googleapis.com',
          'servicenetworking.googleapis.com',
          'iam.googleapis.com',
          'iap.googleapis.com',
          'aiplatform.googleapis.com',
        ],
      },
    );
    const c = `/compute/v1/projects/${project}`;
    await call('compute', 'POST', `${c}/global/networks`, {
      name: names.network,
      autoCreateSubnetworks: false,
      routingConfig: { routingMode: 'REGIONAL' },
    });
    await settle();
    await call('compute', 'POST', `${c}/regions/${region}/subnetworks`, {
      name: names.subnetwork,
      network: `global/networks/${names.network}`,
      ipCidrRange: '10.0.0.0/20',
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: '10.4.0.0/14' },
        { rangeName: 'services', ipCidrRange: '10.8.0.0/20' },
      ],
    });
    await call('compute', 'POST', `${c}/regions/${region}/routers`, {
      name: names.router,
      network: `global/networks/${names.network}`,
      nats: [
        {
          name: names.nat,
          natIpAllocateOption: 'AUTO_ONLY',
          sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
        },
      ],
    });
    await call('compute', 'POST', `${c}/global/firewalls`, {
      name: names.firewallInternal,
      network: `global/networks/${names.network}`,
      sourceRanges: ['10.0.0.0/8'],
      allowed: [
        { IPProtocol: 'tcp' },
        { IPProtocol: 'udp' },
        { IPProtocol: 'icmp' },
      ],
    });
    await call('compute', 'POST', `${c}/global/addresses`, {
      name: names.privateServicesRange,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      prefixLength: 16,
      network: `global/networks/${names.network}`,
    });
    await settle();
    await call(
      'servicenetworking',
      'POST',
      '/v1/services/servicenetworking.googleapis.com/connections',
      {
        network: `projects/${number}/global/networks/${names.network}`,
        reservedPeeringRanges: [names.privateServicesRange],
      },
    );
    // The nodes' own account, as provisioning makes it before the cluster.
    await call('iam', 'POST', `/v1/projects/${project}/serviceAccounts`, {
      accountId: names.nodeServiceAccount,
      serviceAccount: { displayName: `CodeMie ${name} GKE nodes` },
    });
    await call(
      'container',
      'POST',
      `/v1/projects/${project}/locations/${region}/clusters`,
      {
        cluster: {
          name: names.cluster,
          network: names.network,
          subnetwork: names.subnetwork,
          resourceLabels: labels,
          releaseChannel: { channel: 'REGULAR' },
          ipAllocationPolicy: {
            useIpAliases: true,
            clusterSecondaryRangeName: 'pods',
            servicesSecondaryRangeName: 'services',
          },
          privateClusterConfig: {
            enablePrivateNodes: true,
            masterIpv4CidrBlock: '172.16.0.0/28',
          },
          workloadIdentityConfig: { workloadPool: `${project}.svc.id.goog` },
          networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' },
          nodePools: [
            {
              name: names.nodePool,
              initialNodeCount: plan.minNodesPerZone,
              autoscaling: {
                enabled: true,
                minNodeCount: plan.minNodesPerZone,
                maxNodeCount: plan.maxNodesPerZone,
              },
              management: { autoRepair: true, autoUpgrade: true },
              config: {
                machineType: plan.machineType,
                imageType: 'COS_CONTAINERD',
                serviceAccount: `${names.nodeServiceAccount}@${project}.iam.gserviceaccount.com`,
                resourceLabels: labels,
                workloadMetadataConfig: { mode: 'GKE_METADATA' },
                shieldedInstanceConfig: {
                  enableSecureBoot: true,
                  enableIntegrityMonitoring: true,
                },
              },
            },
          ],
        },
      },
    );
    await settle();
    await call('sqladmin', 'POST', `/v1/projects/${project}/instances`, {
      name: names.sqlInstance,
      region,
      databaseVersion: 'POSTGRES_16',
      settings: {
        tier: sizing.postgresql.tier,
        dataDiskSizeGb: String(sizing.postgresql.storageGiB),
        userLabels: labels,
        backupConfiguration: {
          enabled: true,
          pointInTimeRecoveryEnabled: true,
        },
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: `projects/${project}/global/networks/${names.network}`,
        },
      },
    });
    await call('dns', 'POST', `/dns/v1/projects/${project}/managedZones`, {
      name: names.dnsZone,
      dnsName: `${domain}.`,
      description: `CodeMie ${name}`,
      labels,
      ...(option === 'private'
        ? {
            visibility: 'private',
            privateVisibilityConfig: {
              networks: [
                {
                  networkUrl: `https://www.googleapis.com/compute/v1/projects/${project}/global/networks/${names.network}`,
                },
              ],
            },
          }
        : {}),
    });
    await call('iam', 'POST', `/v1/projects/${project}/serviceAccounts`, {
      accountId: names.serviceAccount,
      serviceAccount: { displayName: `CodeMie ${name}` },
    });
    for (const secret of Object.values(names.secrets)) {
      await call(
        'secretmanager',
        'POST',
        `/v1/projects/${project}/secrets?secretId=${secret}`,
        {
          replication: { automatic: {} },
          labels,
        },
      );
      await call(
        'secretmanager',
        'POST',
        `/v1/projects/${project}/secrets/${secret}:addVersion`,
        {
          payload: { data: Buffer.from(`demo-${secret}`).toString('base64') },
        },
      );
    }
    // The ingress address provisioning reserves, and the records of CodeMie's hosts.
    await call('compute', 'POST', `${c}/regions/${region}/addresses`, {
      name: names.ingressAddress,
      labels,
      ...(option === 'private'
        ? {
            addressType: 'INTERNAL',
            subnetwork: `projects/${project}/regions/${region}/subnetworks/${names.subnetwork}`,
          }
        : { addressType: 'EXTERNAL' }),
    });
    await settle();
    ingressAddress = (
      await call(
        'compute',
        'GET',
        `${c}/regions/${region}/addresses/${names.ingressAddress}`,
      )
    ).address;
    await call(
      'dns',
      'POST',
      `/dns/v1/projects/${project}/managedZones/${names.dnsZone}/changes`,
      {
        additions: ['codemie', 'keycloak', 'kibana'].map(host => ({
          name: `${host}.${domain}.`,
          type: 'A',
          ttl: 300,
          rrdatas: [ingressAddress],
        })),
      },
    );
    const databases = ['codemie', 'keycloak', 'litellm'];
    for (const db of databases) {
      await call(
        'sqladmin',
        'POST',
        `/v1/projects/${project}/instances/${names.sqlInstance}/databases`,
        { name: db },
      );
      await settle();
      await call(
        'sqladmin',
        'POST',
        `/v1/projects/${project}/instances/${names.sqlInstance}/users`,
        { name: db, password: `demo-${db}` },
      );
      await settle();
    }
  } finally {
    Object.assign(ctx.durations, saved);
  }

  const key = `projects/${project}/locations/${region}/clusters/${names.cluster}`;
  const record = ctx.state.clusters.get(key)!;
  const server = record.server;
  let workloads: unknown;
  if (server?.seedDemo) {
    const crash =
      options.crashLoop === undefined
        ? { namespace: 'codemie', component: 'mermaid-server' }
        : options.crashLoop;
    // As codemie:deploy does with provisioning's ingressAddress: the ingress Service takes it.
    const objects = (options.objects ?? demoWorkloads(sizing)).map(o =>
      o.kind === 'Service' &&
      (o as any).spec?.type === 'LoadBalancer' &&
      (o as any).metadata?.namespace === 'ingress-nginx'
        ? ({
            ...o,
            spec: { ...(o as any).spec, loadBalancerIP: ingressAddress },
          } as ManifestObject)
        : o,
    );
    workloads = server.seedDemo({
      objects,
      ...(crash ? { crashLoop: crash } : {}),
      usage: Object.entries(options.usageProfiles ?? {}).map(
        ([component, profile]) => ({ component, ...liveUsageOf(profile) }),
      ),
    });
  }
  return {
    projectId: project,
    name,
    region,
    domain,
    labels,
    cluster: key,
    endpoint: server?.endpoint,
    caCertificatePem: server?.caCertificatePem,
    machineType: plan.machineType,
    nodesPerZone: plan.minNodesPerZone,
    sqlInstance: `projects/${project}/instances/${names.sqlInstance}`,
    ingressAddress,
    workloads,
  };
}
