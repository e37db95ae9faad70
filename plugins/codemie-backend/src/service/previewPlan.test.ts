import { InputError } from '@backstage/errors';
import {
  BUNDLED_PRICES,
  withPriceOverrides,
} from '@codemie-gcp/plugin-codemie-common';
import { previewPlan } from './previewPlan';

const production = {
  region: 'us-central1',
  option: 'private' as const,
  sizing: {
    concurrentUsers: 500,
    vectorDatasourceGiB: 100,
    logRetentionDays: 30,
    llmProxyType: 'litellm' as const,
    includeNats: true,
  },
};

describe('previewPlan', () => {
  it('shows the seed sizes, the node pool and the bill for the production tier', () => {
    const preview = previewPlan(production, BUNDLED_PRICES);
    expect(preview.components.find(c => c.id === 'codemie-api')).toMatchObject({
      pods: 2,
      cpu: '4',
      memory: '8Gi',
    });
    expect(preview.components.find(c => c.id === 'postgresql')?.name).toContain(
      'Cloud SQL',
    );
    expect(preview.nodePool.minNodes).toBeGreaterThan(0);
    expect(preview.costLines.map(l => l.item).join(' ')).toMatch(/bastion/i);
    expect(preview.monthlyCostUsd).toBeCloseTo(
      preview.costLines.reduce((sum, l) => sum + l.monthlyUsd, 0),
      1,
    );
  });

  it('costs more with more users, never less', () => {
    const small = previewPlan(
      { ...production, sizing: { ...production.sizing, concurrentUsers: 25 } },
      BUNDLED_PRICES,
    );
    const large = previewPlan(production, BUNDLED_PRICES);
    expect(large.monthlyCostUsd).toBeGreaterThan(small.monthlyCostUsd);
  });

  it('uses price overrides from app-config', () => {
    const base = previewPlan(production, BUNDLED_PRICES);
    const discounted = previewPlan(
      production,
      withPriceOverrides({ gke: { managementFeeHour: 0 } }),
    );
    expect(discounted.monthlyCostUsd).toBeLessThan(base.monthlyCostUsd);
  });

  it('names the field of a bad input', () => {
    expect(() =>
      previewPlan({ ...production, region: 'mars-1' }, BUNDLED_PRICES),
    ).toThrow(/^region: 'mars-1'/);
    expect(() =>
      previewPlan(
        {
          ...production,
          sizing: { ...production.sizing, concurrentUsers: -3 },
        },
        BUNDLED_PRICES,
      ),
    ).toThrow(InputError);
    expect(() =>
      previewPlan(
        {
          ...production,
          sizing: { ...production.sizing, llmProxyType: 'gpt' },
        },
        BUNDLED_PRICES,
      ),
    ).toThrow(/sizing\.llmProxyType/);
  });
});
