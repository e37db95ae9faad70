import {
  BUNDLED_PRICES,
  UnknownRegionError,
  assertPricedRegion,
  pricedRegions,
  withPriceOverrides,
} from './prices';

describe('bundled prices', () => {
  it('keep the source and date of the reference table', () => {
    expect(BUNDLED_PRICES.source).toMatch(
      /Cyclenerd\/google-cloud-pricing-cost-calculator/,
    );
    expect(BUNDLED_PRICES.date).toBe('2026-07-30');
    expect(BUNDLED_PRICES.source).toContain(BUNDLED_PRICES.date);
  });

  it('price 66 machine types in 12 regions', () => {
    const regions = pricedRegions();
    expect(regions).toHaveLength(12);
    expect(Object.keys(BUNDLED_PRICES.machineTypes)).toHaveLength(66);
    for (const [name, info] of Object.entries(BUNDLED_PRICES.machineTypes)) {
      expect({ name, regions: Object.keys(info.price).sort() }).toEqual({
        name,
        regions,
      });
    }
  });

  it('carry the figures quoted in gcp-facts.md', () => {
    const e2 = BUNDLED_PRICES.machineTypes['e2-standard-8'];
    expect(e2.price['us-central1'].hour).toBeCloseTo(0.268046, 6);
    expect(e2.price['europe-west1'].hour).toBeCloseTo(0.294862, 6);
    expect(BUNDLED_PRICES.disks['pd-balanced']['us-central1']).toBe(0.1);
    expect(BUNDLED_PRICES.nat.gatewayHour['us-central1']).toBe(0.0448);
    expect(BUNDLED_PRICES.gke.managementFeeHour).toBe(0.1);
    expect(BUNDLED_PRICES.cloudSql.byRegion['us-central1'].vcpuHour).toBe(
      0.0413,
    );
  });

  it('name the source of every price the reference table lacks', () => {
    for (const extra of [
      BUNDLED_PRICES.gke,
      BUNDLED_PRICES.loadBalancer,
      BUNDLED_PRICES.cloudSql,
      BUNDLED_PRICES.bastion,
      BUNDLED_PRICES.networkEgress,
      BUNDLED_PRICES.cloudDns,
      BUNDLED_PRICES.secretManager,
      BUNDLED_PRICES.kms,
      BUNDLED_PRICES.logging,
    ]) {
      expect(extra.source.length).toBeGreaterThan(20);
    }
  });
});

describe('withPriceOverrides', () => {
  it('overrides one price and keeps the rest', () => {
    const prices = withPriceOverrides({
      machineTypes: {
        'e2-standard-8': { price: { 'us-central1': { hour: 0.2 } } },
      },
      gke: { managementFeeHour: 0 },
    });
    const e2 = prices.machineTypes['e2-standard-8'];
    expect(e2.price['us-central1'].hour).toBe(0.2);
    expect(e2.price['us-central1'].hour_spot).toBe(
      BUNDLED_PRICES.machineTypes['e2-standard-8'].price['us-central1']
        .hour_spot,
    );
    expect(e2.vcpu).toBe(8);
    expect(prices.gke.managementFeeHour).toBe(0);
    expect(prices.gke.source).toBe(BUNDLED_PRICES.gke.source);
    // The bundled table itself is untouched.
    expect(
      BUNDLED_PRICES.machineTypes['e2-standard-8'].price['us-central1'].hour,
    ).toBeCloseTo(0.268046, 6);
  });
});

describe('unknown region', () => {
  it('is a clear error listing the known regions', () => {
    expect(() => assertPricedRegion('us-central9')).toThrow(UnknownRegionError);
    let error: unknown;
    try {
      assertPricedRegion('us-central9');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      region: 'us-central9',
      knownRegions: expect.arrayContaining(['europe-west3', 'us-central1']),
      message: expect.stringMatching(/^Unknown region "us-central9"/),
    });
  });
});
