import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { codemieApiRef } from '../../api';
import { validateMayResize } from './validators';

/** The check as the scaffolder's stepper runs it on "Next": the errors it added. */
async function check(
  value: string,
  answers: {
    environment?: { owner: string; state: string };
    allowed: boolean;
  },
) {
  const errors: string[] = [];
  const requests: any[] = [];
  const apis = new Map<any, any>([
    [
      codemieApiRef,
      {
        getEnvironment: async (projectId: string, name: string) =>
          answers.environment
            ? {
                projectId,
                name,
                entityRef: `resource:${projectId}/${name}`,
                updatedAt: '',
                ...answers.environment,
              }
            : undefined,
      },
    ],
    [
      permissionApiRef,
      {
        authorize: async (request: any) => {
          requests.push(request);
          return {
            result: answers.allowed
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          };
        },
      },
    ],
  ]);
  await validateMayResize(
    value,
    { addError: (e: string) => errors.push(e) } as any,
    { apiHolder: { get: (ref: any) => apis.get(ref) }, formData: {} } as any,
  );
  return { errors, requests };
}

describe('validateMayResize', () => {
  it('lets an owner through for a ready environment, asking about update on its entity', async () => {
    const { errors, requests } = await check(
      'resource:codemie-sandbox/codemie-trial',
      {
        environment: {
          owner: 'group:default/codemie-newcomers',
          state: 'ready',
        },
        allowed: true,
      },
    );
    expect(errors).toEqual([]);
    expect(requests).toEqual([
      {
        permission: expect.objectContaining({
          name: 'codemie.environment.update',
        }),
        resourceRef: 'resource:codemie-sandbox/codemie-trial',
      },
    ]);
  });

  it('refuses a newcomer the demo, saying whose it is and what to do instead', async () => {
    const { errors } = await check('resource:codemie-sandbox/codemie-demo', {
      environment: {
        owner: 'group:default/platform-engineering',
        state: 'ready',
      },
      allowed: false,
    });
    expect(errors).toEqual([
      'You may not resize codemie-demo: it is owned by group:default/platform-engineering, and only its owners may change it. Pick an environment your team owns, or ask its owners.',
    ]);
  });

  it('refuses an environment that is still being created, and one the portal did not create', async () => {
    expect(
      (
        await check('resource:acme/team-dev', {
          environment: { owner: 'group:default/team-a', state: 'provisioning' },
          allowed: true,
        })
      ).errors,
    ).toEqual([
      'team-dev is provisioning: only a ready environment can be resized. Wait for its task to finish.',
    ]);
    expect(
      (await check('resource:acme/elsewhere', { allowed: true })).errors[0],
    ).toMatch(/^elsewhere in acme was not created by this portal/);
  });
});
