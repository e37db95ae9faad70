import {
  ClusterLocation,
  TierSizing,
  estimateMonthlyCost,
  planNodePool,
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
  try {
    const options = { region: context.region, location: context.location };
    let { plan } = planNodePool(sizing, {
      ...options,
      ...(context.machineType ? { machineTypes: [context.machineType] } : {}),
    });
    if (!plan && context.machineType) plan = planNodePool(sizing, options).plan;
    if (!plan) return undefined;
    return estimateMonthlyCost({ sizing, plan, option: context.option })
      .totalMonthlyUsd;
  } catch {
    // Unknown region or machine type: the status still answers, without a cost.
    return undefined;
  }
}
