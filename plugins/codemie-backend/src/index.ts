/**
 * CodeMie on Google Cloud: the backend plugin (status API under `/api/codemie`) and the
 * scaffolder actions that provision and deploy CodeMie environments.
 *
 * @packageDocumentation
 */
export { codemiePlugin as default } from './plugin';
