export { codemieApiRef } from './CodemieApi';
export type {
  CodemieApi,
  EnvironmentSummary,
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
  ResizePlan,
  ResizePreviewRequest,
  UsageHistoryWindow,
} from './CodemieApi';
export { CodemieClient } from './CodemieClient';
