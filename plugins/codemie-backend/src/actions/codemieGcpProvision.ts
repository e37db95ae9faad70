import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  EnvironmentPlan,
  PlanningError,
  bastionSshCommand,
  getCredentialsCommand,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import { CodemieStore } from '../database/CodemieStore';
import { EnvironmentLockedError } from '../database/EnvironmentLocks';
import { GoogleClients } from '../gcp/GoogleClients';
import { pricesFromConfig } from '../gcp/pricesFromConfig';
import { retryPolicyFromConfig } from '../gcp/retryPolicyFromConfig';
import { clusterAccessFromConfig } from '../gcp/clusterAccessFromConfig';
import {
  ClusterAccess,
  ResourceOutputs,
} from '../provisioning/ProvisionContext';
import { provisionEnvironment } from '../provisioning/provisionEnvironment';
import {
  environmentInputSchema,
  parseEnvironmentInput,
} from './environmentInputSchema';
import { summarisePlan } from './codemiePlan';
import { examples } from './codemieGcpProvision.examples';

/**
 * `codemie:gcp:provision`: makes the Google Cloud side of one CodeMie environment exist — APIs,
 * VPC, NAT, firewall, GKE, Cloud SQL, secrets, DNS, service account, bastion — idempotently and
 * resumably.
 *
 * @public
 */
