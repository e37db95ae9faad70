import { AuthService, PermissionsService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ENVIRONMENT_INPUT_LIMITS,
  EnvironmentPlan,
  PlanningError,
  codemieEnvironmentCreatePermission,
  codemieEnvironmentUpdatePermission,
  environmentEntityRef,
  environmentInputFields,
  environmentKey,
  formatCpuQuantity,
  formatMemoryQuantity,
  formatMonthlyUsd,
  normalizeOwnerRef,
  ownerRefProblem,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieEnvironmentStore,
  decideCreate,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { parseEnvironmentInput } from './environmentInputSchema';
import { RecordedSpec, authorize, isAllowed } from './environmentAccess';
import { examples } from './codemiePlan.examples';

/** What `codemie:plan` needs. */
export interface CodemiePlanActionOptions {
  config: Config;
  store: CodemieEnvironmentStore;
  permissions: PermissionsService;
  catalog: CatalogService;
  auth: AuthService;
}

/** Control characters (tab and newline allowed): never part of a description. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/** The plan's own inputs, beside the environment's. */
const PLAN_FIELDS = ['owner', 'description', 'system', 'resume'];

/**
 * `codemie:plan`: validates the environment inputs, checks that the user may create it and that
 * its name is free in the project, computes the plan — sizing, node pool, monthly cost and the
 * Google Cloud resources — and records it: the record is the environment's source of truth from
 * here on, and the later steps take only its reference. Calls no cloud API. A dry run records
 * nothing.
 *
 * @internal
 */
export function createCodemiePlanAction(options: CodemiePlanActionOptions) {
  const settings = readCodemieConfig(options.config);
  const { prices } = settings;
  return createTemplateAction({
    id: 'codemie:plan',
    description:
      'Validates CodeMie environment inputs, refuses a name that already exists in the project (unless the user resumes a failed create of their own), plans it — sizing tier, GKE node pool, monthly cost, the Google Cloud resources to create — and records it. Calls no cloud API.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...environmentInputFields,
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'Owner of the environment entity: a Group or User of the catalog (default: the user running the task)',
            ),
        description: z =>
          z
            .string()
            .max(ENVIRONMENT_INPUT_LIMITS.descriptionMaxLength)
            .optional()
            .describe('Description of the environment entity'),
        system: z =>
          z
            .string()
            .optional()
            .describe('System the environment entity belongs to'),
        resume: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Resume a failed create of this environment (same inputs; its creator or owners only)',
            ),
      },
      output: {
        environment: z =>
          z
            .string()
            .describe(
              '<project id>/<name>: the reference the later steps take',
            ),
        entityRef: z => z.string().describe('resource:<project id>/<name>'),
        tier: z => z.string().describe('Sizing tier (preset name or custom)'),
        nodePool: z =>
          z
            .object({
              machineType: z.string(),
              minNodes: z.number(),
              maxNodes: z.number(),
              minNodesPerZone: z.number(),
              maxNodesPerZone: z.number(),
              zones: z
                .string()
                .describe(
                  'e.g. "3 zones of europe-west1": the zones are named at provisioning',
                ),
            })
            .describe('The node pool the planner chose'),
        monthlyCostUsd: z =>
          z.number().describe('Estimated monthly cost, USD (on-demand)'),
        monthlyCost: z =>
          z.string().describe('The estimate as a reader sees it, e.g. $2,398'),
        costLines: z =>
          z
            .array(
              z.object({
                item: z.string(),
                monthlyUsd: z.number(),
                detail: z.string(),
              }),
            )
            .describe('The estimate line by line'),
        components: z =>
          z
            .array(
              z.object({
                id: z.string(),
                name: z.string(),
                pods: z.number(),
                cpu: z.string(),
                memory: z.string(),
                storage: z.string(),
              }),
            )
            .describe('Every sized component: pods and per-pod requests'),
        resources: z =>
          z
            .array(
              z.object({ id: z.string(), kind: z.string(), name: z.string() }),
            )
            .describe('The Google Cloud resources provisioning will create'),
        clusterName: z =>
          z.string().describe('projects/<p>/locations/<l>/clusters/<c>'),
      },
    },
    async handler(ctx) {
      const raw = ctx.input as Record<string, unknown>;
      const input = parseEnvironmentInput(raw, PLAN_FIELDS);
      const own = parsePlanFields(raw, ctx.user?.ref);

      await authorize(
        options.permissions,
        ctx,
        codemieEnvironmentCreatePermission,
        'create CodeMie environments',
      );
      await requireCatalogEntity(options, own.owner);

      let plan: EnvironmentPlan;
      try {
        plan = planEnvironment(input, { prices });
      } catch (e) {
        if (e instanceof PlanningError) throw new InputError(e.message);
        throw e;
      }
      const summary = summarisePlan(plan);
      const key = environmentKey(input);
      const spec: RecordedSpec = {
        input,
        tier: plan.sizing.tier,
        ...(own.description ? { description: own.description } : {}),
        ...(own.system ? { system: own.system } : {}),
      };
      const existing = await options.store.getEnvironment(key);
      const request = {
        taskId: ctx.task.id,
        ...(ctx.user?.ref ? { userRef: ctx.user.ref } : {}),
        input,
        owner: own.owner,
        resume: own.resume,
        // Only asked when it matters: a resume of someone else's failed create.
        mayUpdateExisting:
          own.resume && existing
            ? await isAllowed(
                options.permissions,
                ctx,
                codemieEnvironmentUpdatePermission,
                existing,
              )
            : false,
      };

      if (ctx.isDryRun) {
        // The same decision a real run makes, without recording anything.
        const decision = decideCreate(
          existing && {
            ...existing,
            input: (existing.spec as RecordedSpec | undefined)?.input,
          },
          { ...request, taskId: `dry-run-${ctx.task.id}` },
        );
        if (decision.kind === 'refuse')
          throw new ConflictError(decision.reason);
      } else {
        const claim = await options.store.claimForCreate({
          request,
          spec: spec as RecordedSpec & Record<string, unknown>,
        });
        if (claim.decision.kind === 'refuse') {
          throw new ConflictError(claim.decision.reason);
        }
        const verb = {
          create: 'Recorded',
          continue: 'Continuing',
          resume: 'Resuming the failed create of',
        }[claim.decision.kind];
        ctx.logger.info(
          `${verb} ${input.name} in ${input.projectId} (owner ${own.owner}); this task holds its record until it ends`,
        );
      }

      ctx.logger.info(
        `CodeMie ${input.name} (${input.option}) in ${input.projectId}/${input.region}: tier ${plan.sizing.tier}, ` +
          `node pool ${summary.nodePool.machineType} × ${summary.nodePool.minNodes}–${summary.nodePool.maxNodes}, ` +
          `about ${summary.monthlyCost}/month`,
      );
      for (const c of summary.components) {
        ctx.logger.info(
          `  ${c.name}: ${c.pods} pod(s) × ${c.cpu} CPU, ${c.memory}${c.storage ? `, ${c.storage} storage` : ''}`,
        );
      }
      ctx.logger.info(
        `  ${summary.resources.length} Google Cloud resources planned:`,
      );
      for (const r of plan.resources) {
        ctx.logger.info(`    ${r.id}: ${r.kind} ${r.name}`);
      }
      ctx.output('environment', key);
      ctx.output('entityRef', environmentEntityRef(input));
      for (const [name, value] of Object.entries(summary)) {
        ctx.output(name as keyof typeof summary, value as never);
      }
    },
  });
}

