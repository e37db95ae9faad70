import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Shown in the scaffolder's action list; tested in codemieGcpProvision.examples.test.ts. */
export const examples: TemplateExample[] = [
  {
    description:
      'Public option: GKE reachable only from the office and VPN ranges, public DNS zone',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'codemie:plan',
          name: 'Plan and record the environment',
          input: {
            owner: 'group:default/platform-engineering',
            name: 'codemie-dev',
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
        {
          id: 'provision',
          action: 'codemie:gcp:provision',
          name: 'Provision Google Cloud',
          input: { environment: '${{ steps.plan.output.environment }}' },
        },
      ],
    }),
  },
  {
    description:
      'Private option: private GKE endpoint, IAP-only bastion for the platform team, private DNS zone',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'codemie:plan',
          name: 'Plan and record the environment',
          input: {
            owner: 'group:default/platform-engineering',
            name: 'codemie-prod',
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
        {
          id: 'provision',
          action: 'codemie:gcp:provision',
          name: 'Provision Google Cloud',
          input: { environment: '${{ steps.plan.output.environment }}' },
        },
      ],
    }),
  },
];
