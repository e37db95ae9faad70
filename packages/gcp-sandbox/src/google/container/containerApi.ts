import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { errors, GoogleApiError, RPC_CODE } from '../errors';
import { lazy, schemaOf } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import {
  deferred,
  isLocation,
  isZone,
  projectNumber,
  regionOf,
  zonesOf,
} from '../context';
import type { ClusterRecord, Json } from '../../state';
import { clusterNodes, nodesPerZone, resizePool } from './nodes';
import { machineShape } from '../machineTypes';
import { OperationFailure } from '../operationFailure';

const ORIGIN = 'https://container.googleapis.com';
const PKG = 'google.container.v1';
const MASTER_VERSION = '1.33.5-gke.1308000';

const DEFAULT_SCOPES = [
  'https://www.googleapis.com/auth/devstorage.read_only',
  'https://www.googleapis.com/auth/logging.write',
  'https://www.googleapis.com/auth/monitoring',
  'https://www.googleapis.com/auth/service.management.readonly',
  'https://www.googleapis.com/auth/servicecontrol',
  'https://www.googleapis.com/auth/trace.append',
];

/** Verb GKE uses in "Operation … is currently <verb> …" for each operation type. */
const BUSY_VERB: Record<string, string> = {
  CREATE_CLUSTER: 'creating cluster',
  DELETE_CLUSTER: 'deleting cluster',
  CREATE_NODE_POOL: 'creating node pool in cluster',
  DELETE_NODE_POOL: 'deleting node pool in cluster',
  SET_NODE_POOL_SIZE: 'resizing node pool in cluster',
  UPDATE_CLUSTER: 'updating cluster',
};

/**
 * GKE (`container.googleapis.com/v1`): clusters create/get/list/delete, node pools
 * create/get/list/delete/setSize/setAutoscaling, operations get/list. Request bodies are validated against the
 * protobuf definitions shipped in `@google-cloud/container`; responses use enum numbers when the
 * client asks for `enum-encoding=int` (the REST fallback does), names otherwise.
 */
