import { GoogleApiError } from '../errors';
import type { EmulationContext } from '../context';
import type { Json } from '../../state';

/**
 * IAM policies on any resource (`projects/p`, `projects/p/serviceAccounts/e`), with Google's
 * read-modify-write semantics: every write changes the `etag`; a write carrying a stale `etag` is
 * 409 ABORTED; a binding naming a service account the sandbox created less than a few simulated
 * seconds ago is 400 ("does not exist"), as IAM's eventual consistency makes it right after
 * creation.
 */
export class IamPolicies {
  constructor(private readonly ctx: EmulationContext) {}

  get(resource: string): Json {
    let policy = this.ctx.state.iamPolicies.get(resource);
    if (!policy) {
      policy = {
        version: 1,
        etag: Buffer.from(this.ctx.ids.hex(8)).toString('base64'),
        bindings: resource.includes('/serviceAccounts/')
          ? []
          : [{ role: 'roles/owner', members: ['user:owner@example.com'] }],
      };
      this.ctx.state.iamPolicies.set(resource, policy);
    }
    return policy;
  }

  set(resource: string, policy: Json): Json {
    const current = this.get(resource);
    if (policy.etag && policy.etag !== current.etag) {
      throw new GoogleApiError({
        httpStatus: 409,
        status: 'ABORTED',
        message: `There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff. The request's ETag '${policy.etag}' did not match the current policy's ETag '${current.etag}'.`,
      });
    }
    for (const binding of policy.bindings ?? []) {
      if (!binding.role)
        throw new GoogleApiError({
          httpStatus: 400,
          message: 'Role must be specified in a binding.',
        });
      for (const member of binding.members ?? []) {
        if (
          !/^(user|serviceAccount|group|domain|principal|principalSet|deleted:[a-z]+):.+|allUsers|allAuthenticatedUsers$/.test(
            member,
          )
        ) {
          throw new GoogleApiError({
            httpStatus: 400,
            message: `Invalid member name: ${member}`,
          });
        }
        const email = member.startsWith('serviceAccount:')
          ? member.slice('serviceAccount:'.length)
          : undefined;
        if (!email) continue;
        const account = [...this.ctx.state.serviceAccounts.values()].find(
          a => a.email === email,
        );
        const fresh =
          account &&
          this.ctx.clock.now() - Date.parse(account.__createdAt) <
            this.ctx.durations.iamPropagation * 1000;
        if (fresh) {
          throw new GoogleApiError({
            httpStatus: 400,
            message: `Service account ${email} does not exist.`,
          });
        }
      }
    }
    const next = {
      version: policy.version ?? 1,
      bindings: policy.bindings ?? [],
      ...(policy.auditConfigs ? { auditConfigs: policy.auditConfigs } : {}),
      etag: Buffer.from(this.ctx.ids.hex(8)).toString('base64'),
    };
    this.ctx.state.iamPolicies.set(resource, next);
    return next;
  }
}
