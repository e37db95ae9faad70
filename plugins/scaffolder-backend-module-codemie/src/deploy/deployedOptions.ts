/**
 * What a deploy used beyond the record's inputs — images, the pull secret's name, the API's
 * extra environment — recorded as the record's `outputs.deployed`, so that a resize renders the
 * environment again exactly as deployed, with only what it changes changed. No secret value is
 * kept: the pull secret is named, its value stays in the cluster.
 */
import {
  DEFAULT_PULL_SECRET_NAME,
  DEFAULT_TIMEOUT_SECONDS,
  DeployInput,
  DeployOptions,
} from './deployInput';
import type { ImageOverrides } from './render';

/** The record's `outputs.deployed`. */
export interface DeployedOptions {
  images: ImageOverrides;
  /** The pull secret's name in namespace `codemie`; its value is not recorded. */
  imagePullSecretName?: string;
  apiEnv: Record<string, string>;
}

/** What to record after a deploy or resize of `input`. */
export function deployedOptionsOf(input: DeployInput): DeployedOptions {
  return {
    images: input.images,
    ...(input.imagePullSecret
      ? { imagePullSecretName: input.imagePullSecret.name }
      : {}),
    apiEnv: input.apiEnv,
  };
}

/**
 * The deploy options to render a recorded environment again with, from its record's outputs
 * (defaults when nothing was recorded: what a deploy without options uses), with the image
 * version changed when given.
 */
export function recordedDeployOptions(
  outputs: unknown,
  change: { imageVersion?: string; timeoutSeconds?: number } = {},
): DeployOptions {
  const deployed = (
    outputs as { deployed?: Partial<DeployedOptions> } | undefined
  )?.deployed;
  const images: ImageOverrides = { ...(deployed?.images ?? {}) };
  if (change.imageVersion) images.version = change.imageVersion;
  return {
    images,
    ...(deployed?.imagePullSecretName
      ? {
          imagePullSecret: {
            name: deployed.imagePullSecretName ?? DEFAULT_PULL_SECRET_NAME,
            // No task secret carries it: the rollout keeps the value the cluster has.
            secret: 'recorded-pull-secret',
          },
        }
      : {}),
    apiEnv: deployed?.apiEnv ?? {},
    timeoutSeconds: change.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS,
    writeManifests: false,
  };
}

export { recordedImageVersion } from '@codemie-gcp/plugin-codemie-node';
