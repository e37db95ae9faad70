/**
 * What the codemie backend plugin and its modules share: the Google Cloud clients service, the
 * config readers, cluster access, the retry policy and (for now) the environment store.
 *
 * @packageDocumentation
 */
export { GoogleClients } from './gcp/GoogleClients';
export type {
  GoogleClientsOptions,
  GoogleTransport,
} from './gcp/GoogleClients';
export { googleClientsServiceRef } from './gcp/googleClientsServiceRef';
export {
  DEFAULT_CLUSTER_ACCESS,
  clusterAccessFromConfig,
} from './gcp/clusterAccessFromConfig';
export type { ClusterAccess } from './gcp/clusterAccessFromConfig';
export {
  CodemieConfigError,
  readCodemieConfig,
  validateCodemieConfig,
} from './config/readCodemieConfig';
export type {
  CodemieRetrySettings,
  CodemieSandboxFault,
  CodemieSettings,
} from './config/readCodemieConfig';
export {
  ClusterConnector,
  ClusterUnreachableError,
  parseClusterName,
} from './kubernetes/ClusterConnector';
export type { ClusterResourceName } from './kubernetes/ClusterConnector';
export * from './provisioning/retry';
export * from './provisioning/googleErrors';
// The environment store: shared through a root service until the modules reach the codemie
// plugin over its API instead.
export * from './database/CodemieStore';
export { codemieStoreServiceRef } from './database/codemieStoreServiceRef';
export * from './database/EnvironmentLocks';
export * from './database/environmentLifecycle';
export * from './database/UsageHistoryStore';
export * from './database/environmentEntity';
export { recordedImageVersion } from './database/recordedImageVersion';
