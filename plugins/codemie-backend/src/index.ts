/**
 * CodeMie on Google Cloud: the backend plugin (status API under `/api/codemie`) and the
 * scaffolder actions that provision and deploy CodeMie environments.
 *
 * @packageDocumentation
 */
export { codemiePlugin as default } from './plugin';
export { codemieScaffolderModule } from './module';
export { codemieCatalogModule } from './catalogModule';
export { CodemieEnvironmentProvider } from './catalog/CodemieEnvironmentProvider';
export { codemieStoreServiceRef } from './database/codemieStoreServiceRef';
export type { CodemieStore } from './database/CodemieStore';
export { renderCodemieObjects } from './renderCodemieObjects';
export {
  readCodemieConfig,
  validateCodemieConfig,
  CodemieConfigError,
} from './config/readCodemieConfig';
export type {
  CodemieSettings,
  CodemieRetrySettings,
  CodemieSandboxFault,
} from './config/readCodemieConfig';
