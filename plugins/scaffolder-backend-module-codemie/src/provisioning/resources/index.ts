import { PlannedResourceKind } from '@codemie-gcp/plugin-codemie-common';
import { ResourceHandler } from '../ProvisionContext';
import { computeHandler } from './compute';
import { dnsZoneHandler } from './dns';
import { dnsRecordsHandler } from './dnsRecords';
import { clusterHandler, nodePoolHandler } from './gke';
import {
  bastionAccessHandler,
  projectIamHandler,
  serviceAccountHandler,
  workloadIdentityHandler,
} from './iam';
import { secretHandler } from './secrets';
import { privateServicesConnectionHandler } from './serviceNetworking';
import { projectServicesHandler } from './services';
import { sqlDatabaseHandler, sqlInstanceHandler, sqlUserHandler } from './sql';

/** The handler of each kind of planned resource. */
export const RESOURCE_HANDLERS: Record<PlannedResourceKind, ResourceHandler> = {
  'project-services': projectServicesHandler,
  network: computeHandler('network'),
  subnetwork: computeHandler('subnetwork'),
  router: computeHandler('router'),
  firewall: computeHandler('firewall'),
  'private-services-range': computeHandler('private-services-range'),
  'private-services-connection': privateServicesConnectionHandler,
  cluster: clusterHandler,
  'node-pool': nodePoolHandler,
  'sql-instance': sqlInstanceHandler,
  'sql-database': sqlDatabaseHandler,
  'sql-user': sqlUserHandler,
  secret: secretHandler,
  'dns-zone': dnsZoneHandler,
  'ingress-address': computeHandler('ingress-address'),
  'dns-records': dnsRecordsHandler,
  'service-account': serviceAccountHandler,
  'project-iam': projectIamHandler,
  'workload-identity': workloadIdentityHandler,
  bastion: computeHandler('bastion'),
  'bastion-access': bastionAccessHandler,
};
