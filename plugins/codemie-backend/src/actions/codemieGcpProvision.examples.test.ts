import yaml from 'yaml';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { GoogleClients } from '../gcp/GoogleClients';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { createCodemiePlanAction } from './codemiePlan';
import { createCodemieGcpProvisionAction } from './codemieGcpProvision';
import { examples } from './codemieGcpProvision.examples';

jest.setTimeout(120_000);

describe('codemie:gcp:provision examples', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  const config = mockServices.rootConfig({
    data: {
      codemie: {
        sandbox: { enabled: true },
        gcp: {
          retry: {
            baseDelay: { milliseconds: 1 },
            maxDelay: { milliseconds: 5 },
            poll: { milliseconds: 5 },
            maxPoll: { milliseconds: 20 },
          },
        },
      },
    },
  });
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  beforeAll(async () => {
    sandbox = await GcpSandbox.create({
      timeScale: 0.05,
      clusterServers: null,
    });
    sandbox.listen();
    google = GoogleClients.fromConfig(config);
  });
  afterAll(async () => {
    await google.close();
    await sandbox.close();
  });

  it.each(examples.map(e => [e.description, e]))(
    '%s: planned, then provisioned from the record',
    async (_, example) => {
      const store = await testStore(await databases.init('SQLITE_3'));
      const [planStep, provisionStep] = yaml.parse(example.example).steps;
      const plan = { ...createMockActionContext({ input: planStep.input }) };
      await createCodemiePlanAction({
        config,
        ...actionServices(store),
      }).handler(plan as any);
      const environment = Object.fromEntries(
        (plan.output as jest.Mock).mock.calls,
      ).environment;
      expect(provisionStep.input.environment).toBe(
        '${{ steps.plan.output.environment }}',
      );
      const ctx = createMockActionContext({ input: { environment } });
      await createCodemieGcpProvisionAction({ config, google, store }).handler(
        ctx as any,
      );
      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const { projectId, name, option } = planStep.input;
      expect(outputs.clusterName).toContain(`projects/${projectId}/locations/`);
      expect(outputs.bastion).toBe(
        option === 'private' ? `${name}-bastion` : '',
      );
      expect((await store.getEnvironment(environment))?.state).toBe(
        'provisioned',
      );
    },
  );
});
