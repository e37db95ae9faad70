import yaml from 'yaml';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { createCodemiePlanAction } from './codemiePlan';
import { examples } from './codemiePlan.examples';

describe('codemie:plan examples', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });

  it.each(examples.map(e => [e.description, e]))('%s', async (_, example) => {
    const store = await testStore(await databases.init('SQLITE_3'));
    const action = createCodemiePlanAction({
      config: mockServices.rootConfig({ data: {} }),
      ...actionServices(store),
    });
    const input = yaml.parse(example.example).steps[0].input;
    const ctx = createMockActionContext({ input });
    await action.handler(ctx as any);
    expect(ctx.output).toHaveBeenCalledWith(
      'monthlyCostUsd',
      expect.any(Number),
    );
  });
});
