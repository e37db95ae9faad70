import { PermissionsService } from '@backstage/backend-plugin-api';
import { ConflictError } from '@backstage/errors';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import type { JsonValue } from '@backstage/types';
import { codemieEnvironmentUpdatePermission } from '@codemie-gcp/plugin-codemie-common';
import type { z as zod } from 'zod/v3';
import {
  CodemieEnvironmentStore,
  GoogleClients,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import {
  CODEMIE_DEFAULT_REGISTRY,
  RolloutError,
  deploySettings,
  deployInputOf,
  deployOptionFields,
  isProvisioned,
  parseDeployOptions,
  renderEnvironment,
  summarizeRender,
  writeManifests,
} from '../deploy';
import { deployedOptionsOf } from '../deploy/deployedOptions';
import { rollOutEnvironment } from '../deploy/rollOutEnvironment';
import {
  authorize,
  environmentReferenceField,
  failureSummary,
  holdsRecord,
  leaseFor,
  recordExists,
  recordOf,
  recordedSpec,
  referenceOf,
} from './environmentAccess';
import { examples } from './codemieDeploy.examples';

type Z = typeof zod;

/**
 * Options of {@link createCodemieDeployAction}.
 *
 * @public
 */
export interface CodemieDeployActionOptions {
  /** The Google Cloud clients (GKE credentials, Secret Manager). */
  google: GoogleClients;
  /** The environment records, over the codemie plugin's internal API. */
  store: CodemieEnvironmentStore;
  /** Checks that the task's user may deploy the environment. */
  permissions: PermissionsService;
  /** Between rollout polls (default 2000 ms); tests poll faster. */
  pollIntervalMs?: number;
  /** The clock retries, polls and timeouts run on; default the real one (tests drive their own). */
  clock?: Clock;
  /** A definitive pod problem (image pull, unschedulable, crash loop) lasting this long fails early (default 120 s). */
  failFastSeconds?: number;
}

const summaryShape = (z: Z) =>
  z.object({
    objects: z.number(),
    components: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        objects: z.number(),
        kinds: z.record(z.number()),
        pods: z.number(),
        perNode: z.boolean(),
        requests: z.object({ cpuMillis: z.number(), memoryMiB: z.number() }),
        storageGiB: z.number(),
      }),
    ),
    totalRequests: z.object({
      cpuMillis: z.number(),
      memoryMiB: z.number(),
      cpu: z.string(),
      memory: z.string(),
    }),
    perNodeRequests: z.object({
      cpuMillis: z.number(),
      memoryMiB: z.number(),
      cpu: z.string(),
      memory: z.string(),
    }),
    storageGiB: z.number(),
    ingressHosts: z.array(z.string()),
  });

/**
 * The input of `codemie:deploy`, as its schema validates it. Spelled out rather than inferred from
 * the zod schema: an inferred type's members come out in an order that changes between
 * compilations, which would make the API report unstable.
 *
 * @public
 */
export type CodemieDeployActionInput = {
  /** The environment: `resource:<project id>/<name>`, `<project id>/<name>` or its entity. */
  environment?: JsonValue;
  /** Image overrides by image key. */
  images?: Record<string, string>;
  /** The registry pull secret: the Secret Manager secret holding it, and its name. */
  imagePullSecret?: { secret: string; name?: string };
  /** Extra environment of the CodeMie API. */
  apiEnv?: Record<string, string>;
  /** How long to wait for the rollout, seconds. */
  timeoutSeconds?: number;
  /** Also write the rendered manifests to the task's workspace. */
  writeManifests?: boolean;
};

/**
 * Requests of CPU (millicores and a Kubernetes quantity) and memory (MiB and a quantity).
 *
 * @public
 */
export type CodemieDeployRequests = {
  /** CPU, millicores. */
  cpuMillis: number;
  /** Memory, MiB. */
  memoryMiB: number;
  /** CPU as a Kubernetes quantity, e.g. `500m`. */
  cpu: string;
  /** Memory as a Kubernetes quantity, e.g. `2Gi`. */
  memory: string;
};

/**
 * The output of `codemie:deploy`.
 *
 * @public
 */
export type CodemieDeployActionOutput = {
  /** Per component: ready and expected pods. */
  components: { id: string; ready: number; expected: number }[];
  /** Objects rendered (and applied). */
  objects: number;
  /** Hosts served by the ingress. */
  ingressHosts: string[];
  /** Objects per component and total requests. */
  summary: {
    objects: number;
    components: {
      id: string;
      displayName: string;
      objects: number;
      kinds: Record<string, number>;
      pods: number;
      perNode: boolean;
      requests: { cpuMillis: number; memoryMiB: number };
      storageGiB: number;
    }[];
    totalRequests: CodemieDeployRequests;
    perNodeRequests: CodemieDeployRequests;
    storageGiB: number;
    ingressHosts: string[];
  };
  /** Workspace paths of the written manifests. */
  manifests?: string[];
};

/**
 * `codemie:deploy`: renders the sized CodeMie workloads of a recorded environment and applies
 * them to its GKE cluster with server-side apply, then waits for the rollout. Cluster, database,
 * sizing and access come from the record; in its create task it runs as the task that holds the
 * record, elsewhere (a re-deploy) only for users allowed `codemie.environment.update`.
 *
 * @public
 */
