import { CostEstimate, PriceTable, estimateMonthlyCost } from '../cost';
import { NodePoolPlan, PlanningError, planNodePool } from '../planner';
import {
  SIZING_PRESETS,
  SizingInputs,
  SizingPresetName,
  TierSizing,
  sizeEnvironment,
} from '../sizing';
import { EnvironmentInput } from './validateEnvironmentInput';

/**
 * Label put on every Google Cloud resource of an environment; its value is the environment name.
 * Destroy and the status page find resources by it.
 *
 * @public
 */
export const ENVIRONMENT_LABEL = 'codemie-environment';

/**
 * The kinds of Google Cloud resource an environment is made of.
 *
 * @public
 */
export type PlannedResourceKind =
  | 'project-services'
  | 'network'
  | 'subnetwork'
  | 'router'
  | 'firewall'
  | 'private-services-range'
  | 'private-services-connection'
  | 'cluster'
  | 'node-pool'
  | 'sql-instance'
  | 'sql-database'
  | 'sql-user'
  | 'secret'
  | 'dns-zone'
  | 'ingress-address'
  | 'dns-records'
  | 'service-account'
  | 'project-iam'
  | 'workload-identity'
  | 'bastion'
  | 'bastion-access';

/**
 * One resource of the plan: a node of the provisioning graph.
 *
 * @public
 */
export interface PlannedResource {
  /** Unique in the plan, stable across runs (it names the task checkpoint). */
  id: string;
  /** What kind of Google Cloud resource it is. */
  kind: PlannedResourceKind;
  /** The resource's name in Google Cloud. */
  name: string;
  /** Ids of the resources that must exist first. */
  dependsOn: string[];
  /** What it is, for the task log and the dry-run output. */
  description: string;
}

/**
 * Names of the environment's resources, derived from its name.
 *
 * @public
 */
export interface EnvironmentResourceNames {
  /** The VPC network. */
  network: string;
  /** The subnetwork of the nodes, pods and services. */
  subnetwork: string;
  /** The Cloud Router of the Cloud NAT. */
  router: string;
  /** The Cloud NAT that gives the nodes outbound internet access. */
  nat: string;
  /** The firewall rule that allows traffic inside the network. */
  firewallInternal: string;
  /** The firewall rule that allows SSH from Identity-Aware Proxy (the bastion's tunnel). */
  firewallIapSsh: string;
  /** The address range reserved for private services access (Cloud SQL's private IP). */
  privateServicesRange: string;
  /** The GKE cluster. */
  cluster: string;
  /** The node pool of CodeMie's workloads. */
  nodePool: string;
  /** The Cloud SQL instance. */
  sqlInstance: string;
  /** The Cloud DNS managed zone. */
  dnsZone: string;
  /** The reserved address of the ingress load balancer (what the DNS records point at). */
  ingressAddress: string;
  /** The service account CodeMie's workloads act as. */
  serviceAccount: string;
  /** The GKE nodes' own least-privilege service account (not the Compute Engine default one). */
  nodeServiceAccount: string;
  /** The private option's bastion VM. */
  bastion: string;
  /** Secret Manager secret holding the password of each database user. */
  secrets: {
    codemieDbPassword: string;
    keycloakDbPassword: string;
    litellmDbPassword: string;
  };
}

/**
 * Everything an environment will be: validated inputs, sizing, node pool, cost and the resource
 * graph. Pure: computing it calls nothing.
 *
 * @public
 */
export interface EnvironmentPlan {
  /** The validated inputs. */
  input: EnvironmentInput;
  /** The name of every resource the environment creates. */
  names: EnvironmentResourceNames;
  /** Labels for every resource that takes labels. */
  labels: Record<string, string>;
  /**
   * The cluster's location: the region of a regional cluster. A zonal cluster's zone is chosen
   * at provisioning (a zone of the region that is UP), so for it this is ''.
   */
  clusterLocation: string;
  /**
   * How many zones of the region the nodes spread over (3 regional, 1 zonal). Zone names differ
   * per region (europe-west1 has b, c, d), so the plan names none: provisioning lists them
   * (compute zones.list, status UP) and records the ones it used.
   */
  zoneCount: number;
  /** The sized workloads and managed PostgreSQL. */
  sizing: TierSizing;
  /** The cheapest node pool that holds every pod. */
  nodePool: NodePoolPlan;
  /** Runner-up node pools, cheapest first. */
  nodePoolAlternatives: NodePoolPlan[];
  /** The monthly cost estimate. */
  cost: CostEstimate;
  /** Cloud SQL decisions beyond the sizing. */
  database: {
    /**
     * A standby in a second zone (availability type REGIONAL) when the cluster is regional: a
     * regional cluster survives a zone failure, and its database must too. Priced in the cost.
     */
    highAvailability: boolean;
    /** Daily automated backups with point-in-time recovery; priced in the cost. */
    backups: true;
  };
  /** Databases created on the Cloud SQL instance. */
  databases: string[];
  /** The resources to create, each after those it depends on. */
  resources: PlannedResource[];
}

