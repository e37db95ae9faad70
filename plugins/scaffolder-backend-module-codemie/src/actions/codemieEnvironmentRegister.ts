import { ConflictError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CodemieEnvironmentStore } from '@codemie-gcp/plugin-codemie-node';
import {
  environmentReferenceField,
  holdsRecord,
  recordOf,
  refuseUnknownInputs,
  referenceOf,
} from './environmentAccess';
import { examples } from './codemieEnvironmentRegister.examples';

/**
 * `codemie:environment:register`: the last step of a create. Keeps the deploy's summary with
 * the record and outputs the environment's entity ref (`resource:<project id>/<name>`), which
 * the codemie catalog provider serves from the record — no Git repository needed.
 *
 * @internal
 */
export function createCodemieEnvironmentRegisterAction(options: {
  store: CodemieEnvironmentStore;
}) {
  return createTemplateAction({
    id: 'codemie:environment:register',
    description:
      'Registers a deployed CodeMie environment in the catalog (kind Resource, type codemie-environment, namespace = its Google Cloud project) through the codemie entity provider.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentReferenceField,
        deployment: z =>
          z
            .array(
              z.object({
                id: z.string(),
                ready: z.number(),
                expected: z.number(),
              }),
            )
            .max(64)
            .optional()
            .describe(
              "codemie:deploy's `components` output, kept with the environment",
            ),
      },
      output: {
        entityRef: z => z.string().describe('resource:<project id>/<name>'),
      },
    },
    async handler(ctx) {
      refuseUnknownInputs(ctx.input, ['environment', 'deployment']);
      if (ctx.isDryRun) {
        const reference = referenceOf(ctx.input.environment);
        ctx.logger.info(`Dry run: would register ${reference} in the catalog`);
        ctx.output('entityRef', `resource:${reference}`);
        return;
      }
      const record = await recordOf(options.store, ctx.input.environment);
      if (!holdsRecord(record, ctx) || record.state !== 'ready') {
        throw new ConflictError(
          `${record.environmentRef} is ${record.state} and held by task ${record.taskId ?? '(none)'}: register runs in the create task after a successful deploy. Nothing was changed`,
        );
      }
      await options.store.updateEnvironment(record.environmentRef, {
        taskId: ctx.task.id,
        state: 'ready',
        ...(ctx.input.deployment
          ? { mergeOutputs: { deployment: ctx.input.deployment } }
          : {}),
      });
      ctx.logger.info(`Registered ${record.entityRef} (owner ${record.owner})`);
      ctx.output('entityRef', record.entityRef);
    },
  });
}
