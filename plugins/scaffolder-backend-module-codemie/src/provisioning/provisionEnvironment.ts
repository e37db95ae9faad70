import { EnvironmentPlan } from '@codemie-gcp/plugin-codemie-common';
import {
  Clock,
  GoogleClients,
  RetryPolicy,
} from '@codemie-gcp/plugin-codemie-node';
import {
  ClusterAccess,
  DEFAULT_CLUSTER_ACCESS,
  ProvisionContext,
  ResourceBlockedError,
  ResourceOutputs,
} from './ProvisionContext';
import { Placement, choosePlacement, findPlacement } from './placement';
import { RESOURCE_HANDLERS } from './resources';
import { ResourceGraphError, runResourceGraph } from './runResourceGraph';

/**
 * Runs `fn` at most once per key across retries of a task (the scaffolder's checkpoints).
 *
 * @public
 */
export type Checkpoint = <T extends ResourceOutputs>(
  key: string,
  fn: () => Promise<T>,
) => Promise<T>;

/**
 * What provisioning and destroy need besides the plan.
 *
 * @public
 */
export interface ProvisionDeps {
  /** The Google Cloud clients. */
  google: GoogleClients;
  /** Where progress lines go (the task's log). */
  log: (message: string) => void;
  /** How transient errors are retried and operations polled. */
  policy: RetryPolicy;
  /** The clock retries and polls wait on; default the real one. */
  clock?: Clock;
  /** Aborts provisioning (the scaffolder task was cancelled). */
  signal?: AbortSignal;
  /** Records each finished resource, so a resumed task skips it. */
  checkpoint?: Checkpoint;
  /** How the portal reaches clusters; default `DEFAULT_CLUSTER_ACCESS`. */
  access?: ClusterAccess;
}

/**
 * What a provisioned environment is: the names and addresses the next steps need. No secrets.
 *
 * @public
 */
export interface ProvisionedEnvironment {
  /** The GKE cluster's resource name. */
  clusterName: string;
  /** The cluster's location (region or zone). */
  clusterLocation: string;
  /** The zones the nodes use, as Google named them (compute zones.list, UP at provisioning). */
  zones: string[];
  /** The control plane's IP endpoint. */
  endpoint: string;
  /** The control plane's DNS-based endpoint. */
  dnsEndpoint: string;
  /** The `gcloud container clusters get-credentials` command for the cluster. */
  getCredentialsCommand: string;
  /** The Cloud SQL instance's name. */
  sqlInstance: string;
  /** The Cloud SQL connection name, `<project>:<region>:<instance>`. */
  sqlConnectionName: string;
  /** Private IP of the Cloud SQL instance. */
  sqlPrivateIp: string;
  /** Databases created on the instance. */
  databases: string[];
  /** Secret Manager secret ids holding each database user's password. */
  databaseSecrets: Record<string, string>;
  /** Google service account the API and LiteLLM act as (Workload Identity). */
  googleServiceAccount: string;
  /** The Cloud DNS managed zone's name. */
  dnsZone: string;
  /** The zone's name servers, to delegate the domain to. */
  nameServers: string[];
  /** The ingress load balancer's reserved address; the DNS records point at it. */
  ingressAddress: string;
  /** The private option's bastion VM. */
  bastion: string;
  /** The bastion's zone. */
  bastionZone: string;
  /** The `gcloud compute ssh` command through IAP to the bastion. */
  bastionSshCommand: string;
  /** Resource ids in the order they finished. */
  resources: string[];
}

/**
 * Makes every resource of the plan exist, walking the resource graph with as much parallelism
 * as it allows. Each finished resource is a checkpoint: a retried task resumes after the last one.
 * On failure the error says what exists, what failed and how to resume or clean up.
 *
 * @public
 */
