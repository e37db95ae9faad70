/**
 * Shared building blocks of the rendered objects: labels, metadata, resources, probes,
 * anti-affinity, PodDisruptionBudgets, Services, Secrets and Ingresses. Pure.
 */
import type {
  KubernetesObject,
  V1Affinity,
  V1Container,
  V1EnvVar,
  V1Ingress,
  V1LocalObjectReference,
  V1ObjectMeta,
  V1PodDisruptionBudget,
  V1Probe,
  V1ResourceRequirements,
  V1Secret,
  V1Service,
  V1ServiceAccount,
  V1ServicePort,
  V1TopologySpreadConstraint,
} from '@kubernetes/client-node';
import {
  CODEMIE_ANNOTATIONS,
  SizedWorkload,
  formatCpuQuantity,
  formatMemoryQuantity,
} from '@codemie-gcp/plugin-codemie-common';
import type {
  DeployComponentId,
  DeploySecretValues,
  DeploySettings,
} from './types';

/** Label keys every rendered object carries. @internal */
export const DEPLOY_LABELS = {
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  name: 'app.kubernetes.io/name',
  managedBy: 'app.kubernetes.io/managed-by',
  environment: 'codemie.ai/environment',
  kubernetesId: CODEMIE_ANNOTATIONS.kubernetesId,
} as const;

/** Annotation on rendered Secrets written to the workspace without their values. @internal */
export const SECRET_VALUES_OMITTED_ANNOTATION = 'codemie.ai/secret-values';

/** The labels of every object of `component`. */
export function labelsFor(
  s: DeploySettings,
  component: DeployComponentId,
  name?: string,
): Record<string, string> {
  return {
    [DEPLOY_LABELS.partOf]: 'codemie',
    [DEPLOY_LABELS.component]: component,
    ...(name ? { [DEPLOY_LABELS.name]: name } : {}),
    [DEPLOY_LABELS.managedBy]: 'backstage',
    [DEPLOY_LABELS.environment]: s.environment,
    [DEPLOY_LABELS.kubernetesId]: s.kubernetesId,
  };
}

/** Metadata of an object of `component`. */
export function meta(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace?: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
): V1ObjectMeta {
  return {
    name,
    ...(namespace ? { namespace } : {}),
    labels: { ...labelsFor(s, component, name), ...extra.labels },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

/**
 * Selector of a workload's pods. Kept to the name and component (selectors are immutable, so
 * they must not contain anything that could change between runs).
 */
export function selectorFor(
  component: DeployComponentId,
  name: string,
): Record<string, string> {
  return { [DEPLOY_LABELS.name]: name, [DEPLOY_LABELS.component]: component };
}

/** Requests and limits of a sized workload as Kubernetes quantities. */
export function resourcesOf(
  w: Pick<SizedWorkload, 'requests' | 'limits'>,
): V1ResourceRequirements {
  return {
    requests: {
      cpu: formatCpuQuantity(w.requests.cpuMillis),
      memory: formatMemoryQuantity(w.requests.memoryMiB),
    },
    limits: {
      cpu: formatCpuQuantity(w.limits.cpuMillis),
      memory: formatMemoryQuantity(w.limits.memoryMiB),
    },
  };
}

/** An HTTP GET probe. */
export function httpProbe(
  path: string,
  port: number | string,
  options: Partial<V1Probe> = {},
): V1Probe {
  return {
    httpGet: { path, port: port as any },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
    ...options,
  };
}

/** A TCP probe. */
export function tcpProbe(
  port: number | string,
  options: Partial<V1Probe> = {},
): V1Probe {
  return {
    tcpSocket: { port: port as any },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
    ...options,
  };
}

export function env(name: string, value: string): V1EnvVar {
  return { name, value };
}

export function envFromSecret(
  name: string,
  secretName: string,
  key: string,
): V1EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: secretName, key } } };
}

/**
 * Scheduling of a workload whose replicas must be apart, matching the node-pool planner: never
 * two on one node (required anti-affinity on the hostname) and, in a regional cluster, at most
 * ⌈replicas / zones⌉ per zone (a zone spread with max skew 1).
 */
export function spreadScheduling(selector: Record<string, string>): {
  affinity: V1Affinity;
  topologySpreadConstraints: V1TopologySpreadConstraint[];
} {
  return {
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: selector },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    },
    topologySpreadConstraints: [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        whenUnsatisfiable: 'DoNotSchedule',
        labelSelector: { matchLabels: selector },
      },
    ],
  };
}

