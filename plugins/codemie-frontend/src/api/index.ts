export { codemieApiRef } from './CodemieApi';
export type {
  CodemieApi,
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
  UsageHistoryWindow,
} from './CodemieApi';
export { CodemieClient } from './CodemieClient';