/** The plan's own fields, validated: owner (a catalog ref), description, system, resume. */
function parsePlanFields(
  raw: Record<string, unknown>,
  userRef: string | undefined,
): { owner: string; description?: string; system?: string; resume: boolean } {
  const problems: string[] = [];
  let owner = userRef ?? '';
  if (raw.owner !== undefined && raw.owner !== '') {
    const problem = ownerRefProblem(raw.owner);
    if (problem) problems.push(`owner: ${problem}`);
    else owner = normalizeOwnerRef(raw.owner as string);
  }
  if (!owner)
    problems.push('owner: is required (a Group or User of the catalog)');
  const text = (field: string, max: number) => {
    const value = raw[field];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') {
      problems.push(`${field}: must be a string`);
      return undefined;
    }
    if (value.length > max || CONTROL_CHARACTERS.test(value)) {
      problems.push(
        `${field}: must be at most ${max} characters of text without control characters`,
      );
      return undefined;
    }
    return value.trim();
  };
  const description = text(
    'description',
    ENVIRONMENT_INPUT_LIMITS.descriptionMaxLength,
  );
  const system = text('system', 255);
  if (system && ownerRefProblem(system, ['system'])) {
    problems.push(
      `system: '${system}' is not a System entity ref, e.g. system:default/codemie-on-gcp`,
    );
  }
  if (raw.resume !== undefined && typeof raw.resume !== 'boolean') {
    problems.push('resume: must be true or false');
  }
  if (problems.length > 0) {
    throw new InputError(
      `Invalid CodeMie environment input: ${problems.join('; ')}`,
    );
  }
  return {
    owner,
    ...(description ? { description } : {}),
    ...(system ? { system } : {}),
    resume: raw.resume === true,
  };
}

