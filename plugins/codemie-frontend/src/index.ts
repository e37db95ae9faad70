/**
 * CodeMie on Google Cloud: the CodeMie tab and overview card for `codemie-environment` entities.
 *
 * @packageDocumentation
 */
export {
  codemiePlugin,
  EntityCodemieContent,
  EntityCodemieOverviewCard,
} from './plugin';
export { isCodemieEnvironment } from './conditions';
