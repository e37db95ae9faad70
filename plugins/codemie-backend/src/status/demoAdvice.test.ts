/*
 * The local portal's demo environments show sizing advice on first open: the week of history
 * the GCP sandbox generates for them, read by the same advice rules as sampled history, gives
 * every kind of advice, each with its monthly cost change; the newcomers' trial environment's
 * advice leads to a resize to the medium tier.
 */
import {
  DEMO_USAGE_PROFILES,
  TRIAL_USAGE_PROFILES,
  demoComponentSizes,
  demoUsageHistory,
} from '@codemie-gcp/gcp-sandbox';
import {
  SIZING_PRESETS,
  planResize,
  resolveResize,
  sizePreset,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { adviseSizing } from './adviseSizing';
import { CostContext } from './costModel';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const sizing = sizePreset('small');
const cost: CostContext = {
  region: 'europe-west3',
  machineType: 'e2-standard-4',
  location: { kind: 'regional', zones: 3 },
  option: 'private',
};

describe('sizing advice on the sandbox’s generated week', () => {
  it('the demo shows every kind of advice, each priced', () => {
    const samples = demoUsageHistory({
      now: NOW,
      components: demoComponentSizes(sizing, 6),
      profiles: DEMO_USAGE_PROFILES,
    });
    const { advice, note } = adviseSizing({ samples, now: NOW, sizing, cost });
    expect(note).toBeUndefined();
    expect(advice.map(a => `${a.change} ${a.component}`).sort()).toEqual([
      'add-replicas codemie-api',
      'grow-storage elasticsearch',
      'lower-cpu mermaid-server',
      'lower-memory mermaid-server',
      'raise-cpu keycloak',
      'raise-memory llm-proxy',
    ]);
    for (const a of advice) {
      expect(typeof a.monthlyCostDeltaUsd).toBe('number');
      expect(a.summary).toMatch(
        /\((no cost change: same node count|[+−]\$\d+\.\d\d\/month)\)$/,
      );
    }
    expect(advice.some(a => a.monthlyCostDeltaUsd > 0)).toBe(true);
  });

  it('the trial environment outgrows small: its advice opens a resize to medium', () => {
    const samples = demoUsageHistory({
      now: NOW,
      components: demoComponentSizes(sizing, 6),
      profiles: TRIAL_USAGE_PROFILES,
    });
    const { advice } = adviseSizing({ samples, now: NOW, sizing, cost });
    expect(
      advice.map(a => `${a.change} ${a.component} → ${a.resize?.tier}`).sort(),
    ).toEqual([
      'raise-cpu keycloak → medium',
      'raise-memory codemie-api → medium',
    ]);
    // The button's price is the whole resize's, as its plan diff shows it.
    const trial = validateEnvironmentInput({
      name: 'codemie-trial',
      projectId: 'codemie-sandbox',
      region: 'europe-west3',
      option: 'private',
      bastionMembers: ['group:platform-engineering@example.com'],
      domain: 'trial.codemie.example.com',
      sizing: SIZING_PRESETS.small,
    });
    const plan = planResize(trial, resolveResize(trial, { tier: 'medium' }));
    expect(plan.cost.deltaUsd).toBeGreaterThan(100);
    for (const a of advice) {
      expect(a.resize!.monthlyCostDeltaUsd).toBeCloseTo(plan.cost.deltaUsd, 2);
    }
  });
});
