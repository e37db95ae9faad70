import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Examples shown in the scaffolder's action list, tested in codemiePlan.examples.test.ts. */
export const examples: TemplateExample[] = [
  {
    description:
      'Plan a public environment for about 100 users, reachable from the office and VPN',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'codemie:plan',
          name: 'Plan CodeMie',
          input: {
            name: 'codemie-dev',
            owner: 'group:default/platform-engineering',
            projectId: 'acme-ai-platform',
            region: 'europe-west1',
            option: 'public',
            allowedNetworks: ['203.0.113.0/24', '198.51.100.0/24'],
            domain: 'codemie.example.com',
            sizing: {
              concurrentUsers: 100,
              vectorDatasourceGiB: 40,
              logRetentionDays: 14,
              llmProxyType: 'litellm',
            },
          },
        },
      ],
    }),
  },
  {
    description:
      'Plan a private production environment (500+ users) reached through a bastion',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'codemie:plan',
          name: 'Plan CodeMie',
          input: {
            name: 'codemie-prod',
            owner: 'group:default/platform-engineering',
            projectId: 'acme-ai-platform',
            region: 'us-central1',
            option: 'private',
            bastionMembers: ['group:platform-team@example.com'],
            domain: 'codemie.internal.example.com',
            sizing: {
              concurrentUsers: 500,
              vectorDatasourceGiB: 100,
              logRetentionDays: 30,
              llmProxyType: 'litellm',
              includeNats: true,
            },
          },
        },
      ],
    }),
  },
];
