/**
 * What every component stands on: the namespaces of CodeMie's GCP docs, the pd-balanced
 * StorageClass the docs use, the placement PriorityClasses the planner's check assumes, and the
 * pull secret for EPAM's registry.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { PLACEMENT_PRIORITY_CLASSES } from '@codemie-gcp/plugin-codemie-common';
import { meta, secret } from './common';
import type { DeploySettings, RenderedComponent } from './types';

/**
 * StorageClass of every rendered volume: GCE PD `pd-balanced` (the CodeMie docs' choice),
 * bound in the zone of the pod's node, expandable (a bigger tier grows the Elasticsearch
 * volumes in place), and `Retain` so that deleting a claim never deletes indexed data.
 *
 * @internal
 */
export const STORAGE_CLASS = 'codemie-pd-balanced';

/** Namespaces of an environment (LiteLLM's only with an in-cluster LLM proxy). @internal */
export function namespacesOf(s: DeploySettings): string[] {
  const withProxy = s.sizing.workloads.some(w => w.id === 'llm-proxy');
  return [
    'codemie',
    'elastic',
    'security',
    'oauth2-proxy',
    'fluentbit',
    ...(withProxy ? ['litellm'] : []),
    'ingress-nginx',
  ];
}

export function renderPlatform(s: DeploySettings): RenderedComponent {
  const objects: KubernetesObject[] = namespacesOf(s).map(name => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: meta(s, 'platform', name),
  }));
  objects.push({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: meta(s, 'platform', STORAGE_CLASS),
    provisioner: 'pd.csi.storage.gke.io',
    parameters: { type: 'pd-balanced' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  } as KubernetesObject);
  // The planner's placement rule: bigger pods first, and they may preempt smaller ones.
  for (const pc of PLACEMENT_PRIORITY_CLASSES) {
    objects.push({
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: meta(s, 'platform', pc.name),
      value: pc.value,
      globalDefault: false,
      preemptionPolicy: 'PreemptLowerPriority',
      description: pc.description,
    } as KubernetesObject);
  }
  if (s.imagePullSecretName) {
    objects.push(
      secret(
        s,
        'platform',
        s.imagePullSecretName,
        'codemie',
        v => ({ '.dockerconfigjson': v.dockerConfigJson ?? '' }),
        { type: 'kubernetes.io/dockerconfigjson' },
      ),
    );
  }
  return {
    componentId: 'platform',
    displayName: 'Namespaces and storage',
    objects,
    workloads: [],
  };
}
