import { Config } from '@backstage/config';
import {
  ClusterAccess,
  DEFAULT_CLUSTER_ACCESS,
} from '../provisioning/ProvisionContext';

/** `codemie.gcp.privateClusterAccess` and `codemie.gcp.portalEgressCidrs` over the defaults. */
export function clusterAccessFromConfig(config: Config): ClusterAccess {
  const privateClusterAccess =
    config.getOptionalString('codemie.gcp.privateClusterAccess') ??
    DEFAULT_CLUSTER_ACCESS.privateClusterAccess;
  if (
    privateClusterAccess !== 'vpc' &&
    privateClusterAccess !== 'dns-endpoint'
  ) {
    throw new Error(
      `codemie.gcp.privateClusterAccess: '${privateClusterAccess}' must be 'vpc' or 'dns-endpoint'`,
    );
  }
  return {
    privateClusterAccess,
    portalEgressCidrs:
      config.getOptionalStringArray('codemie.gcp.portalEgressCidrs') ?? [],
  };
}
