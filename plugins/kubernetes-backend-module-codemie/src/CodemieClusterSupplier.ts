import type { LoggerService } from '@backstage/backend-plugin-api';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type {
  ClusterDetails,
  KubernetesClustersSupplier,
} from '@backstage/plugin-kubernetes-node';
import {
  ClusterConnector,
  CodemieEnvironmentStore,
  EnvironmentRecord,
  GoogleClients,
  parseClusterName,
} from '@codemie-gcp/plugin-codemie-node';

/**
 * How the Kubernetes plugin authenticates to the environments' clusters.
 *
 * - `portal` (default): with the portal's own Google credentials (the ones that provisioned the
 *   cluster), as a bearer token — the Kubernetes plugin's `serviceAccount` auth provider with
 *   the token filled in here. Every signed-in user sees what the portal sees.
 * - `google`: with each user's own Google OAuth token (the Kubernetes plugin's `google` auth
 *   provider; the frontend asks the user for the `cloud-platform.read-only` scope). Users then
 *   need IAM access to the clusters themselves (e.g. `roles/container.viewer`).
 *
 * @public
 */
export type CodemieClusterAuth = 'portal' | 'google';

/** Options of {@link CodemieClusterSupplier}. @public */
export interface CodemieClusterSupplierOptions {
  /** The codemie plugin's environment records. */
  store: CodemieEnvironmentStore;
  /** The backend's Google clients: GKE's description of each cluster, and the portal's token. */
  google: GoogleClients;
  /** Where a cluster left out is reported. */
  logger: LoggerService;
  /** Default `portal`. */
  auth?: CodemieClusterAuth;
  /** How long a read of the records and the clusters' endpoints is reused. Default 60 s. */
  refreshIntervalMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/** An environment's cluster as read from GKE: what stays valid between token refreshes. */
interface ClusterEndpoint {
  name: string;
  title: string;
  url: string;
  caData?: string;
  gkeClusterName: string;
}

/**
 * The cluster of every CodeMie environment, for Backstage's Kubernetes plugin: read from the
 * codemie plugin's environment records (no cluster is written into app-config), each with the
 * endpoint and CA certificate GKE reports for it — the way
 * `gcloud container clusters get-credentials` and the codemie plugin's own status page reach it
 * (the node library's `ClusterConnector`, including a private cluster's DNS endpoint).
 *
 * The cluster of `<project>/<name>` is named `<project>/<name>`, the value the environment's
 * entity carries in its `backstage.io/kubernetes-cluster` annotation, so the Kubernetes tab of
 * an environment queries its own cluster only.
 *
 * The list is read at most once per refresh interval (the Kubernetes plugin asks for it on
 * every request) and at once after {@link CodemieClusterSupplier.invalidate}, which the module
 * calls when the codemie plugin announces a changed record. An environment whose cluster
 * cannot be described is left out of that read and logged; the others are served.
 *
 * @public
 */
export class CodemieClusterSupplier implements KubernetesClustersSupplier {
  private readonly connector: ClusterConnector;
  private readonly refreshIntervalMs: number;
  private readonly now: () => number;
  private cached?: { at: number; clusters: Promise<ClusterEndpoint[]> };

  constructor(private readonly options: CodemieClusterSupplierOptions) {
    this.connector = new ClusterConnector(options.google);
    this.refreshIntervalMs = options.refreshIntervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Forgets the last read: the next request reads the records and clusters again. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** Every environment's cluster, from a read at most one refresh interval old. */
  async getClusters(): Promise<ClusterDetails[]> {
    const endpoints = await this.endpoints();
    const auth = this.options.auth ?? 'portal';
    // A fresh token per request (the Google auth library reuses it until it nears expiry).
    const token =
      auth === 'portal' && endpoints.length > 0
        ? await this.options.google.accessToken()
        : undefined;
    const authMetadata: Record<string, string> =
      auth === 'portal'
        ? {
            [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'serviceAccount',
            serviceAccountToken: token!,
          }
        : { [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'google' };
    return endpoints.map((endpoint): ClusterDetails => {
      const { projectId, location, cluster } = parseClusterName(
        endpoint.gkeClusterName,
      );
      return {
        name: endpoint.name,
        title: endpoint.title,
        url: endpoint.url,
        ...(endpoint.caData ? { caData: endpoint.caData } : {}),
        skipTLSVerify: false,
        authMetadata,
        // The pods' and workloads' links open the GKE console.
        dashboardApp: 'gke',
        dashboardParameters: {
          projectId,
          region: location,
          clusterName: cluster,
        },
      };
    });
  }

  private endpoints(): Promise<ClusterEndpoint[]> {
    const now = this.now();
    if (!this.cached || now - this.cached.at >= this.refreshIntervalMs) {
      const clusters = this.readEndpoints();
      this.cached = { at: now, clusters };
      // A failed read (the records' API down) is not kept: the next request tries again.
      clusters.catch(() => {
        if (this.cached?.clusters === clusters) this.cached = undefined;
      });
    }
    return this.cached.clusters;
  }

  private async readEndpoints(): Promise<ClusterEndpoint[]> {
    const records = await this.options.store.listEnvironments();
    const withCluster = records.filter(
      record => record.state !== 'gone' && clusterOf(record),
    );
    const read = await Promise.all(
      withCluster.map(async record => {
        const gkeClusterName = clusterOf(record)!;
        try {
          const kubeConfig = await this.connector.kubeConfig(gkeClusterName);
          const cluster = kubeConfig.getCurrentCluster()!;
          const endpoint: ClusterEndpoint = {
            name: record.environmentRef,
            title: clusterTitle(gkeClusterName),
            url: cluster.server,
            caData: cluster.caData,
            gkeClusterName,
          };
          return endpoint;
        } catch (error) {
          // No secrets here: the connector's errors name the cluster and GKE's answer.
          this.options.logger.warn(
            `Kubernetes tab: the cluster of ${record.environmentRef} is left out for now: ${
              error instanceof Error ? error.message : String(error)
            }`,
          );
          return undefined;
        }
      }),
    );
    return read.filter((e): e is ClusterEndpoint => e !== undefined);
  }
}

/** The GKE cluster provisioning recorded for the environment, if any yet. */
function clusterOf(record: EnvironmentRecord): string | undefined {
  const outputs = record.outputs as { clusterName?: unknown } | undefined;
  return typeof outputs?.clusterName === 'string'
    ? outputs.clusterName
    : undefined;
}

/** What the Kubernetes tab shows for the cluster: its GKE name and location. */
function clusterTitle(gkeClusterName: string): string {
  const { cluster, location } = parseClusterName(gkeClusterName);
  return `${cluster} (${location})`;
}
