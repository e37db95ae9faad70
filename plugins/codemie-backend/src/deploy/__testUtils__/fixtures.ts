import {
  SIZING_PRESETS,
  SizingInputs,
} from '@codemie-gcp/plugin-codemie-common';
import { generateCredentials } from '../credentials';
import { DeploySecretValues, DeploySettings } from '../render';
import { deploySettings } from '../settings';
import { parseDeployInput } from '../deployInput';

/** A valid `codemie:deploy` input (production tier, public option). */
export function deployInput(
  overrides: Record<string, unknown> = {},
): Record<string, any> {
  return {
    environment: 'codemie-dev',
    entityRef: 'resource:default/codemie-dev',
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
  return deploySettings(parseDeployInput(deployInput(overrides)), secrets);
}

/** Sizing inputs with a change. */
export function sizing(change: Partial<SizingInputs>): SizingInputs {
  return { ...SIZING_PRESETS.production, ...change };
}
