import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** Shown in the scaffolder's action list. */
export const examples: TemplateExample[] = [
  {
    description:
      'Destroy an environment the portal provisioned, picked in the catalog, confirming its name',
    example: yaml.stringify({
      steps: [
        {
          id: 'destroy',
          action: 'codemie:gcp:destroy',
          name: 'Destroy CodeMie environment',
          input: {
            environment: '${{ parameters.environment }}',
            confirm: '${{ parameters.confirmName }}',
          },
        },
      ],
    }),
  },
];
