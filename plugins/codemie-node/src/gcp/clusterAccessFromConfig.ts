import { Config } from '@backstage/config';
import { readCodemieConfig } from '../config/readCodemieConfig';

/**
 * How the portal reaches the clusters it provisions (a property of where the portal runs, so
 * app-config, not a template input).
 *
 * @public
 */
export interface ClusterAccess {
  /**
   * Private option. `vpc` (default, the secure choice): the control plane has no endpoint that
   * takes traffic from outside the VPC; the portal must run in the environment's VPC or a
   * network connected to it (or operators use the bastion). `dns-endpoint`: the DNS-based
   * endpoint takes external traffic, authenticated and authorized by IAM
   * (container.clusters.connect) — reachable from the internet for those principals.
   */
  privateClusterAccess: 'vpc' | 'dns-endpoint';
  /**
   * The portal's own egress ranges, added (labelled `backstage-portal-N`) to every cluster's
   * authorized networks so deploy and the status page can reach the control plane.
   */
  portalEgressCidrs: string[];
}

/** The secure default: no external path to a private control plane. @public */
export const DEFAULT_CLUSTER_ACCESS: ClusterAccess = {
  privateClusterAccess: 'vpc',
  portalEgressCidrs: [],
};

/**
 * `codemie.gcp.privateClusterAccess` and `codemie.gcp.portalEgressCidrs`, as
 * {@link readCodemieConfig} reads them.
 *
 * @public
 */
export function clusterAccessFromConfig(config: Config): ClusterAccess {
  const { gcp } = readCodemieConfig(config);
  return {
    privateClusterAccess: gcp.privateClusterAccess,
    portalEgressCidrs: gcp.portalEgressCidrs,
  };
}
