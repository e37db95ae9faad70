import { planNodePool } from '../planner/planNodePool';
import { sizePreset } from '../sizing/tiers';
import { estimateMonthlyCost } from './estimateMonthlyCost';
import {
  BUNDLED_PRICES,
  UnknownRegionError,
  withPriceOverrides,
} from './prices';

const production = sizePreset('production');
const planIn = (region: string) => planNodePool(production, { region }).plan!;

describe('estimateMonthlyCost', () => {
  const plan = planIn('us-central1');
  const estimate = estimateMonthlyCost({
    sizing: production,
    plan,
    option: 'private',
  });
  const line = (id: string) => estimate.lineItems.find(i => i.id === id);

  it('has every line item of the issue, summing to the total', () => {
    expect(estimate.lineItems.map(i => i.id)).toEqual([
      'nodes',
      'node-boot-disks',
      'elasticsearch-disks',
      'cloud-sql',
      'cloud-sql-storage',
      'cloud-sql-backups',
      'gke-management',
      'cloud-nat',
      'load-balancer',
      'network-egress',
      'cloud-dns',
      'secret-manager',
      'kms',
      'logging',
      'bastion',
    ]);
    const sum = estimate.lineItems.reduce((s, i) => s + i.monthlyUsd, 0);
    expect(estimate.totalMonthlyUsd).toBeCloseTo(sum, 2);
  });

  it('prices each line from the table', () => {
    const hour =
      BUNDLED_PRICES.machineTypes[plan.machineType].price['us-central1'].hour;
    expect(line('nodes')!.monthlyUsd).toBeCloseTo(
      plan.minNodes * hour * 730,
      2,
    );
    // 2 Elasticsearch pods × 200 GiB × $0.10 (pd-balanced, us-central1).
    expect(line('elasticsearch-disks')!.monthlyUsd).toBe(40);
    // Keycloak's database is in Cloud SQL: no other volume.
    expect(line('other-volumes')).toBeUndefined();
    expect(line('gke-management')!.monthlyUsd).toBe(73);
    // Gateway $0.0448 × 730 + 100 GiB × $0.045.
    expect(line('cloud-nat')!.monthlyUsd).toBeCloseTo(32.7 + 4.5, 2);
    // db-custom-4-15360, single zone (a zonal plan), with 51 GB SSD and as much backup.
    expect(line('cloud-sql')!.monthlyUsd).toBeCloseTo(
      (4 * 0.0413 + 15 * 0.007) * 730,
      2,
    );
    expect(line('cloud-sql-storage')!.monthlyUsd).toBeCloseTo(51 * 0.17, 2);
    expect(line('cloud-sql-backups')!.monthlyUsd).toBeCloseTo(51 * 0.08, 2);
    expect(line('cloud-sql-backups')!.estimate).toBe(true);
    // 500 users × 2 GiB × $0.12; a zonal cluster has no inter-zone traffic.
    expect(line('network-egress')!.monthlyUsd).toBeCloseTo(120, 2);
    expect(line('network-egress')!.label).toMatch(/estimate/);
    expect(line('cloud-dns')!.monthlyUsd).toBeCloseTo(0.2 + 5 * 0.4, 2);
    // codemie, keycloak and litellm database passwords.
    expect(line('secret-manager')!.monthlyUsd).toBeCloseTo(3 * 0.06, 2);
    expect(line('kms')!.monthlyUsd).toBeCloseTo(0.06 + 50 * 0.03, 2);
    // (1 + 500 × 2 MiB) GiB a day × 30.4 days ≈ 60 GiB, 50 free.
    expect(line('logging')!.monthlyUsd).toBeCloseTo(10 * 0.5, 2);
    // e2-small = a quarter of e2-standard-2, plus a 10 GiB boot disk.
    const e2s2 =
      BUNDLED_PRICES.machineTypes['e2-standard-2'].price['us-central1'].hour;
    expect(line('bastion')!.monthlyUsd).toBeCloseTo(
      0.25 * e2s2 * 730 + 10 * 0.1,
      2,
    );
    // NATS is deployed in production: its internal load balancer is a second forwarding rule.
    expect(line('load-balancer')!.label).toMatch(/2 forwarding rules/);
  });

  it('has no bastion for a public cluster', () => {
    const publicEstimate = estimateMonthlyCost({ sizing: production, plan });
    expect(publicEstimate.lineItems.map(i => i.id)).not.toContain('bastion');
    expect(publicEstimate.totalMonthlyUsd).toBeLessThan(
      estimate.totalMonthlyUsd,
    );
  });

  it('shows spot and committed-use node prices as alternatives', () => {
    const byPricing = Object.fromEntries(
      estimate.nodePricingAlternatives.map(a => [a.pricing, a]),
    );
    expect(byPricing.spot.totalMonthlyUsd).toBeLessThan(
      estimate.totalMonthlyUsd,
    );
    expect(byPricing['committed-3y'].nodesMonthlyUsd).toBeLessThan(
      byPricing['committed-1y'].nodesMonthlyUsd,
    );
    expect(byPricing['committed-1y'].nodesMonthlyUsd).toBeLessThan(
      line('nodes')!.monthlyUsd,
    );
    expect(
      byPricing.spot.totalMonthlyUsd - byPricing.spot.nodesMonthlyUsd,
    ).toBeCloseTo(estimate.totalMonthlyUsd - line('nodes')!.monthlyUsd, 2);
  });

  it('doubles Cloud SQL instance and storage for high availability, on by default when regional', () => {
    const ha = estimateMonthlyCost({
      sizing: production,
      plan,
      cloudSqlHighAvailability: true,
    });
    const of = (e: typeof ha, id: string) =>
      e.lineItems.find(i => i.id === id)!.monthlyUsd;
    expect(of(ha, 'cloud-sql')).toBeCloseTo(
      2 * line('cloud-sql')!.monthlyUsd,
      1,
    );
    expect(of(ha, 'cloud-sql-storage')).toBeCloseTo(
      2 * line('cloud-sql-storage')!.monthlyUsd,
      1,
    );
    const regionalPlan = planNodePool(production, {
      region: 'us-central1',
      location: { kind: 'regional', zones: 3 },
    }).plan!;
    const regional = estimateMonthlyCost({
      sizing: production,
      plan: regionalPlan,
    });
    expect(of(regional, 'cloud-sql')).toBeCloseTo(of(ha, 'cloud-sql'), 2);
    expect(regional.lineItems.find(i => i.id === 'cloud-sql')!.label).toMatch(
      /high availability/,
    );
    // Regional clusters also pay for traffic between zones.
    expect(of(regional, 'network-egress')).toBeGreaterThan(
      line('network-egress')!.monthlyUsd,
    );
  });

  it("says when a region's Cloud SQL price is an estimate from the reference region", () => {
    const tokyo = estimateMonthlyCost({
      sizing: production,
      plan: planIn('asia-northeast1'),
    });
    const sql = tokyo.lineItems.find(i => i.id === 'cloud-sql')!;
    expect(sql.monthlyUsd).toBeGreaterThan(line('cloud-sql')!.monthlyUsd);
    expect(sql.estimate).toBe(true);
    expect(sql.detail).toMatch(/estimated: us-central1 list prices × 1\.\d{3}/);
    expect(line('cloud-sql')!.detail).toMatch(/us-central1 list prices/);
    // A region's own list price (app-config) is used as it is.
    const own = estimateMonthlyCost({
      sizing: production,
      plan: planIn('asia-northeast1'),
      prices: withPriceOverrides({
        cloudSql: {
          byRegion: {
            'asia-northeast1': {
              vcpuHour: 0.05,
              memoryGiBHour: 0.01,
              ssdGiBMonth: 0.2,
              backupGiBMonth: 0.1,
            },
          },
        },
      }),
    });
    const ownSql = own.lineItems.find(i => i.id === 'cloud-sql')!;
    expect(ownSql.estimate).toBeUndefined();
    expect(ownSql.monthlyUsd).toBeCloseTo((4 * 0.05 + 15 * 0.01) * 730, 2);
  });

  it('shows the total at the autoscaling minimum and maximum', () => {
    expect(estimate.range.minNodes).toBe(plan.minNodes);
    expect(estimate.range.maxNodes).toBe(plan.maxNodes);
    expect(estimate.range.atMinNodesUsd).toBe(estimate.totalMonthlyUsd);
    const hour =
      BUNDLED_PRICES.machineTypes[plan.machineType].price['us-central1'].hour;
    const perNode = hour * 730 + 100 * 0.1;
    expect(estimate.range.atMaxNodesUsd).toBeCloseTo(
      estimate.totalMonthlyUsd + (plan.maxNodes - plan.minNodes) * perNode,
      1,
    );
    expect(line('nodes')!.detail).toMatch(
      new RegExp(`up to ${plan.maxNodes} nodes`),
    );
  });

  it('uses overridden prices (app-config)', () => {
    const prices = withPriceOverrides({ gke: { managementFeeHour: 0 } });
    const overridden = estimateMonthlyCost({
      sizing: production,
      plan,
      prices,
    });
    expect(
      overridden.lineItems.find(i => i.id === 'gke-management')!.monthlyUsd,
    ).toBe(0);
  });

  it('states its sources and the price date', () => {
    expect(estimate.pricesDate).toBe('2026-07-30');
    expect(estimate.sources.join('\n')).toMatch(/Cyclenerd/);
    expect(estimate.sources.join('\n')).toMatch(/Cloud SQL/);
  });

  it('throws a clear error for an unknown region', () => {
    expect(() =>
      estimateMonthlyCost({
        sizing: production,
        plan: { ...plan, region: 'moon-1' },
      }),
    ).toThrow(UnknownRegionError);
  });
});
