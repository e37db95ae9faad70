/**
 * How to reach an environment: its URLs, and the gcloud commands for cluster credentials and
 * (private option) the bastion. Pure.
 */
import type { EnvironmentAccess } from '@codemie-gcp/plugin-codemie-common';
import type { EnvironmentDescriptor, GkeClusterInfo } from '../types';

/** The access part of the status. @internal */
export function accessOf(
  env: EnvironmentDescriptor,
  cluster: GkeClusterInfo,
): EnvironmentAccess {
  const access: EnvironmentAccess = {};
  if (env.domain) {
    access.codemieUrl = `https://codemie.${env.domain}`;
    access.kibanaUrl = `https://kibana.${env.domain}`;
    access.keycloakAdminUrl = `https://keycloak.${env.domain}/auth/admin`;
  }
  const privateOption = env.option === 'private';
  // A private cluster: through its DNS-based endpoint when that takes external traffic,
  // otherwise through its private IP from inside the VPC (the bastion).
  let endpointFlag = '';
  if (privateOption)
    endpointFlag = cluster.dnsEndpointExternal
      ? ' --dns-endpoint'
      : ' --internal-ip';
  access.getCredentialsCommand = `gcloud container clusters get-credentials ${env.clusterShortName} --location ${env.clusterLocation} --project ${env.projectId}${endpointFlag}`;
  if (privateOption) {
    const zone = cluster.locations[0] ?? `${env.region}-a`;
    access.bastionSshCommand = `gcloud compute ssh ${env.name}-bastion --zone ${zone} --project ${env.projectId} --tunnel-through-iap`;
  }
  return access;
}
