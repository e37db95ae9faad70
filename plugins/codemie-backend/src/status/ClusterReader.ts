/**
 * Reads one environment from Google Cloud and its cluster: the GKE cluster (version, node
 * pools), the Cloud SQL instance, and the environment's Kubernetes objects — one list call per
 * kind, selected by the `backstage.io/kubernetes-id=<id>` label, never one call per pod.
 */
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { protos } from '@google-cloud/container';
import { CODEMIE_ANNOTATIONS } from '@codemie-gcp/plugin-codemie-common';
import {
  GoogleClients,
  ClusterConnector,
  ClusterUnreachableError,
} from '@codemie-gcp/plugin-codemie-node';
import type {
  ClusterSnapshot,
  DatabaseRead,
  DnsRead,
  EnvironmentDescriptor,
  GkeClusterInfo,
  NodePoolInfo,
  PodMetric,
  VolumeUsage,
} from './types';

/**
 * The cluster or Google Cloud could not be read, or the backend has no credentials for them:
 * answered as 502 Bad Gateway with the cause (the request was fine; an upstream failed).
 *
 * @internal
 */
export class UpstreamUnavailableError extends Error {
  /** Read by Backstage's error handler. */
  readonly statusCode = 502;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ClusterUnreachableError';
  }
}

/** What {@link ClusterReader.read} returns. @internal */
export interface EnvironmentReadResult {
  cluster: GkeClusterInfo;
  snapshot: ClusterSnapshot;
  database?: DatabaseRead;
  /** The hosts' records in Cloud DNS; undefined when the environment has no domain. */
  dns?: DnsRead;
}

/** Options of {@link ClusterReader}. @internal */
export interface ClusterReaderOptions {
  /** A read that takes longer fails with 502. Default 20 s. */
  timeoutMs?: number;
}

/**
 * The label selecting an environment's objects. `backstage.io/kubernetes-id` rather than
 * `codemie.ai/environment`: it is Backstage's own convention, the entity already carries it, and
 * the Kubernetes plugin selects the same objects with it.
 *
 * @internal
 */
export function environmentSelector(env: EnvironmentDescriptor): string {
  return `${CODEMIE_ANNOTATIONS.kubernetesId}=${env.kubernetesId}`;
}

const ClusterStatusEnum = protos.google.container.v1.Cluster.Status;

function enumName(value: unknown, names: Record<number, string>): string {
  if (typeof value === 'number') return names[value] ?? String(value);
  return value === undefined || value === null
    ? 'STATUS_UNSPECIFIED'
    : String(value);
}

function int64(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const raw =
    typeof value === 'object' && 'value' in (value as object)
      ? (value as { value: unknown }).value
      : value;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

function describe(e: unknown): string {
  const err = e as {
    code?: number;
    body?: unknown;
    message?: string;
    cause?: { message?: string };
  };
  if (typeof err?.code === 'number' && err.body !== undefined) {
    let body = err.body as { message?: string } | string;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // plain text body
      }
    }
    const message = typeof body === 'string' ? body : body?.message;
    return `Kubernetes API answered ${err.code}${message ? `: ${message}` : ''}`;
  }
  const cause = err?.cause?.message;
  return `${err?.message ?? String(e)}${cause && !err?.message?.includes(cause) ? ` (${cause})` : ''}`;
}

/**
 * Reads environments from GKE, their clusters and Cloud SQL with the backend's Google
 * credentials.
 *
 * @internal
 */
export class ClusterReader {
  private readonly connector: ClusterConnector;
  private readonly timeoutMs: number;

