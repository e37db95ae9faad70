import { getCredentialsCommand } from '@codemie-gcp/plugin-codemie-common';
import {
  explainGoogleError,
  gkeOperationError,
  isAlreadyExists,
  isClusterBusy,
  isNotFound,
  isTransient,
  sleep,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  ResourceHandler,
  differs,
  pollUntil,
  requireMatch,
  retrying,
} from '../ProvisionContext';
import { releaseKubernetesCloudResources } from './clusterCleanup';

/** GKE enums travel as numbers over REST (`enum-encoding=int`); names kept here for reading. */
const RELEASE_CHANNEL_REGULAR = 2;
const DATAPATH_ADVANCED = 2;
const WORKLOAD_METADATA_GKE = 2;
const CLUSTER_STATUS = [
  'STATUS_UNSPECIFIED',
  'PROVISIONING',
  'RUNNING',
  'RECONCILING',
  'STOPPING',
  'ERROR',
  'DEGRADED',
];
/** google.container.v1.Operation.Type, for the log. */
const OPERATION_TYPE = [
  'TYPE_UNSPECIFIED',
  'CREATE_CLUSTER',
  'DELETE_CLUSTER',
  'UPGRADE_MASTER',
  'UPGRADE_NODES',
  'REPAIR_CLUSTER',
  'UPDATE_CLUSTER',
  'CREATE_NODE_POOL',
  'DELETE_NODE_POOL',
  'SET_NODE_POOL_MANAGEMENT',
  'AUTO_REPAIR_NODES',
  'AUTO_UPGRADE_NODES',
  'SET_LABELS',
  'SET_MASTER_AUTH',
  'SET_NODE_POOL_SIZE',
  'SET_NETWORK_POLICY',
  'SET_MAINTENANCE_POLICY',
  'RESIZE_CLUSTER',
  'FLEET_FEATURE_UPGRADE',
];
const OPERATION_STATUS = [
  'STATUS_UNSPECIFIED',
  'PENDING',
  'RUNNING',
  'DONE',
  'ABORTING',
];

/** Enum value as its name, whatever form the response used. */
export function enumName(value: unknown, names: string[]): string {
  return typeof value === 'number'
    ? (names[value] ?? String(value))
    : String(value ?? 'STATUS_UNSPECIFIED');
}

function parent(ctx: ProvisionContext) {
  return `projects/${ctx.plan.input.projectId}/locations/${ctx.placement.clusterLocation}`;
}

/** `projects/<p>/locations/<l>/clusters/<c>` of the environment's cluster. */
export function clusterResourceName(ctx: ProvisionContext) {
  return `${parent(ctx)}/clusters/${ctx.plan.names.cluster}`;
}

/** The node pool as the GKE API takes it, from the planner's plan. */
export function nodePoolBody(ctx: ProvisionContext) {
  const { nodePool, labels } = ctx.plan;
  return {
    name: ctx.plan.names.nodePool,
    initialNodeCount: nodePool.minNodesPerZone,
    config: {
      machineType: nodePool.machineType,
      diskSizeGb: 100,
      diskType: 'pd-balanced',
      imageType: 'COS_CONTAINERD',
      // The nodes' own least-privilege account (node-service-account); access is by its roles.
      serviceAccount: `${ctx.plan.names.nodeServiceAccount}@${ctx.plan.input.projectId}.iam.gserviceaccount.com`,
      oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
      workloadMetadataConfig: { mode: WORKLOAD_METADATA_GKE },
      shieldedInstanceConfig: {
        enableSecureBoot: true,
        enableIntegrityMonitoring: true,
      },
      labels: { 'codemie-node-pool': ctx.plan.names.nodePool },
      resourceLabels: labels,
    },
    autoscaling: {
      enabled: true,
      minNodeCount: nodePool.minNodesPerZone,
      maxNodeCount: nodePool.maxNodesPerZone,
    },
    management: { autoRepair: true, autoUpgrade: true },
    upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
  };
}

