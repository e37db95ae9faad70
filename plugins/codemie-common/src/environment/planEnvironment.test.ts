import { validateEnvironmentInput } from './validateEnvironmentInput';
import { PlanningError } from '../planner';
import { pricedRegions } from '../cost';
import { SIZING_PRESETS } from '../sizing';
import { planEnvironment } from './planEnvironment';

const base = {
  name: 'codemie-dev',
  projectId: 'acme-ai-platform',
  region: 'europe-west1',
  domain: 'codemie.example.com',
  sizing: {
    concurrentUsers: 500,
    vectorDatasourceGiB: 100,
    logRetentionDays: 30,
    llmProxyType: 'litellm',
    includeNats: true,
  },
};
const publicInput = validateEnvironmentInput({
  ...base,
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
});
const privateInput = validateEnvironmentInput({
  ...base,
  option: 'private',
  bastionMembers: ['group:platform@example.com'],
});

function topologicalOrder(resources: { id: string; dependsOn: string[] }[]) {
  const done = new Set<string>();
  const order: string[] = [];
  while (order.length < resources.length) {
    const ready = resources.filter(
      r => !done.has(r.id) && r.dependsOn.every(d => done.has(d)),
    );
    if (ready.length === 0) throw new Error('cycle or dangling dependency');
    for (const r of ready) {
      done.add(r.id);
      order.push(r.id);
    }
  }
  return order;
}

describe('planEnvironment', () => {
  it('recognises the production preset and prices its node pool', () => {
    const plan = planEnvironment(publicInput);
    expect(plan.sizing.tier).toBe('production');
    expect(plan.nodePool.minNodes).toBeGreaterThanOrEqual(3);
    expect(plan.cost.totalMonthlyUsd).toBeGreaterThan(0);
    expect(plan.databases).toEqual(['codemie', 'keycloak', 'litellm']);
    expect(plan.labels).toEqual({
      'codemie-environment': 'codemie-dev',
      'managed-by': 'backstage',
    });
  });

  it('builds an acyclic resource graph whose dependencies all exist', () => {
    for (const input of [publicInput, privateInput]) {
      const { resources } = planEnvironment(input);
      const ids = resources.map(r => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(topologicalOrder(resources)).toHaveLength(resources.length);
    }
  });

  it('adds the bastion, its IAP firewall and access only to the private option', () => {
    const publicIds = planEnvironment(publicInput).resources.map(r => r.id);
    const privateIds = planEnvironment(privateInput).resources.map(r => r.id);
    expect(publicIds).not.toEqual(
      expect.arrayContaining(['bastion', 'firewall-iap-ssh', 'bastion-access']),
    );
    expect(privateIds).toEqual(
      expect.arrayContaining(['bastion', 'firewall-iap-ssh', 'bastion-access']),
    );
  });

  it('lets independent resources start together: the cluster does not wait for Cloud SQL', () => {
    const { resources } = planEnvironment(privateInput);
    const byId = new Map(resources.map(r => [r.id, r]));
    const ancestors = (id: string): Set<string> => {
      const out = new Set<string>();
      const visit = (x: string) =>
        byId.get(x)!.dependsOn.forEach(d => {
          out.add(d);
          visit(d);
        });
      visit(id);
      return out;
    };
    expect(ancestors('cluster').has('sql-instance')).toBe(false);
    expect(ancestors('sql-instance').has('cluster')).toBe(false);
    expect(ancestors('node-pool')).toEqual(
      new Set([
        'cluster',
        'subnetwork',
        'network',
        'services',
        'node-iam',
        'node-service-account',
      ]),
    );
  });

  it('skips the litellm database when the LLM proxy is external', () => {
    const input = validateEnvironmentInput({
      ...base,
      option: 'public',
      allowedNetworks: ['203.0.113.0/24'],
      sizing: { ...base.sizing, llmProxyType: 'external' },
    });
    const plan = planEnvironment(input);
    expect(plan.databases).toEqual(['codemie', 'keycloak']);
    expect(plan.resources.map(r => r.id)).not.toContain('sql-database-litellm');
  });

  it('says why when no machine family fits', () => {
    expect(() =>
      planEnvironment(publicInput, { machineFamilies: ['no-such-family'] }),
    ).toThrow(PlanningError);
  });
});

describe('tiers and the bill', () => {
  const presets = ['small', 'medium', 'large', 'production'] as const;

  it('makes each tier strictly cheaper than the next, in every region, zonal and regional', () => {
    for (const region of pricedRegions()) {
      for (const regional of [false, true]) {
        const totals = presets.map(
          p =>
            planEnvironment(
              validateEnvironmentInput({
                ...base,
                region,
                regional,
                option: 'public',
                allowedNetworks: ['203.0.113.0/24'],
                sizing: SIZING_PRESETS[p],
              }),
            ).cost.totalMonthlyUsd,
        );
        for (let i = 1; i < totals.length; i++)
          expect({
            region,
            regional,
            cheaper: totals[i - 1] < totals[i],
          }).toEqual({
            region,
            regional,
            cheaper: true,
          });
      }
    }
  });

  it('gives a regional cluster a highly available database, priced, and a zonal one a single zone', () => {
    const regional = planEnvironment({ ...publicInput, regional: true });
    const zonal = planEnvironment({ ...publicInput, regional: false });
    expect(regional.database.highAvailability).toBe(true);
    expect(zonal.database.highAvailability).toBe(false);
    expect(regional.zoneCount).toBe(3);
    expect(zonal.zoneCount).toBe(1);
    const sql = (p: typeof regional) =>
      p.cost.lineItems.find(l => l.id === 'cloud-sql')!;
    expect(sql(regional).label).toMatch(/high availability/);
    expect(sql(regional).monthlyUsd).toBeCloseTo(2 * sql(zonal).monthlyUsd, 1);
  });

  it('prices the DNS zone only when the environment creates one', () => {
    const ids = (createDnsZone: boolean) =>
      planEnvironment({ ...publicInput, createDnsZone }).cost.lineItems.map(
        l => l.id,
      );
    expect(ids(true)).toContain('cloud-dns');
    expect(ids(false)).not.toContain('cloud-dns');
  });
});
