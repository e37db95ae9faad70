import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CodemieStore } from '../database/CodemieStore';
import { examples } from './codemieEnvironmentRegister.examples';

/**
 * `codemie:environment:register`: marks a provisioned and deployed environment ready, so the
 * codemie catalog provider serves it as a `codemie-environment` Resource entity — no Git
 * repository needed. Outputs the entity ref for the template's link to the entity page.
 *
 * @public
 */
export function createCodemieEnvironmentRegisterAction(options: {
  store: CodemieStore;
}) {
  return createTemplateAction({
    id: 'codemie:environment:register',
    description:
      'Registers a provisioned CodeMie environment in the catalog (kind Resource, type codemie-environment) through the codemie entity provider.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        projectId: z => z.string().describe('Google Cloud project id'),
        name: z => z.string().describe('Environment name'),
        deployment: z =>
          z
            .array(
              z.object({
                id: z.string(),
                ready: z.number(),
                expected: z.number(),
              }),
            )
            .optional()
            .describe(
              "codemie:deploy's `components` output, kept with the environment",
            ),
      },
      output: {
        entityRef: z => z.string().describe('resource:default/<name>'),
      },
    },
    async handler(ctx) {
      const { projectId, name } = ctx.input;
      const entityRef = stringifyEntityRef({
        kind: 'Resource',
        namespace: 'default',
        name,
      });
      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: would register ${entityRef}`);
        ctx.output('entityRef', entityRef);
        return;
      }
      const record = await options.store.getEnvironment(`${projectId}/${name}`);
      if (!record) {
        throw new InputError(
          `No environment ${name} in project ${projectId} was provisioned by this portal; run codemie:gcp:provision first`,
        );
      }
      await options.store.upsertEnvironment({
        projectId,
        name,
        owner: record.owner,
        state: 'ready',
        spec: record.spec,
        outputs: {
          ...((record.outputs as object) ?? {}),
          ...(ctx.input.deployment ? { deployment: ctx.input.deployment } : {}),
        },
      });
      ctx.logger.info(`Registered ${entityRef} (owner ${record.owner})`);
      ctx.output('entityRef', entityRef);
    },
  });
}
