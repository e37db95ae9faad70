import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Shown in the scaffolder's action list. */
export const examples: TemplateExample[] = [
  {
    description: 'Register the environment provisioned by an earlier step',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          action: 'codemie:environment:register',
          name: 'Register in the catalog',
          input: {
            environment: '${{ steps.plan.output.environment }}',
            deployment: '${{ steps.deploy.output.components }}',
          },
        },
      ],
    }),
  },
];
