import { PermissionsService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  codemieEnvironmentDeletePermission,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieEnvironmentStore,
  GoogleClients,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import { destroyEnvironment } from '../provisioning/provisionEnvironment';
import {
  authorize,
  environmentReferenceField,
  failureSummary,
  leaseFor,
  recordOf,
  recordedSpec,
  refuseUnknownInputs,
} from './environmentAccess';
import { examples } from './codemieGcpDestroy.examples';

/**
 * `codemie:gcp:destroy`: deletes everything of one recorded environment, in reverse dependency
 * order, after the user typed its name — if the user may (`codemie.environment.delete` on its
 * entity: by default its owners). The project, names and resources come from the record, never
 * from the template. Idempotent: run it again to finish an interrupted destroy.
 *
 * @internal
 */
export function createCodemieGcpDestroyAction(options: {
  config: Config;
  google: GoogleClients;
  store: CodemieEnvironmentStore;
  permissions: PermissionsService;
  /** The clock retries, polls and timeouts run on; default the real one (tests drive their own). */
  clock?: Clock;
}) {
  const settings = readCodemieConfig(options.config);
  const { prices } = settings;
  const policy = settings.gcp.retry;
  return createTemplateAction({
    id: 'codemie:gcp:destroy',
    description:
      'Destroys the Google Cloud resources of a CodeMie environment recorded by this portal (cluster, database, network, DNS zone, secrets, service account, bastion) after its name is typed to confirm, if the user may delete it (codemie.environment.delete). Deletion protection is lifted only then.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentReferenceField,
        confirm: z =>
          z.string().describe('The environment name, typed again to confirm'),
      },
      output: {
        deleted: z =>
          z.array(z.string()).describe('Resources deleted by this run'),
        absent: z =>
          z.array(z.string()).describe('Resources that were already gone'),
        blocked: z =>
          z
            .array(
              z.object({
                id: z.string(),
                reason: z.string(),
                retryAfter: z.string(),
              }),
            )
            .describe(
              'Resources Google does not let go yet (the private services peering): re-run destroy after retryAfter',
            ),
        retryAfter: z =>
          z
            .string()
            .describe(
              'When blocked is not empty: the time after which a re-run finishes',
            ),
      },
    },
    async handler(ctx) {
      refuseUnknownInputs(ctx.input, ['environment', 'confirm']);
      const record = await recordOf(options.store, ctx.input.environment);
      if (ctx.input.confirm !== record.name) {
        throw new InputError(
          `confirm: type the environment name '${record.name}' exactly to destroy it (got '${String(ctx.input.confirm ?? '')}'); nothing was deleted`,
        );
      }
      await authorize(
        options.permissions,
        ctx,
        codemieEnvironmentDeletePermission,
        'destroy',
        record,
      );
      const { input } = recordedSpec(record);
      const plan = planEnvironment(input, { prices });

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would delete ${plan.resources.length} resources of ${record.entityRef}; no call made`,
        );
        ctx.output('deleted', []);
        ctx.output('absent', []);
        ctx.output('blocked', []);
        return;
      }

      const lease = await leaseFor(options.store, record, ctx);
      const taskId = ctx.task.id;
      try {
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'destroying',
          takeOver: true,
        });
        ctx.logger.info(
          `Destroying ${record.name} in ${record.projectId}: ${plan.resources.length} resources, dependents first`,
        );
        const report = await destroyEnvironment(plan, {
          google: options.google,
          policy,
          clock: options.clock,
          signal: ctx.signal,
          log: message => ctx.logger.info(message),
        });
        const deleted = Object.entries(report.outcomes)
          .filter(([, r]) => r === 'deleted')
          .map(([id]) => id);
        const absent = Object.entries(report.outcomes)
          .filter(([, r]) => r === 'absent')
          .map(([id]) => id);
        ctx.output('deleted', deleted);
        ctx.output('absent', absent);
        ctx.output('blocked', report.blocked);
        if (report.blocked.length > 0) {
          // Not finished: the record stays `destroying` and says when a re-run finishes it.
          const retryAfter = report.blocked
            .map(b => b.retryAfter)
            .sort()
            .at(-1)!;
          ctx.output('retryAfter', retryAfter);
          const waiting = `waiting on Google to release the private services peering (${report.blocked[0].reason}); run "Destroy CodeMie environment" again after ${retryAfter} to finish`;
          await options.store.updateEnvironment(record.environmentRef, {
            taskId,
            state: 'destroying',
            mergeOutputs: { blocked: report.blocked, retryAfter },
            lastError: `destroy: ${waiting}`,
          });
          ctx.logger.warn(
            `Destroyed ${record.name} except ${report.blocked.map(b => b.id).join(', ')}: ${waiting}. Everything else is gone (deleted ${deleted.length}).`,
          );
          return;
        }
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'gone',
          outputs: { destroyedAt: new Date().toISOString(), deleted, absent },
        });
        ctx.logger.info(
          `Destroyed ${record.name}: deleted ${deleted.length} resource(s)${absent.length ? `, ${absent.length} already gone or removed with their parent` : ''}. ` +
            'Project APIs stay enabled.',
        );
      } catch (e) {
        // The record stays `destroying` and says what stopped it: running destroy again finishes.
        await options.store
          .updateEnvironment(record.environmentRef, {
            taskId,
            state: 'destroying',
            lastError: `destroy: ${failureSummary(e)}; run "Destroy CodeMie environment" again to finish`,
          })
          .catch(() => {});
        throw e;
      } finally {
        await lease.release();
      }
    },
  });
}
