/**
 * CodeMie on Google Cloud: the CodeMie environments the portal provisioned, as catalog
 * entities (kind Resource, type `codemie-environment`).
 *
 * @packageDocumentation
 */
export { catalogModuleCodemieEnvironments as default } from './module';
export { CodemieEnvironmentProvider } from './catalog/CodemieEnvironmentProvider';
