import yaml from 'yaml';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { CodemieStore } from '../database/CodemieStore';
import { GoogleClients } from '../gcp/GoogleClients';
import { createCodemieGcpProvisionAction } from './codemieGcpProvision';
import { examples } from './codemieGcpProvision.examples';

describe('codemie:gcp:provision examples', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  const config = mockServices.rootConfig({
    data: { codemie: { sandbox: { enabled: true } } },
  });

  it.each(examples.map(e => [e.description, e]))(
    '%s: valid and planned',
    async (_, example) => {
      const knex = await databases.init('SQLITE_3');
      const store = await CodemieStore.create({
        database: mockServices.database.mock({ getClient: async () => knex }),
      });
      const action = createCodemieGcpProvisionAction({
        config,
        google: GoogleClients.fromConfig(config),
        store,
      });
      const input = yaml.parse(example.example).steps[0].input;
      // Dry run: the example's inputs pass validation and produce the plan's outputs, calling nothing.
      const ctx = { ...createMockActionContext({ input }), isDryRun: true };
      await action.handler(ctx as any);
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      expect(outputs.clusterName).toBe(
        `projects/${input.projectId}/locations/${input.region}/clusters/${input.name}-gke`,
      );
      expect(outputs.bastion).toBe(
        input.option === 'private' ? `${input.name}-bastion` : '',
      );
      expect(outputs.monthlyCostUsd).toBeGreaterThan(0);
    },
  );
});