/** The cluster as the GKE API takes it: the settings of terraform-google-modules' safer-cluster. */
export function clusterBody(ctx: ProvisionContext) {
  const { input, names, labels } = ctx.plan;
  const isPrivate = input.option === 'private';
  return {
    name: names.cluster,
    description: `CodeMie environment ${input.name}, managed by Backstage`,
    resourceLabels: labels,
    network: names.network,
    subnetwork: names.subnetwork,
    // The zones resolved from compute zones.list (zone names differ per region).
    ...(input.regional ? { locations: ctx.placement.zones } : {}),
    ipAllocationPolicy: {
      useIpAliases: true,
      clusterSecondaryRangeName: 'pods',
      servicesSecondaryRangeName: 'services',
    },
    workloadIdentityConfig: { workloadPool: `${input.projectId}.svc.id.goog` },
    shieldedNodes: { enabled: true },
    releaseChannel: { channel: RELEASE_CHANNEL_REGULAR },
    networkConfig: { datapathProvider: DATAPATH_ADVANCED },
    masterAuthorizedNetworksConfig: {
      enabled: true,
      // Only the listed networks: not every Google Cloud public address as well.
      gcpPublicCidrsAccessEnabled: false,
      cidrBlocks: [
        ...(isPrivate ? [input.network.subnet] : input.allowedNetworks).map(
          (cidrBlock, i) => ({
            cidrBlock,
            displayName: isPrivate ? 'codemie-subnet' : `allowed-${i + 1}`,
          }),
        ),
        // The portal's own egress, so deploy and the status page reach the control plane.
        ...ctx.access.portalEgressCidrs.map((cidrBlock, i) => ({
          cidrBlock,
          displayName: `backstage-portal-${i + 1}`,
        })),
      ],
    },
    // Nodes never get external IPs; the private option also hides the control plane's IP endpoint.
    privateClusterConfig: {
      enablePrivateNodes: true,
      enablePrivateEndpoint: isPrivate,
      masterIpv4CidrBlock: input.network.master,
      masterGlobalAccessConfig: { enabled: true },
    },
    // Private option: the DNS endpoint takes external (IAM-authorized) traffic only when the
    // portal is configured to use it; by default nothing outside the VPC reaches the control plane.
    ...(isPrivate
      ? {
          controlPlaneEndpointsConfig: {
            dnsEndpointConfig: {
              allowExternalTraffic:
                ctx.access.privateClusterAccess === 'dns-endpoint',
            },
          },
        }
      : {}),
    // The planner's pool is created with the cluster, so GKE never makes a default pool to remove.
    nodePools: [nodePoolBody(ctx)],
  };
}

async function getCluster(ctx: ProvisionContext): Promise<any | undefined> {
  try {
    const [cluster] = await retrying(
      ctx,
      `GKE cluster ${ctx.plan.names.cluster}`,
      () =>
        ctx.google
          .container()
          .getCluster({ name: clusterResourceName(ctx) }, NO_CLIENT_RETRY),
    );
    return cluster;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(
      explainGoogleError(
        `GKE cluster ${ctx.plan.names.cluster}`,
        e,
        ctx.plan.input.projectId,
      ),
    );
  }
}

/** Waits for a GKE operation; a DONE operation can still have failed. */
export async function waitGkeOperation(
  ctx: ProvisionContext,
  what: string,
  operation: any,
) {
  const name = `${parent(ctx)}/operations/${operation.name}`;
  const done = await pollUntil(
    ctx,
    what,
    async () =>
      (await ctx.google.container().getOperation({ name }, NO_CLIENT_RETRY))[0],
    op => enumName(op.status, OPERATION_STATUS) === 'DONE',
    op => enumName(op.status, OPERATION_STATUS),
    { timeoutMillis: 60 * 60 * 1000 },
  );
  if (done.error?.message || (done.error?.code && done.error.code !== 0)) {
    throw new Error(
      explainGoogleError(
        what,
        gkeOperationError(done),
        ctx.plan.input.projectId,
      ),
    );
  }
  return done;
}