/** Refuses an owner that is not in the catalog: the environment would be owned by nobody. */
async function requireCatalogEntity(
  options: CodemiePlanActionOptions,
  ref: string,
): Promise<void> {
  const credentials = await options.auth.getOwnServiceCredentials();
  const entity = await options.catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new InputError(
      `owner: ${ref} is not in the catalog; choose a group you belong to (or yourself). Nothing was changed`,
    );
  }
}

/** The plan as the action's outputs (JSON, no secrets). */
export function summarisePlan(plan: EnvironmentPlan) {
  const workloads = [...plan.sizing.workloads, ...plan.sizing.daemonSets];
  const components = workloads.map(w => ({
    id: w.id,
    name: w.displayName,
    pods: w.kind === 'DaemonSet' ? plan.nodePool.minNodes : w.replicas,
    cpu: formatCpuQuantity(w.requests.cpuMillis),
    memory: formatMemoryQuantity(w.requests.memoryMiB),
    storage: w.storageGiBPerPod > 0 ? `${w.storageGiBPerPod}Gi` : '',
  }));
  components.push({
    id: 'postgresql',
    name: `PostgreSQL (Cloud SQL ${plan.sizing.postgresql.tier})`,
    pods: 0,
    cpu: String(plan.sizing.postgresql.vcpu),
    memory: formatMemoryQuantity(plan.sizing.postgresql.memoryMiB),
    storage: `${plan.sizing.postgresql.storageGiB}Gi`,
  });
  return {
    tier: plan.sizing.tier,
    nodePool: {
      machineType: plan.nodePool.machineType,
      minNodes: plan.nodePool.minNodes,
      maxNodes: plan.nodePool.maxNodes,
      minNodesPerZone: plan.nodePool.minNodesPerZone,
      maxNodesPerZone: plan.nodePool.maxNodesPerZone,
      zones: `${plan.zoneCount} zone${plan.zoneCount === 1 ? '' : 's'} of ${plan.input.region}`,
    },
    monthlyCostUsd: plan.cost.totalMonthlyUsd,
    monthlyCost: formatMonthlyUsd(plan.cost.totalMonthlyUsd),
    costLines: plan.cost.lineItems.map(l => ({
      item: l.label,
      monthlyUsd: l.monthlyUsd,
      detail: l.detail,
    })),
    components,
    resources: plan.resources.map(r => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
    })),
    clusterName: `projects/${plan.input.projectId}/locations/${plan.clusterLocation || `<a zone of ${plan.input.region}>`}/clusters/${plan.names.cluster}`,
  };
}
