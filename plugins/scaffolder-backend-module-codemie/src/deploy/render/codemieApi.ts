/** CodeMie API (`codemie` / `codemie-api`): port, probes, ingress and env as the CodeMie GCP docs give them (https://codemie-ai.github.io/docs, read 2026-11). */
import { API_SERVICE_ACCOUNT } from '@codemie-gcp/plugin-codemie-common';
import {
  env,
  envFromSecret,
  hostsOf,
  httpProbe,
  ingress,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { ELASTIC_SERVICE_URL, elasticCredentialsCopy } from './elasticsearch';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

/** In-cluster URLs the API is configured with. */
export const API_URLS = {
  mcpConnect: 'http://codemie-mcp-connect-service:3000',
  mermaid: 'http://mermaid-server:8000',
  litellm: 'http://litellm.litellm.svc.cluster.local:4000',
  nats: 'nats://codemie-nats:4222',
};

export function renderCodemieApi(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'codemie-api')!;
  const name = 'codemie-api';
  const ns = sized.namespace;
  const hasProxy = !!sizedOf(s, 'llm-proxy');
  const hasNats = !!sizedOf(s, 'nats');
  const { objects, workload: w } = workload(s, 'codemie-api', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: API_SERVICE_ACCOUNT.name,
    privateImage: true,
    container: {
      name: 'codemie',
      image: s.images['codemie-api'],
      ports: [{ name: 'http', containerPort: 8080 }],
      envFrom: [{ secretRef: { name: 'codemie-postgresql' } }],
      env: [
        env('ELASTIC_URL', ELASTIC_SERVICE_URL),
        envFromSecret(
          'ELASTIC_USERNAME',
          'codemie-elasticsearch-credentials',
          'username',
        ),
        envFromSecret(
          'ELASTIC_PASSWORD',
          'codemie-elasticsearch-credentials',
          'password',
        ),
        env('ENCRYPTION_TYPE', 'gcp'),
        env('FILES_STORAGE_TYPE', 'gcp'),
        env('GOOGLE_PROJECT_ID', s.projectId),
        env('GOOGLE_REGION', s.region),
        env('GOOGLE_VERTEXAI_REGION', s.region),
        env('IDP_PROVIDER', 'keycloak'),
        env('API_ROOT_PATH', '/code-assistant-api'),
        ...(hasProxy
          ? [
              env('LLM_PROXY_MODE', 'lite_llm'),
              env('LITE_LLM_URL', API_URLS.litellm),
            ]
          : []),
        env('MCP_CONNECT_URL', API_URLS.mcpConnect),
        env('MERMAID_SERVER_URL', API_URLS.mermaid),
        ...(hasNats ? [env('NATS_URL', API_URLS.nats)] : []),
        ...Object.entries(s.apiEnv ?? {}).map(([k, v]) => env(k, v)),
      ],
      // DB migrations run at start-up: the chart's startup probe allows 60 × 10 s.
      startupProbe: httpProbe('/v1/healthcheck', 'http', {
        failureThreshold: 60,
      }),
      livenessProbe: httpProbe('/v1/healthcheck', 'http'),
      readinessProbe: httpProbe('/v1/healthcheck', 'http'),
    },
  });
  return {
    componentId: 'codemie-api',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'codemie-api', API_SERVICE_ACCOUNT.name, ns, {
        workloadIdentity: true,
      }),
      secret(
        s,
        'codemie-api',
        'codemie-postgresql',
        ns,
        v => ({
          PG_HOST: s.database.host,
          PG_NAME: 'codemie',
          PG_USER: 'codemie',
          PG_PASS: v.codemieDbPassword,
        }),
        {
          annotations: {
            'codemie.ai/cloudsql-instance': s.database.connectionName,
          },
        },
      ),
      elasticCredentialsCopy(
        s,
        'codemie-api',
        'codemie-elasticsearch-credentials',
        ns,
      ),
      ...objects,
      service(s, 'codemie-api', name, ns, selectorFor('codemie-api', name), [
        { name: 'http', port: 8080, targetPort: 'http' as any },
      ]),
      ingress(
        s,
        'codemie-api',
        name,
        ns,
        hostsOf(s).codemie,
        [
          {
            path: '/code-assistant-api/(.*)',
            pathType: 'ImplementationSpecific',
            service: name,
            port: 8080,
          },
        ],
        {
          'nginx.ingress.kubernetes.io/use-regex': 'true',
          'nginx.ingress.kubernetes.io/rewrite-target': '/$1',
          'nginx.ingress.kubernetes.io/proxy-body-size': '100m',
          'nginx.ingress.kubernetes.io/proxy-read-timeout': '600',
        },
      ),
    ],
  };
}
