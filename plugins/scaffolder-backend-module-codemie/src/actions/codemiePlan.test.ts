import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { createCodemiePlanAction } from './codemiePlan';
import { invalidEnvironmentInputs } from './__testUtils__/invalidEnvironmentInputs';

jest.setTimeout(60_000);

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
  owner: 'group:default/platform-engineering',
};
const publicInput = {
  ...input,
  name: 'codemie-pub',
  option: 'public',
  bastionMembers: undefined,
  allowedNetworks: ['203.0.113.0/24'],
};

describe('codemie:plan', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
    disableDocker: true,
  });
  let store: CodemieStore;

  beforeEach(async () => {
    store = await testStore(await databases.init('SQLITE_3'));
  });

  function run(
    actionInput: Record<string, unknown>,
    extra: Record<string, unknown> = {},
    services: Parameters<typeof actionServices>[1] = {},
  ) {
    const action = createCodemiePlanAction({
      config,
      ...actionServices(store, services),
    });
    const ctx = {
      ...createMockActionContext({
        input: actionInput as any,
        user: { ref: 'user:default/mock' } as any,
      }),
      ...extra,
    } as any;
    return { ctx, done: action.handler(ctx) };
  }
  const outputsOf = (ctx: any) =>
    Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]: any) => [k, v]),
    );

  it('outputs the production tier with the seed table sizes, the node pool and the bill, and records the environment', async () => {
    const { ctx, done } = run(input);
    await done;
    const outputs = outputsOf(ctx);
    expect(outputs.environment).toBe('acme-ai-platform/codemie-prod');
    expect(outputs.entityRef).toBe('resource:acme-ai-platform/codemie-prod');
    expect(outputs.tier).toBe('production');
    const api = outputs.components.find((c: any) => c.id === 'codemie-api');
    expect(api).toMatchObject({ pods: 2, cpu: '4', memory: '8Gi' });
    const es = outputs.components.find((c: any) => c.id === 'elasticsearch');
    expect(es).toMatchObject({ pods: 2, cpu: '4', memory: '16Gi' });
    expect(outputs.monthlyCost).toMatch(/^\$\d{1,3}(,\d{3})*$/);
    expect(outputs.resources.map((r: any) => r.id)).toEqual(
      expect.arrayContaining([
        'cluster',
        'node-pool',
        'sql-instance',
        'bastion',
      ]),
    );
    const record = await store.getEnvironment('acme-ai-platform/codemie-prod');
    expect(record).toMatchObject({
      state: 'planned',
      owner: 'group:default/platform-engineering',
      createdBy: 'user:default/mock',
      taskId: 'mock-task-id',
      entityRef: 'resource:acme-ai-platform/codemie-prod',
    });
  });

  it('rejects bad input with every field named before anything is recorded', async () => {
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
    expect(await store.listEnvironments()).toEqual([]);
  });

  it('refuses an owner that is not a catalog ref, or not in the catalog', async () => {
    for (const [owner, expected] of [
      ['not a ref !!', /owner: 'not a ref !!' is not a catalog entity ref/],
      ['group:default/not a ref', /is not a valid entity ref/],
      ['component:default/x', /must name a group or user/],
      ['group:default/nobody', /group:default\/nobody is not in the catalog/],
    ] as const) {
      const error = await run({ ...input, owner }).done.catch(e => e);
      expect(error.message).toMatch(expected);
    }
    expect(await store.listEnvironments()).toEqual([]);
  });

  it('refuses users who may not create environments, recording nothing', async () => {
    const error = await run(input, {}, { allow: 'none' }).done.catch(e => e);
    expect(error).toBeInstanceOf(NotAllowedError);
    expect(error.message).toContain('codemie.environment.create');
    expect(await store.listEnvironments()).toEqual([]);
  });

  it('refuses a second create of an existing name, leaving the record byte for byte', async () => {
    await run(input).done;
    const before = await store.getEnvironment('acme-ai-platform/codemie-prod');
    const error = await run(
      {
        ...publicInput,
        name: 'codemie-prod',
        owner: 'group:default/data-team',
      },
      { task: { id: 'task-2' } },
    ).done.catch(e => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toContain(
      'codemie-prod already exists in acme-ai-platform, owned by group:default/platform-engineering (state planned)',
    );
    expect(await store.getEnvironment('acme-ai-platform/codemie-prod')).toEqual(
      before,
    );
  });

  it('carries on in the same task (Retry), and resumes a failed create only when asked, by its creator, with the same inputs', async () => {
    await run(input).done;
    // Retry of the same task: the same inputs go on.
    await run(input).done;
    await store.updateEnvironment('acme-ai-platform/codemie-prod', {
      taskId: 'mock-task-id',
      state: 'failed',
      lastError: 'provision: quota exceeded (CPUS)',
    });
    const notAsked = await run(input, { task: { id: 'task-2' } }).done.catch(
      e => e,
    );
    expect(notAsked.message).toContain(
      'its create failed (provision: quota exceeded (CPUS))',
    );
    expect(notAsked.message).toContain('Resume my failed create');

    const otherInputs = await run(
      { ...input, region: 'europe-west1', resume: true },
      { task: { id: 'task-2' } },
    ).done.catch(e => e);
    expect(otherInputs.message).toContain(
      'region: "us-central1" recorded, "europe-west1" given',
    );

    const someoneElse = await run(
      { ...input, resume: true },
      {
        task: { id: 'task-3' },
        user: { ref: 'user:default/eve' },
        getInitiatorCredentials: async () => ({
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'user', userEntityRef: 'user:default/eve' },
        }),
      },
    ).done.catch(e => e);
    expect(someoneElse.message).toContain(
      'only its creator (user:default/mock) or its owners may resume it',
    );

    await run({ ...input, resume: true }, { task: { id: 'task-4' } }).done;
    expect(
      await store.getEnvironment('acme-ai-platform/codemie-prod'),
    ).toMatchObject({ state: 'planned', taskId: 'task-4' });
  });

  it('checks the same in a dry run, recording nothing', async () => {
    const { ctx, done } = run(input, { isDryRun: true });
    await done;
    expect(ctx.output).toHaveBeenCalledWith('tier', 'production');
    expect(await store.listEnvironments()).toEqual([]);
    await run(input).done;
    const error = await run(
      { ...input, owner: 'group:default/data-team' },
      { isDryRun: true, task: { id: 'task-2' } },
    ).done.catch(e => e);
    expect(error.message).toContain('already exists');
  });

  const invalid = invalidEnvironmentInputs(publicInput, input);
  it(`refuses ${invalid.length} invalid inputs, each naming its field, recording nothing`, async () => {
    expect(invalid.length).toBeGreaterThanOrEqual(200);
    for (const { input: bad, field } of invalid) {
      const error = await run(bad).done.then(
        () => undefined,
        e => e,
      );
      expect({ field, message: error?.message }).toEqual({
        field,
        message: expect.stringContaining(`${field}:`),
      });
    }
    expect(await store.listEnvironments()).toEqual([]);
  });
});
