/**
 * The ingress controller (`ingress-nginx`, chart 4.x's objects): the wildcard record `*.<domain>`
 * points at its load balancer. Public option: an external load balancer that only the allowed
 * networks may reach (`loadBalancerSourceRanges`); private option: an internal load balancer.
 *
 * The architecture page's table does not size it: the sizing catalog gives it the chart's
 * default requests (100m CPU; memory raised from 90Mi to 128Mi), and the planner places it like
 * every other pod.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  INGRESS_CLASS,
  httpProbe,
  meta,
  serviceAccount,
  sizedOf,
} from './common';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

const NAME = 'ingress-nginx-controller';
const NS = 'ingress-nginx';

export function renderIngressNginx(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'ingress-nginx')!;
  const { objects, workload: w } = workload(s, 'ingress-nginx', {
    kind: 'Deployment',
    name: NAME,
    sized,
    serviceAccountName: 'ingress-nginx',
    terminationGracePeriodSeconds: 300,
    container: {
      name: 'controller',
      image: s.images['ingress-nginx'],
      args: [
        '/nginx-ingress-controller',
        `--publish-service=$(POD_NAMESPACE)/${NAME}`,
        '--election-id=ingress-nginx-leader',
        '--controller-class=k8s.io/ingress-nginx',
        `--ingress-class=${INGRESS_CLASS}`,
        `--configmap=$(POD_NAMESPACE)/${NAME}`,
      ],
      env: [
        {
          name: 'POD_NAME',
          valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
        },
        {
          name: 'POD_NAMESPACE',
          valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
        },
      ],
      ports: [
        { name: 'http', containerPort: 80 },
        { name: 'https', containerPort: 443 },
        { name: 'metrics', containerPort: 10254 },
      ],
      securityContext: {
        runAsUser: 101,
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] },
      },
      livenessProbe: httpProbe('/healthz', 10254, { initialDelaySeconds: 10 }),
      readinessProbe: httpProbe('/healthz', 10254, { initialDelaySeconds: 10 }),
    },
  });
  const rbac = 'rbac.authorization.k8s.io/v1';
  const lbService: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(s, 'ingress-nginx', NAME, NS, {
      annotations:
        s.option === 'private'
          ? { 'networking.gke.io/load-balancer-type': 'Internal' }
          : undefined,
    }),
    spec: {
      type: 'LoadBalancer',
      // Client addresses reach nginx (logs, allow-lists) instead of a node's.
      externalTrafficPolicy: 'Local',
      ...(s.option === 'public'
        ? { loadBalancerSourceRanges: [...s.allowedNetworks] }
        : {}),
      // The address provisioning reserved, which the DNS records name: GKE gives the load
      // balancer exactly this address (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters#static-ip).
      ...(s.ingressAddress ? { loadBalancerIP: s.ingressAddress } : {}),
      selector: {
        'app.kubernetes.io/name': NAME,
        'app.kubernetes.io/component': 'ingress-nginx',
      },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 'https', protocol: 'TCP' },
      ],
    },
  } as KubernetesObject;
  return {
    componentId: 'ingress-nginx',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'ingress-nginx', 'ingress-nginx', NS, {
        automount: true,
      }),
      {
        apiVersion: rbac,
        kind: 'ClusterRole',
        metadata: meta(s, 'ingress-nginx', 'codemie-ingress-nginx'),
        rules: [
          {
            apiGroups: [''],
            resources: [
              'configmaps',
              'endpoints',
              'nodes',
              'pods',
              'secrets',
              'namespaces',
            ],
            verbs: ['list', 'watch'],
          },
          { apiGroups: [''], resources: ['nodes'], verbs: ['get'] },
          {
            apiGroups: [''],
            resources: ['services'],
            verbs: ['get', 'list', 'watch'],
          },
          {
            apiGroups: [''],
            resources: ['events'],
            verbs: ['create', 'patch'],
          },
          {
            apiGroups: ['networking.k8s.io'],
            resources: ['ingresses', 'ingressclasses'],
            verbs: ['get', 'list', 'watch'],
          },
          {
            apiGroups: ['networking.k8s.io'],
            resources: ['ingresses/status'],
            verbs: ['update'],
          },
          {
            apiGroups: ['discovery.k8s.io'],
            resources: ['endpointslices'],
            verbs: ['get', 'list', 'watch'],
          },
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['list', 'watch'],
          },
        ],
      } as KubernetesObject,
      {
        apiVersion: rbac,
        kind: 'ClusterRoleBinding',
        metadata: meta(s, 'ingress-nginx', 'codemie-ingress-nginx'),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'codemie-ingress-nginx',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'ingress-nginx', namespace: NS },
        ],
      } as KubernetesObject,
      {
        apiVersion: rbac,
        kind: 'Role',
        metadata: meta(s, 'ingress-nginx', 'ingress-nginx', NS),
        rules: [
          {
            apiGroups: [''],
            resources: ['configmaps', 'pods', 'secrets'],
            verbs: ['get'],
          },
          {
            apiGroups: [''],
            resources: ['configmaps'],
            verbs: ['create', 'update'],
          },
          {
            apiGroups: ['coordination.k8s.io'],
            resources: ['leases'],
            verbs: ['get', 'create', 'update'],
          },
        ],
      } as KubernetesObject,
      {
        apiVersion: rbac,
        kind: 'RoleBinding',
        metadata: meta(s, 'ingress-nginx', 'ingress-nginx', NS),
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'ingress-nginx',
        },
        subjects: [
          { kind: 'ServiceAccount', name: 'ingress-nginx', namespace: NS },
        ],
      } as KubernetesObject,
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta(s, 'ingress-nginx', NAME, NS),
        data: {
          'allow-snippet-annotations': 'false',
          'use-forwarded-headers': 'false',
          'proxy-body-size': '100m',
        },
      } as KubernetesObject,
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'IngressClass',
        metadata: meta(s, 'ingress-nginx', INGRESS_CLASS),
        spec: { controller: 'k8s.io/ingress-nginx' },
      } as KubernetesObject,
      ...objects,
      lbService,
    ],
  };
}
