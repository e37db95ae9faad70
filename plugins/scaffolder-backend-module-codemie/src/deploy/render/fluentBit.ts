/** Fluent Bit (`fluentbit` / `fluent-bit`): a DaemonSet shipping container logs to Elasticsearch. */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  envFromSecret,
  httpProbe,
  meta,
  serviceAccount,
  sizedOf,
} from './common';
import { elasticCredentialsCopy } from './elasticsearch';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

const NAME = 'fluent-bit';

function fluentBitConfig(environment: string): string {
  return [
    '[SERVICE]',
    '    Flush 5',
    '    Log_Level info',
    '    Parsers_File /fluent-bit/etc/parsers.conf',
    '    HTTP_Server On',
    '    HTTP_Listen 0.0.0.0',
    '    HTTP_Port 2020',
    '    Health_Check On',
    '',
    '[INPUT]',
    '    Name tail',
    '    Path /var/log/containers/*.log',
    '    multiline.parser docker, cri',
    '    Tag kube.*',
    '    Mem_Buf_Limit 50MB',
    '    Skip_Long_Lines On',
    '',
    '[FILTER]',
    '    Name kubernetes',
    '    Match kube.*',
    '    Merge_Log On',
    '    Keep_Log Off',
    '',
    '[OUTPUT]',
    '    Name es',
    '    Match kube.*',
    '    Host elasticsearch-master.elastic.svc.cluster.local',
    '    Port 9200',
    '    HTTP_User ${ELASTIC_USERNAME}',
    '    HTTP_Passwd ${ELASTIC_PASSWORD}',
    `    Logstash_Format On`,
    `    Logstash_Prefix codemie-logs-${environment}`,
    '    Suppress_Type_Name On',
    '    Replace_Dots On',
    '    Retry_Limit False',
    '',
  ].join('\n');
}

export function renderFluentBit(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'fluent-bit')!;
  const ns = sized.namespace;
  const { objects, workload: w } = workload(s, 'fluent-bit', {
    kind: 'DaemonSet',
    name: NAME,
    sized,
    serviceAccountName: NAME,
    // Logs of every node, whatever its taints.
    tolerations: [{ operator: 'Exists' }],
    volumes: [
      { name: 'config', configMap: { name: `${NAME}-config` } },
      { name: 'varlog', hostPath: { path: '/var/log' } },
    ],
    container: {
      name: 'fluent-bit',
      image: s.images['fluent-bit'],
      ports: [{ name: 'http', containerPort: 2020 }],
      env: [
        envFromSecret(
          'ELASTIC_USERNAME',
          'fluent-bit-elasticsearch-credentials',
          'username',
        ),
        envFromSecret(
          'ELASTIC_PASSWORD',
          'fluent-bit-elasticsearch-credentials',
          'password',
        ),
      ],
      volumeMounts: [
        {
          name: 'config',
          mountPath: '/fluent-bit/etc/fluent-bit.conf',
          subPath: 'fluent-bit.conf',
        },
        { name: 'varlog', mountPath: '/var/log', readOnly: true },
      ],
      livenessProbe: httpProbe('/', 'http'),
      readinessProbe: httpProbe('/api/v1/health', 'http'),
    },
  });
  const rbac: KubernetesObject[] = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta(s, 'fluent-bit', `codemie-${NAME}`),
      rules: [
        {
          apiGroups: [''],
          resources: ['namespaces', 'pods'],
          verbs: ['get', 'list', 'watch'],
        },
      ],
    } as KubernetesObject,
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta(s, 'fluent-bit', `codemie-${NAME}`),
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: `codemie-${NAME}`,
      },
      subjects: [{ kind: 'ServiceAccount', name: NAME, namespace: ns }],
    } as KubernetesObject,
  ];
  return {
    componentId: 'fluent-bit',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      // The kubernetes filter reads pod metadata with the service account's token.
      serviceAccount(s, 'fluent-bit', NAME, ns, { automount: true }),
      ...rbac,
      elasticCredentialsCopy(
        s,
        'fluent-bit',
        'fluent-bit-elasticsearch-credentials',
        ns,
      ),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: meta(s, 'fluent-bit', `${NAME}-config`, ns),
        data: { 'fluent-bit.conf': fluentBitConfig(s.environment) },
      } as KubernetesObject,
      ...objects,
    ],
  };
}
