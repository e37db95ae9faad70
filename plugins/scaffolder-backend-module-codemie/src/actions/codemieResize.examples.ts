import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { dumpYaml } from '@kubernetes/client-node';

/** Examples shown in the scaffolder's action list (and tested in codemieResize.examples.test.ts). */
export const examples: TemplateExample[] = [
  {
    description:
      'Resize an environment picked in the catalog to the medium tier (its owners only)',
    example: dumpYaml({
      steps: [
        {
          id: 'resize',
          action: 'codemie:resize',
          name: 'Resize CodeMie',
          input: {
            environment: '${{ parameters.environment }}',
            tier: 'medium',
          },
        },
      ],
    }),
  },
  {
    description:
      'Resize to custom sizing inputs (more users and a larger datasource volume) and roll out another CodeMie version',
    example: dumpYaml({
      steps: [
        {
          id: 'resize',
          action: 'codemie:resize',
          name: 'Resize CodeMie',
          input: {
            environment: 'resource:acme-ai-platform/team-dev',
            tier: 'custom',
            sizing: {
              concurrentUsers: 150,
              vectorDatasourceGiB: 60,
              logRetentionDays: 14,
              llmProxyType: 'litellm',
            },
            imageVersion: '1.4.2',
            timeoutSeconds: 1800,
          },
        },
      ],
    }),
  },
];
