import { InputError } from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCodemiePlanAction } from './codemiePlan';

const config = mockServices.rootConfig({ data: {} });

const input = {
  name: 'codemie-prod',
  projectId: 'acme-ai-platform',
  region: 'us-central1',
  option: 'private',
  bastionMembers: ['group:platform-team@example.com'],
  domain: 'codemie.internal.example.com',
  sizing: {
    concurrentUsers: 500,
    vectorDatasourceGiB: 100,
    logRetentionDays: 30,
    llmProxyType: 'litellm',
    includeNats: true,
  },
};

function run(actionInput: Record<string, unknown>, extra: object = {}) {
  const action = createCodemiePlanAction({ config });
  const ctx = createMockActionContext({ input: actionInput as any, ...extra });
  return { ctx, done: action.handler(ctx as any) };
}

describe('codemie:plan', () => {
  it('outputs the production tier with the seed table sizes, the node pool and the bill', async () => {
    const { ctx, done } = run(input);
    await done;
    const outputs = Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
    expect(outputs.tier).toBe('production');
    expect(outputs.clusterName).toBe(
      'projects/acme-ai-platform/locations/us-central1/clusters/codemie-prod-gke',
    );
    const api = outputs.components.find((c: any) => c.id === 'codemie-api');
    expect(api).toMatchObject({ pods: 2, cpu: '4', memory: '8Gi' });
    const es = outputs.components.find((c: any) => c.id === 'elasticsearch');
    expect(es).toMatchObject({
      pods: 2,
      cpu: '4',
      memory: '16Gi',
      storage: '200Gi',
    });
    expect(outputs.nodePool.machineType).toMatch(/^[a-z0-9]+-[a-z]+-\d+$/);
    expect(outputs.monthlyCostUsd).toBeGreaterThan(500);
    expect(outputs.costLines.map((l: any) => l.item)).toEqual(
      expect.arrayContaining([expect.stringMatching(/bastion/i)]),
    );
    expect(outputs.resources.map((r: any) => r.id)).toEqual(
      expect.arrayContaining([
        'cluster',
        'node-pool',
        'sql-instance',
        'bastion',
      ]),
    );
  });

  it('rejects bad input with every field named before anything runs', async () => {
    const { done } = run({
      ...input,
      projectId: 'Acme',
      bastionMembers: ['alice'],
      sizing: { ...input.sizing, llmProxyType: 'gpt-proxy' },
    });
    const error = await done.catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toContain('projectId:');
    expect(error.message).toContain('bastionMembers[0]:');
    expect(error.message).toContain('sizing.llmProxyType:');
  });

  it('works the same in a dry run', async () => {
    const { ctx, done } = run(input, { isDryRun: true });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('tier', 'production');
  });
});
