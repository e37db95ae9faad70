import { sizePreset } from '@codemie-gcp/plugin-codemie-common';
import { UsageSample, adviseSizing } from './adviseSizing';
import { CostContext, monthlyCostOf } from './costModel';

const NOW = Date.parse('2026-08-03T10:00:00Z');
const HOUR = 3_600_000;
const sizing = sizePreset('small');
const cost: CostContext = {
  region: 'europe-west3',
  machineType: 'e2-standard-8',
  location: { kind: 'zonal' },
  option: 'public',
};

/** Hourly samples of one component over `hours` up to now. */
function series(
  component: string,
  hours: number,
  sample: (i: number) => Omit<UsageSample, 'at' | 'component'>,
): UsageSample[] {
  return Array.from({ length: hours + 1 }, (_, i) => ({
    at: NOW - (hours - i) * HOUR,
    component,
    ...sample(i),
  }));
}

const api = (cpu: number) => ({
  pods: 1,
  cpuUsage: cpu,
  cpuRequests: 1000,
  memoryUsage: 1000,
  memoryRequests: 2048,
});

describe('adviseSizing', () => {
  it('gives no advice, and says why, while the history is shorter than the minimum', () => {
    expect(adviseSizing({ samples: [], now: NOW, sizing, cost })).toEqual({
      advice: [],
      note: 'No usage history yet; advice needs 24 h of samples.',
    });
    // 23 hours of a saturated API are still not enough.
    expect(
      adviseSizing({
        samples: series('codemie-api', 23, () => api(990)),
        now: NOW,
        sizing,
        cost,
      }),
    ).toEqual({
      advice: [],
      note: '23 h of usage history; advice needs 24 h.',
    });
  });

  it('API CPU above 80% of requests for 3 days → one more replica, priced by the sizing engine', () => {
    // The large tier's API: 1 replica of 4 vCPU / 8Gi; a second one needs another node.
    const large = sizePreset('large');
    const samples = series('codemie-api', 72, () => ({
      pods: 1,
      cpuUsage: 3600,
      cpuRequests: 4000,
      memoryUsage: 5000,
      memoryRequests: 8192,
    }));
    const { advice, note } = adviseSizing({
      samples,
      now: NOW,
      sizing: large,
      cost,
    });
    expect(note).toBeUndefined();
    const bigger = {
      ...large,
      workloads: large.workloads.map(w =>
        w.id === 'codemie-api' ? { ...w, replicas: 2 } : w,
      ),
    };
    const expectedDelta =
      Math.round(
        (monthlyCostOf(bigger, cost)! - monthlyCostOf(large, cost)!) * 100,
      ) / 100;
    expect(expectedDelta).toBeGreaterThan(100);
    const toProduction = adviseSizing({
      samples,
      now: NOW,
      sizing: large,
      cost,
    }).advice[0].resize!.monthlyCostDeltaUsd!;
    expect(toProduction).toBeGreaterThan(expectedDelta);
    expect(advice).toEqual([
      {
        component: 'codemie-api',
        change: 'add-replicas',
        summary: `CodeMie API CPU above 80% of requests for 3 days → 2 replicas (+$${expectedDelta.toFixed(2)}/month)`,
        evidence:
          'p95 CPU 3600m of 4000m requested per pod over 3 days (73 samples); 1 replica now',
        from: 1,
        to: 2,
        monthlyCostDeltaUsd: expectedDelta,
        // Two API replicas come with the production tier's users: the button opens that resize.
        resize: {
          tier: 'production',
          summary: 'production tier',
          sizing: expect.objectContaining({ concurrentUsers: 500 }),
          // The whole resize's price: every component grows, not only the API.
          monthlyCostDeltaUsd: expect.any(Number),
        },
      },
    ]);
  });

  it('a short burst is not sustained pressure', () => {
    // Hot for 10 of 72 hours.
    const samples = series('codemie-api', 72, i => api(i >= 62 ? 950 : 400));
    expect(adviseSizing({ samples, now: NOW, sizing, cost }).advice).toEqual(
      [],
    );
  });

  it('Elasticsearch disk 85% full → bigger volumes, with the growth rate as evidence', () => {
    // The small tier gives each of the 2 Elasticsearch pods 30 GiB.
    const samples = series('elasticsearch', 48, i => ({
      pods: 2,
      cpuUsage: 1000,
      cpuRequests: 4000,
      memoryUsage: 6000,
      memoryRequests: 8192,
      storageUsedGiB: 45 + (6 * i) / 48,
      storageCapacityGiB: 60,
    }));
    const { advice } = adviseSizing({ samples, now: NOW, sizing, cost });
    expect(advice).toEqual([
      expect.objectContaining({
        component: 'elasticsearch',
        change: 'grow-storage',
        summary: expect.stringMatching(
          /^Elasticsearch disk 85% full → 50 GiB per pod \(\+\$\d+\.\d\d\/month\)$/,
        ),
        evidence:
          '51.0 of 60 GiB used (2 volumes), 49 samples over 2 days; at 3.0 GiB/day the volumes are full in 3 days',
        from: 30,
        to: 50,
      }),
    ]);
    // 2 × 20 GiB more of pd-balanced.
    expect(advice[0].monthlyCostDeltaUsd).toBeGreaterThan(0);
    // Carried out by more datasource GiB, the users kept.
    expect(advice[0].resize).toMatchObject({
      tier: 'custom',
      sizing: { concurrentUsers: 25 },
      summary: expect.stringMatching(
        /^\d+ GiB of vector datasources \(custom\)$/,
      ),
    });
  });

  it('memory near the limit for days → more memory', () => {
    const samples = series('mcp-connect', 48, () => ({
      pods: 1,
      cpuUsage: 200,
      cpuRequests: 500,
      memoryUsage: 1000,
      memoryRequests: 1024,
    }));
    expect(adviseSizing({ samples, now: NOW, sizing, cost }).advice).toEqual([
      expect.objectContaining({
        component: 'mcp-connect',
        change: 'raise-memory',
        from: 1024,
        to: 1536,
      }),
    ]);
  });

  it('a week far below the CPU request → lower it, saving money; a day is not enough to lower', () => {
    const quiet = (hours: number) =>
      series('mermaid-server', hours, () => ({
        pods: 1,
        cpuUsage: 40,
        cpuRequests: 1000,
        memoryUsage: 300,
        memoryRequests: 512,
      }));
    const week = adviseSizing({
      samples: quiet(168),
      now: NOW,
      sizing,
      cost,
    }).advice;
    expect(week).toEqual([
      expect.objectContaining({
        component: 'mermaid-server',
        change: 'lower-cpu',
        summary:
          'Mermaid server uses under 4% of its CPU request → 100m per pod (no cost change: same node count)',
        evidence:
          'p95 CPU 40m of 1000m requested per pod over 7 days (169 samples)',
        from: 1000,
        to: 100,
      }),
    ]);
    // 900m less does not free a whole e2-standard-8 node of the small tier's pool.
    expect(week[0].monthlyCostDeltaUsd).toBe(0);
    expect(
      adviseSizing({ samples: quiet(30), now: NOW, sizing, cost }).advice,
    ).toEqual([]);
  });

  it('after a resize, the week at the old size advises nothing for the new one until it has its own day', () => {
    // Six days near the memory limit at 2 GiB, then the API resized to 6 GiB two hours ago.
    const before = series('codemie-api', 144, () => ({
      pods: 1,
      cpuUsage: 400,
      cpuRequests: 1000,
      memoryUsage: 1980,
      memoryRequests: 2048,
    })).map(x => ({ ...x, at: x.at - 2 * HOUR }));
    const after = series('codemie-api', 2, () => ({
      pods: 1,
      cpuUsage: 900,
      cpuRequests: 2000,
      memoryUsage: 2000,
      memoryRequests: 6144,
    }));
    const { advice, note } = adviseSizing({
      samples: [...before, ...after],
      now: NOW,
      sizing,
      cost,
    });
    expect(advice).toEqual([]);
    expect(note).toBe(
      'CodeMie API changed size recently: its CPU and memory advice waits for 24 h of samples at the new size.',
    );
    // Without the resize the same week says: more memory.
    const unresized = adviseSizing({ samples: before, now: NOW, sizing, cost });
    expect(unresized.advice.map(a => a.change)).toEqual(['raise-memory']);
  });

  it('right after a resize, before any sample at the new size, the components it changed get no advice from the old ones', () => {
    const week = series('codemie-api', 144, () => ({
      pods: 1,
      cpuUsage: 400,
      cpuRequests: 1000,
      memoryUsage: 1980,
      memoryRequests: 2048,
    }));
    const resizedNow = { at: NOW + 1, components: ['codemie-api'] };
    const result = adviseSizing({
      samples: week,
      now: NOW,
      sizing,
      cost,
      resized: resizedNow,
    });
    expect(result.advice).toEqual([]);
    expect(result.note).toContain('CodeMie API changed size recently');
    // A resize that changed other components leaves the API's advice alone.
    const other = adviseSizing({
      samples: week,
      now: NOW,
      sizing,
      cost,
      resized: { at: NOW + 1, components: ['elasticsearch'] },
    });
    expect(other.advice.map(a => a.change)).toEqual(['raise-memory']);
  });
});
