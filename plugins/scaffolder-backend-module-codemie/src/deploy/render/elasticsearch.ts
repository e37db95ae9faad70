/**
 * Elasticsearch (`elastic` / `elastic`): the upstream chart's shape — StatefulSet
 * `elasticsearch-master` with parallel pod management, a headless discovery Service, the
 * `elasticsearch-master-credentials` Secret — with the tier's replicas, requests and storage.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  env,
  envFromSecret,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { workload } from './workload';
import type {
  DeployComponentId,
  DeploySettings,
  RenderedComponent,
} from './types';

/** Elasticsearch's in-cluster URL (HTTP inside the cluster; users authenticate). @internal */
export const ELASTIC_SERVICE_URL =
  'http://elasticsearch-master.elastic.svc.cluster.local:9200';

const NAME = 'elasticsearch-master';
const CERTS = 'elasticsearch-master-certs';

/**
 * A copy of the `elastic` user's credentials in another namespace (pods read Secrets of their
 * own namespace only). It belongs to the consuming component.
 */
export function elasticCredentialsCopy(
  s: DeploySettings,
  component: DeployComponentId,
  name: string,
  namespace: string,
): KubernetesObject {
  return secret(s, component, name, namespace, v => ({
    username: 'elastic',
    password: v.elasticPassword,
  }));
}

export function renderElasticsearch(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'elasticsearch')!;
  const ns = sized.namespace;
  // Half the memory for the heap (Elastic's guidance), the rest for the file-system cache.
  const heapMiB = Math.floor(sized.requests.memoryMiB / 2);
  const masters = Array.from(
    { length: sized.replicas },
    (_, i) => `${NAME}-${i}`,
  ).join(',');
  const certDir = '/usr/share/elasticsearch/config/certs';
  const { objects, workload: w } = workload(s, 'elasticsearch', {
    kind: 'StatefulSet',
    name: NAME,
    sized,
    serviceAccountName: NAME,
    serviceName: `${NAME}-headless`,
    // As the upstream chart: all nodes start together so they can form the cluster.
    podManagementPolicy: 'Parallel',
    dataVolume: true,
    runAsUser: 1000,
    podSecurityContext: { fsGroup: 1000, runAsUser: 1000 },
    terminationGracePeriodSeconds: 120,
    volumes: [
      { name: 'certs', secret: { secretName: CERTS, defaultMode: 0o440 } },
    ],
    container: {
      name: 'elasticsearch',
      image: s.images.elasticsearch,
      ports: [
        { name: 'http', containerPort: 9200 },
        { name: 'transport', containerPort: 9300 },
      ],
      env: [
        {
          name: 'node.name',
          valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
        },
        env('cluster.name', 'codemie'),
        env('discovery.seed_hosts', `${NAME}-headless`),
        env('cluster.initial_master_nodes', masters),
        env('ES_JAVA_OPTS', `-Xms${heapMiB}m -Xmx${heapMiB}m`),
        // No privileged sysctl init container: mmap off instead of raising vm.max_map_count.
        env('node.store.allow_mmap', 'false'),
        env('xpack.security.enabled', 'true'),
        env('xpack.security.http.ssl.enabled', 'false'),
        env('xpack.security.transport.ssl.enabled', 'true'),
        env('xpack.security.transport.ssl.verification_mode', 'certificate'),
        env('xpack.security.transport.ssl.key', `${certDir}/tls.key`),
        env('xpack.security.transport.ssl.certificate', `${certDir}/tls.crt`),
        env(
          'xpack.security.transport.ssl.certificate_authorities',
          `${certDir}/tls.crt`,
        ),
        envFromSecret(
          'ELASTIC_PASSWORD',
          'elasticsearch-master-credentials',
          'password',
        ),
      ],
      volumeMounts: [
        { name: 'data', mountPath: '/usr/share/elasticsearch/data' },
        { name: 'certs', mountPath: certDir, readOnly: true },
      ],
      readinessProbe: {
        exec: {
          command: [
            'bash',
            '-c',
            'curl -fsS -u "elastic:${ELASTIC_PASSWORD}" "http://127.0.0.1:9200/_cluster/health?local=true" >/dev/null',
          ],
        },
        initialDelaySeconds: 10,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 3,
      },
    },
  });
  const selector = selectorFor('elasticsearch', NAME);
  return {
    componentId: 'elasticsearch',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'elasticsearch', NAME, ns),
      secret(s, 'elasticsearch', 'elasticsearch-master-credentials', ns, v => ({
        username: 'elastic',
        password: v.elasticPassword,
      })),
      secret(
        s,
        'elasticsearch',
        CERTS,
        ns,
        v => ({
          'tls.crt': v.elasticTransportCert,
          'tls.key': v.elasticTransportKey,
        }),
        { type: 'Opaque' },
      ),
      ...objects,
      service(s, 'elasticsearch', NAME, ns, selector, [
        { name: 'http', port: 9200, targetPort: 'http' as any },
        { name: 'transport', port: 9300, targetPort: 'transport' as any },
      ]),
      service(
        s,
        'elasticsearch',
        `${NAME}-headless`,
        ns,
        selector,
        [
          { name: 'http', port: 9200, targetPort: 'http' as any },
          { name: 'transport', port: 9300, targetPort: 'transport' as any },
        ],
        { headless: true },
      ),
    ],
  };
}
