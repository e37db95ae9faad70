import { sizePreset } from '@codemie-gcp/plugin-codemie-common';
import { DEFAULT_ADVICE_OPTIONS } from './adviseSizing';
import type { ComponentUsage, PressureFacts } from './adviceFacts';
import {
  ADVICE_RULES,
  AdviceRule,
  addReplicas,
  growStorage,
  lowerCpu,
  lowerMemory,
  raiseCpu,
  raiseMemory,
} from './adviceRules';

const options = DEFAULT_ADVICE_OPTIONS;
const sizing = sizePreset('small');
const workloadOf = (id: string) =>
  [...sizing.workloads, ...sizing.daemonSets].find(w => w.id === id)!;

const pressure = (overrides: Partial<PressureFacts>): PressureFacts => ({
  samples: 73,
  p95Ratio: 0.5,
  p95PerPod: 500,
  requestPerPod: 1000,
  hotHours: 0,
  pods: 1,
  evidence: 'the evidence',
  ...overrides,
});

const usage = (
  component: string,
  overrides: Partial<ComponentUsage> = {},
): ComponentUsage => ({
  component,
  name: component,
  workload: workloadOf(component),
  spanHours: 72,
  ...overrides,
});

/** The rules of the table that fire for `u`, with what they yield. */
const firing = (u: ComponentUsage) =>
  ADVICE_RULES.filter(r => r.condition(u, options) && r.target(u)).map(
    r => r.change,
  );

const yields = (rule: AdviceRule, u: ComponentUsage) => {
  const size = rule.target(u)!;
  return { ...size, ...rule.describe(u, options, size, '+$1.00/month') };
};

describe('the advice rules table', () => {
  it('has one rule per kind of change, CPU, memory and storage in that order', () => {
    expect(ADVICE_RULES.map(r => r.change)).toEqual([
      'add-replicas',
      'raise-cpu',
      'lower-cpu',
      'raise-memory',
      'lower-memory',
      'grow-storage',
    ]);
  });

  it('gives nothing for a component used moderately', () => {
    expect(
      firing(usage('codemie-api', { cpu: pressure({}), memory: pressure({}) })),
    ).toEqual([]);
  });
});

describe('add-replicas', () => {
  const hot = usage('codemie-api', {
    cpu: pressure({ hotHours: 30, p95Ratio: 1.5, pods: 2 }),
  });

  it('fires for a stateless Deployment hot on CPU for the history minimum (24 h)', () => {
    expect(firing(hot)).toEqual(['add-replicas']);
    expect(
      addReplicas.condition(
        usage('codemie-api', { cpu: pressure({ hotHours: 23 }) }),
        options,
      ),
    ).toBe(false);
  });

  it('adds replicas until p95 is back at 70% of requests', () => {
    expect(yields(addReplicas, hot)).toEqual({
      from: 2,
      to: 5, // ceil(2 × 1.5 / 0.7)
      summary:
        'codemie-api CPU above 80% of requests for 30 h → 5 replicas (+$1.00/month)',
      evidence: 'the evidence; 2 replicas now',
    });
  });

  it('does not fire for components that do not scale out', () => {
    expect(
      addReplicas.condition(
        usage('elasticsearch', { cpu: pressure({ hotHours: 30 }) }),
        options,
      ),
    ).toBe(false);
  });

  it('makes the sizing carry the new replica count', () => {
    expect(addReplicas.apply(workloadOf('codemie-api'), 5).replicas).toBe(5);
  });
});

describe('raise-cpu', () => {
  const hot = usage('elasticsearch', {
    cpu: pressure({ hotHours: 48, p95PerPod: 1350, requestPerPod: 1000 }),
  });

  it('fires for a component that does not scale out, hot on CPU', () => {
    expect(firing(hot)).toEqual(['raise-cpu']);
  });

  it('raises the request per pod to p95 / 70%, rounded up to 100m', () => {
    expect(yields(raiseCpu, hot)).toMatchObject({
      from: 1000,
      to: 2000,
      summary:
        'elasticsearch CPU above 80% of requests for 2 days → 2 vCPU per pod (+$1.00/month)',
    });
  });

  it('sets the limit from the new request', () => {
    const raised = raiseCpu.apply(workloadOf('elasticsearch'), 2000);
    expect(raised.requests.cpuMillis).toBe(2000);
    expect(raised.limits).toBeDefined();
  });
});

