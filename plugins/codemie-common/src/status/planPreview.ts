/*
 * The sizing preview contract: `POST /api/codemie/v1/plan/preview`, answered by the backend,
 * shown by the template's CodemieSizingPreview field.
 */

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
