/**
 * Monthly cost of an environment, line by line, from a sizing, a node-pool plan and the price
 * table. Months are the price table's 730 hours.
 */
import { TierSizing } from '../sizing/tiers';
import { NodePoolPlan } from '../planner/planNodePool';
import {
  BUNDLED_PRICES,
  DiskType,
  PriceTable,
  assertPricedRegion,
} from './prices';

/**
 * @public
 */
export interface CostEstimateInput {
  sizing: TierSizing;
  /** The chosen node pool (its region is the environment's region). */
  plan: NodePoolPlan;
  /** `private` adds the bastion VM. Default `public`. */
  option?: 'public' | 'private';
  /** Storage class of the persistent volumes. Default pd-balanced. */
  volumeDiskType?: DiskType;
  /** Cloud SQL high availability (a standby in a second zone doubles instance and storage). Default false. */
  cloudSqlHighAvailability?: boolean;
  /** Data through Cloud NAT per month, GiB (image pulls, LLM API calls). Default 100. */
  natDataGiBPerMonth?: number;
  /** Data through the ingress load balancer per month, GiB. Default 100. */
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
  id:
    | 'nodes'
    | 'node-boot-disks'
    | 'elasticsearch-disks'
    | 'other-volumes'
    | 'cloud-sql'
    | 'gke-management'
    | 'cloud-nat'
    | 'load-balancer'
    | 'bastion';
  label: string;
  /** USD per month, rounded to cents. */
  monthlyUsd: number;
  /** How the figure was computed. */
  detail: string;
}

/**
 * Node VMs priced another way, with the estimate's total if they were.
 *
 * @public
 */
export interface NodePricingAlternative {
  pricing: 'spot' | 'committed-1y' | 'committed-3y';
  nodesMonthlyUsd: number;
  totalMonthlyUsd: number;
}

/**
 * @public
 */
export interface CostEstimate {
  region: string;
  currency: string;
  lineItems: CostLineItem[];
  /** Sum of the line items (on-demand nodes). */
  totalMonthlyUsd: number;
  nodePricingAlternatives: NodePricingAlternative[];
  /** Where the prices come from. */
  sources: string[];
  /** The price table's date. */
  pricesDate: string;
}

/**
 * Estimates the monthly cost of an environment.
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

  const items: CostLineItem[] = [];
  const add = (item: Omit<CostLineItem, 'monthlyUsd'>, usd: number) =>
    items.push({ ...item, monthlyUsd: cents(usd) });

  const nodesUsd = plan.minNodes * machinePrice.hour * hours;
  add(
    {
      id: 'nodes',
      label: `GKE nodes (${plan.minNodes} × ${plan.machineType}, on-demand)`,
      detail: `${plan.minNodes} × $${machinePrice.hour}/h × ${hours} h`,
    },
    nodesUsd,
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
  const otherGiB = sizing.workloads
    .filter(w => w.id !== 'elasticsearch')
    .reduce((sum, w) => sum + w.replicas * w.storageGiBPerPod, 0);
  add(
    {
      id: 'other-volumes',
      label: `Other persistent volumes (${volumeDisk})`,
      detail: `${otherGiB} GiB (Keycloak's database) × $${diskPrice}/GiB-month`,
    },
    otherGiB * diskPrice,
  );

  const sql = prices.cloudSql;
  const computeFactor = regionalFactor(
    region,
    sql.referenceRegion,
    r => prices.machineTypes['n2-standard-8']?.price[r]?.hour,
  );
  const storageFactor = regionalFactor(
    region,
    sql.referenceRegion,
    r => prices.disks['pd-ssd'][r],
  );
  const ha = input.cloudSqlHighAvailability ? 2 : 1;
  const pg = sizing.postgresql;
  const memoryGiB = pg.memoryMiB / 1024;
  const sqlUsd =
    ha *
    ((pg.vcpu * sql.vcpuHour + memoryGiB * sql.memoryGiBHour) *
      hours *
      computeFactor +
      pg.storageGiB * sql.ssdGiBMonth * storageFactor);
  add(
    {
      id: 'cloud-sql',
      label: `Cloud SQL for PostgreSQL (${pg.tier}, ${pg.storageGiB} GB SSD${ha === 2 ? ', HA' : ''})`,
      detail:
        `${ha === 2 ? '2 × (' : '('}${pg.vcpu} vCPU × $${sql.vcpuHour}/h + ${memoryGiB} GiB × $${sql.memoryGiBHour}/h) × ${hours} h` +
        ` × ${computeFactor.toFixed(3)} (region) + ${pg.storageGiB} GB × $${sql.ssdGiBMonth} × ${storageFactor.toFixed(3)} (region)`,
    },
    sqlUsd,
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
      detail: `gateway $${natHour}/h × ${hours} h + ${natData} GiB × $${natPerGiB}/GiB`,
    },
    natHour * hours + natData * natPerGiB,
  );

  const natsDeployed = sizing.workloads.some(w => w.id === 'nats');
  const rules = input.forwardingRules ?? (natsDeployed ? 2 : 1);
  const lbData = input.loadBalancerDataGiBPerMonth ?? 100;
  const lb = prices.loadBalancer;
  add(
    {
      id: 'load-balancer',
      label: `Load balancing (${rules} forwarding rule${rules === 1 ? '' : 's'})`,
      // The first five forwarding rules are billed together at one hourly rate.
      detail: `${Math.ceil(rules / 5)} × $${lb.forwardingRuleHour}/h × ${hours} h + ${lbData} GiB × $${lb.dataPerGiB}/GiB`,
    },
    Math.ceil(rules / 5) * lb.forwardingRuleHour * hours +
      lbData * lb.dataPerGiB,
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
  const alternative = (
    pricing: NodePricingAlternative['pricing'],
    nodesMonthly: number,
  ): NodePricingAlternative => ({
    pricing,
    nodesMonthlyUsd: cents(nodesMonthly),
    totalMonthlyUsd: cents(total - nodesLine + cents(nodesMonthly)),
  });

  return {
    region,
    currency: prices.currency,
    lineItems: items,
    totalMonthlyUsd: total,
    nodePricingAlternatives: [
      alternative('spot', plan.minNodes * machinePrice.hour_spot * hours),
      alternative('committed-1y', plan.minNodes * machinePrice.month_1y),
      alternative('committed-3y', plan.minNodes * machinePrice.month_3y),
    ],
    sources: [
      `Machines, disks, Cloud NAT: ${prices.source}`,
      `GKE: ${prices.gke.source}`,
      `Load balancing: ${prices.loadBalancer.source}`,
      `Cloud SQL: ${sql.source}; other regions: ${sql.regionalPolicy}`,
      `Bastion: ${prices.bastion.source}`,
    ],
    pricesDate: prices.date,
  };
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