export function containerApi(ctx: EmulationContext): ApiHost {
  const schema = lazy(() => schemaOf('@google-cloud/container'));
  const host = new ApiHost('container', ORIGIN, 'esf', ctx);
  const { state, clock, ids, durations, scheduler, domainFaults } = ctx;

  const out = (req: RouteRequest, type: string, value: Json) => ({
    body: req.enumsAsNumbers
      ? schema().convertEnums(`${PKG}.${type}`, value, 'number')
      : value,
  });
  const parse = (type: string, body: unknown): Json => {
    schema().validate(`${PKG}.${type}`, body ?? {});
    return schema().convertEnums(
      `${PKG}.${type}`,
      (body ?? {}) as Json,
      'name',
    );
  };
  const checkLocation = (location: string) => {
    if (!isLocation(location) && location !== '-') {
      throw errors.invalid(`Location "${location}" does not exist.`);
    }
  };
  const clusterKey = (p: Json) =>
    `projects/${p.project}/locations/${p.location}/clusters/${p.cluster}`;
  const getCluster = (p: Json): ClusterRecord => {
    const record = state.clusters.get(clusterKey(p));
    if (!record) throw errors.notFound(`Not found: ${clusterKey(p)}.`);
    return record;
  };
  const link = (project: string, location: string, rest: string) =>
    `${ORIGIN}/v1/projects/${projectNumber(project)}/locations/${location}/${rest}`;
  const ensureIdle = (record: ClusterRecord) => {
    if (!record.runningOperation) return;
    const op = state.containerOperations.get(record.runningOperation)!.resource;
    throw new GoogleApiError({
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      message: `Operation ${op.name} is currently ${BUSY_VERB[op.operationType] ?? 'operating on cluster'} ${record.resource.name}. Please wait and try again once it is done.`,
    });
  };

  /** Starts an operation; `work` runs after `seconds` and may throw a GoogleApiError to fail it. */
  const startOperation = (
    record: ClusterRecord | undefined,
    project: string,
    location: string,
    operationType: string,
    target: string,
    seconds: number,
    work: () => Promise<void> | void,
    onFailure: (error: {
      code: number;
      message: string;
      condition: string;
    }) => void,
  ): Json => {
    const name = `operation-${Math.floor(clock.now())}-${ids.hex(8)}`;
    const resource: Json = {
      name,
      zone: location,
      operationType,
      status: 'RUNNING',
      selfLink: link(project, location, `operations/${name}`),
      targetLink: link(project, location, target),
      location,
      startTime: clock.nowIso(),
    };
    const { promise, resolve } = deferred();
    state.containerOperations.set(
      `projects/${project}/locations/${location}/operations/${name}`,
      {
        project,
        scope: location,
        resource,
        done: promise,
      },
    );
    if (record)
      record.runningOperation = `projects/${project}/locations/${location}/operations/${name}`;
    const fault = domainFaults.takeOperationFault(
      'container',
      operationType,
      target,
    );
    const quota =
      operationType === 'CREATE_CLUSTER' || operationType === 'CREATE_NODE_POOL'
        ? domainFaults.takeQuota('container', location, 'operation')
        : undefined;
    scheduler
      .after(seconds, async () => {
        try {
          if (quota) {
            throw new OperationFailure(
              `Quota '${quota.metric}' exceeded. Limit: ${quota.limit.toFixed(1)} in region ${quota.region}.`,
              RPC_CODE.RESOURCE_EXHAUSTED,
              undefined,
              'GCE_QUOTA_EXCEEDED',
            );
          }
          if (fault) {
            const code =
              typeof fault.code === 'string'
                ? (RPC_CODE[fault.code] ?? 13)
                : (fault.code ?? 13);
            throw new OperationFailure(
              fault.message ?? 'Internal error.',
              code,
              undefined,
              'GKE_INTERNAL',
            );
          }
          await work();
        } catch (e) {
          const err =
            e instanceof OperationFailure
              ? e
              : new OperationFailure(String(e), RPC_CODE.INTERNAL);
          const error = {
            code: typeof err.code === 'number' ? err.code : RPC_CODE.INTERNAL,
            message: err.message,
          };
          resource.error = error;
          resource.statusMessage = err.message;
          const canonical = Object.keys(RPC_CODE).find(
            k => RPC_CODE[k] === error.code,
          );
          const conditions = [
            {
              code: err.condition ?? 'GKE_INTERNAL',
              message: err.message,
              canonicalCode: canonical,
            },
          ];
          if (operationType.includes('NODE_POOL'))
            resource.nodepoolConditions = conditions;
          else resource.clusterConditions = conditions;
          onFailure({ ...error, condition: conditions[0].code });
        } finally {
          resource.status = 'DONE';
          resource.endTime = clock.nowIso();
          if (
            record &&
            record.runningOperation?.endsWith(`/operations/${name}`)
          )
            record.runningOperation = undefined;
          resolve();
        }
      })
      .catch(() => undefined);
    return resource;
  };

  const nodePoolResource = (
    project: string,
    location: string,
    clusterName: string,
    clusterLocations: string[],
    pool: Json,
  ): Json => {
    const config: Json = {
      machineType: 'e2-medium',
      diskSizeGb: 100,
      oauthScopes: DEFAULT_SCOPES,
      serviceAccount: 'default',
      metadata: { 'disable-legacy-endpoints': 'true' },
      imageType: 'COS_CONTAINERD',
      diskType: 'pd-balanced',
      ...pool.config,
    };
    if (!pool.name) throw errors.invalid('Node_pool.name must be specified.');
    // A node pool's service account must exist (GKE checks it at create; a dedicated
    // least-privilege account is what https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa
    // recommends over the Compute Engine default one).
    const account = config.serviceAccount;
    if (
      account &&
      account !== 'default' &&
      ![...state.serviceAccounts.values()].some(a => a.email === account)
    ) {
      throw errors.invalid(`Service account "${account}" does not exist.`);
    }
    if (!machineShape(config.machineType)) {
      throw errors.invalid(
        `Invalid machine type "${config.machineType}": machine type does not exist.`,
      );
    }
    const count = Number(pool.initialNodeCount ?? 0);
    if (!(count > 0) && !pool.autoscaling?.enabled) {
      throw errors.invalid(
        'Node_pool.initial_node_count must be greater than zero.',
      );
    }
    const locations: string[] = pool.locations?.length
      ? pool.locations
      : clusterLocations;
    return {
      ...pool,
      config,
      initialNodeCount: count,
      locations,
      management: pool.management ?? { autoUpgrade: true, autoRepair: true },
      maxPodsConstraint: pool.maxPodsConstraint ?? { maxPodsPerNode: '110' },
      podIpv4CidrSize: 24,
      upgradeSettings: pool.upgradeSettings ?? {
        maxSurge: 1,
        strategy: 'SURGE',
      },
      selfLink: link(
        project,
        location,
        `clusters/${clusterName}/nodePools/${pool.name}`,
      ),
      version: MASTER_VERSION,
      status: 'PROVISIONING',
      etag: ids.hex(8),
    };
  };

  const instanceGroups = (
    project: string,
    clusterName: string,
    pool: Json,
  ): string[] =>
    (pool.locations ?? []).map(
      (zone: string) =>
        `https://www.googleapis.com/compute/v1/projects/${project}/zones/${zone}/instanceGroupManagers/gke-${clusterName}-${pool.name}-${ids.hex(8)}-grp`,
    );

  const refreshCounts = (record: ClusterRecord) => {
    record.resource.currentNodeCount = clusterNodes(record.resource).length;
    record.server?.nodesChanged();
  };

  /** Network and subnetwork checks against the Compute state, as GKE validates at create. */
  const checkNetwork = (project: string, location: string, cluster: Json) => {
    const networkName = String(cluster.network ?? 'default')
      .split('/')
      .pop()!;
    const network = state.compute.get(
      `projects/${project}/global/networks/${networkName}`,
    );
    if (!network)
      throw errors.invalid(`Network "${networkName}" does not exist.`);
    const region = regionOf(location);
    const subnetName = String(
      cluster.subnetwork ?? cluster.networkConfig?.subnetwork ?? networkName,
    )
      .split('/')
      .pop()!;
    const subnet = state.compute.get(
      `projects/${project}/regions/${region}/subnetworks/${subnetName}`,
    );
    if (!subnet) {
      throw errors.invalid(
        `Subnetwork "projects/${project}/regions/${region}/subnetworks/${subnetName}" does not exist.`,
      );
    }
    if (!subnet.ready || !network.ready) {
      throw errors.failedPrecondition(
        `The resource 'projects/${project}/regions/${region}/subnetworks/${subnetName}' is not ready.`,
      );
    }
    const policy = cluster.ipAllocationPolicy;
    for (const rangeName of [
      policy?.clusterSecondaryRangeName,
      policy?.servicesSecondaryRangeName,
    ]) {
      if (!rangeName) continue;
      const range = (subnet.resource.secondaryIpRanges ?? []).find(
        (r: Json) => r.rangeName === rangeName,
      );
      if (!range) {
        throw errors.invalid(
          `Retry budget exhausted (5 attempts): Secondary range "${rangeName}" does not exist in network "${networkName}", subnetwork "${subnetName}".`,
        );
      }
    }
    return { networkName, subnetName, subnet };
  };

  // --- clusters -------------------------------------------------------------------------------
  host.route(
    'POST',
    '/v1/projects/{project}/locations/{location}/clusters',
    async req => {
      const { project, location } = req.params;
      const body = parse('CreateClusterRequest', req.body);
      checkLocation(location);
      const cluster: Json = body.cluster;
      if (!cluster?.name)
        throw errors.invalid('Cluster.name must be specified.');
      if (!/^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(cluster.name)) {
        throw errors.invalid(
          `Invalid value for field "cluster.name": "${cluster.name}". Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,38}[a-z0-9])?)' (only alphanumerics and '-' allowed, must start with a letter and end with an alphanumeric, and must be no longer than 40 characters).`,
        );
      }
      const key = `projects/${project}/locations/${location}/clusters/${cluster.name}`;
      if (state.clusters.has(key))
        throw errors.alreadyExists(`Already exists: ${key}.`);
      if (
        !cluster.nodePools?.length &&
        !(Number(cluster.initialNodeCount) > 0)
      ) {
        throw errors.invalid(
          'Cluster.initial_node_count must be greater than zero.',
        );
      }
      if (cluster.nodePools?.length && cluster.initialNodeCount) {
        throw errors.invalid(
          'Cannot specify both initial_node_count and node_pools.',
        );
      }
      const { networkName, subnetName, subnet } = checkNetwork(
        project,
        location,
        cluster,
      );
      const quota = domainFaults.takeQuota('container', location, 'request');
      if (quota) {
        throw new GoogleApiError({
          httpStatus: 403,
          status: 'PERMISSION_DENIED',
          message: `Insufficient regional quota to satisfy request: resource "${quota.metric}": request requires '${(quota.limit + 8).toFixed(1)}' and is short '8.0'. project has a quota of '${quota.limit.toFixed(1)}' with '${quota.limit.toFixed(1)}' available. View and manage quotas at https://console.cloud.google.com/iam-admin/quotas?usage=USED&project=${project}.`,
        });
      }
      // Node locations must be real zones of the cluster's region (Regions and zones:
      // https://cloud.google.com/compute/docs/regions-zones; europe-west1 has b, c, d and no a).
      // Without them GKE picks three zones of the region (regional) or the cluster's zone.
      const regionZones = zonesOf(regionOf(location));
      for (const zone of cluster.locations ?? []) {
        if (!regionZones.includes(zone)) {
          throw errors.invalid(
            `Invalid value for field "cluster.locations": zone "${zone}" does not exist in region "${regionOf(location)}" (its zones: ${regionZones.join(', ')}).`,
          );
        }
      }
      let locations: string[] = cluster.locations ?? [];
      if (!locations.length)
        locations = isZone(location) ? [location] : regionZones.slice(0, 3);
      const pools: Json[] = cluster.nodePools?.length
        ? cluster.nodePools
        : [
            {
              name: 'default-pool',
              initialNodeCount: cluster.initialNodeCount,
              config: cluster.nodeConfig,
            },
          ];
      const seenPools = new Set<string>();
      const nodePools = pools.map(p => {
        if (seenPools.has(p.name))
          throw errors.invalid(
            `Node pool names must be unique, "${p.name}" is repeated.`,
          );
        seenPools.add(p.name);
        return nodePoolResource(project, location, cluster.name, locations, p);
      });
      const policy = cluster.ipAllocationPolicy ?? {};
      const range = (name?: string) =>
        (subnet.resource.secondaryIpRanges ?? []).find(
          (r: Json) => r.rangeName === name,
        )?.ipCidrRange;
      const clusterIpv4Cidr =
        range(policy.clusterSecondaryRangeName) ??
        policy.clusterIpv4CidrBlock ??
        '10.4.0.0/14';
      const servicesIpv4Cidr =
        range(policy.servicesSecondaryRangeName) ??
        policy.servicesIpv4CidrBlock ??
        '10.8.0.0/20';
      const resource: Json = {
        ...cluster,
        nodePools,
        network: networkName,
        subnetwork: subnetName,
        locations,
        location,
        zone: location,
        selfLink: link(project, location, `clusters/${cluster.name}`),
        id: ids.hex(64),
        etag: ids.hex(8),
        labelFingerprint: ids.hex(8),
        resourceLabels: cluster.resourceLabels ?? {},
        masterAuth: { ...(cluster.masterAuth ?? {}) },
        loggingService:
          cluster.loggingService ?? 'logging.googleapis.com/kubernetes',
        monitoringService:
          cluster.monitoringService ?? 'monitoring.googleapis.com/kubernetes',
        releaseChannel: cluster.releaseChannel ?? { channel: 'REGULAR' },
        initialClusterVersion: cluster.initialClusterVersion ?? MASTER_VERSION,
        currentMasterVersion: MASTER_VERSION,
        currentNodeVersion: MASTER_VERSION,
        nodeIpv4CidrSize: 24,
        clusterIpv4Cidr,
        servicesIpv4Cidr,
        ipAllocationPolicy: Object.keys(policy).length
          ? {
              ...policy,
              clusterIpv4Cidr,
              clusterIpv4CidrBlock: clusterIpv4Cidr,
              servicesIpv4Cidr,
              servicesIpv4CidrBlock: servicesIpv4Cidr,
            }
          : undefined,
        networkConfig: {
          ...(cluster.networkConfig ?? {}),
          network: `projects/${project}/global/networks/${networkName}`,
          subnetwork: `projects/${project}/regions/${regionOf(location)}/subnetworks/${subnetName}`,
        },
        createTime: clock.nowIso(),
        status: 'PROVISIONING',
        currentNodeCount: 0,
      };
      delete resource.initialNodeCount;
      delete resource.nodeConfig;
      if (resource.ipAllocationPolicy === undefined)
        delete resource.ipAllocationPolicy;
      const record: ClusterRecord = { project, location, resource };
      state.clusters.set(key, record);
      const op = startOperation(
        record,
        project,
        location,
        'CREATE_CLUSTER',
        `clusters/${cluster.name}`,
        durations.clusterCreate,
        async () => {
          if (ctx.clusterServers) {
            record.server = await ctx.clusterServers({
              clusterName: cluster.name,
              clock: ctx.clock,
              journal: ctx.journal,
              faults: ctx.faults,
              nodes: () => clusterNodes(record.resource),
            });
            if (!state.clusters.has(key)) {
              await record.server.stop();
              return;
            }
            const endpoint = record.server.endpoint;
            resource.endpoint = endpoint;
            resource.masterAuth.clusterCaCertificate = Buffer.from(
              record.server.caCertificatePem,
            ).toString('base64');
            if (resource.privateClusterConfig) {
              resource.privateClusterConfig.privateEndpoint = endpoint;
              if (!resource.privateClusterConfig.enablePrivateEndpoint)
                resource.privateClusterConfig.publicEndpoint = endpoint;
            }
            const dns = resource.controlPlaneEndpointsConfig?.dnsEndpointConfig;
            if (dns) dns.endpoint = endpoint;
          }
          for (const pool of resource.nodePools) {
            pool.status = 'RUNNING';
            pool.instanceGroupUrls = instanceGroups(
              project,
              cluster.name,
              pool,
            );
          }
          resource.instanceGroupUrls = resource.nodePools.flatMap(
            (p: Json) => p.instanceGroupUrls,
          );
          resource.status = 'RUNNING';
          refreshCounts(record);
        },
        error => {
          resource.status = 'ERROR';
          resource.statusMessage = error.message;
          resource.conditions = [
            { code: error.condition, message: error.message },
          ];
          for (const pool of resource.nodePools) pool.status = 'ERROR';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}',
    req => out(req, 'Cluster', getCluster(req.params).resource),
  );

  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/clusters',
    req => {
      const { project, location } = req.params;
      checkLocation(location);
      const clusters = [...state.clusters.values()]
        .filter(
          c =>
            c.project === project &&
            (location === '-' || c.location === location),
        )
        .map(c => c.resource);
      return out(req, 'ListClustersResponse', { clusters });
    },
  );

  host.route(
    'DELETE',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}',
    req => {
      const { project, location, cluster } = req.params;
      const record = getCluster(req.params);
      ensureIdle(record);
      record.resource.status = 'STOPPING';
      const op = startOperation(
        record,
        project,
        location,
        'DELETE_CLUSTER',
        `clusters/${cluster}`,
        durations.clusterDelete,
        async () => {
          state.clusters.delete(clusterKey(req.params));
          await record.server?.stop();
          record.server = undefined;
        },
        () => {
          record.resource.status = 'ERROR';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  // --- node pools -----------------------------------------------------------------------------
  const getPool = (record: ClusterRecord, name: string, key: string): Json => {
    const pool = (record.resource.nodePools ?? []).find(
      (p: Json) => p.name === name,
    );
    if (!pool) throw errors.notFound(`Not found: ${key}/nodePools/${name}.`);
    return pool;
  };

  host.route(
    'POST',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools',
    req => {
      const { project, location, cluster } = req.params;
      const body = parse('CreateNodePoolRequest', req.body);
      const record = getCluster(req.params);
      const key = clusterKey(req.params);
      if (!body.nodePool) throw errors.invalid('Node_pool must be specified.');
      if (
        (record.resource.nodePools ?? []).some(
          (p: Json) => p.name === body.nodePool.name,
        )
      ) {
        throw errors.alreadyExists(
          `Already exists: ${key}/nodePools/${body.nodePool.name}.`,
        );
      }
      ensureIdle(record);
      if (record.resource.status !== 'RUNNING') {
        throw errors.failedPrecondition(
          `Cluster is not running: ${record.resource.status}.`,
        );
      }
      const pool = nodePoolResource(
        project,
        location,
        cluster,
        record.resource.locations,
        body.nodePool,
      );
      record.resource.nodePools = [...(record.resource.nodePools ?? []), pool];
      record.resource.status = 'RECONCILING';
      const op = startOperation(
        record,
        project,
        location,
        'CREATE_NODE_POOL',
        `clusters/${cluster}/nodePools/${pool.name}`,
        durations.nodePoolCreate,
        () => {
          pool.status = 'RUNNING';
          pool.instanceGroupUrls = instanceGroups(project, cluster, pool);
          record.resource.instanceGroupUrls = record.resource.nodePools.flatMap(
            (p: Json) => p.instanceGroupUrls ?? [],
          );
          record.resource.status = 'RUNNING';
          refreshCounts(record);
        },
        error => {
          pool.status = 'ERROR';
          pool.statusMessage = error.message;
          record.resource.status = 'RUNNING';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools',
    req =>
      out(req, 'ListNodePoolsResponse', {
        nodePools: getCluster(req.params).resource.nodePools ?? [],
      }),
  );

  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{nodePool}',
    req => {
      const record = getCluster(req.params);
      return out(
        req,
        'NodePool',
        getPool(record, req.params.nodePool, clusterKey(req.params)),
      );
    },
  );

  host.route(
    'DELETE',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{nodePool}',
    req => {
      const { project, location, cluster, nodePool } = req.params;
      const record = getCluster(req.params);
      const pool = getPool(record, nodePool, clusterKey(req.params));
      ensureIdle(record);
      pool.status = 'STOPPING';
      record.resource.status = 'RECONCILING';
      // GKE drains every node of the pool by deleting its pods, without consulting
      // PodDisruptionBudgets (https://cloud.google.com/sdk/gcloud/reference/container/node-pools/delete):
      // here the pods go with their nodes when the operation ends; callers that care drain first.
      const op = startOperation(
        record,
        project,
        location,
        'DELETE_NODE_POOL',
        `clusters/${cluster}/nodePools/${nodePool}`,
        durations.nodePoolDelete,
        () => {
          record.resource.nodePools = record.resource.nodePools.filter(
            (p: Json) => p !== pool,
          );
          record.resource.instanceGroupUrls = record.resource.nodePools.flatMap(
            (p: Json) => p.instanceGroupUrls ?? [],
          );
          record.resource.status = 'RUNNING';
          refreshCounts(record);
        },
        () => {
          pool.status = 'ERROR';
          record.resource.status = 'RUNNING';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  host.route(
    'POST',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{nodePool}:setSize',
    req => {
      const { project, location, cluster, nodePool } = req.params;
      const body = parse('SetNodePoolSizeRequest', req.body);
      const record = getCluster(req.params);
      const pool = getPool(record, nodePool, clusterKey(req.params));
      ensureIdle(record);
      const count = Number(body.nodeCount ?? 0);
      if (count < 0) throw errors.invalid('Node_count must be non-negative.');
      record.resource.status = 'RECONCILING';
      pool.status = 'RECONCILING';
      const op = startOperation(
        record,
        project,
        location,
        'SET_NODE_POOL_SIZE',
        `clusters/${cluster}/nodePools/${nodePool}`,
        durations.nodePoolResize,
        () => {
          // initialNodeCount keeps what the pool was created with; the size lives beside it.
          resizePool(pool, count);
          pool.status = 'RUNNING';
          record.resource.status = 'RUNNING';
          refreshCounts(record);
        },
        () => {
          pool.status = 'RUNNING';
          record.resource.status = 'RUNNING';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  /*
   * setAutoscaling: the cluster autoscaler's bounds per zone. Changing them does not add or remove
   * nodes by itself: the cluster autoscaler scales up only for pods that cannot be scheduled and
   * does not enforce a raised minimum (`--enforce-node-group-min-size` is off by default,
   * https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md#what-are-the-parameters-to-ca);
   * a caller that needs the new minimum now resizes the pool (setSize). The sandbox runs no
   * autoscaler, so the pool keeps its size until then.
   */
  host.route(
    'POST',
    '/v1/projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{nodePool}:setAutoscaling',
    req => {
      const { project, location, cluster, nodePool } = req.params;
      const body = parse('SetNodePoolAutoscalingRequest', req.body);
      const record = getCluster(req.params);
      const pool = getPool(record, nodePool, clusterKey(req.params));
      ensureIdle(record);
      const autoscaling: Json = body.autoscaling ?? {};
      if (autoscaling.enabled) {
        const min = Number(autoscaling.minNodeCount ?? 0);
        const max = Number(autoscaling.maxNodeCount ?? 0);
        if (min < 0 || max < 1 || min > max) {
          throw errors.invalid(
            `Invalid autoscaling limits: min_node_count ${min} and max_node_count ${max}; the maximum must be at least 1 and at least the minimum.`,
          );
        }
      }
      const size = nodesPerZone(pool);
      record.resource.status = 'RECONCILING';
      pool.status = 'RECONCILING';
      const op = startOperation(
        record,
        project,
        location,
        'UPDATE_CLUSTER',
        `clusters/${cluster}/nodePools/${nodePool}`,
        durations.nodePoolUpdate,
        () => {
          pool.autoscaling = autoscaling;
          resizePool(pool, size);
          pool.etag = ids.hex(8);
          pool.status = 'RUNNING';
          record.resource.status = 'RUNNING';
          refreshCounts(record);
        },
        () => {
          pool.status = 'RUNNING';
          record.resource.status = 'RUNNING';
        },
      );
      return out(req, 'Operation', op);
    },
  );

  // --- operations -----------------------------------------------------------------------------
  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/operations/{operation}',
    req => {
      const { project, location, operation } = req.params;
      const op = state.containerOperations.get(
        `projects/${project}/locations/${location}/operations/${operation}`,
      );
      if (!op)
        throw errors.notFound(
          `Not found: projects/${project}/locations/${location}/operations/${operation}.`,
        );
      return out(req, 'Operation', op.resource);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/locations/{location}/operations',
    req => {
      const { project, location } = req.params;
      const operations = [...state.containerOperations.values()]
        .filter(
          o =>
            o.project === project && (location === '-' || o.scope === location),
        )
        .map(o => o.resource);
      return out(req, 'ListOperationsResponse', { operations });
    },
  );

  return host;
}
