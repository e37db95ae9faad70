/**
 * Monthly cost of an environment, line by line, from a sizing, a node-pool plan and the price
 * table. Months are the price table's 730 hours.
 */
import { TierSizing, containerLogGiBPerDay } from '../sizing/tiers';
import { NodePoolPlan } from '../planner/planNodePool';
import {
  BUNDLED_PRICES,
  DiskType,
  PriceTable,
  assertPricedRegion,
} from './prices';

/**
 * What {@link estimateMonthlyCost} prices: the sizing, the node pool, and the choices that change
 * the bill (bastion, disk type, Cloud SQL high availability, traffic).
 *
 * @public
 */
export interface CostEstimateInput {
  /** The sized environment: its workloads, DaemonSets and managed PostgreSQL. */
  sizing: TierSizing;
  /** The chosen node pool (its region is the environment's region). */
  plan: NodePoolPlan;
  /** `private` adds the bastion VM. Default `public`. */
  option?: 'public' | 'private';
  /** Storage class of the persistent volumes. Default pd-balanced. */
  volumeDiskType?: DiskType;
  /**
   * Cloud SQL high availability (a standby in a second zone doubles instance and storage).
   * Default: on for a regional cluster (a zone failure must not take the database with it),
   * off for a zonal one (the cluster itself lives in one zone).
   */
  cloudSqlHighAvailability?: boolean;
  /** Cloud DNS managed zones the environment creates. Default 1. */
  dnsZones?: number;
  /** Secret Manager secret versions. Default: one per database user. */
  secretVersions?: number;
  /** Data through Cloud NAT per month, GiB (image pulls, LLM API calls). Default 100. */
  natDataGiBPerMonth?: number;
  /** Data through the ingress load balancer per month, GiB. Default: the egress estimate, at least 100. */
  loadBalancerDataGiBPerMonth?: number;
  /** Forwarding rules: ingress-nginx's, plus NATS's internal load balancer when deployed. Default derived. */
  forwardingRules?: number;
  /** Default: the bundled table (apply app-config overrides with `withPriceOverrides`). */
  prices?: PriceTable;
}

/**
 * One line of the estimate.
 *
 * @public
 */
export interface CostLineItem {
  /** Which part of the bill the line prices. */
  id:
    | 'nodes'
    | 'node-boot-disks'
    | 'elasticsearch-disks'
    | 'other-volumes'
    | 'cloud-sql'
    | 'cloud-sql-storage'
    | 'cloud-sql-backups'
    | 'gke-management'
    | 'cloud-nat'
    | 'load-balancer'
    | 'network-egress'
    | 'cloud-dns'
    | 'secret-manager'
    | 'kms'
    | 'logging'
    | 'bastion';
  /** The line's name as the preview shows it. */
  label: string;
  /** USD per month, rounded to cents. */
  monthlyUsd: number;
  /** How the figure was computed. */
  detail: string;
  /** The figure rests on an estimate of usage or of a price (said in `detail`). */
  estimate?: boolean;
}

/**
 * Node VMs priced another way, with the estimate's total if they were.
 *
 * @public
 */
export interface NodePricingAlternative {
  /** The other pricing: Spot VMs, or a one- or three-year committed use discount. */
  pricing: 'spot' | 'committed-1y' | 'committed-3y';
  /** The node VMs' monthly cost, USD, with this pricing. */
  nodesMonthlyUsd: number;
  /** The estimate's monthly total, USD, with this pricing for the node VMs. */
  totalMonthlyUsd: number;
}

/**
 * An environment's estimated monthly cost in US dollars: line items, their total, the range over
 * the autoscaling bounds, node pricing alternatives, and where the prices come from.
 *
 * @public
 */