export function createCodemieDeployAction(
  options: CodemieDeployActionOptions,
): TemplateAction<CodemieDeployActionInput, CodemieDeployActionOutput, 'v2'> {
  return createTemplateAction({
    id: 'codemie:deploy',
    description:
      'Renders the sized CodeMie workloads (Deployments, StatefulSets, DaemonSet, Services, Ingresses, PDBs, Secrets) ' +
      'and applies them to the GKE cluster with server-side apply, then waits until every component is ready. ' +
      'Re-running with the same inputs changes nothing. Dry run: renders and summarises without contacting a cluster.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentReferenceField,
        ...deployOptionFields,
      },
      output: {
        components: (z: Z) =>
          z
            .array(
              z.object({
                id: z.string(),
                ready: z.number(),
                expected: z.number(),
              }),
            )
            .describe('Per component: ready and expected pods'),
        objects: (z: Z) =>
          z.number().describe('Objects rendered (and applied)'),
        ingressHosts: (z: Z) =>
          z.array(z.string()).describe('Hosts served by the ingress'),
        summary: (z: Z) =>
          summaryShape(z).describe('Objects per component and total requests'),
        manifests: (z: Z) =>
          z
            .array(z.string())
            .optional()
            .describe('Workspace paths of the written manifests'),
      },
    },
    async handler(ctx) {
      // Validate everything before reading or applying anything.
      const { environment: reference, ...rawOptions } = ctx.input as Record<
        string,
        unknown
      >;
      const deployOptions = parseDeployOptions(rawOptions);
      referenceOf(reference);
      if (ctx.isDryRun && !(await recordExists(options.store, reference))) {
        // A dry run of the create template: the environment is planned, not recorded.
        ctx.logger.info(
          `Dry run: would deploy the CodeMie workloads sized by the plan step to ${String(reference)}'s cluster; no call made`,
        );
        return;
      }
      const record = await recordOf(options.store, reference);
      const standalone = !holdsRecord(record, ctx);
      if (standalone) {
        // A re-deploy outside the create task: the user must be allowed to change it.
        await authorize(
          options.permissions,
          ctx,
          codemieEnvironmentUpdatePermission,
          'deploy to',
          record,
        );
      }
      if (!isProvisioned(record.outputs)) {
        throw new ConflictError(
          `${record.environmentRef} is ${record.state} and has no provisioned cluster and database yet; run provisioning first. Nothing was changed`,
        );
      }
      const input = deployInputOf(
        { input: recordedSpec(record).input, outputs: record.outputs },
        deployOptions,
      );
      const plain = renderEnvironment(deploySettings(input));
      const summary = summarizeRender(plain);
      const tier = deploySettings(input).sizing.tier;
      ctx.logger.info(
        `CodeMie environment ${input.environment} (${tier} tier): ${summary.objects} objects in ${summary.components.length} components; ` +
          `pods request ${summary.totalRequests.cpu} CPU and ${summary.totalRequests.memory} memory, plus ` +
          `${summary.perNodeRequests.cpu} CPU and ${summary.perNodeRequests.memory} per node; volumes ${summary.storageGiB}Gi`,
      );
      if (!input.images.registry && !input.images.overrides?.['codemie-api']) {
        ctx.logger.warn(
          `images.registry is not set: CodeMie's images are taken from the placeholder ${CODEMIE_DEFAULT_REGISTRY}; set it to the Artifact Registry path EPAM issued`,
        );
      }
      ctx.output('summary', summary);
      ctx.output('objects', summary.objects);
      ctx.output('ingressHosts', summary.ingressHosts);
      if (input.writeManifests) {
        const files = await writeManifests(ctx.workspacePath, plain);
        ctx.logger.info(
          `Wrote ${files.length} manifest files to the workspace (${files[0]} …; Secrets without values)`,
        );
        ctx.output('manifests', files);
      }

      if (ctx.isDryRun) {
        for (const c of summary.components) {
          const kinds = Object.entries(c.kinds)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          const pods = c.pods
            ? `; ${c.pods} pod(s)${c.perNode ? ' per node' : ''} requesting ${c.requests.cpuMillis}m CPU, ${c.requests.memoryMiB}Mi`
            : '';
          ctx.logger.info(
            `[dry run] ${c.id}: ${c.objects} objects (${kinds})${pods}`,
          );
        }
        ctx.output(
          'components',
          summary.components
            .filter(c => c.pods > 0)
            .map(c => ({ id: c.id, ready: 0, expected: c.pods })),
        );
        return;
      }

      const lease = await leaseFor(options.store, record, ctx);
      const taskId = ctx.task.id;
      try {
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'deploying',
          takeOver: standalone,
        });
        try {
          const states = await rollOutEnvironment(ctx, options, input, plain);
          ctx.output(
            'components',
            states.map(s => ({
              id: s.id,
              ready: s.ready,
              expected: s.expected,
            })),
          );
          ctx.logger.info(
            `CodeMie environment ${input.environment} is ready: ${summary.ingressHosts.map(h => `https://${h}`).join(', ')}`,
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
          throw e;
        }
        // What a later resize renders again: the images and options this deploy used.
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'ready',
          mergeOutputs: { deployed: deployedOptionsOf(input) },
        });
      } catch (e) {
        await options.store
          .updateEnvironment(record.environmentRef, {
            taskId,
            state: 'failed',
            lastError: `deploy: ${failureSummary(e)}`,
          })
          .catch(() => {});
        throw e;
      } finally {
        await lease.release();
      }
    },
  });
}
