/**
 * Internals of the CodeMie scaffolder module and the GCP sandbox harness its tests use, for the
 * project's benchmarks and cross-package tests. Not a stable API; never imported by production
 * code.
 *
 * @packageDocumentation
 */
export { createCodemieDeployAction } from '../actions/codemieDeploy';
export { createCodemieResizeAction } from '../actions/codemieResize';
export { applyComponents, applyStage } from '../deploy/applyComponents';
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