export interface CostEstimate {
  /** The region the environment runs in. */
  region: string;
  /** The currency of every figure (`USD`). */
  currency: string;
  /** The bill, line by line. */
  lineItems: CostLineItem[];
  /** Sum of the line items (on-demand nodes, at the autoscaling minimum). */
  totalMonthlyUsd: number;
  /** The total at the autoscaling minimum and maximum node counts. */
  range: {
    minNodes: number;
    maxNodes: number;
    atMinNodesUsd: number;
    atMaxNodesUsd: number;
  };
  /** The total with the node VMs priced as Spot VMs or with committed use discounts. */
  nodePricingAlternatives: NodePricingAlternative[];
  /** Where the prices come from. */
  sources: string[];
  /** The price table's date (machines, disks, Cloud NAT). */
  pricesDate: string;
  /** The date of the other services' prices. */
  servicePricesDate: string;
}

/** Estimate: data a concurrent user pulls from CodeMie in a month (UI, chat answers, files). */
const INTERNET_EGRESS_GIB_PER_USER_MONTH = 2;
/** Estimate: traffic between zones per user in a regional cluster (API ↔ Elasticsearch ↔ DB, replication). */
const INTER_ZONE_GIB_PER_USER_MONTH = 4;
/** Estimate: DNS queries per user a month, millions (browsers cache the records). */
const DNS_MILLION_QUERIES_PER_USER_MONTH = 0.01;
/** Estimate: KMS operations per user a month (secrets of integrations the API encrypts). */
const KMS_OPERATIONS_PER_USER_MONTH = 1000;
const DAYS_PER_MONTH = 730 / 24;

/**
 * Estimates the monthly cost of an environment, every line of the bill: nodes (at the
 * autoscaling minimum, with the maximum's total beside it), disks, Cloud SQL (instance, storage,
 * backups, high availability), GKE, Cloud NAT, load balancing, network egress, Cloud DNS,
 * Secret Manager, Cloud KMS, Cloud Logging and the bastion.
 *
 * @throws UnknownRegionError when the plan's region has no prices.
 * @public
 */