/** Zones of a regional cluster's node pool (every offered region has at least three). */
const REGIONAL_ZONE_COUNT = 3;

/**
 * Options of {@link planEnvironment}.
 *
 * @public
 */
export interface PlanEnvironmentOptions {
  /** Price table with app-config overrides applied; default the bundled one. */
  prices?: PriceTable;
  /** Allowed machine families for the node pool; default all priced families. */
  machineFamilies?: readonly string[];
}

/**
 * Plans an environment from validated inputs.
 *
 * @throws {@link PlanningError} when no node pool fits.
 * @public
 */
export function planEnvironment(
  input: EnvironmentInput,
  options: PlanEnvironmentOptions = {},
): EnvironmentPlan {
  const sizing = sizeEnvironment(input.sizing, presetNameOf(input));
  const zoneCount = input.regional ? REGIONAL_ZONE_COUNT : 1;
  const planned = planNodePool(sizing, {
    region: input.region,
    location: input.regional
      ? { kind: 'regional', zones: zoneCount }
      : { kind: 'zonal' },
    machineFamilies: options.machineFamilies,
    prices: options.prices,
  });
  if (!planned.plan) {
    throw new PlanningError(
      `No node pool fits the ${sizing.tier} sizing in ${input.region}: ${planned.reason ?? 'no machine type fits'}`,
    );
  }
  const highAvailability = input.regional;
  const cost = estimateMonthlyCost({
    sizing,
    plan: planned.plan,
    option: input.option,
    prices: options.prices,
    cloudSqlHighAvailability: highAvailability,
    dnsZones: input.createDnsZone ? 1 : 0,
  });
  const names = resourceNames(input.name);
  const databases = ['codemie', 'keycloak'];
  if (input.sizing.llmProxyType !== 'external') databases.push('litellm');

  return {
    input,
    names,
    labels: { [ENVIRONMENT_LABEL]: input.name, 'managed-by': 'backstage' },
    clusterLocation: input.regional ? input.region : '',
    zoneCount,
    sizing,
    nodePool: planned.plan,
    nodePoolAlternatives: planned.alternatives,
    cost,
    database: { highAvailability, backups: true },
    databases,
    resources: resourceGraph(input, names, databases),
  };
}

/**
 * Resource names of an environment: `<name>-<role>`.
 *
 * @public
 */
export function resourceNames(name: string): EnvironmentResourceNames {
  return {
    network: `${name}-vpc`,
    subnetwork: `${name}-subnet`,
    router: `${name}-router`,
    nat: `${name}-nat`,
    firewallInternal: `${name}-allow-internal`,
    firewallIapSsh: `${name}-allow-iap-ssh`,
    privateServicesRange: `${name}-psa-range`,
    cluster: `${name}-gke`,
    nodePool: `${name}-pool`,
    sqlInstance: `${name}-pg`,
    dnsZone: `${name}-zone`,
    ingressAddress: `${name}-ingress-ip`,
    serviceAccount: `${name}-codemie`,
    nodeServiceAccount: `${name}-gke-nodes`,
    bastion: `${name}-bastion`,
    secrets: {
      codemieDbPassword: `${name}-codemie-db-password`,
      keycloakDbPassword: `${name}-keycloak-db-password`,
      litellmDbPassword: `${name}-litellm-db-password`,
    },
  };
}

function presetNameOf(input: EnvironmentInput): string {
  return sizingPresetNameOf(input.sizing);
}

/**
 * The name of the preset whose inputs these are (`small`, …, `production`), or `custom`.
 *
 * @public
 */