/**
 * Runs a GKE call that needs the cluster idle. GKE runs one operation at a time per cluster and
 * refuses others with FAILED_PRECONDITION while one runs; an upgrade or repair can take many
 * minutes, so instead of retrying blindly this waits for the blocking operation itself (found
 * with listOperations) and then tries again.
 */
export async function whenClusterIdle<T>(
  ctx: ProvisionContext,
  what: string,
  call: () => Promise<T>,
): Promise<T> {
  const clusterName = ctx.plan.names.cluster;
  for (let waits = 0; ; waits++) {
    try {
      return await retrying(
        ctx,
        what,
        call,
        e => isTransient(e) && !isClusterBusy(e),
      );
    } catch (e) {
      if (!isClusterBusy(e) || waits >= 20) throw e;
      const [list] = await retrying(ctx, what, () =>
        ctx.google
          .container()
          .listOperations({ parent: parent(ctx) }, NO_CLIENT_RETRY),
      );
      const blocking = (list.operations ?? []).find(
        op =>
          enumName(op.status, OPERATION_STATUS) !== 'DONE' &&
          String(op.targetLink ?? '').includes(`/clusters/${clusterName}`),
      );
      if (!blocking) {
        await sleep(ctx.policy.pollMillis, ctx.signal, what, ctx.clock);
        continue;
      }
      ctx.log(
        `${what}: GKE is running ${enumName(blocking.operationType, OPERATION_TYPE)} (${blocking.name}) on ${clusterName}; waiting for it to finish`,
      );
      await pollUntil(
        ctx,
        `${what}: waiting for ${blocking.name}`,
        async () =>
          (
            await ctx.google
              .container()
              .getOperation(
                { name: `${parent(ctx)}/operations/${blocking.name}` },
                NO_CLIENT_RETRY,
              )
          )[0],
        op => enumName(op.status, OPERATION_STATUS) === 'DONE',
        op => enumName(op.status, OPERATION_STATUS),
        { timeoutMillis: 2 * 60 * 60 * 1000 },
      );
    }
  }
}

function clusterOutputs(ctx: ProvisionContext, cluster: any) {
  const dnsEndpoint =
    cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig?.endpoint ?? '';
  return {
    clusterName: clusterResourceName(ctx),
    clusterLocation: ctx.placement.clusterLocation,
    zones: ctx.placement.zones,
    endpoint: String(cluster.endpoint ?? ''),
    dnsEndpoint: String(dnsEndpoint),
    getCredentialsCommand: getCredentialsCommand(
      ctx.plan,
      ctx.placement.clusterLocation,
      ctx.access.privateClusterAccess,
    ),
  };
}

