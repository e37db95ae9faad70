/**
 * The bundled Google Cloud price table (USD) and its overrides.
 *
 * Machine, disk and Cloud NAT prices are `data/gcp-prices-2026-07-30.json`
 * (Cyclenerd/google-cloud-pricing-cost-calculator, generated 2026-07-30 from the Cloud Billing
 * Catalog API). The other services' list prices (Cloud SQL, load balancing, egress, Cloud DNS,
 * Secret Manager, KMS, Cloud Logging) are `data/gcp-service-prices-2026-11-29.json`, each section
 * with its public source; the GKE fee and the bastion's derivation are here. The backend can
 * override any of it from app-config.
 */
import bundledJson from './data/gcp-prices-2026-07-30.json';
import servicesJson from './data/gcp-service-prices-2026-11-29.json';

/**
 * Persistent Disk types priced in the table.
 *
 * @public
 */
export type DiskType = 'pd-balanced' | 'pd-ssd' | 'pd-standard';

/**
 * Every persistent disk type the price table prices.
 *
 * @public
 */
export const DISK_TYPES: readonly DiskType[] = [
  'pd-balanced',
  'pd-ssd',
  'pd-standard',
];

/**
 * Prices of one machine type in one region.
 *
 * @public
 */
export interface MachinePrice {
  /** On-demand, per hour. */
  hour: number;
  /** Spot, per hour. */
  hour_spot: number;
  /** 1-year committed use, per month (730 h). */
  month_1y: number;
  /** 3-year committed use, per month (730 h). */
  month_3y: number;
}

/**
 * One Compute Engine machine type: its vCPUs, memory, and prices by region.
 *
 * @public
 */
export interface MachineTypeInfo {
  /** vCPUs of one machine. */
  vcpu: number;
  /** Memory of one machine, GiB. */
  memoryGiB: number;
  /** Prices by region. */
  price: Record<string, MachinePrice>;
}

/**
 * Everything the planner and the cost estimate price, per region where prices differ.
 *
 * @public
 */
export interface PriceTable {
  /** Where the machine/disk/NAT prices come from. */
  source: string;
  /** The date the machine/disk/NAT prices were generated (YYYY-MM-DD). */
  date: string;
  /** The currency of every price (`USD`). */
  currency: string;
  /** Hours in a billing month. */
  hoursPerMonth: number;
  /** Compute Engine machine types, by name. */
  machineTypes: Record<string, MachineTypeInfo>;
  /** Per GB-month, by disk type and region. */
  disks: Record<DiskType, Record<string, number>>;
  /** Cloud NAT prices. */
  nat: {
    /** Gateway, per hour, by region. */
    gatewayHour: Record<string, number>;
    /** Data processed, per GiB, by region. */
    dataPerGiB: Record<string, number>;
  };
  /** The GKE cluster management fee, per hour. */
  gke: { managementFeeHour: number; source: string };
  /** Cloud Load Balancing: forwarding rules and data processed, by region. */
  loadBalancer: {
    /** Region whose figures stand in for a region missing from `byRegion`. */
    referenceRegion: string;
    byRegion: Record<
      string,
      { forwardingRuleHour: number; dataPerGiB: number }
    >;
    source: string;
  };
  /** Cloud SQL Enterprise prices, by region. */
  cloudSql: {
    /** Region whose figures stand in for a region missing from `byRegion`. */
    referenceRegion: string;
    byRegion: Record<string, CloudSqlPrices>;
    /** Instances with high availability pay vCPU, memory and storage this many times. */
    highAvailabilityFactor: number;
    source: string;
    /** How a region missing from `byRegion` is priced. */
    regionalPolicy: string;
  };
  /** Network egress, per GiB: to the internet and between zones. */
  networkEgress: {
    internetPerGiB: number;
    interZonePerGiB: number;
    source: string;
  };
  /** Cloud DNS: per managed zone and month, and per million queries. */
  cloudDns: { zoneMonth: number; queriesPerMillion: number; source: string };
  /** Secret Manager: per active secret version and month, and per 10 000 accesses. */
  secretManager: { versionMonth: number; accessPer10k: number; source: string };
  /** Cloud KMS: per key version and month, and per 10 000 operations. */
  kms: { keyVersionMonth: number; operationsPer10k: number; source: string };
  /** Cloud Logging: the free monthly allotment and the price per GiB beyond it. */
  logging: { freeGiBPerMonth: number; perGiB: number; source: string };
  /** The date the service prices were read (YYYY-MM-DD). */
  servicesDate: string;
  /** How the private option's bastion VM is priced. */
  bastion: {
    machineType: string;
    /** The bastion is priced as this fraction of `derivedFrom`'s price in the region. */
    derivedFrom: string;
    fraction: number;
    bootDiskGiB: number;
    bootDiskType: DiskType;
    source: string;
  };
}

