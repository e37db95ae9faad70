import { InputError } from '@backstage/errors';
import { BUNDLED_PRICES, withPriceOverrides } from '../cost';
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

  it('names the template defaults a tier, shows every bill line, the range, the check and the next step', () => {
    const preview = previewPlan(
      {
        region: 'europe-west1',
        sizing: {
          concurrentUsers: 100,
          vectorDatasourceGiB: 20,
          logRetentionDays: 14,
          llmProxyType: 'litellm',
        },
      },
      BUNDLED_PRICES,
    );
    expect(preview.tierLabel).toBe('medium');
    expect(preview.costLines.map(l => l.item).join('\n')).toMatch(
      /Cloud SQL backups[\s\S]*Network egress[\s\S]*Cloud DNS[\s\S]*Secret Manager[\s\S]*Cloud KMS[\s\S]*Cloud Logging/,
    );
    expect(preview.costLines.find(l => /egress/.test(l.item))!.estimate).toBe(
      true,
    );
    expect(preview.monthlyCostRangeUsd.min).toBe(preview.monthlyCostUsd);
    expect(preview.monthlyCostRangeUsd.max).toBeGreaterThan(
      preview.monthlyCostUsd,
    );
    expect(preview.nodePool.survival.survived).toBe(
      preview.nodePool.survival.runs,
    );
    const next = preview.nextStep!;
    expect(next.concurrentUsers).toBeGreaterThan(100);
    expect(next.monthlyCostUsd).toBeGreaterThan(preview.monthlyCostUsd);
    // One user fewer than the step keeps today's node pool.
    const before = previewPlan(
      {
        region: 'europe-west1',
        sizing: {
          concurrentUsers: next.concurrentUsers - 1,
          vectorDatasourceGiB: 20,
          logRetentionDays: 14,
          llmProxyType: 'litellm',
        },
      },
      BUNDLED_PRICES,
    );
    expect(before.nodePool).toMatchObject({
      machineType: preview.nodePool.machineType,
      minNodes: preview.nodePool.minNodes,
    });
    expect(
      previewPlan(
        {
          region: 'europe-west1',
          sizing: {
            concurrentUsers: 60,
            vectorDatasourceGiB: 20,
            logRetentionDays: 14,
            llmProxyType: 'litellm',
          },
        },
        BUNDLED_PRICES,
      ).tierLabel,
    ).toBe('custom (between small and medium)');
  });

  it.each([1e6, 2e9, 1e15, 1e300])(
    'answers %d users at once with a 400 that says to split the environment',
    users => {
      const start = Date.now();
      expect(() =>
        previewPlan(
          {
            ...production,
            sizing: { ...production.sizing, concurrentUsers: users },
          },
          BUNDLED_PRICES,
        ),
      ).toThrow(/^sizing\.concurrentUsers: .*several environments/);
      expect(Date.now() - start).toBeLessThan(500);
    },
  );
});
