/**
 * Secret values `codemie:deploy` reads rather than generates: database passwords from Secret
 * Manager and the registry pull key from the task's secrets. Errors name the input field and
 * the secret, never a value.
 */
import { InputError } from '@backstage/errors';
import type { GoogleClients } from '@codemie-gcp/plugin-codemie-node';

/** `projects/<p>/secrets/<id>/versions/<v>` for a secret id or name (`latest` by default). */
export function secretVersionName(ref: string, projectId: string): string {
  const full = ref.startsWith('projects/')
    ? ref
    : `projects/${projectId}/secrets/${ref}`;
  return /\/versions\/[^/]+$/.test(full) ? full : `${full}/versions/latest`;
}

/** Reads one secret version's payload as UTF-8. */
export async function accessSecret(
  google: GoogleClients,
  field: string,
  ref: string,
  projectId: string,
): Promise<string> {
  const name = secretVersionName(ref, projectId);
  let data: unknown;
  try {
    const [response] = await google
      .secretManager()
      .accessSecretVersion({ name });
    data = response.payload?.data;
  } catch (e) {
    throw new Error(
      `${field}: could not read Secret Manager secret ${name}: ${(e as Error).message}`,
    );
  }
  if (data === undefined || data === null)
    throw new Error(`${field}: Secret Manager secret ${name} has no payload`);
  const value =
    typeof data === 'string'
      ? Buffer.from(data, 'base64').toString('utf8')
      : Buffer.from(data as Uint8Array).toString('utf8');
  if (!value)
    throw new Error(`${field}: Secret Manager secret ${name} is empty`);
  return value;
}

/**
 * The `.dockerconfigjson` of the registry pull secret, from the task secret `secretKey`: either
 * a Docker config already (`{"auths": …}`) or an Artifact Registry service-account key (JSON
 * with `"type": "service_account"`), turned into `_json_key` credentials for `registryHost`.
 */
export function dockerConfigJson(
  secrets: Record<string, string> | undefined,
  secretKey: string,
  registryHost: string,
): string {
  const value = secrets?.[secretKey];
  if (!value) {
    throw new InputError(
      `imagePullSecret.secret: the task has no secret '${secretKey}' (pass the registry key as a template secret)`,
    );
  }
  let parsed: any;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InputError(
      `imagePullSecret.secret: secret '${secretKey}' is not JSON (a Docker config or a service-account key)`,
    );
  }
  if (parsed?.auths && typeof parsed.auths === 'object') return value;
  if (parsed?.type === 'service_account') {
    const auth = Buffer.from(`_json_key:${value}`, 'utf8').toString('base64');
    return JSON.stringify({
      auths: {
        [registryHost]: { username: '_json_key', password: value, auth },
      },
    });
  }
  throw new InputError(
    `imagePullSecret.secret: secret '${secretKey}' is neither a Docker config ({"auths": …}) nor a service-account key`,
  );
}
