/**
 * One builder for the Deployments, StatefulSets and DaemonSets: the tier's replicas, requests
 * and limits on the single container of each pod (so a pod requests exactly what the planner
 * placed), the planner's placement rules (priority class by size; anti-affinity and a zone
 * spread with max skew 1 for spread workloads), and a PodDisruptionBudget for multi-replica ones.
 */
import type {
  KubernetesObject,
  V1Container,
  V1PersistentVolumeClaim,
  V1PodSecurityContext,
  V1Toleration,
  V1Volume,
} from '@kubernetes/client-node';
import {
  PLACEMENT_PRIORITY_CLASSES,
  SizedWorkload,
  formatStorageQuantity,
  placementPriorityClass,
} from '@codemie-gcp/plugin-codemie-common';
import {
  disruptionBudget,
  hardened,
  labelsFor,
  meta,
  pullSecrets,
  resourcesOf,
  selectorFor,
  spreadScheduling,
} from './common';
import { STORAGE_CLASS } from './platform';
import type {
  DeployComponentId,
  DeploySettings,
  RenderedWorkload,
} from './types';

/** Options of {@link workload}. */
export interface WorkloadOptions {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  sized: SizedWorkload;
  /** The pod's one container; it gets the tier's requests and limits. */
  container: V1Container;
  /** Run the container as this non-root uid. */
  runAsUser?: number;
  serviceAccountName: string;
  /** Pulls from EPAM's registry (adds the pull secret). */
  privateImage?: boolean;
  volumes?: V1Volume[];
  /** StatefulSets: one claim `data` of the tier's storage per pod, mounted by the caller. */
  dataVolume?: boolean;
  serviceName?: string;
  podManagementPolicy?: 'OrderedReady' | 'Parallel';
  podSecurityContext?: V1PodSecurityContext;
  tolerations?: V1Toleration[];
  terminationGracePeriodSeconds?: number;
  /** Extra pod-template annotations (e.g. a config checksum). */
  podAnnotations?: Record<string, string>;
}

/** The workload object, what `codemie:deploy` waits for, and its PodDisruptionBudget. */
export function workload(
  s: DeploySettings,
  component: DeployComponentId,
  o: WorkloadOptions,
): { objects: KubernetesObject[]; workload: RenderedWorkload } {
  const namespace = o.sized.namespace;
  const selector = selectorFor(component, o.name);
  const spread = o.sized.spreadReplicas && o.kind !== 'DaemonSet';
  // The planner checked its node pool with these priorities: big pods first. A DaemonSet's pod
  // must run on every node, so it gets the highest CodeMie class.
  const priorityClassName =
    o.kind === 'DaemonSet'
      ? PLACEMENT_PRIORITY_CLASSES[0].name
      : placementPriorityClass(o.sized.requests).name;
  const podSpec = {
    serviceAccountName: o.serviceAccountName,
    priorityClassName,
    ...(o.privateImage && pullSecrets(s)
      ? { imagePullSecrets: pullSecrets(s) }
      : {}),
    ...(o.podSecurityContext ? { securityContext: o.podSecurityContext } : {}),
    ...(o.terminationGracePeriodSeconds !== undefined
      ? { terminationGracePeriodSeconds: o.terminationGracePeriodSeconds }
      : {}),
    ...(spread ? spreadScheduling(selector) : {}),
    ...(o.tolerations ? { tolerations: o.tolerations } : {}),
    containers: [
      hardened(
        { ...o.container, resources: resourcesOf(o.sized) },
        o.runAsUser,
      ),
    ],
    ...(o.volumes ? { volumes: o.volumes } : {}),
  };
  const template = {
    metadata: {
      labels: labelsFor(s, component, o.name),
      ...(o.podAnnotations ? { annotations: o.podAnnotations } : {}),
    },
    spec: podSpec,
  };
  const claims: V1PersistentVolumeClaim[] | undefined =
    o.dataVolume && o.sized.storageGiBPerPod > 0
      ? [
          {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            metadata: { name: 'data', labels: labelsFor(s, component) },
            spec: {
              accessModes: ['ReadWriteOnce'],
              storageClassName: STORAGE_CLASS,
              resources: {
                requests: {
                  storage: formatStorageQuantity(o.sized.storageGiBPerPod),
                },
              },
            },
          },
        ]
      : undefined;
  const spec: Record<string, unknown> = {
    selector: { matchLabels: selector },
    template,
  };
  if (o.kind !== 'DaemonSet') spec.replicas = o.sized.replicas;
  if (o.kind === 'Deployment') {
    // Surge one pod at a time: a rollout never needs more than one extra pod's room, which the
    // planner's headroom node provides.
    spec.strategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
    };
  }
  if (o.kind === 'StatefulSet') {
    spec.serviceName = o.serviceName ?? o.name;
    spec.podManagementPolicy = o.podManagementPolicy ?? 'OrderedReady';
    if (claims) spec.volumeClaimTemplates = claims;
  }
  if (o.kind === 'DaemonSet') {
    spec.updateStrategy = {
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: 1 },
    };
  }
  const object: KubernetesObject = {
    apiVersion: 'apps/v1',
    kind: o.kind,
    metadata: meta(s, component, o.name, namespace),
    spec,
  } as KubernetesObject;
  const objects: KubernetesObject[] = [object];
  if (o.kind !== 'DaemonSet' && o.sized.replicas > 1) {
    objects.push(disruptionBudget(s, component, o.name, namespace, selector));
  }
  return {
    objects,
    workload: {
      kind: o.kind,
      namespace,
      name: o.name,
      replicas: o.kind === 'DaemonSet' ? 0 : o.sized.replicas,
      requests: { ...o.sized.requests },
      storageGiBPerPod: claims ? o.sized.storageGiBPerPod : 0,
    },
  };
}
