import {
  ClusterLocation,
  CostEstimate,
  EnvironmentCost,
  PriceTable,
  TierSizing,
  estimateMonthlyCost,
  planNodePool,
  costLinesOf,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * Where an environment runs, for pricing a sizing with the sizing engine.
 *
 * @internal
 */
export interface CostContext {
  region: string;
  /** The node pool's machine type; plans are made on it so deltas compare like with like. */
  machineType?: string;
  location: ClusterLocation;
  option: 'public' | 'private';
  /**
   * The prices in force (`codemie.prices` over the bundled table), so the entity page's cost
   * agrees with the form's preview and the plan. Default: the bundled table.
   */
  prices?: PriceTable;
}

/**
 * Monthly cost (USD) of an environment sized as `sizing`, from the sizing engine: the node pool
 * planned on the environment's machine type (any machine type if the sizing no longer fits it),
 * then `estimateMonthlyCost`. Undefined when the region has no prices or nothing fits.
 *
 * @internal
 */
export function monthlyCostOf(
  sizing: TierSizing,
  context: CostContext,
): number | undefined {
  return estimateOf(sizing, context)?.totalMonthlyUsd;
}

/**
 * The environment's bill line by line, as the sizing preview shows it (same lines, same
 * estimate), or undefined when it cannot be priced.
 *
 * @internal
 */
export function environmentCostOf(
  sizing: TierSizing,
  context: CostContext,
): EnvironmentCost | undefined {
  const cost = estimateOf(sizing, context);
  if (!cost) return undefined;
  return {
    totalMonthlyUsd: cost.totalMonthlyUsd,
    rangeUsd: { min: cost.range.atMinNodesUsd, max: cost.range.atMaxNodesUsd },
    nodes: { min: cost.range.minNodes, max: cost.range.maxNodes },
    lines: costLinesOf(cost),
    pricesDate: cost.pricesDate,
  };
}

function estimateOf(
  sizing: TierSizing,
  context: CostContext,
): CostEstimate | undefined {
  try {
    const prices = context.prices ? { prices: context.prices } : {};
    const options = {
      region: context.region,
      location: context.location,
      alternatives: 0,
      ...prices,
    };
    let { plan } = planNodePool(sizing, {
      ...options,
      ...(context.machineType ? { machineTypes: [context.machineType] } : {}),
    });
    if (!plan && context.machineType) plan = planNodePool(sizing, options).plan;
    if (!plan) return undefined;
    return estimateMonthlyCost({
      sizing,
      plan,
      option: context.option,
      ...prices,
    });
  } catch {
    // Unknown region or machine type, or more than one plan holds: the status still
    // answers, without a cost.
    return undefined;
  }
}