/** A PodDisruptionBudget keeping all but one replica of a multi-replica workload up. */
export function disruptionBudget(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
  selector: Record<string, string>,
): V1PodDisruptionBudget & KubernetesObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(s, component, name, namespace),
    spec: { maxUnavailable: 1 as any, selector: { matchLabels: selector } },
  };
}

/** A ClusterIP Service (headless with `clusterIP: 'None'`). */
export function service(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
  selector: Record<string, string>,
  ports: V1ServicePort[],
  options: { headless?: boolean } = {},
): V1Service & KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(s, component, name, namespace),
    spec: {
      type: 'ClusterIP',
      ...(options.headless
        ? { clusterIP: 'None', publishNotReadyAddresses: true }
        : {}),
      selector,
      ports: ports.map(p => ({ protocol: 'TCP', ...p })),
    },
  };
}

/** A ServiceAccount; with a Google service account it is bound through Workload Identity. */
export function serviceAccount(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
  options: { workloadIdentity?: boolean; automount?: boolean } = {},
): V1ServiceAccount & KubernetesObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(s, component, name, namespace, {
      annotations: options.workloadIdentity
        ? { 'iam.gke.io/gcp-service-account': s.googleServiceAccount }
        : undefined,
    }),
    automountServiceAccountToken: options.automount ?? false,
  };
}

/**
 * A Secret. `values` reads the secret values; without them (dry run, manifests for GitOps)
 * the Secret is rendered without `data` and says so in an annotation.
 */
export function secret(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
  values: (v: DeploySecretValues) => Record<string, string>,
  options: { type?: string; annotations?: Record<string, string> } = {},
): V1Secret & KubernetesObject {
  const annotations = s.secrets
    ? options.annotations
    : { ...options.annotations, [SECRET_VALUES_OMITTED_ANNOTATION]: 'omitted' };
  const data = s.secrets
    ? Object.fromEntries(
        Object.entries(values(s.secrets)).map(([k, v]) => [
          k,
          Buffer.from(v, 'utf8').toString('base64'),
        ]),
      )
    : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta(s, component, name, namespace, { annotations }),
    type: options.type ?? 'Opaque',
    ...(data ? { data } : {}),
  };
}

/** The ingress class every rendered Ingress uses (served by the rendered ingress-nginx). */
export const INGRESS_CLASS = 'nginx';

/** An Ingress for one host. */
export function ingress(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
  host: string,
  paths: Array<{
    path: string;
    pathType?: string;
    service: string;
    port: number;
  }>,
  annotations?: Record<string, string>,
): V1Ingress & KubernetesObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta(s, component, name, namespace, { annotations }),
    spec: {
      ingressClassName: INGRESS_CLASS,
      rules: [
        {
          host,
          http: {
            paths: paths.map(p => ({
              path: p.path,
              pathType: p.pathType ?? 'Prefix',
              backend: {
                service: { name: p.service, port: { number: p.port } },
              },
            })),
          },
        },
      ],
    },
  };
}

/** Hosts of an environment. */
export function hostsOf(s: Pick<DeploySettings, 'domain'>) {
  return {
    codemie: `codemie.${s.domain}`,
    keycloak: `keycloak.${s.domain}`,
    kibana: `kibana.${s.domain}`,
    nats: `nats-codemie.${s.domain}`,
  };
}

/** Pull secrets for pods running EPAM's images. */
export function pullSecrets(
  s: DeploySettings,
): V1LocalObjectReference[] | undefined {
  return s.imagePullSecretName ? [{ name: s.imagePullSecretName }] : undefined;
}

/** Defaults for every main container: no privilege escalation, all capabilities dropped. */
export function hardened(
  container: V1Container,
  runAsUser?: number,
): V1Container {
  return {
    imagePullPolicy: 'IfNotPresent',
    ...container,
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      ...(runAsUser !== undefined ? { runAsUser, runAsNonRoot: true } : {}),
      ...container.securityContext,
    },
  };
}

/** The sized workload of a component id, or undefined when the tier leaves it out. */
export function sizedOf(
  s: DeploySettings,
  id: SizedWorkload['id'],
): SizedWorkload | undefined {
  return [...s.sizing.workloads, ...s.sizing.daemonSets].find(w => w.id === id);
}