  constructor(
    private readonly google: GoogleClients,
    options: ClusterReaderOptions = {},
  ) {
    this.connector = new ClusterConnector(google);
    this.timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** Reads everything the status is built from; throws {@link UpstreamUnavailableError}. */
  async read(env: EnvironmentDescriptor): Promise<EnvironmentReadResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new UpstreamUnavailableError(
              `Reading ${env.cluster} timed out after ${this.timeoutMs / 1000} s`,
            ),
          ),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([this.readAll(env), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async readAll(
    env: EnvironmentDescriptor,
  ): Promise<EnvironmentReadResult> {
    // The GKE description, the cluster credentials and Cloud SQL do not depend on each other.
    const [cluster, kubeConfig, database, dns] = await Promise.all([
      this.describeCluster(env),
      this.connector.kubeConfig(env.cluster).catch(e => {
        throw new UpstreamUnavailableError(
          e instanceof ClusterUnreachableError
            ? e.message
            : `Cluster ${env.cluster} is unreachable: ${describe(e)}`,
          { cause: e },
        );
      }),
      this.readDatabase(env),
      this.readDns(env),
    ]);
    const snapshot = await this.readObjects(env, kubeConfig);
    return {
      cluster,
      snapshot,
      ...(database ? { database } : {}),
      ...(dns ? { dns } : {}),
    };
  }

  /**
   * The A records of codemie., keycloak. and kibana.<domain> in the project's Cloud DNS zone for
   * the domain (the private zone for the private option): two calls, never a DNS lookup (a
   * private zone only answers inside its VPC).
   */
  private async readDns(
    env: EnvironmentDescriptor,
  ): Promise<DnsRead | undefined> {
    if (!env.domain) return undefined;
    const dnsName = `${env.domain}.`;
    try {
      const dns = this.google.dns(env.projectId);
      const [zones] = await dns.getZones({ dnsName } as any);
      const wanted = env.option === 'private' ? 'private' : 'public';
      const zone = zones.find(
        z =>
          z.metadata.dnsName === dnsName &&
          (z.metadata.visibility ?? 'public') === wanted,
      );
      if (!zone) {
        return {
          ok: false,
          reason: `no ${wanted} Cloud DNS zone for ${dnsName} in project ${env.projectId}`,
        };
      }
      const [records] = await zone.getRecords({ type: 'A' });
      const byHost: Record<string, string[]> = {};
      for (const record of records) {
        byHost[String(record.metadata.name).replace(/\.$/, '')] = (
          record.data as string[]
        ).map(String);
      }
      return { ok: true, zone: String(zone.name), records: byHost };
    } catch (e) {
      return { ok: false, reason: `Cloud DNS: ${describe(e)}` };
    }
  }

  private async describeCluster(
    env: EnvironmentDescriptor,
  ): Promise<GkeClusterInfo> {
    let c: protos.google.container.v1.ICluster;
    try {
      // No hidden retries: the gax default retries UNAVAILABLE for up to 10 minutes.
      [c] = await this.google.container().getCluster({ name: env.cluster }, {
        retry: null,
        timeout: this.timeoutMs,
      } as any);
    } catch (e) {
      throw new UpstreamUnavailableError(
        `Cluster ${env.cluster} is unreachable: GKE API: ${describe(e)}`,
        { cause: e },
      );
    }
    const zones = c.locations ?? [];
    const pools: NodePoolInfo[] = (c.nodePools ?? []).map(p => {
      const poolZones = (p.locations?.length ? p.locations : zones).length || 1;
      const a = p.autoscaling;
      const total = (t: unknown, perZone: unknown) =>
        int64(t) ||
        (int64(perZone) !== undefined
          ? int64(perZone)! * poolZones
          : undefined);
      return {
        name: p.name ?? '',
        ...(p.config?.machineType ? { machineType: p.config.machineType } : {}),
        autoscaling: !!a?.enabled,
        ...(a?.enabled
          ? {
              minNodes: total(a.totalMinNodeCount, a.minNodeCount),
              maxNodes: total(a.totalMaxNodeCount, a.maxNodeCount),
            }
          : {
              minNodes: int64(p.initialNodeCount)! * poolZones,
              maxNodes: int64(p.initialNodeCount)! * poolZones,
            }),
        initialNodes: (int64(p.initialNodeCount) ?? 0) * poolZones,
      };
    });
    return {
      name: env.cluster,
      location: c.location ?? env.clusterLocation,
      status: enumName(
        c.status,
        ClusterStatusEnum as unknown as Record<number, string>,
      ),
      ...(c.currentMasterVersion ? { version: c.currentMasterVersion } : {}),
      locations: zones,
      nodePools: pools,
      dnsEndpointExternal:
        c.controlPlaneEndpointsConfig?.dnsEndpointConfig
          ?.allowExternalTraffic === true,
    };
  }

  private async readDatabase(
    env: EnvironmentDescriptor,
  ): Promise<DatabaseRead | undefined> {
    if (!env.cloudSqlInstance) return undefined;
    const [project, , instance] = env.cloudSqlInstance.split(':');
    try {
      const [db] = await this.google.sqlInstances().get({ project, instance }, {
        retry: null,
        timeout: this.timeoutMs,
      } as any);
      // Cloud SQL reports no used bytes in its Admin API any more except the deprecated
      // currentDiskSize; Cloud Monitoring's disk/bytes_used is the successor.
      const used = int64((db as { currentDiskSize?: unknown }).currentDiskSize);
      return {
        ok: true,
        status: {
          instance: env.cloudSqlInstance,
          state: String(db.state ?? 'SQL_INSTANCE_STATE_UNSPECIFIED'),
          ...(db.settings?.tier ? { tier: db.settings.tier } : {}),
          ...(int64(db.settings?.dataDiskSizeGb) !== undefined
            ? { diskSizeGiB: int64(db.settings?.dataDiskSizeGb) }
            : {}),
          ...(used !== undefined
            ? { diskUsedGiB: Math.round((used / 2 ** 30) * 10) / 10 }
            : {}),
        },
      };
    } catch (e) {
      // The cluster still has a status without its database: report, don't fail.
      return { ok: false, instance: env.cloudSqlInstance, error: describe(e) };
    }
  }

  private async readObjects(
    env: EnvironmentDescriptor,
    kc: KubeConfig,
  ): Promise<ClusterSnapshot> {
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const custom = kc.makeApiClient(CustomObjectsApi);
    const labelSelector = environmentSelector(env);
    const unreachable = (e: unknown) => {
      throw new UpstreamUnavailableError(
        `Cluster ${env.cluster} is unreachable: ${describe(e)}`,
        { cause: e },
      );
    };
    const [
      pods,
      deployments,
      statefulSets,
      daemonSets,
      pvcs,
      events,
      nodes,
      metrics,
      services,
    ] = await Promise.all([
      core.listPodForAllNamespaces({ labelSelector }).catch(unreachable),
      apps.listDeploymentForAllNamespaces({ labelSelector }).catch(unreachable),
      apps
        .listStatefulSetForAllNamespaces({ labelSelector })
        .catch(unreachable),
      apps.listDaemonSetForAllNamespaces({ labelSelector }).catch(unreachable),
      // Claims made from a StatefulSet's volumeClaimTemplates carry the template's and the
      // selector's labels only, so they are listed unselected (the cluster is the environment's
      // own) and matched to the pods that mount them.
      core.listPersistentVolumeClaimForAllNamespaces().catch(unreachable),
      // Warnings only (FailedScheduling, Unhealthy, BackOff…): the classifier needs no others.
      core
        .listEventForAllNamespaces({ fieldSelector: 'type=Warning' })
        .catch(unreachable),
      core.listNode().catch(unreachable),
      // metrics-server may be missing or starting: the status then has no usage figures.
      custom
        .listClusterCustomObject({
          group: 'metrics.k8s.io',
          version: 'v1beta1',
          plural: 'pods',
          labelSelector,
        })
        .then(list =>
          ((list as { items?: PodMetric[] }).items ?? []).map(toPodMetric),
        )
        .catch(() => undefined),
      core.listServiceForAllNamespaces({ labelSelector }).catch(unreachable),
    ]);
    const volumeUsage = await this.readVolumeUsage(core, pods.items);
    return {
      pods: pods.items,
      deployments: deployments.items,
      statefulSets: statefulSets.items,
      daemonSets: daemonSets.items,
      persistentVolumeClaims: pvcs.items,
      events: events.items,
      nodes: nodes.items,
      services: services.items,
      ...(metrics ? { podMetrics: metrics } : {}),
      ...(volumeUsage ? { volumeUsage } : {}),
    };
  }

  /**
   * Volume use is only reported by each node's kubelet (`/stats/summary`), so it is read from
   * the nodes that run the environment's pods with persistent volumes (Elasticsearch's two,
   * typically) — one call per such node, in parallel.
   */
  private async readVolumeUsage(
    core: CoreV1Api,
    pods: Array<{
      spec?: {
        nodeName?: string;
        volumes?: Array<{ persistentVolumeClaim?: unknown }>;
      };
    }>,
  ): Promise<Record<string, VolumeUsage> | undefined> {
    const nodes = new Set(
      pods
        .filter(
          p =>
            p.spec?.nodeName &&
            p.spec.volumes?.some(v => v.persistentVolumeClaim),
        )
        .map(p => p.spec!.nodeName!),
    );
    if (nodes.size === 0) return undefined;
    const usage: Record<string, VolumeUsage> = {};
    let answered = false;
    await Promise.all(
      [...nodes].map(async name => {
        try {
          const raw = await core.connectGetNodeProxyWithPath({
            name,
            path: 'stats/summary',
          });
          const summary = typeof raw === 'string' ? JSON.parse(raw) : raw;
          answered = true;
          for (const pod of summary?.pods ?? []) {
            for (const v of pod.volume ?? []) {
              if (!v.pvcRef?.name) continue;
              usage[`${v.pvcRef.namespace}/${v.pvcRef.name}`] = {
                usedBytes: Number(v.usedBytes ?? 0),
                capacityBytes: Number(v.capacityBytes ?? 0),
              };
            }
          }
        } catch {
          // A kubelet that does not answer leaves its volumes without usage figures.
        }
      }),
    );
    return answered ? usage : undefined;
  }
}

function toPodMetric(item: any): PodMetric {
  return {
    namespace: item.metadata?.namespace ?? '',
    name: item.metadata?.name ?? '',
    containers: (item.containers ?? []).map((c: any) => ({
      name: c.name,
      usage: c.usage ?? {},
    })),
  };
}
