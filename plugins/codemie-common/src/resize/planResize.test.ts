import { EnvironmentInputError } from '../environment/EnvironmentInputError';
import { validateEnvironmentInput } from '../environment/validateEnvironmentInput';
import { SIZING_PRESETS, sizePreset } from '../sizing';
import { planResize, resolveResize } from './planResize';

const recorded = (sizing: object = SIZING_PRESETS.small, extra: object = {}) =>
  validateEnvironmentInput({
    name: 'team-dev',
    projectId: 'acme-ai-platform',
    region: 'europe-west3',
    option: 'private',
    bastionMembers: ['group:platform@example.com'],
    domain: 'dev.codemie.example.com',
    sizing,
    ...extra,
  });

const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    if (e instanceof EnvironmentInputError) return e.issues;
    throw e;
  }
  throw new Error('no error');
};

describe('resolveResize', () => {
  it('takes a named tier’s users, data and retention and keeps the recorded LLM proxy', () => {
    const input = recorded({
      ...SIZING_PRESETS.small,
      llmProxyType: 'litellm-ha',
    });
    const resolved = resolveResize(input, { tier: 'medium' });
    expect(resolved.input.sizing).toEqual({
      ...SIZING_PRESETS.medium,
      llmProxyType: 'litellm-ha',
      includeNats: false,
    });
    // With another proxy than the preset's, the inputs are no longer the preset.
    expect(resolved.tier).toBe('custom');
    expect(resolveResize(recorded(), { tier: 'medium' }).tier).toBe('medium');
    // Everything but the sizing is the recorded environment.
    expect({ ...resolved.input, sizing: undefined }).toEqual({
      ...input,
      sizing: undefined,
    });
  });

  it('refuses bad input naming every field, with the environment contract’s bounds and reasons', () => {
    const issues = issuesOf(() =>
      resolveResize(recorded(), {
        tier: 'huge',
        sizing: {
          concurrentUsers: 50_000,
          vectorDatasourceGiB: -1,
          logRetentionDays: 7,
          llmProxyType: 'litellm',
        },
        imageVersion: '-rc1',
        region: 'us-east1',
      }),
    );
    const fields = issues.map(i => i.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'tier',
        'imageVersion',
        'region',
        'sizing.concurrentUsers',
        'sizing.vectorDatasourceGiB',
      ]),
    );
    expect(issues.find(i => i.field === 'region')!.message).toContain(
      'not an input of a resize',
    );
    expect(
      issues.find(i => i.field === 'sizing.concurrentUsers')!.message,
    ).toContain('20,000');
  });

  it('asks for sizing with tier custom, refuses both a named tier and sizing, and an in-cluster LiteLLM without its database', () => {
    expect(
      issuesOf(() => resolveResize(recorded(), { tier: 'custom' }))[0],
    ).toMatchObject({
      field: 'sizing',
      message: expect.stringContaining('required with tier custom'),
    });
    expect(
      issuesOf(() =>
        resolveResize(recorded(), {
          tier: 'large',
          sizing: SIZING_PRESETS.large,
        }),
      )[0].message,
    ).toContain('not both');
    const external = recorded({
      ...SIZING_PRESETS.small,
      llmProxyType: 'external',
    });
    const issue = issuesOf(() =>
      resolveResize(external, {
        tier: 'custom',
        sizing: { ...SIZING_PRESETS.small, llmProxyType: 'litellm' },
      }),
    )[0];
    expect(issue.field).toBe('sizing.llmProxyType');
    expect(issue.message).toContain("LiteLLM's Cloud SQL database");
  });
});

