import { randomBytes } from 'node:crypto';
import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  ResourceHandler,
  retrying,
  retryingCreate,
} from '../ProvisionContext';

/** `projects/<p>/secrets/<id>` */
export function secretName(ctx: ProvisionContext, secretId: string) {
  return `projects/${ctx.plan.input.projectId}/secrets/${secretId}`;
}

/** A password: 32 random bytes, URL-safe, nothing that needs quoting in a connection string. */
function generatePassword(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Reads the latest version of a secret. The value is returned to the caller and never logged.
 */
export async function readSecret(
  ctx: ProvisionContext,
  secretId: string,
): Promise<string> {
  const [version] = await retrying(ctx, `secret ${secretId}`, () =>
    ctx.google
      .secretManager()
      .accessSecretVersion(
        { name: `${secretName(ctx, secretId)}/versions/latest` },
        NO_CLIENT_RETRY,
      ),
  );
  const data = version.payload?.data;
  if (!data) throw new Error(`secret ${secretId} has no value`);
  return Buffer.from(data as Uint8Array).toString('utf8');
}

/**
 * A generated database password kept in Secret Manager. Re-runs keep the existing value: a new
 * version is only added when the secret has none.
 */
export const secretHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const what = `secret ${resource.name}`;
    const name = secretName(ctx, resource.name);
    const sm = ctx.google.secretManager();
    let exists = true;
    try {
      await retrying(ctx, what, () => sm.getSecret({ name }, NO_CLIENT_RETRY));
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
      exists = false;
    }
    if (!exists) {
      ctx.log(
        `${what}: creating (value generated, stored only in Secret Manager)`,
      );
      try {
        await retryingCreate(ctx, what, () =>
          sm.createSecret(
            {
              parent: `projects/${ctx.plan.input.projectId}`,
              secretId: resource.name,
              secret: {
                replication: { automatic: {} },
                labels: ctx.plan.labels,
              },
            },
            NO_CLIENT_RETRY,
          ),
        );
      } catch (e) {
        if (!isAlreadyExists(e))
          throw new Error(
            explainGoogleError(what, e, ctx.plan.input.projectId),
          );
      }
    }
    let hasValue = true;
    try {
      await retrying(ctx, what, () =>
        sm.getSecretVersion(
          { name: `${name}/versions/latest` },
          NO_CLIENT_RETRY,
        ),
      );
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
      hasValue = false;
    }
    if (!hasValue) {
      await retrying(ctx, what, () =>
        sm.addSecretVersion(
          {
            parent: name,
            payload: { data: Buffer.from(generatePassword(), 'utf8') },
          },
          NO_CLIENT_RETRY,
        ),
      );
    }
    return { secret: name };
  },

  async remove(resource, ctx) {
    try {
      await retrying(ctx, `secret ${resource.name}`, () =>
        ctx.google
          .secretManager()
          .deleteSecret(
            { name: secretName(ctx, resource.name) },
            NO_CLIENT_RETRY,
          ),
      );
      return 'deleted';
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw new Error(
        explainGoogleError(
          `deleting secret ${resource.name}`,
          e,
          ctx.plan.input.projectId,
        ),
      );
    }
  },
};