export async function provisionEnvironment(
  plan: EnvironmentPlan,
  deps: ProvisionDeps,
): Promise<ProvisionedEnvironment> {
  const outputs = new Map<string, ResourceOutputs>();
  const ctx: ProvisionContext = {
    plan,
    google: deps.google,
    log: deps.log,
    signal: deps.signal,
    policy: deps.policy,
    clock: deps.clock,
    outputs,
    placement: { zones: [], clusterLocation: '' },
    access: deps.access ?? DEFAULT_CLUSTER_ACCESS,
  };
  const checkpoint: Checkpoint = deps.checkpoint ?? ((_key, fn) => fn());
  // Chosen once and kept: a retry must find the cluster and bastion where they were put, even
  // if a zone's status changed meanwhile.
  try {
    ctx.placement = await checkpoint<Placement & ResourceOutputs>(
      `codemie.provision.${plan.input.name}.placement`,
      async () => ({ ...(await choosePlacement(ctx)) }),
    );
  } catch (e) {
    throw new Error(
      [
        `Provisioning ${plan.input.name} stopped: ${e instanceof Error ? e.message : String(e)}`,
        'Exists now (created or verified): nothing.',
        'To resume, fix the cause and retry the task.',
      ].join('\n'),
    );
  }
  let finished: string[];
  try {
    finished = await runResourceGraph(
      plan.resources,
      async resource => {
        const result = await checkpoint(
          `codemie.provision.${plan.input.name}.${resource.id}`,
          () => RESOURCE_HANDLERS[resource.kind].ensure(resource, ctx),
        );
        outputs.set(resource.id, result);
      },
      { signal: deps.signal },
    );
  } catch (e) {
    if (e instanceof ResourceGraphError) {
      const cause =
        e.cause instanceof Error ? e.cause.message : String(e.cause);
      throw new Error(
        [
          `Provisioning ${plan.input.name} stopped: ${cause}`,
          `Exists now (created or verified): ${e.completed.join(', ') || 'nothing'}.`,
          ...(e.alsoFailed.length
            ? [`Also failed: ${e.alsoFailed.join(', ')}.`]
            : []),
          `Not started: ${e.notStarted.join(', ') || 'nothing'}.`,
          'To resume, fix the cause and retry the task (finished resources are kept and not created again). ' +
            'To clean up instead, run codemie:gcp:destroy for this environment.',
        ].join('\n'),
      );
    }
    throw e;
  }

  // Deploy and the status page reach the control plane from the portal: say what that needs.
  if (
    plan.input.option === 'public' &&
    ctx.access.portalEgressCidrs.length === 0
  ) {
    deps.log(
      `Note: deploy and the status page call the cluster's control plane from this portal. Its egress address must be ` +
        `in allowedNetworks (${plan.input.allowedNetworks.join(', ')}) or in codemie.gcp.portalEgressCidrs (added to every cluster, labelled), ` +
        'or they cannot reach the cluster.',
    );
  } else if (
    plan.input.option === 'private' &&
    ctx.access.privateClusterAccess === 'vpc'
  ) {
    deps.log(
      `Note: the control plane of ${plan.names.cluster} takes no traffic from outside its VPC (codemie.gcp.privateClusterAccess: vpc). ` +
        'Deploy and the status page work when the portal runs in that VPC or a network connected to it; operators use the bastion.',
    );
  }

  const get = (id: string, key: string, fallback = ''): string => {
    const value = outputs.get(id)?.[key];
    return value === undefined ? fallback : String(value);
  };
  const secretIds: Record<string, string> = {
    codemie: plan.names.secrets.codemieDbPassword,
    keycloak: plan.names.secrets.keycloakDbPassword,
    litellm: plan.names.secrets.litellmDbPassword,
  };
  return {
    clusterName: get('cluster', 'clusterName'),
    clusterLocation: ctx.placement.clusterLocation,
    zones: ctx.placement.zones,
    endpoint: get('cluster', 'endpoint'),
    dnsEndpoint: get('cluster', 'dnsEndpoint'),
    getCredentialsCommand: get('cluster', 'getCredentialsCommand'),
    sqlInstance: get('sql-instance', 'sqlInstance'),
    sqlConnectionName: get('sql-instance', 'sqlConnectionName'),
    sqlPrivateIp: get('sql-instance', 'sqlPrivateIp'),
    databases: plan.databases,
    databaseSecrets: Object.fromEntries(
      plan.databases.map(db => [db, secretIds[db]]),
    ),
    googleServiceAccount: get('service-account', 'googleServiceAccount'),
    dnsZone: get('dns-zone', 'dnsZone'),
    ingressAddress: get('ingress-address', 'ingressAddress'),
    nameServers:
      (outputs.get('dns-zone')?.nameServers as string[] | undefined) ?? [],
    bastion: get('bastion', 'bastion'),
    bastionZone: get('bastion', 'bastionZone'),
    bastionSshCommand: get('bastion', 'bastionSshCommand'),
    resources: finished,
  };
}

