import { KubernetesObject } from '@kubernetes/client-node';
import type { EnvironmentInput } from '@codemie-gcp/plugin-codemie-common';
import {
  ProvisionedOutputs,
  deployInputOf,
  deploySettings,
  parseDeployOptions,
  renderEnvironment,
} from './deploy';

/**
 * The Kubernetes objects `codemie:deploy` would apply to a provisioned environment, with
 * Secrets carrying no values. For GitOps pipelines and for seeding the local portal's sandbox
 * cluster.
 *
 * @param environment - the environment's validated inputs and what provisioning produced.
 * @param options - the deploy options (`codemie:deploy`'s input without `environment`).
 * @throws InputError naming every invalid option.
 * @public
 */
export function renderCodemieObjects(
  environment: { input: EnvironmentInput; outputs: ProvisionedOutputs },
  options: Record<string, unknown> = {},
): KubernetesObject[] {
  return renderEnvironment(
    deploySettings(deployInputOf(environment, parseDeployOptions(options))),
  ).flatMap(c => c.objects);
}
