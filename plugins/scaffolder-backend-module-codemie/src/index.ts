/**
 * CodeMie on Google Cloud: the scaffolder actions that plan, provision, deploy, resize and
 * destroy CodeMie environments (`codemie:*`).
 *
 * @packageDocumentation
 */
export { scaffolderModuleCodemie as default } from './module';
export { renderCodemieObjects } from './renderCodemieObjects';
export type { ProvisionedOutputs } from './deploy/deployInput';