describe('lower-cpu', () => {
  const quiet = usage('codemie-api', {
    cpu: pressure({ p95Ratio: 0.1, p95PerPod: 100, requestPerPod: 1000 }),
  });

  it('fires after 72 h under 20% of the request', () => {
    expect(firing(quiet)).toEqual(['lower-cpu']);
    expect(firing({ ...quiet, spanHours: 71 })).toEqual([]);
  });

  it('lowers to p95 / 60% in 50m steps, only when that at least halves the request', () => {
    expect(yields(lowerCpu, quiet)).toMatchObject({
      from: 1000,
      to: 200,
      summary:
        'codemie-api uses under 10% of its CPU request → 200m per pod (+$1.00/month)',
    });
    const notHalf = usage('codemie-api', {
      cpu: pressure({ p95Ratio: 0.19, p95PerPod: 190, requestPerPod: 500 }),
    });
    expect(lowerCpu.condition(notHalf, options)).toBe(true);
    expect(lowerCpu.target(notHalf)).toBeUndefined();
  });
});

describe('raise-memory', () => {
  const hot = usage('elasticsearch', {
    memory: pressure({ hotHours: 24, p95PerPod: 4000, requestPerPod: 4096 }),
  });

  it('fires above 90% of the limit for 24 h, JVM components included', () => {
    expect(firing(hot)).toEqual(['raise-memory']);
  });

  it('raises to p95 / 75% in 256 MiB steps', () => {
    expect(yields(raiseMemory, hot)).toMatchObject({
      from: 4096,
      to: 5376,
      summary:
        'elasticsearch memory above 90% of its limit for 24 h → 5376 MiB per pod (+$1.00/month)',
    });
  });
});

describe('lower-memory', () => {
  const quiet = (component: string) =>
    usage(component, {
      memory: pressure({ p95Ratio: 0.1, p95PerPod: 200, requestPerPod: 2048 }),
    });

  it('fires after 72 h under 30% of the request', () => {
    expect(firing(quiet('codemie-api'))).toEqual(['lower-memory']);
    expect(yields(lowerMemory, quiet('codemie-api'))).toMatchObject({
      from: 2048,
      to: 384,
      summary:
        'codemie-api uses under 10% of its memory request → 384 MiB per pod (+$1.00/month)',
    });
  });

  it.each(['elasticsearch', 'keycloak', 'kibana'])(
    'never fires for %s, whose JVM heap is fixed',
    component => {
      expect(lowerMemory.condition(quiet(component), options)).toBe(false);
    },
  );
});

describe('grow-storage', () => {
  const filling = usage('elasticsearch', {
    storage: {
      usedGiB: 85,
      capacityGiB: 100,
      fraction: 0.85,
      volumes: 1,
      growthPerDay: 2,
      samples: 73,
    },
  });

  it('fires from 80% full, whatever the CPU and memory history', () => {
    expect(firing(filling)).toEqual(['grow-storage']);
    expect(
      growStorage.condition(
        { ...filling, storage: { ...filling.storage!, fraction: 0.79 } },
        options,
      ),
    ).toBe(false);
  });

  it('grows each volume to 60% use in 10 GiB steps, and says when they fill', () => {
    expect(yields(growStorage, filling)).toEqual({
      from: 100,
      to: 150,
      summary: 'elasticsearch disk 85% full → 150 GiB per pod (+$1.00/month)',
      evidence:
        '85.0 of 100 GiB used (1 volumes), 73 samples over 3 days; at 2.0 GiB/day the volumes are full in 7 days',
    });
    expect(
      growStorage.apply(workloadOf('elasticsearch'), 150).storageGiBPerPod,
    ).toBe(150);
  });
});
