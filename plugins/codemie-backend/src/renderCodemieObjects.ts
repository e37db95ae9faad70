import { KubernetesObject } from '@kubernetes/client-node';
import { deploySettings, parseDeployInput, renderEnvironment } from './deploy';

/**
 * The Kubernetes objects `codemie:deploy` would apply for these inputs, with Secrets carrying
 * no values. For GitOps pipelines and for seeding the local portal's sandbox cluster.
 *
 * @param input - the same input as the `codemie:deploy` action.
 * @throws InputError naming every invalid field.
 * @public
 */
export function renderCodemieObjects(
  input: Record<string, unknown>,
): KubernetesObject[] {
  return renderEnvironment(deploySettings(parseDeployInput(input))).flatMap(
    c => c.objects,
  );
}
