import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnvironmentInput,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import { CodemieStore } from '../database/CodemieStore';
import { EnvironmentLockedError } from '../database/EnvironmentLocks';
import { GoogleClients } from '../gcp/GoogleClients';
import { pricesFromConfig } from '../gcp/pricesFromConfig';
import { retryPolicyFromConfig } from '../gcp/retryPolicyFromConfig';
import { destroyEnvironment } from '../provisioning/provisionEnvironment';
import {
  environmentInputSchema,
  parseEnvironmentInput,
} from './environmentInputSchema';
import { examples } from './codemieGcpDestroy.examples';

/**
 * `codemie:gcp:destroy`: deletes everything of one environment, in reverse dependency order,
 * after the user typed its name. Idempotent: run it again to finish an interrupted destroy.
 *
 * @public
 */
export function createCodemieGcpDestroyAction(options: {
  config: Config;
  google: GoogleClients;
  store: CodemieStore;
}) {
  const prices = pricesFromConfig(options.config);
  const policy = retryPolicyFromConfig(options.config);
  const optionalEnvironment = Object.fromEntries(
    Object.entries(environmentInputSchema)
      .filter(([key]) => key !== 'name' && key !== 'projectId')
      .map(([key, schema]) => [key, (z: any) => schema(z).optional()]),
  );
  return createTemplateAction({
    id: 'codemie:gcp:destroy',
    description:
      'Destroys the Google Cloud resources of a CodeMie environment (cluster, database, network, DNS zone, secrets, service account, bastion) after the environment name is typed to confirm. Deletion protection is lifted only then.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        projectId: z => z.string().describe('Google Cloud project id'),
        name: z => z.string().describe('Environment name'),
        confirm: (z: any) =>
          z.string().describe('Type the environment name again to confirm'),
        ...optionalEnvironment,
      } as typeof environmentInputSchema & { confirm: any },
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
            .describe('When blocked is not empty: the time after which a re-run finishes'),
      },
    },
    async handler(ctx) {
      const raw = ctx.input as Record<string, unknown>;
      const name = String(raw.name ?? '');
      const projectId = String(raw.projectId ?? '');
      if (raw.confirm !== name || name === '') {
        throw new InputError(
          `confirm: type the environment name '${name}' exactly to destroy it (got '${String(raw.confirm ?? '')}'); nothing was deleted`,
        );
      }
      const record = await options.store.getEnvironment(`${projectId}/${name}`);
      const recorded = (
        record?.spec as { input?: EnvironmentInput } | undefined
      )?.input;
      const input = recorded
        ? parseEnvironmentInput({ ...recorded } as unknown as Record<
            string,
            unknown
          >)
        : parseEnvironmentInput(raw, ['confirm']);
      const plan = planEnvironment(input, { prices });

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would delete ${plan.resources.length} resources of ${name}; no call made`,
        );
        ctx.output('deleted', []);
        ctx.output('absent', []);
        ctx.output('blocked', []);
        return;
      }

      let lease;
      try {
        lease = await options.store.locks.acquire(
          `${projectId}/${name}`,
          `task ${ctx.task.id}`,
        );
      } catch (e) {
        if (e instanceof EnvironmentLockedError)
          throw new InputError(e.message);
        throw e;
      }
      try {
        ctx.logger.info(
          `Destroying ${name} in ${projectId}: ${plan.resources.length} resources, dependents first`,
        );
        const report = await destroyEnvironment(plan, {
          google: options.google,
          policy,
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
          // Not finished: the environment record stays until a re-run removes the rest.
          const retryAfter = report.blocked
            .map(b => b.retryAfter)
            .sort()
            .at(-1)!;
          ctx.output('retryAfter', retryAfter);
          ctx.logger.warn(
            `Destroyed ${name} except ${report.blocked.map(b => b.id).join(', ')}: waiting on Google to release the private services peering ` +
              `(${report.blocked[0].reason}). Re-run destroy after ${retryAfter}; it finishes then. Everything else is gone (deleted ${deleted.length}).`,
          );
          return;
        }
        await options.store.deleteEnvironment(`${projectId}/${name}`);
        ctx.logger.info(
          `Destroyed ${name}: deleted ${deleted.length} resource(s)${absent.length ? `, ${absent.length} already gone or removed with their parent` : ''}. ` +
            'Project APIs stay enabled.',
        );
      } finally {
        await lease.release();
      }
    },
  });
}
