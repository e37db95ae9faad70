/**
 * A faithful, stateful emulation of the Google Cloud and Kubernetes APIs the CodeMie plugins
 * call, for tests and the local portal. See README.md.
 *
 * @packageDocumentation
 */
export { GcpSandbox } from './GcpSandbox';
export type { GcpSandboxOptions, QuotaFaults } from './GcpSandbox';
export { DEFAULT_DURATIONS } from './durations';
export type { Durations } from './durations';
export * from './core';
export * from './state';
export type {
  ClusterApiServer,
  ClusterApiServerFactory,
  ClusterApiServerOptions,
  ClusterNode,
} from './kubernetesBridge';
export type {
  OperationFaultRule,
  QuotaRule,
  OperationService,
} from './google/domainFaults';
export { GoogleApiError } from './google/errors';
export type { ErrorStyle, GoogleApiErrorInit } from './google/errors';
export type { EmulationContext } from './google/context';
export type { DomainFaults } from './google/domainFaults';
export type { IdGenerator, OperationScheduler } from './google/operations';
export type { MachineShape } from './google/machineTypes';
export { enableDnsClientUnderJest } from './google/dns/jestTransport';
export type { OAuthEmulation } from './google/oauthApi';
export { machineShape } from './google/machineTypes';
export type { DemoOptions, DemoInstallation } from './demo/seedDemo';
export { demoWorkloads } from './demo/demoWorkloads';
export {
  demoUsageHistory,
  demoComponentSizes,
  workingDayLoad,
  liveUsageOf,
  DEMO_USAGE_PROFILES,
  TRIAL_USAGE_PROFILES,
} from './demo/demoUsageHistory';
export type {
  DemoUsageProfile,
  DemoComponentSize,
  DemoUsageSample,
  DemoUsageHistoryOptions,
} from './demo/demoUsageHistory';
export type { ManifestObject } from './demo/demoWorkloads';
export {
  SchedulingTrial,
  podsOfWorkloads,
  nodeCapacity,
  KUBE_SYSTEM_RESERVATION,
  allocatableOf,
} from './kubernetes';
export type {
  TrialOutcome,
  TrialPod,
  SandboxNode,
  NodeCapacity,
  NodeReservation,
  KubernetesObject,
  ObjectMeta,
  OwnerReference,
  ManagedFieldsEntry,
} from './kubernetes';
export {
  DISCOVERY_DOCUMENTS,
  RequestValidationError,
  RequestValidationLog,
  discoveryViolations,
  protoViolations,
  validateRestCall,
  validatingGaxClient,
  validatingGoogleapisClient,
} from './validation/RequestValidator';
export type {
  DiscoveryDocument,
  DiscoveryMethod,
  DiscoveryParameter,
  DiscoveryResource,
  DiscoverySchema,
} from './validation/RequestValidator';
