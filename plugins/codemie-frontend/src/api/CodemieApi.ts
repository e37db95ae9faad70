import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentStatus,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * History windows the status API serves.
 *
 * @public
 */
export type UsageHistoryWindow = '24h' | '7d';

/**
 * Body of `POST /api/codemie/v1/plan/preview`: what the template's sizing page knows.
 *
 * @public
 */
export interface PlanPreviewRequest {
  region: string;
  option?: 'public' | 'private';
  /** Nodes in three zones (default `true`). */
  regional?: boolean;
  sizing: {
    concurrentUsers: number;
    vectorDatasourceGiB: number;
    logRetentionDays: number;
    llmProxyType: 'litellm' | 'litellm-ha' | 'external';
    includeNats?: boolean;
  };
}

/**
 * Node pricing of an alternative total in a {@link PlanPreview}.
 *
 * @public
 */
export type PlanPricing = 'spot' | 'committed-1y' | 'committed-3y';

/**
 * The sizing, node pool and monthly cost of an environment, before anything is created.
 *
 * @public
 */
export interface PlanPreview {
  tier: string;
  /** Requests per pod: CPU and memory as Kubernetes quantities (`500m`, `2Gi`), storage per pod. */
  components: Array<{
    id: string;
    name: string;
    pods: number;
    cpu: string;
    memory: string;
    storage: string;
  }>;
  nodePool: {
    machineType: string;
    minNodes: number;
    maxNodes: number;
    /** How many zones the nodes spread over (1 for a zonal cluster). */
    zones: number;
  };
  /** On-demand total, USD a month. */
  monthlyCostUsd: number;
  costLines: Array<{ item: string; monthlyUsd: number; detail: string }>;
  alternatives: Array<{ pricing: PlanPricing; totalMonthlyUsd: number }>;
  /** When the price table was read, e.g. `2025-11-01`. */
  pricesDate: string;
}

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
