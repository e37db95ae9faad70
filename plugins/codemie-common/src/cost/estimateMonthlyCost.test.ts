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
      'other-volumes',
      'cloud-sql',
      'gke-management',
      'cloud-nat',
      'load-balancer',
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
    expect(line('other-volumes')!.monthlyUsd).toBe(0.1);
    expect(line('gke-management')!.monthlyUsd).toBe(73);
    // Gateway $0.0448 × 730 + 100 GiB × $0.045.
    expect(line('cloud-nat')!.monthlyUsd).toBeCloseTo(32.7 + 4.5, 2);
    // db-custom-4-15360 with 50 GB SSD in the reference region.
    expect(line('cloud-sql')!.monthlyUsd).toBeCloseTo(
      (4 * 0.0413 + 15 * 0.007) * 730 + 50 * 0.17,
      2,
    );
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

  it('doubles Cloud SQL for high availability', () => {
    const ha = estimateMonthlyCost({
      sizing: production,
      plan,
      cloudSqlHighAvailability: true,
    });
    const sql = ha.lineItems.find(i => i.id === 'cloud-sql')!.monthlyUsd;
    expect(sql).toBeCloseTo(2 * line('cloud-sql')!.monthlyUsd, 1);
  });

  it('prices Cloud SQL higher where Compute Engine is dearer', () => {
    const tokyo = estimateMonthlyCost({
      sizing: production,
      plan: planIn('asia-northeast1'),
    });
    const sql = tokyo.lineItems.find(i => i.id === 'cloud-sql')!.monthlyUsd;
    expect(sql).toBeGreaterThan(line('cloud-sql')!.monthlyUsd);
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
