/**
 * What `codemie:deploy` deploys: the environment as its record describes it (validated once, by
 * `codemie:plan`, against the one input contract) plus the deploy's own options — images, pull
 * secret, extra API environment, rollout timeout. The options are checked here with the same
 * zod schema the action publishes, before anything is read or applied.
 */
import { InputError } from '@backstage/errors';
import { z } from 'zod/v3';
import {
  DeploymentOption,
  EnvironmentInput,
  SizingInputs,
} from '@codemie-gcp/plugin-codemie-common';
import { IMAGE_KEYS, ImageKey, ImageOverrides } from './render';

/** Default name of the registry pull secret (the CodeMie charts' `gcp-artifact-registry`). @internal */
export const DEFAULT_PULL_SECRET_NAME = 'gcp-artifact-registry';
/** Default rollout timeout. @internal */
export const DEFAULT_TIMEOUT_SECONDS = 1200;
/** Longest rollout a task waits for: two hours. */
const MAX_TIMEOUT_SECONDS = 7200;

/** Everything the renderers and the rollout need, resolved. @public */
export interface DeployInput {
  /** The environment's name. */
  environment: string;
  /** Value of the `backstage.io/kubernetes-id` label. */
  kubernetesId: string;
  /** The GKE cluster's resource name. */
  cluster: string;
  /** The Google Cloud project. */
  projectId: string;
  /** The region of the cluster. */
  region: string;
  /** The domain CodeMie is served under. */
  domain: string;
  /** `public` or `private`. */
  option: DeploymentOption;
  /** Public option: CIDRs allowed to reach the ingress load balancer. */
  allowedNetworks: string[];
  /** The sizing inputs, defaults filled in. */
  sizing: Required<SizingInputs>;
  /** Google service account the API and LiteLLM act as (Workload Identity). */
  googleServiceAccount: string;
  /** The reserved address the ingress load balancer takes (provisioning's `ingressAddress`). */
  ingressAddress?: string;
  /** The Cloud SQL instance: private IP, connection name, and the secret ids of its users' passwords. */
  database: {
    host: string;
    connectionName: string;
    secrets: { codemie: string; keycloak?: string; litellm?: string };
  };
  /** Image repository and tag overrides. */
  images: ImageOverrides;
  /** The registry pull secret: its name, and the Secret Manager secret holding it. */
  imagePullSecret?: { name: string; secret: string };
  /** Extra environment of the CodeMie API. */
  apiEnv: Record<string, string>;
  /** How long to wait for the rollout, seconds. */
  timeoutSeconds: number;
  /** Also write the rendered manifests to the task's workspace. */
  writeManifests: boolean;
}

/** The deploy's own options, validated. @internal */
export type DeployOptions = Pick<
  DeployInput,
  'images' | 'imagePullSecret' | 'apiEnv' | 'timeoutSeconds' | 'writeManifests'
>;

/** What provisioning recorded that deploy needs (no secret values: secret ids only). @public */
export interface ProvisionedOutputs {
  /** The GKE cluster's resource name. */
  clusterName: string;
  /** Google service account the API and LiteLLM act as (Workload Identity). */
  googleServiceAccount: string;
  /** Private IP of the Cloud SQL instance. */
  sqlPrivateIp: string;
  /** The Cloud SQL connection name, `<project>:<region>:<instance>`. */
  sqlConnectionName: string;
  /** Secret Manager secret id of each database's password. */
  databaseSecrets: Record<string, string>;
  /** The reserved address for the ingress load balancer (DNS records point at it). */
  ingressAddress?: string;
}

type Z = typeof z;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IMAGE = /^[^\s]{1,255}$/;

/**
 * The deploy options as the action's input schema (`{ field: z => schema }`), and the rules
 * {@link parseDeployOptions} applies at run time.
 *
 * @internal
 */
export const deployOptionFields = {
  images: (zod: Z) =>
    zod
      .record(zod.string().regex(IMAGE))
      .optional()
      .describe(
        `Image overrides: registry (EPAM's Artifact Registry path), version (CodeMie's tag) or a full image reference per key: ${IMAGE_KEYS.join(', ')}`,
      ),
  imagePullSecret: (zod: Z) =>
    zod
      .object({
        name: zod
          .string()
          .regex(DNS_LABEL)
          .optional()
          .describe(`Secret name (default ${DEFAULT_PULL_SECRET_NAME})`),
        secret: zod
          .string()
          .min(1)
          .describe(
            'Task secret holding the Docker config or the registry service-account key',
          ),
      })
      .strict()
      .optional()
      .describe("Pull secret for EPAM's registry"),
  apiEnv: (zod: Z) =>
    zod
      .record(zod.string().max(4096))
      .optional()
      .describe('Extra environment of the CodeMie API (e.g. KMS key, bucket)'),
  timeoutSeconds: (zod: Z) =>
    zod
      .number()
      .positive()
      .max(MAX_TIMEOUT_SECONDS)
      .optional()
      .describe(
        `Rollout timeout in seconds (default ${DEFAULT_TIMEOUT_SECONDS}, at most ${MAX_TIMEOUT_SECONDS})`,
      ),
  writeManifests: (zod: Z) =>
    zod
      .boolean()
      .optional()
      .describe(
        'Also write manifests/<component>.yaml into the workspace (without secret values)',
      ),
};

