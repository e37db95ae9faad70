import {
  EnvironmentInput,
  SIZING_PRESETS,
  SizingInputs,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { generateCredentials } from '../credentials';
import { DeploySecretValues, DeploySettings } from '../render';
import { deploySettings } from '../settings';
import {
  DeployInput,
  ProvisionedOutputs,
  deployInputOf,
  parseDeployOptions,
} from '../deployInput';

/**
 * A provisioned environment as its record holds it (production tier, public option), from the
 * flat description of {@link deployInput}: environment fields, outputs and deploy options.
 */
export function provisionedEnvironment(
  overrides: Record<string, unknown> = {},
): {
  input: EnvironmentInput;
  outputs: ProvisionedOutputs;
  options: Record<string, unknown>;
} {
  const flat = deployInput(overrides);
  const [, projectId, location] =
    /^projects\/([^/]+)\/locations\/([^/]+)\//.exec(flat.cluster) ?? [];
  const input = validateEnvironmentInput({
    name: flat.environment,
    projectId,
    region: location.replace(/-[a-z]$/, ''),
    regional: !/-[a-z]$/.test(location),
    option: flat.option,
    ...(flat.option === 'public'
      ? { allowedNetworks: flat.allowedNetworks }
      : { bastionMembers: ['group:platform@example.com'] }),
    domain: flat.domain,
    sizing: flat.sizing,
  });
  const options: Record<string, unknown> = {};
  for (const key of [
    'images',
    'imagePullSecret',
    'apiEnv',
    'timeoutSeconds',
    'writeManifests',
  ]) {
    if (flat[key] !== undefined) options[key] = flat[key];
  }
  return {
    input,
    outputs: {
      clusterName: flat.cluster,
      googleServiceAccount: flat.googleServiceAccount,
      sqlPrivateIp: flat.database.host,
      sqlConnectionName: flat.database.connectionName,
      databaseSecrets: flat.database.secrets,
      ...(flat.ingressAddress ? { ingressAddress: flat.ingressAddress } : {}),
    },
    options,
  };
}

/**
 * The resolved deploy input of `provisionedEnvironment`.
 *
 * @public
 */
export function resolvedDeployInput(
  overrides: Record<string, unknown> = {},
): DeployInput {
  const env = provisionedEnvironment(overrides);
  const resolved = deployInputOf(env, parseDeployOptions(env.options));
  return overrides.kubernetesId
    ? { ...resolved, kubernetesId: String(overrides.kubernetesId) }
    : resolved;
}

/** A flat description of a provisioned environment and its deploy options. */
export function deployInput(
  overrides: Record<string, unknown> = {},
): Record<string, any> {
  return {
    environment: 'codemie-dev',
    cluster:
      'projects/acme-ai-platform/locations/europe-west1/clusters/codemie-dev-gke',
    domain: 'codemie.example.com',
    option: 'public',
    allowedNetworks: ['203.0.113.0/24', '198.51.100.7/32'],
    sizing: { ...SIZING_PRESETS.production },
    googleServiceAccount:
      'codemie-dev-codemie@acme-ai-platform.iam.gserviceaccount.com',
    database: {
      host: '10.40.0.3',
      connectionName: 'acme-ai-platform:europe-west1:codemie-dev-pg',
      secrets: {
        codemie: 'codemie-dev-codemie-db-password',
        keycloak: 'codemie-dev-keycloak-db-password',
        litellm: 'codemie-dev-litellm-db-password',
      },
    },
    images: {
      registry: 'europe-west3-docker.pkg.dev/epam-test/prod',
      version: '1.2.3',
    },
    ...overrides,
  };
}

/** Secret values that are easy to find in a log if they ever leak. */
export function secretValues(): DeploySecretValues {
  return {
    ...generateCredentials({ keycloakDbInCluster: true }),
    keycloakDbPassword: 'LEAK-keycloak-db-7d1f',
    elasticPassword: 'LEAK-elastic-91ac',
    codemieDbPassword: 'LEAK-codemie-db-55e2',
    litellmDbPassword: 'LEAK-litellm-db-0b3c',
  } as DeploySecretValues;
}

/** Render settings from an input (see {@link deployInput}), optionally with secret values. */
export function settingsFor(
  overrides: Record<string, unknown> = {},
  secrets?: DeploySecretValues,
): DeploySettings {
  return deploySettings(resolvedDeployInput(overrides), secrets);
}

/** Sizing inputs with a change. */
export function sizing(change: Partial<SizingInputs>): SizingInputs {
  return { ...SIZING_PRESETS.production, ...change };
}
