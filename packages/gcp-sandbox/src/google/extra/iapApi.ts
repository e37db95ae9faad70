import { ApiHost } from '../router';
import { errors } from '../errors';
import type { EmulationContext } from '../context';
import type { Json } from '../../state';
import { lazy } from '../schema/ProtoSchema';
import { discoverySchema } from '../schema/discoverySchema';
import type { IamPolicies } from './iamPolicies';

const ORIGIN = 'https://iap.googleapis.com';

/**
 * Identity-Aware Proxy (`iap.googleapis.com/v1`): the IAM policy of one VM's TCP-forwarding
 * tunnel resource, `projects/{p}/iap_tunnel/zones/{z}/instances/{i}`
 * (https://cloud.google.com/iap/docs/managing-access#managing_access_via_the_api): granting
 * roles/iap.tunnelResourceAccessor there lets members tunnel to that VM only. The instance must
 * exist. Bodies are parsed against the stored IAP discovery document.
 */
export function iapApi(ctx: EmulationContext, policies: IamPolicies): ApiHost {
  const host = new ApiHost('iap', ORIGIN, 'esf', ctx);
  const schema = lazy(() => discoverySchema('iap'));
  const resourceOf = (p: Json) => {
    const instance = `projects/${p.project}/zones/${p.zone}/instances/${p.instance}`;
    if (!ctx.state.compute.has(instance))
      throw errors.notFound(`Resource ${instance} not found.`);
    return `projects/${p.project}/iap_tunnel/zones/${p.zone}/instances/${p.instance}`;
  };
  const base =
    '/v1/projects/{project}/iap_tunnel/zones/{zone}/instances/{instance}';
  host.route('POST', `${base}:getIamPolicy`, req => {
    schema().validate('iap.GetIamPolicyRequest', req.body ?? {});
    const version = Number(
      (req.body as Json)?.options?.requestedPolicyVersion ?? 0,
    );
    return { body: policies.read(resourceOf(req.params), version) };
  });
  host.route('POST', `${base}:setIamPolicy`, req => {
    schema().validate('iap.SetIamPolicyRequest', req.body ?? {});
    const policy = (req.body as Json)?.policy;
    if (!policy) throw errors.invalid('Policy must be specified.');
    return { body: policies.set(resourceOf(req.params), policy) };
  });
  return host;
}
