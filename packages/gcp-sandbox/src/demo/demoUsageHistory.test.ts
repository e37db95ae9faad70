import { demoUsageHistory, workingDayLoad } from './demoUsageHistory';

// A Monday, 10:00 UTC.
const NOW = Date.parse('2026-11-30T10:00:00Z');
const components = [
  {
    id: 'codemie-api',
    pods: 1,
    cpuRequestsMillis: 1000,
    memoryRequestsMiB: 2048,
  },
  {
    id: 'mermaid-server',
    pods: 1,
    cpuRequestsMillis: 250,
    memoryRequestsMiB: 512,
  },
  {
    id: 'elasticsearch',
    pods: 2,
    cpuRequestsMillis: 2000,
    memoryRequestsMiB: 4096,
    storageCapacityGiB: 60,
  },
];

const at = (iso: string) => Date.parse(iso);

describe('demoUsageHistory', () => {
  const samples = demoUsageHistory({
    now: NOW,
    components,
    profiles: {
      'codemie-api': 'busy',
      'mermaid-server': 'over-provisioned',
      elasticsearch: 'disk-growing',
    },
  });
  const of = (id: string) => samples.filter(s => s.component === id);

  it('covers the week before now at the sampler’s 5 minutes, per component, oldest first', () => {
    const api = of('codemie-api');
    expect(api).toHaveLength(7 * 24 * 12);
    expect(api[api.length - 1].at).toBeLessThan(NOW);
    expect(NOW - api[0].at).toBeLessThanOrEqual(7 * 24 * 3_600_000);
    expect(
      api.every((s, i) => i === 0 || s.at - api[i - 1].at === 300_000),
    ).toBe(true);
  });

  it('follows a working week: busy weekday afternoons, quiet nights and weekends', () => {
    expect(workingDayLoad(at('2026-11-26T13:00:00Z'))).toBeGreaterThan(0.9); // Thursday 14:00 CET
    expect(workingDayLoad(at('2026-11-26T02:00:00Z'))).toBeLessThan(0.1);
    expect(workingDayLoad(at('2026-11-28T13:00:00Z'))).toBeLessThan(0.35); // Saturday
    const api = of('codemie-api');
    const cpuAt = (iso: string) => api.find(s => s.at === at(iso))!.cpuUsage;
    expect(cpuAt('2026-11-26T13:00:00Z')).toBeGreaterThan(0.8 * 1000);
    expect(cpuAt('2026-11-26T02:00:00Z')).toBeLessThan(0.5 * 1000);
    expect(cpuAt('2026-11-28T13:00:00Z')).toBeLessThan(
      cpuAt('2026-11-26T13:00:00Z'),
    );
  });

  it('keeps each profile’s character and never uses more memory than the limit', () => {
    const mermaid = of('mermaid-server');
    expect(
      Math.max(...mermaid.map(s => s.cpuUsage / s.cpuRequests)),
    ).toBeLessThan(0.1);
    expect(
      Math.max(...mermaid.map(s => s.memoryUsage / s.memoryRequests)),
    ).toBeLessThan(0.2);
    expect(samples.every(s => s.memoryUsage < s.memoryRequests)).toBe(true);
    const es = of('elasticsearch');
    const first = es[0].storageUsedGiB! / 60;
    const last = es[es.length - 1].storageUsedGiB! / 60;
    expect(first).toBeGreaterThan(0.5);
    expect(first).toBeLessThan(0.6);
    expect(last).toBeGreaterThan(0.85);
    expect(es.every(s => s.storageCapacityGiB === 60)).toBe(true);
    expect(of('codemie-api').every(s => s.storageUsedGiB === undefined)).toBe(
      true,
    );
  });

  it('is the same on every start (seeded), and another seed varies only the noise', () => {
    const again = demoUsageHistory({
      now: NOW,
      components,
      profiles: { 'codemie-api': 'busy' },
    });
    expect(
      demoUsageHistory({
        now: NOW,
        components,
        profiles: { 'codemie-api': 'busy' },
      }),
    ).toEqual(again);
    const other = demoUsageHistory({
      now: NOW,
      components,
      seed: 7,
      profiles: { 'codemie-api': 'busy' },
    });
    expect(other).not.toEqual(again);
    const diff = other.map(
      (s, i) => Math.abs(s.cpuUsage - again[i].cpuUsage) / s.cpuRequests,
    );
    expect(Math.max(...diff)).toBeLessThan(0.11);
  });

  it('refuses a step under a minute or a history of months rather than exhausting memory', () => {
    expect(() =>
      demoUsageHistory({ now: NOW, components, intervalMinutes: 0.0001 }),
    ).toThrow(/intervalMinutes must be at least 1 \(got 0.0001\)/);
    expect(() =>
      demoUsageHistory({ now: NOW, components, intervalMinutes: 0 }),
    ).toThrow(RangeError);
    expect(() =>
      demoUsageHistory({ now: NOW, components, days: 3650 }),
    ).toThrow(/days between 0 and 90/);
  });
});
