import { Config } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnvironmentPlan,
  PlanningError,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieEnvironmentStore,
  GoogleClients,
  clusterAccessFromConfig,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import { ResourceOutputs } from '../provisioning/ProvisionContext';
import { provisionEnvironment } from '../provisioning/provisionEnvironment';
import {
  environmentReferenceField,
  failureSummary,
  holdsRecord,
  leaseFor,
  recordOf,
  recordedSpec,
  refuseUnknownInputs,
  referenceOf,
} from './environmentAccess';
import { summarisePlan } from './codemiePlan';
import { examples } from './codemieGcpProvision.examples';

/**
 * `codemie:gcp:provision`: makes the Google Cloud side of one recorded CodeMie environment exist —
 * APIs, VPC, NAT, firewall, GKE, Cloud SQL, secrets, DNS, service account, bastion —
 * idempotently and resumably. It takes the environment's reference and reads everything else
 * from the record `codemie:plan` wrote; only the task that holds the record may run it.
 *
 * @internal
 */
export function createCodemieGcpProvisionAction(options: {
  config: Config;
  google: GoogleClients;
  store: CodemieEnvironmentStore;
  /** The clock retries, polls and timeouts run on; default the real one (tests drive their own). */
  clock?: Clock;
}) {
  const settings = readCodemieConfig(options.config);
  const { prices } = settings;
  const policy = settings.gcp.retry;
  const access = clusterAccessFromConfig(options.config);
  return createTemplateAction({
    id: 'codemie:gcp:provision',
    description:
      'Provisions the Google Cloud infrastructure of a CodeMie environment recorded by codemie:plan (public or private option): project APIs, VPC with Cloud NAT and firewall rules, GKE with the planned node pool, Cloud SQL for PostgreSQL with private IP, passwords in Secret Manager, Cloud DNS, a Workload Identity service account and, for the private option, an IAP-only bastion. Idempotent; a retried task resumes.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: environmentReferenceField,
      },
      output: {
        clusterName: z =>
          z.string().describe('projects/<p>/locations/<l>/clusters/<c>'),
        clusterLocation: z =>
          z.string().describe('Region (regional cluster) or zone'),
        endpoint: z => z.string().describe('Control-plane IP endpoint'),
        dnsEndpoint: z =>
          z
            .string()
            .describe('DNS-based control-plane endpoint (private option)'),
        getCredentialsCommand: z =>
          z.string().describe('gcloud command that configures kubectl'),
        sqlInstance: z => z.string(),
        sqlConnectionName: z =>
          z.string().describe('<project>:<region>:<instance>'),
        sqlPrivateIp: z => z.string(),
        databaseSecrets: z =>
          z
            .record(z.string(), z.string())
            .describe('Secret Manager secret id of each database password'),
        googleServiceAccount: z =>
          z.string().describe('Email of the Workload Identity service account'),
        dnsZone: z => z.string(),
        nameServers: z =>
          z
            .array(z.string())
            .describe('Delegate the domain to these (public zone)'),
        bastion: z => z.string().describe('Bastion VM (private option)'),
        zones: z =>
          z
            .array(z.string())
            .describe(
              'Zones of the nodes, as Google names them (compute zones.list)',
            ),
        ingressAddress: z =>
          z
            .string()
            .describe(
              "The ingress load balancer's reserved address; codemie., keycloak. and kibana.<domain> point at it",
            ),
        bastionSshCommand: z =>
          z
            .string()
            .describe(
              'gcloud compute ssh … --tunnel-through-iap (private option)',
            ),
        monthlyCostUsd: z => z.number().describe('Estimated monthly cost, USD'),
      },
    },
    async handler(ctx) {
      refuseUnknownInputs(ctx.input, ['environment']);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would provision the Google Cloud resources planned for ${referenceOf(ctx.input.environment)} (listed by the plan step); no call made`,
        );
        return;
      }
      const record = await recordOf(options.store, ctx.input.environment);
      if (!holdsRecord(record, ctx)) {
        throw new ConflictError(
          `${record.environmentRef} is held by task ${record.taskId ?? '(none)'}; provisioning runs only in the task that planned it (run the "Create CodeMie environment" template, or Retry its task). Nothing was changed`,
        );
      }
      const { input } = recordedSpec(record);
      let plan: EnvironmentPlan;
      try {
        plan = planEnvironment(input, { prices });
      } catch (e) {
        if (e instanceof PlanningError) throw new InputError(e.message);
        throw e;
      }
      const summary = summarisePlan(plan);
      const lease = await leaseFor(options.store, record, ctx);
      const taskId = ctx.task.id;
      try {
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'provisioning',
        });
        ctx.logger.info(
          `Provisioning ${input.name} (${input.option}) in ${input.projectId}/${input.region}: ${plan.resources.length} resources`,
        );
        const result = await provisionEnvironment(plan, {
          google: options.google,
          policy,
          clock: options.clock,
          access,
          signal: ctx.signal,
          log: message => ctx.logger.info(message),
          checkpoint: (k, fn) =>
            ctx.checkpoint({
              key: k,
              fn: fn as () => Promise<ResourceOutputs>,
            }) as any,
        });
        const outputs = { ...result, monthlyCostUsd: summary.monthlyCostUsd };
        await options.store.updateEnvironment(record.environmentRef, {
          taskId,
          state: 'provisioned',
          outputs,
        });
        ctx.logger.info(
          `Provisioned ${input.name}: ${result.clusterName}; ${result.getCredentialsCommand}`,
        );
        emit(ctx, outputs);
      } catch (e) {
        // Record why; the inputs stay as planned. The task's Retry resumes from here.
        await options.store
          .updateEnvironment(record.environmentRef, {
            taskId,
            state: 'failed',
            lastError: `provision: ${failureSummary(e)}`,
          })
          .catch(() => {});
        throw e;
      } finally {
        await lease.release();
      }
    },
  });
}

function emit(
  ctx: { output(name: any, value: any): void },
  outputs: Record<string, unknown>,
) {
  for (const [k, v] of Object.entries(outputs)) {
    if (k !== 'resources' && k !== 'databases') ctx.output(k, v);
  }
}