export function createCodemieGcpProvisionAction(options: {
  config: Config;
  google: GoogleClients;
  store: CodemieStore;
}) {
  const prices = pricesFromConfig(options.config);
  const policy = retryPolicyFromConfig(options.config);
  const access = clusterAccessFromConfig(options.config);
  return createTemplateAction({
    id: 'codemie:gcp:provision',
    description:
      'Provisions the Google Cloud infrastructure of a CodeMie environment (public or private option): project APIs, VPC with Cloud NAT and firewall rules, GKE with the planned node pool, Cloud SQL for PostgreSQL with private IP, passwords in Secret Manager, Cloud DNS, a Workload Identity service account and, for the private option, an IAP-only bastion. Idempotent; a retried task resumes.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...environmentInputSchema,
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              'Owner of the environment entity (default: the user running the task)',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe('Description of the environment entity'),
        system: z =>
          z
            .string()
            .optional()
            .describe('System the environment entity belongs to'),
      },
      output: {
        clusterName: z =>
          z.string().describe('projects/<p>/locations/<l>/clusters/<c>'),
        clusterLocation: z =>
          z.string().describe('Region (regional cluster) or zone'),
        zones: z =>
          z
            .array(z.string())
            .describe(
              'Zones of the nodes, as Google names them (compute zones.list)',
            ),
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
        ingressAddress: z =>
          z
            .string()
            .describe(
              "The ingress load balancer's reserved address; codemie., keycloak. and kibana.<domain> point at it",
            ),
        nameServers: z =>
          z
            .array(z.string())
            .describe('Delegate the domain to these (public zone)'),
        bastion: z => z.string().describe('Bastion VM (private option)'),
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
      const raw = ctx.input as Record<string, unknown>;
      const input = parseEnvironmentInput(raw, [
        'owner',
        'description',
        'system',
      ]);
      const owner =
        typeof raw.owner === 'string' && raw.owner
          ? raw.owner
          : (ctx.user?.ref ?? 'unknown');
      const recordedSpec = {
        input,
        tier: 'custom',
        ...(typeof raw.description === 'string'
          ? { description: raw.description }
          : {}),
        ...(typeof raw.system === 'string' ? { system: raw.system } : {}),
      };
      let plan: EnvironmentPlan;
      try {
        plan = planEnvironment(input, { prices });
      } catch (e) {
        if (e instanceof PlanningError) throw new InputError(e.message);
        throw e;
      }
      const summary = summarisePlan(plan);
      recordedSpec.tier = plan.sizing.tier;

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would provision ${plan.resources.length} resources for ${input.name} in ${input.projectId}/${input.region} ` +
            `(${summary.nodePool.machineType} × ${summary.nodePool.minNodes}–${summary.nodePool.maxNodes}, about $${summary.monthlyCostUsd.toFixed(2)}/month); no call made`,
        );
        for (const r of plan.resources)
          ctx.logger.info(`  ${r.id}: ${r.kind} ${r.name}, ${r.description}`);
        emit(ctx, dryRunOutputs(plan, summary.monthlyCostUsd, access));
        return;
      }

      const key = `${input.projectId}/${input.name}`;
      let lease;
      try {
        lease = await options.store.locks.acquire(key, `task ${ctx.task.id}`);
      } catch (e) {
        if (e instanceof EnvironmentLockedError)
          throw new InputError(e.message);
        throw e;
      }
      try {
        await options.store.upsertEnvironment({
          projectId: input.projectId,
          name: input.name,
          owner,
          state: 'provisioning',
          spec: recordedSpec,
        });
        ctx.logger.info(
          `Provisioning ${input.name} (${input.option}) in ${input.projectId}/${input.region}: ${plan.resources.length} resources`,
        );
        const result = await provisionEnvironment(plan, {
          google: options.google,
          policy,
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
        await options.store.upsertEnvironment({
          projectId: input.projectId,
          name: input.name,
          owner,
          state: 'provisioned',
          spec: recordedSpec,
          outputs,
        });
        ctx.logger.info(
          `Provisioned ${input.name}: ${result.clusterName}; ${result.getCredentialsCommand}`,
        );
        emit(ctx, outputs);
      } catch (e) {
        await options.store
          .upsertEnvironment({
            projectId: input.projectId,
            name: input.name,
            owner,
            state: 'failed',
            spec: recordedSpec,
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

/** The outputs a real run would produce, computed from the plan (names are deterministic). */
function dryRunOutputs(
  plan: EnvironmentPlan,
  monthlyCostUsd: number,
  access: ClusterAccess,
) {
  const { input, names } = plan;
  const isPrivate = input.option === 'private';
  // Zones are chosen from Google's live list at provisioning; a dry run calls nothing.
  const zone = `<a zone of ${input.region}, chosen at provisioning>`;
  const clusterLocation = plan.clusterLocation || zone;
  return {
    clusterName: `projects/${input.projectId}/locations/${clusterLocation}/clusters/${names.cluster}`,
    clusterLocation,
    endpoint: '',
    dnsEndpoint: '',
    getCredentialsCommand: getCredentialsCommand(
      plan,
      clusterLocation,
      access.privateClusterAccess,
    ),
    // A real instance gets a random suffix at creation (Cloud SQL names stay reserved a week);
    // the dry run's stand-in keeps the shape, so later steps' dry runs accept it.
    sqlInstance: `${names.sqlInstance}-dryrun`,
    sqlConnectionName: `${input.projectId}:${input.region}:${names.sqlInstance}-dryrun`,
    // The address Cloud SQL takes first in the private services range (assigned at creation).
    sqlPrivateIp: firstHostOf(input.network.privateServices, 3),
    databaseSecrets: Object.fromEntries(
      plan.databases.map(db => [
        db,
        names.secrets[`${db}DbPassword` as keyof typeof names.secrets],
      ]),
    ),
    googleServiceAccount: `${names.serviceAccount}@${input.projectId}.iam.gserviceaccount.com`,
    dnsZone: input.createDnsZone ? names.dnsZone : '',
    ingressAddress: '',
    nameServers: [],
    bastion: isPrivate ? names.bastion : '',
    bastionSshCommand: bastionSshCommand(plan, zone),
    monthlyCostUsd,
  };
}

/** The `offset`th address of a CIDR, e.g. 10.40.0.3 in 10.40.0.0/16. */
function firstHostOf(cidr: string, offset: number): string {
  const [address] = cidr.split('/');
  const octets = address.split('.').map(Number);
  octets[3] += offset;
  return octets.join('.');
}
