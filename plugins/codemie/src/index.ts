/**
 * CodeMie on Google Cloud: the CodeMie tab and overview card for `codemie-environment` entities,
 * and the `CodemieSizingPreview` scaffolder field.
 *
 * The new frontend system's plugin is the default export of `./alpha`.
 *
 * @packageDocumentation
 */
export {
  codemiePlugin,
  EntityCodemieContent,
  EntityCodemieOverviewCard,
  CodemieSizingPreviewFieldExtension,
  CodemieProjectFieldExtension,
  CodemieConfirmNameFieldExtension,
  CodemieResizableEnvironmentFieldExtension,
  CodemieResizePreviewFieldExtension,
} from './plugin';
export type { EntityCodemieContentProps } from './components/EntityCodemieContent';
export { isCodemieEnvironment } from './conditions';
export { codemieApiRef, CodemieClient } from './api';
export type {
  CodemieApi,
  EnvironmentSummary,
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
  ResizePlan,
  ResizePreviewRequest,
  UsageHistoryWindow,
} from './api';
export type { CodemieSizingPreviewValue } from './components/CodemieSizingPreview';
export type { CodemieResizePreviewValue } from './components/CodemieResizePreview';
