/**
 * LLM proxy (`litellm` / `litellm`, optional): LiteLLM on port 4000, acting as the Google
 * service account (Workload Identity) to call Vertex AI, its state in Cloud SQL's `litellm`
 * database when one is given.
 */
import { LITELLM_SERVICE_ACCOUNT } from '@codemie-gcp/plugin-codemie-common';
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  env,
  envFromSecret,
  httpProbe,
  meta,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

export function renderLlmProxy(s: DeploySettings): RenderedComponent[] {
  const sized = sizedOf(s, 'llm-proxy');
  if (!sized) return [];
  const ns = sized.namespace;
  const name = 'litellm';
  const { objects, workload: w } = workload(s, 'llm-proxy', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: LITELLM_SERVICE_ACCOUNT.name,
    volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
    container: {
      name: 'litellm',
      image: s.images['llm-proxy'],
      args: ['--config', '/app/config/config.yaml', '--port', '4000'],
      ports: [{ name: 'http', containerPort: 4000 }],
      env: [
        envFromSecret('LITELLM_MASTER_KEY', name, 'master-key'),
        ...(s.database.litellmOnCloudSql
          ? [envFromSecret('DATABASE_URL', name, 'database-url')]
          : []),
        env('VERTEXAI_PROJECT', s.projectId),
        env('VERTEXAI_LOCATION', s.region),
      ],
      volumeMounts: [{ name: 'config', mountPath: '/app/config' }],
      startupProbe: httpProbe('/health/liveliness', 'http', {
        failureThreshold: 30,
      }),
      livenessProbe: httpProbe('/health/liveliness', 'http'),
      readinessProbe: httpProbe('/health/readiness', 'http'),
    },
  });
  const config: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(s, 'llm-proxy', `${name}-config`, ns),
    // Models are configured by the platform team afterwards (LiteLLM's admin UI or this map).
    data: {
      'config.yaml':
        'model_list: []\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n',
    },
  } as KubernetesObject;
  return [
    {
      componentId: 'llm-proxy',
      displayName: sized.displayName,
      workloads: [w],
      objects: [
        serviceAccount(s, 'llm-proxy', LITELLM_SERVICE_ACCOUNT.name, ns, {
          workloadIdentity: true,
        }),
        secret(
          s,
          'llm-proxy',
          name,
          ns,
          v => ({
            'master-key': v.litellmMasterKey,
            ...(s.database.litellmOnCloudSql && v.litellmDbPassword
              ? {
                  'database-url': `postgresql://litellm:${encodeURIComponent(v.litellmDbPassword)}@${s.database.host}:5432/litellm`,
                }
              : {}),
          }),
          s.database.litellmOnCloudSql
            ? {
                annotations: {
                  'codemie.ai/cloudsql-instance': s.database.connectionName,
                },
              }
            : {},
        ),
        config,
        ...objects,
        service(s, 'llm-proxy', name, ns, selectorFor('llm-proxy', name), [
          { name: 'http', port: 4000, targetPort: 'http' as any },
        ]),
      ],
    },
  ];
}
