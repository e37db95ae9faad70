/**
 * The Kubernetes API half of the GCP sandbox: an HTTPS Kubernetes API server per sandbox
 * cluster, with simulated controllers, scheduler, kubelets and metrics. See README.md beside
 * this file.
 *
 * @packageDocumentation
 */
export { KubernetesApiServer } from './KubernetesApiServer';
export type { KubernetesApiServerOptions } from './KubernetesApiServer';
export { SEED_FIELD_MANAGER } from './ControlPlane';
export type { SeedOptions, SeedResult } from './ControlPlane';
export { WorkloadBehaviour, DEFAULT_DURATIONS } from './behaviour';
export type {
  PodTarget,
  StartupDurations,
  CrashRule,
  UsageOverride,
} from './behaviour';
export { nodeCapacity } from './nodes';
export type { NodeCapacity, NodeReservation } from './nodes';
export type {
  KubernetesObject,
  ObjectMeta,
  OwnerReference,
  ManagedFieldsEntry,
  SandboxNode,
} from './types';
export type { KubernetesStatus, StatusReason } from './errors';
export { schedule } from './scheduler';
export type { SchedulingNode, ScheduleResult } from './scheduler';
export { SchedulingTrial, podsOfWorkloads } from './schedulingTrials';
export type { TrialOutcome, TrialPod } from './schedulingTrials';
export { KUBE_SYSTEM_RESERVATION, allocatableOf } from './nodes';