/** What destroy did to one resource. */
export type DestroyOutcome = 'deleted' | 'absent' | 'blocked';

/** A resource destroy could not delete yet because Google refuses it until later. */
export interface BlockedResource {
  id: string;
  /** Why, naming what Google said, or which blocked resource it waits for. */
  reason: string;
  /** The earliest time (ISO 8601) a re-run of destroy can finish it. */
  retryAfter: string;
}

/** What destroy did: every resource's outcome, and the blocked ones with their reasons. */
export interface DestroyReport {
  outcomes: Record<string, DestroyOutcome>;
  /** Empty when everything is gone. Otherwise re-run destroy after the latest `retryAfter`. */
  blocked: BlockedResource[];
}

/**
 * Deletes every resource of the plan in reverse dependency order (a resource goes only after
 * everything that depends on it), in parallel where the graph allows. Idempotent: what is
 * already gone is reported `absent`. When Google refuses a delete until later (the private
 * services peering Cloud SQL keeps for days), destroy still removes everything else, reports
 * that resource and the ones behind it (its range, the network) as `blocked` with the earliest
 * re-run time, and returns normally: a re-run after that time finishes.
 */
export async function destroyEnvironment(
  plan: EnvironmentPlan,
  deps: ProvisionDeps,
): Promise<DestroyReport> {
  const ctx: ProvisionContext = {
    plan,
    google: deps.google,
    log: deps.log,
    signal: deps.signal,
    policy: deps.policy,
    clock: deps.clock,
    outputs: new Map(),
    placement: { zones: [], clusterLocation: '' },
    access: deps.access ?? DEFAULT_CLUSTER_ACCESS,
  };
  ctx.placement = await findPlacement(ctx);
  const reversed = plan.resources.map(resource => ({
    ...resource,
    dependsOn: plan.resources
      .filter(r => r.dependsOn.includes(resource.id))
      .map(r => r.id),
  }));
  const outcomes: Record<string, DestroyOutcome> = {};
  const blocked = new Map<string, BlockedResource>();
  try {
    await runResourceGraph(
      reversed,
      async resource => {
        // What a blocked resource still uses (its range, the network) waits with it.
        const waitingFor = reversed
          .filter(r => resource.dependsOn.includes(r.id) && blocked.has(r.id))
          .map(r => blocked.get(r.id)!);
        // Project APIs are never disabled by destroy, so nothing of theirs waits.
        if (waitingFor.length > 0 && resource.kind !== 'project-services') {
          outcomes[resource.id] = 'blocked';
          blocked.set(resource.id, {
            id: resource.id,
            reason: `waits for ${waitingFor.map(b => b.id).join(', ')}`,
            retryAfter: waitingFor
              .map(b => b.retryAfter)
              .sort()
              .at(-1)!,
          });
          return;
        }
        try {
          const result = await RESOURCE_HANDLERS[resource.kind].remove(
            resource,
            ctx,
          );
          outcomes[resource.id] = result;
          if (result === 'deleted')
            deps.log(`deleted ${resource.kind} ${resource.name}`);
        } catch (e) {
          if (!(e instanceof ResourceBlockedError)) throw e;
          outcomes[resource.id] = 'blocked';
          blocked.set(resource.id, {
            id: resource.id,
            reason: e.reason,
            retryAfter: e.retryAfter.toISOString(),
          });
          deps.log(
            `${resource.kind} ${resource.name}: not deleted yet: ${e.reason}; re-run destroy after ${e.retryAfter.toISOString()}`,
          );
        }
      },
      { signal: deps.signal },
    );
  } catch (e) {
    if (e instanceof ResourceGraphError) {
      const cause =
        e.cause instanceof Error ? e.cause.message : String(e.cause);
      throw new Error(
        [
          `Destroying ${plan.input.name} stopped: ${cause}`,
          `Deleted or already gone: ${e.completed.filter(id => outcomes[id] !== 'blocked').join(', ') || 'nothing'}.`,
          `Still there (not attempted): ${e.notStarted.join(', ') || 'nothing'}.`,
          'Fix the cause and run destroy again; it continues where it stopped.',
        ].join('\n'),
      );
    }
    throw e;
  }
  return { outcomes, blocked: [...blocked.values()] };
}