export const clusterHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const what = `GKE cluster ${ctx.plan.names.cluster}`;
    const planned = clusterBody(ctx);
    let cluster = await getCluster(ctx);
    if (!cluster) {
      ctx.log(
        `${what}: creating in ${ctx.placement.clusterLocation} (${ctx.plan.nodePool.machineType}, ${ctx.plan.nodePool.minNodes}–${ctx.plan.nodePool.maxNodes} nodes)`,
      );
      try {
        const [operation] = await retrying(ctx, what, () =>
          ctx.google
            .container()
            .createCluster(
              { parent: parent(ctx), cluster: planned } as any,
              NO_CLIENT_RETRY,
            ),
        );
        await waitGkeOperation(ctx, what, operation);
      } catch (e) {
        if (!isAlreadyExists(e)) {
          throw e instanceof Error && e.message.startsWith(what)
            ? e
            : new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
        }
      }
      cluster = await getCluster(ctx);
    }
    const status = enumName(cluster?.status, CLUSTER_STATUS);
    if (status === 'ERROR' || status === 'DEGRADED') {
      throw new Error(
        `${what} is in state ${status}: ${cluster.statusMessage ?? 'no message'}. Delete it (codemie:gcp:destroy) and run the task again.`,
      );
    }
    if (status !== 'RUNNING') {
      cluster = await pollUntil(
        ctx,
        what,
        async () =>
          (
            await ctx.google
              .container()
              .getCluster({ name: clusterResourceName(ctx) }, NO_CLIENT_RETRY)
          )[0],
        c =>
          ['RUNNING', 'ERROR', 'DEGRADED'].includes(
            enumName(c.status, CLUSTER_STATUS),
          ),
        c => enumName(c.status, CLUSTER_STATUS),
      );
      if (enumName(cluster.status, CLUSTER_STATUS) !== 'RUNNING') {
        throw new Error(
          `${what} ended in state ${enumName(cluster.status, CLUSTER_STATUS)}: ${cluster.statusMessage ?? ''}`,
        );
      }
    }
    requireMatch(what, [
      differs('network', cluster.network, planned.network),
      differs('subnetwork', cluster.subnetwork, planned.subnetwork),
      differs(
        'workloadIdentityConfig.workloadPool',
        cluster.workloadIdentityConfig?.workloadPool,
        planned.workloadIdentityConfig.workloadPool,
      ),
      differs(
        'privateClusterConfig.enablePrivateEndpoint',
        cluster.privateClusterConfig?.enablePrivateEndpoint ?? false,
        planned.privateClusterConfig.enablePrivateEndpoint,
      ),
      differs(
        'masterAuthorizedNetworksConfig.cidrBlocks',
        (cluster.masterAuthorizedNetworksConfig?.cidrBlocks ?? [])
          .map((b: any) => b.cidrBlock)
          .sort(),
        planned.masterAuthorizedNetworksConfig.cidrBlocks
          .map(b => b.cidrBlock)
          .sort(),
      ),
    ]);
    ctx.log(`${what}: RUNNING`);
    return clusterOutputs(ctx, cluster);
  },

  async remove(_resource, ctx) {
    const what = `GKE cluster ${ctx.plan.names.cluster}`;
    if (!ctx.placement.clusterLocation) return 'absent'; // a zonal cluster found in no zone
    const cluster = await getCluster(ctx);
    if (!cluster) return 'absent';
    // Load balancers and Retain disks are Kubernetes', not GKE's: release them first.
    await releaseKubernetesCloudResources(ctx, clusterResourceName(ctx));
    try {
      const [operation] = await whenClusterIdle(ctx, what, () =>
        ctx.google
          .container()
          .deleteCluster({ name: clusterResourceName(ctx) }, NO_CLIENT_RETRY),
      );
      await waitGkeOperation(ctx, `deleting ${what}`, operation);
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw e;
    }
    return 'deleted';
  },
};

export const nodePoolHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const planned = nodePoolBody(ctx);
    const what = `node pool ${planned.name}`;
    const name = `${clusterResourceName(ctx)}/nodePools/${planned.name}`;
    let pool: any;
    try {
      [pool] = await retrying(ctx, what, () =>
        ctx.google.container().getNodePool({ name }, NO_CLIENT_RETRY),
      );
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    if (!pool) {
      ctx.log(`${what}: creating`);
      const [operation] = await whenClusterIdle(ctx, what, () =>
        ctx.google
          .container()
          .createNodePool(
            { parent: clusterResourceName(ctx), nodePool: planned } as any,
            NO_CLIENT_RETRY,
          ),
      );
      await waitGkeOperation(ctx, what, operation);
      [pool] = await retrying(ctx, what, () =>
        ctx.google.container().getNodePool({ name }, NO_CLIENT_RETRY),
      );
    }
    requireMatch(what, [
      differs(
        'config.machineType',
        pool.config?.machineType,
        planned.config.machineType,
      ),
      differs(
        'autoscaling.minNodeCount',
        pool.autoscaling?.minNodeCount,
        planned.autoscaling.minNodeCount,
      ),
      differs(
        'autoscaling.maxNodeCount',
        pool.autoscaling?.maxNodeCount,
        planned.autoscaling.maxNodeCount,
      ),
    ]);
    return {
      nodePool: planned.name,
      machineType: planned.config.machineType,
      minNodesPerZone: planned.autoscaling.minNodeCount,
      maxNodesPerZone: planned.autoscaling.maxNodeCount,
    };
  },
  async remove() {
    // Deleted with its cluster.
    return 'absent';
  },
};