describe('planResize', () => {
  it('small → medium: components resized, the pool grown on the same machines, the cost before → after', () => {
    const input = recorded();
    const plan = planResize(input, resolveResize(input, { tier: 'medium' }));
    expect(plan.from.tier).toBe('small');
    expect(plan.to.tier).toBe('medium');
    const api = plan.components.find(c => c.id === 'codemie-api')!;
    expect(api.change).toBe('resized');
    expect(api.before).toMatchObject({ cpuMillis: 1000, memoryMiB: 2048 });
    expect(api.after).toMatchObject({ cpuMillis: 2000, memoryMiB: 6144 });
    const es = plan.components.find(c => c.id === 'elasticsearch')!;
    expect(es.notes).toContain(
      'volumes grow in place from 30 to 50 GiB per pod',
    );
    expect(plan.components.find(c => c.id === 'codemie-ui')!.change).toBe(
      'unchanged',
    );
    expect(plan.nodePool.method).toBe('autoscaling');
    expect(plan.nodePool.after.minNodes).toBeGreaterThan(
      plan.nodePool.before.minNodes,
    );
    expect(plan.cost.afterUsd).toBeGreaterThan(plan.cost.beforeUsd);
    expect(plan.cost.deltaUsd).toBeCloseTo(
      plan.cost.afterUsd - plan.cost.beforeUsd,
      2,
    );
    expect(plan.changes).toBe(true);
    expect(plan.steps[0]).toMatch(
      /^Grow the node pool to \d+ nodes before the workloads/,
    );
  });

  it('medium → large changes the machine type: a new pool beside the old one, then the old one drained', () => {
    const input = recorded(SIZING_PRESETS.medium);
    const plan = planResize(input, resolveResize(input, { tier: 'large' }));
    expect(plan.nodePool.before.machineType).not.toBe(
      plan.nodePool.after.machineType,
    );
    expect(plan.nodePool.method).toBe('replace');
    expect(plan.steps[0]).toMatch(/^Create a node pool of /);
    expect(plan.steps[plan.steps.length - 1]).toMatch(
      /evicted one by one within their PodDisruptionBudgets; then delete the old pool$/,
    );
  });

  it('never shrinks a volume: going down keeps the larger volume and says so', () => {
    const input = recorded(SIZING_PRESETS.medium);
    const plan = planResize(input, resolveResize(input, { tier: 'small' }), {
      volumesGiB: { elasticsearch: 80 },
    });
    const es = plan.components.find(c => c.id === 'elasticsearch')!;
    expect(es.before!.storageGiBPerPod).toBe(80);
    expect(es.after!.storageGiBPerPod).toBe(80);
    expect(es.notes).toContain(
      'volumes stay at 80 GiB per pod: persistent volumes are never shrunk',
    );
    expect(
      sizePreset('small').workloads.find(w => w.id === 'elasticsearch')!
        .storageGiBPerPod,
    ).toBeLessThan(80);
  });

  it('adds and removes components with the sizing (NATS comes with production)', () => {
    const input = recorded(SIZING_PRESETS.large);
    const up = planResize(input, resolveResize(input, { tier: 'production' }));
    expect(
      up.components
        .filter(c => c.change === 'added')
        .map(c => c.id)
        .sort(),
    ).toEqual(['nats', 'nats-auth-callout']);
    const prod = recorded(SIZING_PRESETS.production);
    const down = planResize(prod, resolveResize(prod, { tier: 'large' }));
    expect(
      down.components
        .filter(c => c.change === 'removed')
        .map(c => c.id)
        .sort(),
    ).toEqual(['nats', 'nats-auth-callout']);
    expect(down.steps).toContain('Remove NATS, NATS Auth Callout');
  });

  it('an image version alone changes nothing but the images; the same inputs change nothing at all', () => {
    const input = recorded();
    const upgrade = planResize(
      input,
      resolveResize(input, { imageVersion: '1.4.2' }),
      {
        currentImageVersion: '1.4.1',
      },
    );
    expect(upgrade.imageVersion).toEqual({ from: '1.4.1', to: '1.4.2' });
    expect(upgrade.components.every(c => c.change === 'unchanged')).toBe(true);
    expect(upgrade.nodePool.method).toBe('unchanged');
    expect(upgrade.changes).toBe(true);
    expect(upgrade.steps).toEqual([
      'Roll out every component (CodeMie images 1.4.1 → 1.4.2): new pods first, PodDisruptionBudgets respected, volumes only grown',
    ]);

    const same = planResize(
      input,
      resolveResize(input, { tier: 'small', imageVersion: '1.4.1' }),
      {
        currentImageVersion: '1.4.1',
      },
    );
    expect(same.changes).toBe(false);
    expect(same.cost.deltaUsd).toBe(0);
    expect(same.steps).toEqual([
      'Nothing to change: the environment already has this sizing and these images',
    ]);
  });
});
