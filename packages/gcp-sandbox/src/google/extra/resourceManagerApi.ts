import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { GoogleApiError } from '../errors';
import { lazy, schemaOf } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import { projectNumber } from '../context';
import { resolveProject } from '../serviceGate';
import type { Json } from '../../state';
import { IamPolicies } from './iamPolicies';

const ORIGIN = 'https://cloudresourcemanager.googleapis.com';

/**
 * Cloud Resource Manager (`cloudresourcemanager.googleapis.com/v3`): get a project and its IAM
 * policy (`:getIamPolicy`, `:setIamPolicy` with etag concurrency), as `ProjectsClient` calls them.
 */
export function resourceManagerApi(
  ctx: EmulationContext,
  policies: IamPolicies,
): ApiHost {
  const schema = lazy(() => schemaOf('@google-cloud/resource-manager'));
  const host = new ApiHost('cloudresourcemanager', ORIGIN, 'esf', ctx);
  const { state, clock } = ctx;

  const out = (req: RouteRequest, type: string, value: Json) => ({
    body:
      req.enumsAsNumbers && schema()
        ? schema()!.convertEnums(type, value, 'number')
        : value,
  });

  host.route('GET', '/v3/projects/{project}', req => {
    const project = resolveProject(state, req.params.project);
    return out(req, 'google.cloud.resourcemanager.v3.Project', {
      name: `projects/${projectNumber(project)}`,
      projectId: project,
      state: 'ACTIVE',
      displayName: project,
      createTime: new Date(clock.now() - 86400e3 * 30).toISOString(),
      etag: 'W/"sandbox"',
    });
  });

  host.route('POST', '/v3/projects/{project}:getIamPolicy', req => {
    schema()?.validate('google.iam.v1.GetIamPolicyRequest', {
      ...((req.body ?? {}) as Json),
      resource: 'x',
    });
    const requested = Number(
      (req.body as Json)?.options?.requestedPolicyVersion ?? 0,
    );
    return out(
      req,
      'google.iam.v1.Policy',
      policies.read(
        `projects/${resolveProject(state, req.params.project)}`,
        requested,
      ),
    );
  });

  host.route('POST', '/v3/projects/{project}:setIamPolicy', req => {
    schema()?.validate('google.iam.v1.SetIamPolicyRequest', {
      ...((req.body ?? {}) as Json),
      resource: 'x',
    });
    const policy = (req.body as Json)?.policy;
    if (!policy)
      throw new GoogleApiError({
        httpStatus: 400,
        message: 'Policy must be specified.',
      });
    return out(
      req,
      'google.iam.v1.Policy',
      policies.set(
        `projects/${resolveProject(state, req.params.project)}`,
        policy,
      ),
    );
  });

  return host;
}