export function sizingPresetNameOf(sizing: Required<SizingInputs>): string {
  for (const [name, preset] of Object.entries(SIZING_PRESETS) as Array<
    [SizingPresetName, (typeof SIZING_PRESETS)[SizingPresetName]]
  >) {
    const p = preset as typeof preset & { includeNats?: boolean };
    if (
      p.concurrentUsers === sizing.concurrentUsers &&
      p.vectorDatasourceGiB === sizing.vectorDatasourceGiB &&
      p.logRetentionDays === sizing.logRetentionDays &&
      p.llmProxyType === sizing.llmProxyType &&
      (p.includeNats ?? false) === (sizing.includeNats ?? false)
    ) {
      return name;
    }
  }
  return 'custom';
}

/**
 * The resource graph. Edges are the real ordering constraints of the Google APIs, nothing more,
 * so that independent resources are created in parallel.
 */
function resourceGraph(
  input: EnvironmentInput,
  names: EnvironmentResourceNames,
  databases: string[],
): PlannedResource[] {
  const resources: PlannedResource[] = [];
  const add = (r: PlannedResource) => resources.push(r);
  const isPrivate = input.option === 'private';

  add({
    id: 'services',
    kind: 'project-services',
    name: input.projectId,
    dependsOn: [],
    description: 'enable the project APIs CodeMie needs',
  });
  add({
    id: 'network',
    kind: 'network',
    name: names.network,
    dependsOn: ['services'],
    description: 'VPC network (custom subnets)',
  });
  add({
    id: 'subnetwork',
    kind: 'subnetwork',
    name: names.subnetwork,
    dependsOn: ['network'],
    description: 'subnet with pod and service ranges, Private Google Access',
  });
  add({
    id: 'router',
    kind: 'router',
    name: names.router,
    dependsOn: ['network'],
    description: 'Cloud Router with Cloud NAT for outbound traffic',
  });
  add({
    id: 'firewall-internal',
    kind: 'firewall',
    name: names.firewallInternal,
    dependsOn: ['network'],
    description: 'allow traffic inside the VPC ranges',
  });
  if (isPrivate) {
    add({
      id: 'firewall-iap-ssh',
      kind: 'firewall',
      name: names.firewallIapSsh,
      dependsOn: ['network'],
      description:
        'allow SSH from the IAP range 35.235.240.0/20 to the bastion only',
    });
  }
  add({
    id: 'psa-range',
    kind: 'private-services-range',
    name: names.privateServicesRange,
    dependsOn: ['network'],
    description: 'address range for private service access',
  });
  add({
    id: 'psa-connection',
    kind: 'private-services-connection',
    name: 'servicenetworking.googleapis.com',
    dependsOn: ['psa-range'],
    description: 'private service access peering for Cloud SQL private IP',
  });
  // The nodes run as a dedicated service account with only the roles nodes need, not as the
  // Compute Engine default account (Editor on the project).
  add({
    id: 'node-service-account',
    kind: 'service-account',
    name: names.nodeServiceAccount,
    dependsOn: ['services'],
    description: "GKE nodes' service account (no keys)",
  });
  add({
    id: 'node-iam',
    kind: 'project-iam',
    name: names.nodeServiceAccount,
    dependsOn: ['node-service-account'],
    description:
      'grant the nodes logging, monitoring and Artifact Registry read roles only',
  });
  add({
    id: 'cluster',
    kind: 'cluster',
    name: names.cluster,
    dependsOn: ['subnetwork', 'node-iam'],
    description: isPrivate
      ? 'private GKE cluster (private nodes and endpoint, DNS endpoint)'
      : 'GKE cluster (authorized networks only)',
  });
  add({
    id: 'node-pool',
    kind: 'node-pool',
    name: names.nodePool,
    dependsOn: ['cluster'],
    description: 'node pool sized by the planner',
  });
  add({
    id: 'sql-instance',
    kind: 'sql-instance',
    name: names.sqlInstance,
    dependsOn: ['psa-connection'],
    description: input.regional
      ? 'Cloud SQL for PostgreSQL, private IP, backups on, high availability (standby in a second zone)'
      : 'Cloud SQL for PostgreSQL, private IP, backups on',
  });
  const secretIds: Record<string, string> = {
    codemie: names.secrets.codemieDbPassword,
    keycloak: names.secrets.keycloakDbPassword,
    litellm: names.secrets.litellmDbPassword,
  };
  // Cloud SQL runs one operation at a time per instance: its databases and users are created
  // one after another (the secrets, in Secret Manager, in parallel with everything).
  let previousSqlStep = 'sql-instance';
  for (const db of databases) {
    add({
      id: `secret-${db}`,
      kind: 'secret',
      name: secretIds[db],
      dependsOn: ['services'],
      description: `generated password of database user ${db} (Secret Manager)`,
    });
    add({
      id: `sql-database-${db}`,
      kind: 'sql-database',
      name: db,
      dependsOn: [previousSqlStep],
      description: `database ${db}`,
    });
    add({
      id: `sql-user-${db}`,
      kind: 'sql-user',
      name: db,
      dependsOn: [`sql-database-${db}`, `secret-${db}`],
      description: `database user ${db}`,
    });
    previousSqlStep = `sql-user-${db}`;
  }
  if (input.createDnsZone) {
    add({
      id: 'dns-zone',
      kind: 'dns-zone',
      name: names.dnsZone,
      dependsOn: isPrivate ? ['network'] : ['services'],
      description: isPrivate
        ? `private DNS zone ${input.domain} bound to the VPC`
        : `public DNS zone ${input.domain}`,
    });
  }
  // The ingress load balancer's address is reserved up front (external for the public option,
  // internal in the subnet for the private one) so the DNS records can point at it before
  // deploy, and deploy pins the ingress Service to it.
  add({
    id: 'ingress-address',
    kind: 'ingress-address',
    name: names.ingressAddress,
    dependsOn: isPrivate ? ['subnetwork'] : ['services'],
    description: isPrivate
      ? 'internal address of the ingress load balancer, in the subnet'
      : 'external address of the ingress load balancer',
  });
  if (input.createDnsZone) {
    add({
      id: 'dns-records',
      kind: 'dns-records',
      name: input.domain,
      dependsOn: ['dns-zone', 'ingress-address'],
      description: `A records codemie., keycloak., kibana.${input.domain} → the ingress address`,
    });
  }
  add({
    id: 'service-account',
    kind: 'service-account',
    name: names.serviceAccount,
    dependsOn: ['services'],
    description: 'Google service account for CodeMie (no keys)',
  });
  add({
    id: 'project-iam',
    kind: 'project-iam',
    name: names.serviceAccount,
    dependsOn: ['service-account'],
    description: 'grant the service account the roles CodeMie needs',
  });
  add({
    id: 'workload-identity',
    kind: 'workload-identity',
    name: names.serviceAccount,
    dependsOn: ['service-account', 'cluster'],
    description:
      "bind CodeMie's Kubernetes service accounts through Workload Identity",
  });
  if (isPrivate) {
    add({
      id: 'bastion',
      kind: 'bastion',
      name: names.bastion,
      dependsOn: ['subnetwork', 'firewall-iap-ssh'],
      description: 'bastion VM: no external IP, OS Login, shielded',
    });
    add({
      id: 'bastion-access',
      kind: 'bastion-access',
      name: names.bastion,
      dependsOn: ['bastion'],
      description: 'grant bastion members IAP tunnel access',
    });
  }
  return resources;
}

