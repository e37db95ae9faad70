/**
 * What the codemie backend plugin and its modules share: the Google Cloud clients service, the
 * config readers, cluster access, the retry policy, and the environment records' interface with the
 * client of the plugin's internal environments API.
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
export { realClock } from './time/Clock';
export type { Clock } from './time/Clock';
export * from './provisioning/googleErrors';
// The codemie plugin's environment records as its modules reach them: over the plugin's internal
// API (the plugin alone opens its database), with the record shapes and the lifecycle's rules.
export * from './environments';
export * from './environments/environmentLifecycle';
export * from './environments/environmentEntity';
export { recordedImageVersion } from './environments/recordedImageVersion';
