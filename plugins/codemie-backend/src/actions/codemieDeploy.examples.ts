import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { dumpYaml } from '@kubernetes/client-node';

const base = {
  environment: 'codemie-dev',
  entityRef: 'resource:default/codemie-dev',
  cluster:
    'projects/acme-ai-platform/locations/europe-west1/clusters/codemie-dev-gke',
  domain: 'codemie.example.com',
  googleServiceAccount:
    'codemie-dev-codemie@acme-ai-platform.iam.gserviceaccount.com',
  database: {
    host: '10.40.0.3',
    connectionName: 'acme-ai-platform:europe-west1:codemie-dev-pg',
    secrets: {
      codemie: 'codemie-dev-codemie-db-password',
      keycloak: 'codemie-dev-keycloak-db-password',
      litellm: 'codemie-dev-litellm-db-password',
    },
  },
};

/** Examples shown in the scaffolder's action list (and tested in codemieDeploy.examples.test.ts). */
export const examples: TemplateExample[] = [
  {
    description:
      'Deploy the production tier (the seed table) of a public environment, reachable from one network',
    example: dumpYaml({
      steps: [
        {
          id: 'deploy',
          action: 'codemie:deploy',
          name: 'Deploy CodeMie',
          input: {
            ...base,
            option: 'public',
            allowedNetworks: ['203.0.113.0/24'],
            sizing: {
              concurrentUsers: 500,
              vectorDatasourceGiB: 100,
              logRetentionDays: 30,
              llmProxyType: 'litellm',
              includeNats: true,
            },
            images: {
              registry: 'europe-west3-docker.pkg.dev/<epam-project>/prod',
              version: '<codemie-version>',
            },
            imagePullSecret: { secret: 'codemieRegistryKey' },
          },
        },
      ],
    }),
  },
  {
    description:
      'Deploy a small private environment (internal load balancer, external LLM proxy) and write the manifests into the workspace for a GitOps repository',
    example: dumpYaml({
      steps: [
        {
          id: 'deploy',
          action: 'codemie:deploy',
          name: 'Deploy CodeMie',
          input: {
            ...base,
            option: 'private',
            sizing: {
              concurrentUsers: 25,
              vectorDatasourceGiB: 10,
              logRetentionDays: 7,
              llmProxyType: 'external',
            },
            timeoutSeconds: 900,
            writeManifests: true,
          },
        },
      ],
    }),
  },
];
