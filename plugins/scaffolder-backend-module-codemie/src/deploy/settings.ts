import {
  sizeEnvironment,
  sizingPresetNameOf,
} from '@codemie-gcp/plugin-codemie-common';
import type { DeployInput } from './deployInput';
import { DeploySecretValues, DeploySettings, resolveImages } from './render';

/** The preset whose inputs these are, or `custom`. */
export function tierName(sizing: DeployInput['sizing']): string {
  return sizingPresetNameOf(sizing);
}

/**
 * Render settings from validated input; with `secrets`, the Secrets carry values.
 *
 * @public
 */
export function deploySettings(
  input: DeployInput,
  secrets?: DeploySecretValues,
): DeploySettings {
  const sizing = sizeEnvironment(input.sizing, tierName(input.sizing));
  const withProxy = sizing.workloads.some(w => w.id === 'llm-proxy');
  return {
    environment: input.environment,
    kubernetesId: input.kubernetesId,
    projectId: input.projectId,
    region: input.region,
    domain: input.domain,
    option: input.option,
    allowedNetworks: input.allowedNetworks,
    ...(input.ingressAddress ? { ingressAddress: input.ingressAddress } : {}),
    sizing,
    googleServiceAccount: input.googleServiceAccount,
    database: {
      host: input.database.host,
      connectionName: input.database.connectionName,
      keycloakOnCloudSql: !!input.database.secrets.keycloak,
      litellmOnCloudSql: withProxy && !!input.database.secrets.litellm,
    },
    apiEnv: input.apiEnv,
    images: resolveImages(input.images),
    ...(input.imagePullSecret
      ? { imagePullSecretName: input.imagePullSecret.name }
      : {}),
    ...(secrets ? { secrets } : {}),
  };
}