/**
 * The command that points kubectl at the environment's cluster. A private cluster is reached
 * through its DNS endpoint when that takes external traffic (`privateAccess: 'dns-endpoint'`),
 * otherwise through its private IP from inside the VPC (`'vpc'`, e.g. on the bastion).
 *
 * @public
 */
export function getCredentialsCommand(
  plan: EnvironmentPlan,
  clusterLocation: string = plan.clusterLocation,
  privateAccess: 'dns-endpoint' | 'vpc' = 'dns-endpoint',
): string {
  let flag = '';
  if (plan.input.option === 'private')
    flag = privateAccess === 'vpc' ? ' --internal-ip' : ' --dns-endpoint';
  return `gcloud container clusters get-credentials ${plan.names.cluster} --location ${clusterLocation} --project ${plan.input.projectId}${flag}`;
}

/**
 * The command that opens an SSH session on the bastion through IAP (private option), or ''.
 * `zone` is the bastion's zone, known once provisioning has chosen it.
 *
 * @public
 */
export function bastionSshCommand(plan: EnvironmentPlan, zone: string): string {
  if (plan.input.option !== 'private') return '';
  return `gcloud compute ssh ${plan.names.bastion} --zone ${zone} --project ${plan.input.projectId} --tunnel-through-iap`;
}
