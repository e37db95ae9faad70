import { codemieApiRef } from '../../api';
import { validateConfirmedName, validateEnvironmentIsFree } from './validators';

function collect() {
  const errors: string[] = [];
  return {
    errors,
    validation: { addError: (m: string) => errors.push(m) } as any,
  };
}

function apiHolder(existing: object | undefined | Error) {
  return {
    get: (ref: any) =>
      ref === codemieApiRef
        ? {
            getEnvironment: async () => {
              if (existing instanceof Error) throw existing;
              return existing;
            },
          }
        : undefined,
  } as any;
}

const taken = {
  projectId: 'acme-trial-4821',
  name: 'dup-a',
  entityRef: 'resource:acme-trial-4821/dup-a',
  owner: 'group:default/team-a',
  state: 'ready',
  updatedAt: '2026-11-29T10:00:00Z',
};

describe('validateEnvironmentIsFree', () => {
  it('refuses a name that exists in the project, naming its owner', async () => {
    const { errors, validation } = collect();
    await validateEnvironmentIsFree('acme-trial-4821', validation, {
      apiHolder: apiHolder(taken),
      formData: { name: 'dup-a' },
      schema: {},
    });
    expect(errors).toEqual([
      'dup-a already exists in acme-trial-4821, owned by group:default/team-a (ready). Choose another name, or destroy it first.',
    ]);
  });

  it('accepts a free name, and a failed create the user asks to resume', async () => {
    for (const [existing, formData] of [
      [undefined, { name: 'dup-a' }],
      [
        { ...taken, state: 'failed' },
        { name: 'dup-a', resume: true },
      ],
    ] as const) {
      const { errors, validation } = collect();
      await validateEnvironmentIsFree('acme-trial-4821', validation, {
        apiHolder: apiHolder(existing),
        formData,
        schema: {},
      });
      expect(errors).toEqual([]);
    }
  });

  it('tells how to resume a failed create that was not ticked', async () => {
    const { errors, validation } = collect();
    await validateEnvironmentIsFree('acme-trial-4821', validation, {
      apiHolder: apiHolder({ ...taken, state: 'failed' }),
      formData: { name: 'dup-a' },
      schema: {},
    });
    expect(errors[0]).toContain('Tick "Resume my failed create"');
  });

  it('leaves the check to codemie:plan when the backend cannot answer', async () => {
    const { errors, validation } = collect();
    await validateEnvironmentIsFree('acme-trial-4821', validation, {
      apiHolder: apiHolder(new Error('503')),
      formData: { name: 'dup-a' },
      schema: {},
    });
    expect(errors).toEqual([]);
  });
});

describe('validateConfirmedName', () => {
  it('accepts only the picked environment’s exact name', () => {
    const formData = { environment: 'resource:acme-trial-4821/dup-a' };
    for (const [typed, expected] of [
      ['dup-a', 0],
      ['dup-A', 1],
      ['dup', 1],
      [undefined, 1],
    ] as const) {
      const { errors, validation } = collect();
      validateConfirmedName(typed as any, validation, {
        formData,
        apiHolder: {} as any,
        schema: {},
      });
      expect({ typed, errors: errors.length }).toEqual({
        typed,
        errors: expected,
      });
    }
  });
});
