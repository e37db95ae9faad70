import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentStatus,
  PlanPreview,
  PlanPreviewRequest,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';

// The preview contract lives in codemie-common, shared with the backend route.
export type {
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * History windows the status API serves.
 *
 * @public
 */
export type UsageHistoryWindow = '24h' | '7d';

/**
 * Client of the CodeMie status API (`/api/codemie/v1/entities/...`).
 *
 * @public
 */
export interface CodemieApi {
  /** The live status of a `codemie-environment` entity. */
  getStatus(entityRef: CompoundEntityRef): Promise<EnvironmentStatus>;
  /** Usage samples of the environment's components over a window (default `7d`). */
  getHistory(
    entityRef: CompoundEntityRef,
    window?: UsageHistoryWindow,
  ): Promise<UsageHistory>;
  /**
   * Sizes, plans and prices an environment from the template's inputs. Rejects with a
   * `ResponseError` (400, message naming the field, e.g. `sizing.concurrentUsers: …`) on bad input.
   */
  previewPlan(
    request: PlanPreviewRequest,
    options?: { signal?: AbortSignal },
  ): Promise<PlanPreview>;
}

/**
 * Reference to the {@link CodemieApi}.
 *
 * @public
 */
export const codemieApiRef = createApiRef<CodemieApi>({
  id: 'plugin.codemie.service',
});
