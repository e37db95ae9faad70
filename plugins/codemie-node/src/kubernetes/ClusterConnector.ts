import { rootCertificates } from 'node:tls';
import { KubeConfig } from '@kubernetes/client-node';
import { GoogleClients } from '../gcp/GoogleClients';

/**
 * A GKE cluster, by its full resource name `projects/<p>/locations/<l>/clusters/<c>`.
 *
 * @public
 */
export type ClusterResourceName = string;

const CLUSTER_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;

/**
 * Splits a cluster resource name, or throws naming what is wrong.
 *
 * @public
 */
export function parseClusterName(name: ClusterResourceName): {
  projectId: string;
  location: string;
  cluster: string;
} {
  const match = CLUSTER_NAME.exec(name);
  if (!match) {
    throw new Error(
      `'${name}' is not a GKE cluster name of the form projects/<project>/locations/<location>/clusters/<cluster>`,
    );
  }
  return { projectId: match[1], location: match[2], cluster: match[3] };
}

/**
 * Thrown when the cluster cannot be reached or described; `cause` says why.
 *
 * @public
 */
export class ClusterUnreachableError extends Error {
  constructor(
    /** The cluster that could not be reached. */
    readonly cluster: ClusterResourceName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Cluster ${cluster} is unreachable: ${message}`, options);
    this.name = 'ClusterUnreachableError';
  }
}

/**
 * Builds a `KubeConfig` for a GKE cluster the way `gcloud container clusters get-credentials`
 * does: endpoint and CA from the GKE API, a bearer token from the same Google credentials.
 * For a private cluster it prefers the DNS-based control-plane endpoint, which is reachable from
 * outside the VPC with Google credentials.
 *
 * @public
 */
export class ClusterConnector {
  constructor(private readonly google: GoogleClients) {}

  /** A KubeConfig for the cluster's Kubernetes API, with a Google access token. */
  async kubeConfig(name: ClusterResourceName): Promise<KubeConfig> {
    parseClusterName(name);
    let cluster;
    try {
      [cluster] = await this.google.container().getCluster({ name });
    } catch (e) {
      throw new ClusterUnreachableError(
        name,
        `GKE API: ${e instanceof Error ? e.message : String(e)}`,
        { cause: e },
      );
    }
    const dnsConfig = cluster.controlPlaneEndpointsConfig?.dnsEndpointConfig;
    const privateOnly =
      cluster.privateClusterConfig?.enablePrivateEndpoint ?? false;
    // A private cluster: its DNS endpoint when that takes external traffic (IAM-authorized),
    // else its private IP, which answers only inside the VPC (portal running there).
    const usesDns =
      !!dnsConfig?.endpoint &&
      privateOnly &&
      dnsConfig.allowExternalTraffic !== false;
    let endpoint = cluster.endpoint;
    if (usesDns) endpoint = dnsConfig!.endpoint;
    else if (privateOnly)
      endpoint =
        cluster.privateClusterConfig?.privateEndpoint ?? cluster.endpoint;
    if (!endpoint) {
      throw new ClusterUnreachableError(
        name,
        `the cluster has no endpoint yet (status ${String(cluster.status)})`,
      );
    }
    const caData = cluster.masterAuth?.clusterCaCertificate ?? undefined;
    if (!usesDns && !caData) {
      throw new ClusterUnreachableError(
        name,
        'the cluster reports no CA certificate',
      );
    }
    const token = await this.google.accessToken();

    const kc = new KubeConfig();
    const contextName = name.replace(/\//g, '_');
    kc.loadFromOptions({
      clusters: [
        {
          name: contextName,
          server: `https://${endpoint}`,
          // The IP endpoint presents the cluster CA's certificate; the DNS endpoint a publicly
          // trusted one, so there the public roots are trusted as well as the cluster CA.
          ...(caData
            ? { caData: usesDns ? withPublicRoots(caData) : caData }
            : {}),
          skipTLSVerify: false,
        },
      ],
      users: [{ name: contextName, token }],
      contexts: [
        { name: contextName, cluster: contextName, user: contextName },
      ],
      currentContext: contextName,
    });
    return kc;
  }
}

/** The cluster CA (base64 PEM) followed by Node's bundled public root certificates. */
function withPublicRoots(caData: string): string {
  const clusterCa = Buffer.from(caData, 'base64').toString('utf8');
  return Buffer.from([clusterCa, ...rootCertificates].join('\n')).toString(
    'base64',
  );
}
