import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnvironmentPlan,
  PlanningError,
  formatCpuQuantity,
  formatMemoryQuantity,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  environmentInputSchema,
  parseEnvironmentInput,
} from './environmentInputSchema';
import { examples } from './codemiePlan.examples';
import { pricesFromConfig } from '../gcp/pricesFromConfig';

/**
 * `codemie:plan`: validates the environment inputs and computes the plan — sizing, node pool,
 * monthly cost and the Google Cloud resources — without calling anything. The template runs it
 * first, so a bad input fails before anything exists, and dry runs show the bill.
 *
 * @public
 */
export function createCodemiePlanAction(options: { config: Config }) {
  const prices = pricesFromConfig(options.config);
  return createTemplateAction({
    id: 'codemie:plan',
    description:
      'Validates CodeMie environment inputs and plans it: sizing tier, GKE node pool, monthly cost and the Google Cloud resources to create. Calls nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: environmentInputSchema,
      output: {
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
      const input = parseEnvironmentInput(ctx.input as Record<string, unknown>);
      let plan: EnvironmentPlan;
      try {
        plan = planEnvironment(input, { prices });
      } catch (e) {
        if (e instanceof PlanningError) throw new InputError(e.message);
        throw e;
      }
      const summary = summarisePlan(plan);
      ctx.logger.info(
        `CodeMie ${input.name} (${input.option}) in ${input.projectId}/${input.region}: tier ${plan.sizing.tier}, ` +
          `node pool ${summary.nodePool.machineType} × ${summary.nodePool.minNodes}–${summary.nodePool.maxNodes}, ` +
          `about $${summary.monthlyCostUsd.toFixed(2)}/month`,
      );
      for (const c of summary.components) {
        ctx.logger.info(
          `  ${c.name}: ${c.pods} pod(s) × ${c.cpu} CPU, ${c.memory}${c.storage ? `, ${c.storage} storage` : ''}`,
        );
      }
      ctx.logger.info(
        `  ${summary.resources.length} Google Cloud resources planned`,
      );
      for (const [key, value] of Object.entries(summary)) {
        ctx.output(key as keyof typeof summary, value as never);
      }
    },
  });
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
