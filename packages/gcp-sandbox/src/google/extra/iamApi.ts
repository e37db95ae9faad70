import { ApiHost } from '../router';
import { errors, GoogleApiError } from '../errors';
import { lazy } from '../schema/ProtoSchema';
import { discoverySchema } from '../schema/discoverySchema';
import type { EmulationContext } from '../context';
import { resolveProject } from '../serviceGate';
import type { Json } from '../../state';
import { IamPolicies } from './iamPolicies';

const ORIGIN = 'https://iam.googleapis.com';

/**
 * IAM (`iam.googleapis.com/v1`): service accounts create/get/list/delete and their IAM policy
 * (`:getIamPolicy`, `:setIamPolicy`), as `@googleapis/iam` calls them.
 */
export function iamApi(ctx: EmulationContext, policies: IamPolicies): ApiHost {
  // Bodies parsed against the stored discovery document (data/discovery/iam-v1.json).
  const schema = lazy(() => discoverySchema('iam'));
  const host = new ApiHost('iam', ORIGIN, 'esf', ctx);
  const { state, clock, ids } = ctx;

  const find = (project: string, ref: string): [string, Json] => {
    for (const [key, account] of state.serviceAccounts) {
      if (
        (project === '-' ||
          account.projectId === resolveProject(state, project)) &&
        (account.email === ref || account.uniqueId === ref)
      ) {
        return [key, account];
      }
    }
    throw errors.notFound(`Unknown service account`);
  };
  const shown = ({ __createdAt: _c, ...account }: Json) => account;

  host.route('POST', '/v1/projects/{project}/serviceAccounts', req => {
    schema().validate('iam.CreateServiceAccountRequest', req.body ?? {});
    const project = resolveProject(state, req.params.project);
    const body = (req.body ?? {}) as Json;
    const accountId: string = body.accountId ?? '';
    if (!/^[a-z](?:[-a-z0-9]{4,28}[a-z0-9])$/.test(accountId)) {
      throw errors.invalid(
        `Invalid account ID "${accountId}": must be 6-30 characters long, start with a lowercase letter and contain only lowercase letters, digits and hyphens.`,
      );
    }
    const email = `${accountId}@${project}.iam.gserviceaccount.com`;
    const key = `projects/${project}/serviceAccounts/${email}`;
    if (state.serviceAccounts.has(key)) {
      throw errors.alreadyExists(
        `Service account ${accountId} already exists within project projects/${project}.`,
      );
    }
    const uniqueId = ids.numeric(21);
    const account: Json = {
      name: key,
      projectId: project,
      uniqueId,
      email,
      displayName: body.serviceAccount?.displayName ?? '',
      ...(body.serviceAccount?.description
        ? { description: body.serviceAccount.description }
        : {}),
      etag: 'MDEwMjE5MjA=',
      oauth2ClientId: uniqueId,
      __createdAt: clock.nowIso(),
    };
    state.serviceAccounts.set(key, account);
    return { body: shown(account) };
  });

  host.route('GET', '/v1/projects/{project}/serviceAccounts', req => {
    const project = resolveProject(state, req.params.project);
    const accounts = [...state.serviceAccounts.values()]
      .filter(a => a.projectId === project)
      .map(shown);
    return { body: accounts.length ? { accounts } : {} };
  });

  host.route(
    'GET',
    '/v1/projects/{project}/serviceAccounts/{account}',
    req => ({
      body: shown(find(req.params.project, req.params.account)[1]),
    }),
  );

  host.route(
    'DELETE',
    '/v1/projects/{project}/serviceAccounts/{account}',
    req => {
      const [key] = find(req.params.project, req.params.account);
      state.serviceAccounts.delete(key);
      state.iamPolicies.delete(key);
      return { body: {} };
    },
  );

  host.route(
    'POST',
    '/v1/projects/{project}/serviceAccounts/{account}:getIamPolicy',
    req => {
      const [key] = find(req.params.project, req.params.account);
      return {
        body: policies.read(
          key,
          Number(req.query.get('options.requestedPolicyVersion') ?? 0),
        ),
      };
    },
  );

  host.route(
    'POST',
    '/v1/projects/{project}/serviceAccounts/{account}:setIamPolicy',
    req => {
      schema().validate('iam.SetIamPolicyRequest', req.body ?? {});
      const [key] = find(req.params.project, req.params.account);
      const policy = (req.body as Json)?.policy;
      if (!policy)
        throw new GoogleApiError({
          httpStatus: 400,
          message: 'Policy must be specified.',
        });
      return { body: policies.set(key, policy) };
    },
  );

  return host;
}