export function estimateMonthlyCost(input: CostEstimateInput): CostEstimate {
  const prices = input.prices ?? BUNDLED_PRICES;
  const { sizing, plan } = input;
  const region = plan.region;
  assertPricedRegion(region, prices);
  const hours = prices.hoursPerMonth;
  const volumeDisk = input.volumeDiskType ?? 'pd-balanced';
  const diskPrice = prices.disks[volumeDisk][region];
  const machine = prices.machineTypes[plan.machineType];
  const machinePrice = machine?.price[region];
  if (!machinePrice) {
    throw new Error(`No price for ${plan.machineType} in ${region}`);
  }
  const users = sizing.inputs.concurrentUsers;
  const regional = plan.zones > 1;

  const items: CostLineItem[] = [];
  const add = (item: Omit<CostLineItem, 'monthlyUsd'>, usd: number) =>
    items.push({ ...item, monthlyUsd: cents(usd) });

  const nodesUsd = (nodes: number) => nodes * machinePrice.hour * hours;
  add(
    {
      id: 'nodes',
      label: `GKE nodes (${plan.minNodes} × ${plan.machineType}, on-demand)`,
      detail:
        `${plan.minNodes} × $${machinePrice.hour}/h × ${hours} h at the autoscaling minimum; ` +
        `up to ${plan.maxNodes} nodes ($${cents(nodesUsd(plan.maxNodes))}) when the autoscaler scales out`,
    },
    nodesUsd(plan.minNodes),
  );
  add(
    {
      id: 'node-boot-disks',
      label: 'Node boot disks',
      detail: `${plan.minNodes} nodes' boot disks (planner's boot disk)`,
    },
    plan.monthlyCost.bootDisks,
  );

  const es = sizing.workloads.find(w => w.id === 'elasticsearch');
  const esGiB = es ? es.replicas * es.storageGiBPerPod : 0;
  add(
    {
      id: 'elasticsearch-disks',
      label: `Elasticsearch volumes (${volumeDisk})`,
      detail: es
        ? `${es.replicas} × ${es.storageGiBPerPod} GiB × $${diskPrice}/GiB-month`
        : 'no Elasticsearch',
    },
    esGiB * diskPrice,
  );
  const other = sizing.workloads.filter(
    w => w.id !== 'elasticsearch' && w.storageGiBPerPod > 0,
  );
  const otherGiB = other.reduce(
    (sum, w) => sum + w.replicas * w.storageGiBPerPod,
    0,
  );
  if (otherGiB > 0) {
    add(
      {
        id: 'other-volumes',
        label: `Other persistent volumes (${volumeDisk})`,
        detail: `${otherGiB} GiB (${other.map(w => w.displayName).join(', ')}) × $${diskPrice}/GiB-month`,
      },
      otherGiB * diskPrice,
    );
  }

  // Cloud SQL: the region's own list price, or the reference region's scaled (said in the line).
  const sql = prices.cloudSql;
  const own = sql.byRegion[region];
  const reference = sql.byRegion[sql.referenceRegion];
  const computeFactor = own
    ? 1
    : regionalFactor(
        region,
        sql.referenceRegion,
        r => prices.machineTypes['n2-standard-8']?.price[r]?.hour,
      );
  const storageFactor = own
    ? 1
    : regionalFactor(
        region,
        sql.referenceRegion,
        r => prices.disks['pd-ssd'][r],
      );
  const sqlPrices = own ?? reference;
  const priceNote = own
    ? `${region} list prices`
    : `estimated: ${sql.referenceRegion} list prices × ${computeFactor.toFixed(3)} (compute) / × ${storageFactor.toFixed(3)} (storage) for ${region}`;
  const ha = input.cloudSqlHighAvailability ?? regional;
  const haFactor = ha ? sql.highAvailabilityFactor : 1;
  const pg = sizing.postgresql;
  const memoryGiB = pg.memoryMiB / 1024;
  const vcpuHour = sqlPrices.vcpuHour * computeFactor;
  const memoryHour = sqlPrices.memoryGiBHour * computeFactor;
  add(
    {
      id: 'cloud-sql',
      label: `Cloud SQL for PostgreSQL instance (${pg.tier}${ha ? ', high availability' : ', single zone'})`,
      detail: `${ha ? `${haFactor} × (` : '('}${pg.vcpu} vCPU × $${round4(vcpuHour)}/h + ${memoryGiB} GiB × $${round4(memoryHour)}/h) × ${hours} h; ${priceNote}${
        ha
          ? '; a standby in a second zone, because the cluster is regional'
          : ''
      }`,
      ...(own ? {} : { estimate: true }),
    },
    haFactor * (pg.vcpu * vcpuHour + memoryGiB * memoryHour) * hours,
  );
  const ssd = sqlPrices.ssdGiBMonth * storageFactor;
  add(
    {
      id: 'cloud-sql-storage',
      label: `Cloud SQL storage (${pg.storageGiB} GB SSD${ha ? ', replicated' : ''})`,
      detail: `${ha ? `${haFactor} × ` : ''}${pg.storageGiB} GB × $${round4(ssd)}/GB-month (includes Keycloak's ${pg.keycloakStorageGiB} GB)`,
      ...(own ? {} : { estimate: true }),
    },
    haFactor * pg.storageGiB * ssd,
  );
  // Automated daily backups (the plan turns them on), 7 kept: incremental after the first,
  // so about the size of the database; estimated as its provisioned storage.
  const backup = sqlPrices.backupGiBMonth * storageFactor;
  add(
    {
      id: 'cloud-sql-backups',
      label: 'Cloud SQL backups (daily, 7 kept)',
      detail: `estimate: about ${pg.storageGiB} GB of backups (incremental after the first full one) × $${round4(backup)}/GB-month`,
      estimate: true,
    },
    pg.storageGiB * backup,
  );

  add(
    {
      id: 'gke-management',
      label: 'GKE cluster management fee',
      detail: `$${prices.gke.managementFeeHour}/cluster-hour × ${hours} h`,
    },
    prices.gke.managementFeeHour * hours,
  );

  const natData = input.natDataGiBPerMonth ?? 100;
  const natHour = prices.nat.gatewayHour[region];
  const natPerGiB = prices.nat.dataPerGiB[region];
  add(
    {
      id: 'cloud-nat',
      label: 'Cloud NAT',
      detail: `gateway $${natHour}/h × ${hours} h + ${natData} GiB × $${natPerGiB}/GiB (image pulls, outbound API calls: estimate)`,
    },
    natHour * hours + natData * natPerGiB,
  );

  const natsDeployed = sizing.workloads.some(w => w.id === 'nats');
  const rules = input.forwardingRules ?? (natsDeployed ? 2 : 1);
  const lbData =
    input.loadBalancerDataGiBPerMonth ??
    Math.max(100, users * INTERNET_EGRESS_GIB_PER_USER_MONTH);
  const lbOwn = prices.loadBalancer.byRegion[region];
  const lb =
    lbOwn ?? prices.loadBalancer.byRegion[prices.loadBalancer.referenceRegion];
  add(
    {
      id: 'load-balancer',
      label: `Load balancing (${rules} forwarding rule${rules === 1 ? '' : 's'})`,
      // The first five forwarding rules are billed together at one hourly rate.
      detail: `${Math.ceil(rules / 5)} × $${lb.forwardingRuleHour}/h × ${hours} h + ${lbData} GiB × $${lb.dataPerGiB}/GiB; ${
        lbOwn
          ? `${region} list prices`
          : `${prices.loadBalancer.referenceRegion} list prices (no ${region} figures in the price table)`
      }`,
      ...(lbOwn ? {} : { estimate: true }),
    },
    Math.ceil(rules / 5) * lb.forwardingRuleHour * hours +
      lbData * lb.dataPerGiB,
  );

  const egress = prices.networkEgress;
  const internetGiB = users * INTERNET_EGRESS_GIB_PER_USER_MONTH;
  const interZoneGiB = regional ? users * INTER_ZONE_GIB_PER_USER_MONTH : 0;
  add(
    {
      id: 'network-egress',
      label: 'Network egress (estimate)',
      detail: `estimate: ${internetGiB} GiB to users (${INTERNET_EGRESS_GIB_PER_USER_MONTH} GiB per concurrent user) × $${egress.internetPerGiB}/GiB${
        regional
          ? ` + ${interZoneGiB} GiB between zones (${INTER_ZONE_GIB_PER_USER_MONTH} GiB per user: API, Elasticsearch and database traffic across zones) × $${egress.interZonePerGiB}/GiB`
          : '; a zonal cluster has no inter-zone traffic'
      }`,
      estimate: true,
    },
    internetGiB * egress.internetPerGiB + interZoneGiB * egress.interZonePerGiB,
  );

  const dnsZones = input.dnsZones ?? 1;
  if (dnsZones > 0) {
    add(
      {
        id: 'cloud-dns',
        label: `Cloud DNS (${dnsZones} managed zone${dnsZones === 1 ? '' : 's'})`,
        detail: `${dnsZones} × $${prices.cloudDns.zoneMonth}/zone-month; queries (about ${DNS_MILLION_QUERIES_PER_USER_MONTH * users} million) × $${prices.cloudDns.queriesPerMillion}/million: estimate`,
      },
      dnsZones * prices.cloudDns.zoneMonth +
        DNS_MILLION_QUERIES_PER_USER_MONTH *
          users *
          prices.cloudDns.queriesPerMillion,
    );
  }

  const secretVersions = input.secretVersions ?? databaseSecretsOf(sizing);
  add(
    {
      id: 'secret-manager',
      label: `Secret Manager (${secretVersions} secrets)`,
      detail: `${secretVersions} active versions (database passwords) × $${prices.secretManager.versionMonth}/month; reads only at deploy (negligible)`,
    },
    secretVersions * prices.secretManager.versionMonth,
  );

  const kmsOps = users * KMS_OPERATIONS_PER_USER_MONTH;
  add(
    {
      id: 'kms',
      label: 'Cloud KMS (1 key)',
      detail:
        `1 key version (CodeMie's ENCRYPTION_TYPE=gcp) × $${prices.kms.keyVersionMonth}/month + ` +
        `${kmsOps.toLocaleString('en-US')} operations (estimate: ${KMS_OPERATIONS_PER_USER_MONTH} per user) × $${prices.kms.operationsPer10k}/10,000`,
    },
    prices.kms.keyVersionMonth +
      (kmsOps / 10_000) * prices.kms.operationsPer10k,
  );

  const logGiB = Math.round(containerLogGiBPerDay(users) * DAYS_PER_MONTH);
  const billedLogGiB = Math.max(0, logGiB - prices.logging.freeGiBPerMonth);
  add(
    {
      id: 'logging',
      label: 'Cloud Logging (beyond the free tier)',
      detail:
        `estimate: GKE sends about ${logGiB} GiB of container and system logs a month; the first ` +
        `${prices.logging.freeGiBPerMonth} GiB are free, ${billedLogGiB} GiB × $${prices.logging.perGiB}/GiB`,
      estimate: true,
    },
    billedLogGiB * prices.logging.perGiB,
  );

  if ((input.option ?? 'public') === 'private') {
    const bastion = prices.bastion;
    const basePrice = prices.machineTypes[bastion.derivedFrom]?.price[region];
    if (!basePrice)
      throw new Error(`No price for ${bastion.derivedFrom} in ${region}`);
    const bootDiskPrice = prices.disks[bastion.bootDiskType][region];
    add(
      {
        id: 'bastion',
        label: `Bastion VM (${bastion.machineType}, private cluster)`,
        detail:
          `${bastion.fraction} × $${basePrice.hour}/h (${bastion.derivedFrom}) × ${hours} h + ` +
          `${bastion.bootDiskGiB} GiB ${bastion.bootDiskType} boot disk`,
      },
      bastion.fraction * basePrice.hour * hours +
        bastion.bootDiskGiB * bootDiskPrice,
    );
  }

  const total = cents(items.reduce((sum, i) => sum + i.monthlyUsd, 0));
  const nodesLine = items[0].monthlyUsd;
  const bootLine = items[1].monthlyUsd;
  const alternative = (
    pricing: NodePricingAlternative['pricing'],
    nodesMonthly: number,
  ): NodePricingAlternative => ({
    pricing,
    nodesMonthlyUsd: cents(nodesMonthly),
    totalMonthlyUsd: cents(total - nodesLine + cents(nodesMonthly)),
  });
  const atMax = cents(
    total -
      nodesLine -
      bootLine +
      cents(nodesUsd(plan.maxNodes)) +
      cents(
        plan.monthlyCostAtMax?.bootDisks ??
          (plan.monthlyCost.bootDisks / plan.minNodes) * plan.maxNodes,
      ),
  );

  return {
    region,
    currency: prices.currency,
    lineItems: items,
    totalMonthlyUsd: total,
    range: {
      minNodes: plan.minNodes,
      maxNodes: plan.maxNodes,
      atMinNodesUsd: total,
      atMaxNodesUsd: atMax,
    },
    nodePricingAlternatives: [
      alternative('spot', plan.minNodes * machinePrice.hour_spot * hours),
      alternative('committed-1y', plan.minNodes * machinePrice.month_1y),
      alternative('committed-3y', plan.minNodes * machinePrice.month_3y),
    ],
    sources: [
      `Machines, disks, Cloud NAT: ${prices.source}`,
      `GKE: ${prices.gke.source}`,
      `Cloud SQL: ${sql.source}; regions without their own figures: ${sql.regionalPolicy}`,
      `Load balancing: ${prices.loadBalancer.source}`,
      `Network egress: ${prices.networkEgress.source}`,
      `Cloud DNS: ${prices.cloudDns.source}`,
      `Secret Manager: ${prices.secretManager.source}`,
      `Cloud KMS: ${prices.kms.source}`,
      `Cloud Logging: ${prices.logging.source}`,
      `Bastion: ${prices.bastion.source}`,
    ],
    pricesDate: prices.date,
    servicePricesDate: prices.servicesDate,
  };
}

/** Database users get one Secret Manager secret each (planEnvironment's resource graph). */
function databaseSecretsOf(sizing: TierSizing): number {
  return sizing.workloads.some(w => w.id === 'llm-proxy') ? 3 : 2;
}

function round4(n: number): number {
  return Math.round(n * 10000) / 10000;
}

function regionalFactor(
  region: string,
  referenceRegion: string,
  priceIn: (region: string) => number | undefined,
): number {
  const here = priceIn(region);
  const reference = priceIn(referenceRegion);
  if (!here || !reference) return 1;
  return here / reference;
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}
