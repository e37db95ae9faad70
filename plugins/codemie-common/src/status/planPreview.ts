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
  /** The region the environment would run in. */
  region: string;
  /** `private` adds the bastion VM to the bill (default `public`). */
  option?: 'public' | 'private';
  /** Nodes in three zones (default `true`). */
  regional?: boolean;
  /** The environment creates its Cloud DNS zone (default `true`): priced as a bill line. */
  createDnsZone?: boolean;
  /** The sizing inputs. */
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
  /** Preset name or `custom` (what the environment records). */
  tier: string;
  /** What to show: the preset, or e.g. `custom (between small and medium)`. */
  tierLabel: string;
  /** Requests per pod: CPU and memory as Kubernetes quantities (`500m`, `2Gi`), storage per pod. */
  components: Array<{
    id: string;
    name: string;
    pods: number;
    cpu: string;
    memory: string;
    storage: string;
  }>;
  /** The node pool the planner chose. */
  nodePool: {
    machineType: string;
    minNodes: number;
    maxNodes: number;
    /** How many zones the nodes spread over (1 for a zonal cluster). */
    zones: number;
    /** The kube-scheduler check the pool passed: runs (creation orders × drains) and how many held. */
    survival: {
      runs: number;
      survived: number;
      orders: number;
      drains: boolean;
    };
  };
  /** On-demand total, USD a month, with the pool at its autoscaling minimum. */
  monthlyCostUsd: number;
  /** The total with the pool at its autoscaling minimum and maximum. */
  monthlyCostRangeUsd: { min: number; max: number };
  /** The bill, line by line. */
  costLines: PlanCostLine[];
  /** The total with the node VMs priced as Spot VMs or with committed use discounts. */
  alternatives: Array<{ pricing: PlanPricing; totalMonthlyUsd: number }>;
  /** When the price table was read, e.g. `2025-11-01`. */
  pricesDate: string;
  /** Where the node pool grows next with more users, when it does below the users limit. */
  nextStep?: {
    concurrentUsers: number;
    machineType: string;
    minNodes: number;
    /** The total bill there (same inputs otherwise). */
    monthlyCostUsd: number;
  };
}

/**
 * One line of a bill, as the preview and the entity page show it.
 *
 * @public
 */
export interface PlanCostLine {
  /** The line's name. */
  item: string;
  /** USD per month. */
  monthlyUsd: number;
  /** How the figure was computed. */
  detail: string;
  /** The figure rests on an estimate (of usage, or of a price). */
  estimate?: boolean;
}
