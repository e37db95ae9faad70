/**
 * Internals of the CodeMie scaffolder module and the GCP sandbox harness its tests use, for the
 * project's benchmarks and cross-package tests. Not a stable API; never imported by production
 * code.
 *
 * @packageDocumentation
 */
export { createCodemieDeployAction } from '../actions/codemieDeploy';
export type {
  CodemieDeployActionInput,
  CodemieDeployActionOptions,
  CodemieDeployActionOutput,
  CodemieDeployRequests,
} from '../actions/codemieDeploy';
export { createCodemieResizeAction } from '../actions/codemieResize';
export type {
  CodemieResizeActionInput,
  CodemieResizeActionOptions,
  CodemieResizeActionOutput,
} from '../actions/codemieResize';
export { applyComponents, applyStage } from '../deploy/applyComponents';
export type { ApplyOptions } from '../deploy/applyComponents';
export type { DeployInput } from '../deploy/deployInput';
export type { GeneratedCredentials } from '../deploy/credentials';
export type {
  ComponentRollout,
  WaitOptions,
  WatchedWorkload,
} from '../deploy/waitForRollout';
export { IMAGE_KEYS } from '../deploy/render/images';
export type { ImageKey, ImageOverrides } from '../deploy/render/images';
export type {
  DeployComponentId,
  RenderedComponent,
  RenderedWorkload,
} from '../deploy/render/types';
export type {
  Checkpoint,
  ProvisionDeps,
  ProvisionedEnvironment,
} from '../provisioning/provisionEnvironment';
export type { GraphNode } from '../provisioning/runResourceGraph';
export type { ResourceOutputs } from '../provisioning/ProvisionContext';
export type { SandboxClusterServer } from '../deploy/__testUtils__/sandbox';
export type {
  SeededCluster,
  Shortfall,
} from '../resize/__testUtils__/seededEnvironment';
export {
  deploySettings,
  generateCredentials,
  renderEnvironment,
  waitForRollout,
} from '../deploy';
export type { DeploySecretValues } from '../deploy';
export { allObjects, resolveImages } from '../deploy/render';
export type { DeploySettings } from '../deploy/render';
export { provisionEnvironment } from '../provisioning/provisionEnvironment';
export { criticalPath } from '../provisioning/runResourceGraph';
export { resolvedDeployInput } from '../deploy/__testUtils__/fixtures';
export { recordProvisioned } from '../actions/__testUtils__/deployRecord';
export {
  createCluster,
  createNetwork,
  createSecret,
  plannedNodePool,
  startSandbox,
  testGoogleClients,
} from '../deploy/__testUtils__/sandbox';
export {
  seededEnvironment,
  watchReadiness,
} from '../resize/__testUtils__/seededEnvironment';
