import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { dumpYaml } from '@kubernetes/client-node';

/** Examples shown in the scaffolder's action list (and tested in codemieDeploy.examples.test.ts). */
export const examples: TemplateExample[] = [
  {
    description:
      "Deploy the environment planned and provisioned by the earlier steps, with CodeMie's images from EPAM's registry",
    example: dumpYaml({
      steps: [
        {
          id: 'deploy',
          action: 'codemie:deploy',
          name: 'Deploy CodeMie',
          input: {
            environment: '${{ steps.plan.output.environment }}',
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
      'Re-deploy an environment picked in the catalog (its owners only) and write the manifests into the workspace for a GitOps repository',
    example: dumpYaml({
      steps: [
        {
          id: 'deploy',
          action: 'codemie:deploy',
          name: 'Deploy CodeMie',
          input: {
            environment: '${{ parameters.environment }}',
            timeoutSeconds: 900,
            writeManifests: true,
          },
        },
      ],
    }),
  },
];
