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

  /**
   * The policy as `getIamPolicy` answers it for `requestedVersion`. A policy with conditional
   * bindings read below version 3 comes back as version 1 with those bindings' roles suffixed
   * `_withcond_<hash>` and their conditions dropped
   * (https://cloud.google.com/iam/docs/policies#versions); writing that back fails (see `set`).
   */
  read(resource: string, requestedVersion = 1): Json {
    const policy = this.get(resource);
    const conditional = (policy.bindings ?? []).some((b: Json) => b.condition);
    if (!conditional || requestedVersion >= 3)
      return conditional ? { ...policy, version: 3 } : policy;
    return {
      ...policy,
      version: 1,
      bindings: policy.bindings.map((b: Json) =>
        b.condition
          ? {
              role: `${b.role}_withcond_${hashOf(JSON.stringify(b.condition))}`,
              members: b.members,
            }
          : b,
      ),
    };
  }

  get(resource: string): Json {
    let policy = this.ctx.state.iamPolicies.get(resource);
    if (!policy) {
      policy = {
        version: 1,
        etag: Buffer.from(this.ctx.ids.hex(8)).toString('base64'),
        // A project starts with its owner; a service account, VM or IAP tunnel resource empty.
        bindings: /^projects\/[^/]+$/.test(resource)
          ? [{ role: 'roles/owner', members: ['user:owner@example.com'] }]
          : [],
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
    // Policy versions (https://cloud.google.com/iam/docs/policies#versions): conditions need
    // version 3, and a policy that has conditions cannot be replaced through version 1 (or by
    // writing back the `_withcond_` roles a version-1 read shows).
    const version = Number(policy.version ?? 1);
    const hasConditions = (policy.bindings ?? []).some(
      (b: Json) => b.condition,
    );
    const hadConditions = (current.bindings ?? []).some(
      (b: Json) => b.condition,
    );
    if (hasConditions && version < 3) {
      throw new GoogleApiError({
        httpStatus: 400,
        message: `Policy version ${version} cannot contain conditional role bindings: set "version": 3.`,
      });
    }
    if (hadConditions && version < 3) {
      throw new GoogleApiError({
        httpStatus: 400,
        message: `The policy of ${resource} contains conditional role bindings and cannot be set with policy version ${version}: read it and write it with version 3.`,
      });
    }
    for (const binding of policy.bindings ?? []) {
      if (String(binding.role ?? '').includes('_withcond_'))
        throw new GoogleApiError({
          httpStatus: 400,
          message: `Role ${binding.role} does not exist: a conditional binding read with policy version 1 cannot be written back.`,
        });
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
      version: hasConditions ? 3 : (policy.version ?? 1),
      bindings: policy.bindings ?? [],
      ...(policy.auditConfigs ? { auditConfigs: policy.auditConfigs } : {}),
      etag: Buffer.from(this.ctx.ids.hex(8)).toString('base64'),
    };
    this.ctx.state.iamPolicies.set(resource, next);
    return next;
  }
}

/** A short stable hash, the shape of the suffix Google appends to conditional roles. */
function hashOf(text: string): string {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}
