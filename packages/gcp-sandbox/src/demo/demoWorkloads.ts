import type {
  SizedWorkload,
  TierSizing,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * A Kubernetes object as plain JSON.
 *
 * @public
 */
export type ManifestObject = {
  apiVersion: string;
  kind: string;
  metadata: Record<string, any>;
  [key: string]: any;
};

const IMAGES: Record<string, string> = {
  'codemie-api': 'europe-west3-docker.pkg.dev/epam-codemie/prod/codemie:2.5.0',
  'codemie-ui':
    'europe-west3-docker.pkg.dev/epam-codemie/prod/codemie-ui:2.5.0',
  'mcp-connect':
    'europe-west3-docker.pkg.dev/epam-codemie/prod/codemie-mcp-connect-service:2.5.0',
  'mermaid-server':
    'europe-west3-docker.pkg.dev/epam-codemie/prod/mermaid-server:2.5.0',
  'nats-auth-callout':
    'europe-west3-docker.pkg.dev/epam-codemie/prod/codemie-nats-auth-callout:2.5.0',
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.2',
  kibana: 'docker.elastic.co/kibana/kibana:8.19.2',
  keycloak: 'quay.io/keycloak/keycloak:26.3.2',
  'keycloak-db': 'docker.io/library/postgres:16.9',
  'oauth2-proxy': 'quay.io/oauth2-proxy/oauth2-proxy:v7.11.0',
  nats: 'docker.io/library/nats:2.11.6-alpine',
  'fluent-bit': 'cr.fluentbit.io/fluent/fluent-bit:4.0.5',
  'llm-proxy': 'ghcr.io/berriai/litellm:main-v1.74.9-stable',
};

const PORTS: Record<string, number> = {
  'codemie-api': 8080,
  'codemie-ui': 8080,
  'mcp-connect': 3000,
  'mermaid-server': 8000,
  elasticsearch: 9200,
  kibana: 5601,
  keycloak: 8080,
  'keycloak-db': 5432,
  'oauth2-proxy': 4180,
  nats: 4222,
  'llm-proxy': 4000,
};

function quantities(r: { cpuMillis: number; memoryMiB: number }) {
  return { cpu: `${r.cpuMillis}m`, memory: `${r.memoryMiB}Mi` };
}

function workloadObjects(w: SizedWorkload): ManifestObject[] {
  const labels = {
    'app.kubernetes.io/name': w.id,
    'app.kubernetes.io/instance': w.release,
    'app.kubernetes.io/component': w.id,
    'app.kubernetes.io/part-of': 'codemie',
    'app.kubernetes.io/managed-by': 'Helm',
  };
  const selector = {
    matchLabels: {
      'app.kubernetes.io/instance': w.release,
      'app.kubernetes.io/component': w.id,
    },
  };
  const port = PORTS[w.id];
  const container: Record<string, any> = {
    name: w.id,
    image: IMAGES[w.id] ?? `registry.example.com/${w.id}:latest`,
    resources: {
      requests: quantities(w.requests),
      limits: quantities(w.limits),
    },
    ...(port ? { ports: [{ name: 'http', containerPort: port }] } : {}),
  };
  if (w.storageGiBPerPod > 0)
    container.volumeMounts = [{ name: 'data', mountPath: '/data' }];
  const template = { metadata: { labels }, spec: { containers: [container] } };
  const metadata = { name: w.id, namespace: w.namespace, labels };
  const out: ManifestObject[] = [];
  if (w.kind === 'Deployment') {
    out.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: { replicas: w.replicas, selector, template },
    });
  } else if (w.kind === 'StatefulSet') {
    out.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata,
      spec: {
        replicas: w.replicas,
        serviceName: w.id,
        selector,
        template,
        ...(w.storageGiBPerPod > 0
          ? {
              volumeClaimTemplates: [
                {
                  metadata: { name: 'data' },
                  spec: {
                    accessModes: ['ReadWriteOnce'],
                    storageClassName: 'standard-rwo',
                    resources: {
                      requests: { storage: `${w.storageGiBPerPod}Gi` },
                    },
                  },
                },
              ],
            }
          : {}),
      },
    });
  } else {
    out.push({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata,
      spec: { selector, template },
    });
  }
  if (port) {
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: {
        selector: selector.matchLabels,
        ports: [{ name: 'http', port, targetPort: port }],
      },
    });
  }
  return out;
}

/**
 * The Kubernetes objects of a CodeMie installation of the given sizing: a namespace per
 * component namespace, and each sized workload as the Deployment / StatefulSet / DaemonSet its
 * chart creates (requests and limits from the sizing, volumes for stateful components), with a
 * Service. Enough for the demo installation's entity page; not the Helm charts themselves.
 *
 * @public
 */
export function demoWorkloads(sizing: TierSizing): ManifestObject[] {
  const workloads = [...sizing.workloads, ...sizing.daemonSets];
  const namespaces = [...new Set(workloads.map(w => w.namespace))].sort();
  return [
    ...namespaces.map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
    })),
    ...workloads.flatMap(workloadObjects),
  ];
}
