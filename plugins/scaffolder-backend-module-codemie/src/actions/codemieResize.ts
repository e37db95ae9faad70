import { Config } from '@backstage/config';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { JsonValue } from '@backstage/types';
import {
  EnvironmentInputError,
  PlanningError,
  ResizePlan,
  codemieEnvironmentUpdatePermission,
  formatMonthlyUsd,
  planResize,
  resizeInputFields,
  resolveResize,
} from '@codemie-gcp/plugin-codemie-common';
import type { z as zod } from 'zod/v3';
import {
  CodemieEnvironmentStore,
  GoogleClients,
  ClusterConnector,
  readCodemieConfig,
  realClock,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import {
  DEFAULT_TIMEOUT_SECONDS,
  ProvisionedOutputs,
  RolloutError,
  isProvisioned,
} from '../deploy';
import {
  deployedOptionsOf,
  recordedImageVersion,
} from '../deploy/deployedOptions';
import { volumesGiBOf } from '../resize/clusterMatchesRender';
import { describeResizePlan } from '../resize/describeResizePlan';
import { EnvironmentResize } from '../resize/EnvironmentResize';
import {
  authorize,
  environmentReferenceField,
  failureSummary,
  leaseFor,
  recordOf,
  recordedSpec,
  refuseUnknownInputs,
} from './environmentAccess';
import { examples } from './codemieResize.examples';

type Z = typeof zod;

/**
 * Options of {@link createCodemieResizeAction}.
 *
 * @public
 */
export interface CodemieResizeActionOptions {
  /** The backend's config (the `codemie` block). */
  config: Config;
  /** The Google Cloud clients. */
  google: GoogleClients;
  /** The environment records, over the codemie plugin's internal API. */
  store: CodemieEnvironmentStore;
  /** Checks that the task's user may resize the environment. */
  permissions: PermissionsService;
  /** Between rollout and drain polls (default 2000 ms); tests poll faster. */
  pollIntervalMs?: number;
  /** The clock retries, polls and timeouts run on; default the real one (tests drive their own). */
  clock?: Clock;
  /** A definitive pod problem lasting this long fails the rollout early (default 120 s). */
  failFastSeconds?: number;
}

/** States a resize may start from. */
const RESIZABLE = new Set(['ready', 'resizing', 'failed']);
const MAX_TIMEOUT_SECONDS = 7200;

/**
 * The input of `codemie:resize`, as its schema validates it. Spelled out rather than inferred from
 * the zod schema: an inferred type's members come out in an order that changes between
 * compilations, which would make the API report unstable.
 *
 * @public
 */
export type CodemieResizeActionInput = {
  /** The environment: `resource:<project id>/<name>`, `<project id>/<name>` or its entity. */
  environment?: JsonValue;
  /** A preset name, or `custom` with `sizing`; absent keeps the recorded sizing. */
  tier?: string;
  /** With `custom`: the sizing inputs. */
  sizing?: {
    concurrentUsers: number;
    vectorDatasourceGiB: number;
    logRetentionDays: number;
    llmProxyType: string;
    includeNats?: boolean;
  };
  /** The tag of CodeMie's images to deploy, when it changes. */
  imageVersion?: string;
  /** Longest wait for each rollout and for the drain, seconds. */
  timeoutSeconds?: number;
};

/**
 * The output of `codemie:resize`.
 *
 * @public
 */
export type CodemieResizeActionOutput = {
  /** The environment's catalog entity. */
  entityRef: string;
  /** False when the environment already had this sizing and these images. */
  changed: boolean;
  /** The resize plan: components, node pool, cost before and after, steps. */
  plan?: JsonValue;
  /** The monthly cost before and after, e.g. `$1,133 → $1,575 a month (+$442)`. */
  monthlyCost: string;
  /** The node pool the environment runs on. */
  nodePool: string;
  /** Per component: ready and expected pods after the rollout. */
  components: { id: string; ready: number; expected: number }[];
  /** Wall-clock time of the changes, seconds (0 when nothing changed). */
  makespanSeconds: number;
};

/**
 * `codemie:resize`: changes the sizing (a named tier or new inputs) or the CodeMie image version
 * of a recorded environment. Logs the plan diff — components, node pool, monthly cost before →
 * after — before anything changes, then brings the cluster there without losing capacity: the
 * node pool grown or a new one made beside it first, the workloads rolled with their
 * PodDisruptionBudgets, the old pool drained last; volumes only grow. Recorded on the environment
 * (state `resizing`, then the new sizing when done), idempotent (a second run changes nothing)
 * and resumable (a stopped run is finished by running it again). Only users allowed
 * `codemie.environment.update` on the environment may; refused while another task changes it.
 *
 * @public
 */
export function createCodemieResizeAction(
  options: CodemieResizeActionOptions,
): TemplateAction<CodemieResizeActionInput, CodemieResizeActionOutput, 'v2'> {
  const settings = readCodemieConfig(options.config);
  const { prices } = settings;
  const policy = settings.gcp.retry;
  return createTemplateAction({
    id: 'codemie:resize',
    description:
      'Resizes a recorded CodeMie environment to a named tier or new sizing inputs, or rolls out another version of its CodeMie images: ' +
      'shows the plan diff (components, node pool, monthly cost) first, then changes the node pool without losing capacity and rolls the workloads within their PodDisruptionBudgets. ' +
      'Idempotent and resumable; owners only. Dry run: the plan diff, no call to the cluster.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentReferenceField,
        tier: resizeInputFields.tier,
        sizing: resizeInputFields.sizing,
        imageVersion: resizeInputFields.imageVersion,
        timeoutSeconds: (z: Z) =>
          z
            .number()
            .positive()
            .max(MAX_TIMEOUT_SECONDS)
            .optional()
            .describe(
              `Longest wait for each rollout and for the drain, seconds (default ${DEFAULT_TIMEOUT_SECONDS})`,
            ),
      },
      output: {
        entityRef: (z: Z) =>
          z.string().describe('The environment’s catalog entity'),
        changed: (z: Z) =>
          z
            .boolean()
            .describe(
              'False when the environment already had this sizing and these images',
            ),
        plan: (z: Z) =>
          z
            .any()
            .describe(
              'The resize plan: components, node pool, cost before → after, steps',
            ),
        monthlyCost: (z: Z) =>
          z.string().describe('"$1,133 → $1,575 a month (+$442)"'),
        nodePool: (z: Z) =>
          z.string().describe('The node pool the environment runs on'),
        components: (z: Z) =>
          z
            .array(
              z.object({
                id: z.string(),
                ready: z.number(),
                expected: z.number(),
              }),
            )
            .describe(
              'Per component: ready and expected pods after the rollout',
            ),
        makespanSeconds: (z: Z) =>
          z
            .number()
            .describe(
              'Wall-clock time of the changes, seconds (0 when nothing changed)',
            ),
      },
    },
    async handler(ctx) {
      const raw = ctx.input as Record<string, unknown>;
      refuseUnknownInputs(raw, [
        'environment',
        'tier',
        'sizing',
        'imageVersion',
        'timeoutSeconds',
      ]);
      const timeoutSeconds = raw.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      if (
        typeof timeoutSeconds !== 'number' ||
        !(timeoutSeconds > 0) ||
        timeoutSeconds > MAX_TIMEOUT_SECONDS
      ) {
        throw new InputError(
          `timeoutSeconds: must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(timeoutSeconds)}. Nothing was changed`,
        );
      }
      const record = await recordOf(options.store, raw.environment);
      await authorize(
        options.permissions,
        ctx,
        codemieEnvironmentUpdatePermission,
        'resize',
        record,
      );
      if (!RESIZABLE.has(record.state) || !isProvisioned(record.outputs)) {
        throw new ConflictError(
          `${record.environmentRef} is ${record.state}${
            isProvisioned(record.outputs)
              ? ''
              : ' without a provisioned cluster'
          }; only a ready environment (or one whose resize or deploy stopped) can be resized. Wait for its task to finish. Nothing was changed`,
        );
      }
      const spec = recordedSpec(record);
      const outputs = record.outputs as ProvisionedOutputs & {
        nodePool?: string;
      };
      let plan: ResizePlan;
      let resolved;
      try {
        resolved = resolveResize(spec.input, {
          ...(raw.tier !== undefined ? { tier: raw.tier } : {}),
          ...(raw.sizing !== undefined ? { sizing: raw.sizing } : {}),
          ...(raw.imageVersion !== undefined
            ? { imageVersion: raw.imageVersion }
            : {}),
        });
        const volumesGiB = ctx.isDryRun
          ? undefined
          : await volumesGiBOf(
              await new ClusterConnector(options.google).kubeConfig(
                outputs.clusterName,
              ),
              spec.input.name,
            );
        plan = planResize(spec.input, resolved, {
          prices,
          currentImageVersion: recordedImageVersion(record.outputs),
          ...(volumesGiB ? { volumesGiB } : {}),
        });
      } catch (e) {
        if (e instanceof EnvironmentInputError || e instanceof PlanningError) {
          throw new InputError(`${e.message}. Nothing was changed`);
        }
        throw e;
      }
      for (const line of describeResizePlan(plan)) ctx.logger.info(line);
      ctx.output('entityRef', record.entityRef);
      ctx.output('plan', plan);
      ctx.output(
        'monthlyCost',
        `${formatMonthlyUsd(plan.cost.beforeUsd)} → ${formatMonthlyUsd(plan.cost.afterUsd)} a month (${plan.cost.deltaUsd >= 0 ? '+' : '−'}${formatMonthlyUsd(Math.abs(plan.cost.deltaUsd))})`,
      );
      if (ctx.isDryRun) {
        ctx.logger.info('Dry run: nothing was changed');
        return;
      }

      const lease = await leaseFor(options.store, record, ctx);
      const taskId = ctx.task.id;
      let recordedResizing = false;
      const clock = options.clock ?? realClock;
      const started = clock.now();
      try {
        const resize = new EnvironmentResize(
          { input: spec.input, outputs },
          { input: resolved.input, imageVersion: resolved.imageVersion },
          {
            google: options.google,
            policy,
            prices,
            log: line => ctx.logger.info(line),
            signal: ctx.signal,
            rollOut: ctx,
            pollIntervalMs: options.pollIntervalMs,
            clock: options.clock,
            failFastSeconds: options.failFastSeconds,
            timeoutSeconds,
          },
        );
        const inspection = await resize.inspect();
        const recordSays =
          record.state === 'ready' &&
          JSON.stringify(spec.input.sizing) ===
            JSON.stringify(resolved.input.sizing) &&
          (outputs.nodePool ?? `${spec.input.name}-pool`) ===
            inspection.targetPool &&
          recordedImageVersion(record.outputs) ===
            (resolved.imageVersion ?? recordedImageVersion(record.outputs));
        if (inspection.differences.length === 0 && recordSays) {
          ctx.logger.info(
            `${record.environmentRef} already runs this sizing and these images on node pool ${inspection.targetPool}: nothing was changed`,
          );
          ctx.output('changed', false);
          ctx.output('nodePool', inspection.targetPool);
          ctx.output('makespanSeconds', 0);
          return;
        }
        for (const d of inspection.differences.slice(0, 8))
          ctx.logger.info(`To change: ${d}`);
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'resizing',
          takeOver: true,
          mergeOutputs: {
            resize: {
              taskId,
              from: plan.from.tier,
              to: plan.to.tier,
              sizing: resolved.input.sizing,
              ...(resolved.imageVersion
                ? { imageVersion: resolved.imageVersion }
                : {}),
              targetPool: inspection.targetPool,
              startedAt: new Date(started).toISOString(),
            },
          },
        });
        recordedResizing = true;
        const result =
          inspection.differences.length > 0
            ? await resize.run(inspection)
            : {
                targetPool: inspection.targetPool,
                components: [],
                removedPools: [],
                drained: [],
              };
        const makespanSeconds = Math.round((clock.now() - started) / 100) / 10;
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'ready',
          spec: { ...spec, input: resolved.input, tier: resolved.tier },
          mergeOutputs: {
            nodePool: result.targetPool,
            deployed: deployedOptionsOf(resize.input),
            resize: null,
            lastResize: {
              taskId,
              from: plan.from.tier,
              to: plan.to.tier,
              finishedAt: new Date().toISOString(),
              makespanSeconds,
              // The status advises these on samples taken after the resize only.
              changed: plan.components
                .filter(c => c.change !== 'unchanged')
                .map(c => c.id),
            },
          },
        });
        ctx.output('changed', true);
        ctx.output('nodePool', result.targetPool);
        ctx.output(
          'components',
          result.components.map(s => ({
            id: s.id,
            ready: s.ready,
            expected: s.expected,
          })),
        );
        ctx.output('makespanSeconds', makespanSeconds);
        ctx.logger.info(
          `Resized ${record.environmentRef} to ${plan.to.tierLabel} in ${makespanSeconds} s: node pool ${result.targetPool}${
            result.removedPools.length
              ? ` (removed ${result.removedPools.join(', ')})`
              : ''
          }, every component ready`,
        );
      } catch (e) {
        if (e instanceof RolloutError) {
          ctx.output(
            'components',
            e.components.map(s => ({
              id: s.id,
              ready: s.ready,
              expected: s.expected,
            })),
          );
          ctx.logger.error(e.message);
        }
        if (recordedResizing) {
          await options.store
            .updateEnvironment(record.environmentRef, {
              taskId,
              state: 'resizing',
              lastError: `resize: ${failureSummary(e)}`,
            })
            .catch(() => {});
        }
        throw e;
      } finally {
        await lease.release();
      }
    },
  });
}
