import yaml from 'yaml';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCodemiePlanAction } from './codemiePlan';
import { examples } from './codemiePlan.examples';

describe('codemie:plan examples', () => {
  const action = createCodemiePlanAction({
    config: mockServices.rootConfig({ data: {} }),
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const input = yaml.parse(example.example).steps[0].input;
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'monthlyCostUsd',
      expect.any(Number),
    );
  });
});
