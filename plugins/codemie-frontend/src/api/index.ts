export { codemieApiRef } from './CodemieApi';
export type {
  CodemieApi,
  EnvironmentSummary,
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
  UsageHistoryWindow,
} from './CodemieApi';
export { CodemieClient } from './CodemieClient';