/**
 * Cloud SQL Enterprise prices of one region.
 *
 * @public
 */
export interface CloudSqlPrices {
  /** Per vCPU-hour. */
  vcpuHour: number;
  /** Per GiB-hour of memory. */
  memoryGiBHour: number;
  /** Per GiB-month of SSD storage. */
  ssdGiBMonth: number;
  /** Per GiB-month of backups. */
  backupGiBMonth: number;
}

/**
 * Recursive partial of a price table: what app-config may override.
 *
 * @public
 */
export type PriceOverrides = {
  [K in keyof PriceTable]?: DeepPartial<PriceTable[K]>;
};

/**
 * `T` with every property optional at every depth (the shape of price overrides).
 *
 * @public
 */
export type DeepPartial<T> = T extends object
  ? { [K in keyof T]?: DeepPartial<T[K]> }
  : T;

function monthlyToHourly(
  byRegion: Record<string, { hour: number }>,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(byRegion).map(([r, v]) => [r, v.hour]),
  );
}

/**
 * The price table bundled with the package (machine, disk and NAT prices of 2026-07-30).
 *
 * @public
 */
export const BUNDLED_PRICES: PriceTable = {
  source: bundledJson.source,
  date: '2026-07-30',
  currency: bundledJson.currency,
  hoursPerMonth: 730,
  machineTypes: bundledJson.machineTypes as Record<string, MachineTypeInfo>,
  disks: bundledJson.disks,
  nat: {
    gatewayHour: monthlyToHourly(bundledJson.nat.gateway.cost),
    dataPerGiB: Object.fromEntries(
      Object.entries(bundledJson.nat.data.cost).map(([r, v]) => [r, v.month]),
    ),
  },
  gke: {
    managementFeeHour: 0.1,
    source:
      'cloud.google.com/kubernetes-engine/pricing: $0.10 per cluster-hour, every region (the $74.40/month ' +
      'free-tier credit for one zonal or Autopilot cluster per billing account is not applied)',
  },
  loadBalancer: servicesJson.loadBalancer,
  cloudSql: {
    ...servicesJson.cloudSql,
    regionalPolicy:
      "a region without its own figures is priced at the reference region's, scaled by the region's " +
      "n2-standard-8 on-demand price over the reference region's (vCPU and memory) and by its pd-ssd price (storage); " +
      'the bill line says when it is such an estimate',
  },
  networkEgress: servicesJson.networkEgress,
  cloudDns: servicesJson.cloudDns,
  secretManager: servicesJson.secretManager,
  kms: servicesJson.kms,
  logging: servicesJson.logging,
  servicesDate: servicesJson.date,
  bastion: {
    machineType: 'e2-small',
    derivedFrom: 'e2-standard-2',
    fraction: 0.25,
    bootDiskGiB: 10,
    bootDiskType: 'pd-balanced',
    source:
      'e2-small is not in the table; it bills 0.5 vCPU and 2 GB, a quarter of e2-standard-2 ' +
      '(2 vCPU, 8 GB) at E2 per-vCPU/per-GB rates, so it is priced at 1/4 of e2-standard-2 in the region',
  },
};

/**
 * Thrown for a region the price table has no prices for.
 *
 * @public
 */
export class UnknownRegionError extends Error {
  /** The region asked for. */
  readonly region: string;
  /** The regions the table prices. */
  readonly knownRegions: string[];

  constructor(region: string, knownRegions: string[]) {
    super(
      `Unknown region "${region}": the price table has prices for ${knownRegions.join(', ')}`,
    );
    this.name = 'UnknownRegionError';
    this.region = region;
    this.knownRegions = knownRegions;
  }
}

/**
 * Regions the table prices (those with a pd-balanced price and a Cloud NAT price).
 *
 * @public
 */
export function pricedRegions(prices: PriceTable = BUNDLED_PRICES): string[] {
  return Object.keys(prices.disks['pd-balanced'])
    .filter(r => r in prices.nat.gatewayHour)
    .sort();
}

/**
 * Checks that `prices` can price `region` (it has machine, disk and Cloud NAT prices there).
 *
 * @throws UnknownRegionError when `region` is not in the table.
 * @public
 */
export function assertPricedRegion(
  region: string,
  prices: PriceTable = BUNDLED_PRICES,
): void {
  const regions = pricedRegions(prices);
  if (!regions.includes(region)) throw new UnknownRegionError(region, regions);
}

/**
 * The bundled table with `overrides` merged in (deeply: override one price, keep the rest).
 *
 * @public
 */
export function withPriceOverrides(
  overrides: PriceOverrides = {},
  base: PriceTable = BUNDLED_PRICES,
): PriceTable {
  return deepMerge(base, overrides) as PriceTable;
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = deepMerge(base[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
