/** `codemie:deploy`'s building blocks: rendering (pure), apply, rollout wait, diagnosis. */
export * from './render';
export * from '@codemie-gcp/plugin-codemie-common';
export {
  applyComponents,
  ApplyError,
  DEPLOY_FIELD_MANAGER,
  SLOW_STARTING_COMPONENTS,
} from './applyComponents';
export { waitForRollout, RolloutError, nodesFree } from './waitForRollout';
export type {
  ComponentRollout,
  ComponentProblem,
  WaitOptions,
  WatchedWorkload,
} from './waitForRollout';
export {
  deployInputOf,
  deployOptionFields,
  isProvisioned,
  parseDeployOptions,
  DEFAULT_PULL_SECRET_NAME,
  DEFAULT_TIMEOUT_SECONDS,
} from './deployInput';
export type {
  DeployInput,
  DeployOptions,
  ProvisionedOutputs,
} from './deployInput';
export { deploySettings, tierName } from './settings';
export { writeManifests, MANIFESTS_DIR } from './manifests';
export { loadOrGenerateCredentials, generateCredentials } from './credentials';
export type { GeneratedCredentials } from './credentials';