const optionsSchema = z
  .object(
    Object.fromEntries(
      Object.entries(deployOptionFields).map(([k, f]) => [k, f(z)]),
    ) as {
      [K in keyof typeof deployOptionFields]: ReturnType<
        (typeof deployOptionFields)[K]
      >;
    },
  )
  .strict();

/**
 * Validates the deploy's own options (every other field of the action's input is refused: the
 * environment comes from its record).
 *
 * @throws InputError listing every problem as `field: message`.
 * @internal
 */
export function parseDeployOptions(
  raw: Record<string, unknown>,
): DeployOptions {
  const issues: string[] = [];
  const parsed = optionsSchema.safeParse(raw, {
    errorMap: (issue, ctx) => {
      if (issue.path[0] === 'timeoutSeconds')
        return {
          message: `must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(ctx.data)}`,
        };
      if (issue.code === 'invalid_string' && issue.path[0] === 'images')
        return { message: 'must be an image reference without spaces' };
      if (issue.code === 'invalid_string' && issue.path[1] === 'name')
        return { message: 'must be a Secret name (a DNS label)' };
      return { message: ctx.defaultError };
    },
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push(
            `${[...issue.path, key].join('.')}: is not a deploy option; the environment's cluster, database, sizing and access come from its record`,
          );
        }
      } else {
        issues.push(`${issue.path.join('.')}: ${issue.message}`);
      }
    }
  }
  const images: ImageOverrides = {};
  const overrides: Partial<Record<ImageKey, string>> = {};
  // Checked on the raw values too, so every problem is reported at once.
  const rawImages = isRecord(raw.images) ? raw.images : {};
  for (const [key, value] of Object.entries(rawImages)) {
    if (typeof value !== 'string') continue;
    if (key === 'registry') images.registry = value;
    else if (key === 'version') images.version = value;
    else if ((IMAGE_KEYS as readonly string[]).includes(key))
      overrides[key as ImageKey] = value;
    else
      issues.push(
        `images.${key}: is not an image key; use registry, version or one of ${IMAGE_KEYS.join(', ')}`,
      );
  }
  if (Object.keys(overrides).length) images.overrides = overrides;
  for (const key of Object.keys(isRecord(raw.apiEnv) ? raw.apiEnv : {})) {
    if (!ENV_NAME.test(key))
      issues.push(
        `apiEnv.${key}: is not an environment variable name (letters, digits and _, not starting with a digit)`,
      );
  }
  if (!parsed.success || issues.length > 0) {
    throw new InputError(`Invalid codemie:deploy input: ${issues.join('; ')}`);
  }
  const data = parsed.data;
  return {
    images,
    ...(data.imagePullSecret
      ? {
          imagePullSecret: {
            name: data.imagePullSecret.name ?? DEFAULT_PULL_SECRET_NAME,
            secret: data.imagePullSecret.secret,
          },
        }
      : {}),
    apiEnv: data.apiEnv ?? {},
    timeoutSeconds: data.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    writeManifests: data.writeManifests ?? false,
  };
}

/**
 * The deploy input of a provisioned environment: its recorded inputs, what provisioning
 * produced, and the deploy's options.
 *
 * @internal
 */
export function deployInputOf(
  environment: { input: EnvironmentInput; outputs: ProvisionedOutputs },
  options: DeployOptions,
): DeployInput {
  const { input, outputs } = environment;
  const secrets = outputs.databaseSecrets;
  return {
    environment: input.name,
    kubernetesId: input.name,
    cluster: outputs.clusterName,
    projectId: input.projectId,
    region: input.region,
    domain: input.domain,
    option: input.option,
    allowedNetworks: input.option === 'public' ? input.allowedNetworks : [],
    sizing: input.sizing,
    googleServiceAccount: outputs.googleServiceAccount,
    ...(outputs.ingressAddress
      ? { ingressAddress: outputs.ingressAddress }
      : {}),
    database: {
      host: outputs.sqlPrivateIp,
      connectionName: outputs.sqlConnectionName,
      secrets: {
        codemie: secrets.codemie,
        ...(secrets.keycloak ? { keycloak: secrets.keycloak } : {}),
        ...(secrets.litellm ? { litellm: secrets.litellm } : {}),
      },
    },
    ...options,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when provisioning recorded everything deploy needs. @internal */
export function isProvisioned(outputs: unknown): outputs is ProvisionedOutputs {
  const o = outputs as Partial<ProvisionedOutputs> | undefined;
  return (
    !!o &&
    typeof o.clusterName === 'string' &&
    typeof o.googleServiceAccount === 'string' &&
    typeof o.sqlPrivateIp === 'string' &&
    typeof o.sqlConnectionName === 'string' &&
    typeof o.databaseSecrets?.codemie === 'string'
  );
}
