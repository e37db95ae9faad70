/**
 * The next step of the bill: from a number of concurrent users, the smallest larger number at
 * which the node pool grows (another node, or a bigger machine type), so a person sees the
 * threshold before crossing it ("at 4,067 users this becomes …").
 */
import {
  SizingInputs,
  MAX_CONCURRENT_USERS,
  sizeEnvironment,
} from '../sizing/tiers';
import { PlannerOptions, planNodePool } from './planNodePool';
import { WorkBudget } from './budget';

/**
 * Where the node pool grows next.
 *
 * @public
 */
export interface NodePoolStep {
  /** The first user count with the larger pool. */
  concurrentUsers: number;
  /** The machine type of the larger pool. */
  machineType: string;
  /** The larger pool's autoscaling minimum (total nodes). */
  minNodes: number;
  /** The node pool's monthly on-demand cost there (VMs and boot disks). */
  nodePoolMonthlyUsd: number;
}

/** Planner calls the search may make (an exponential then a binary search over users). */
const MAX_PROBES = 24;

/**
 * The smallest user count above `inputs.concurrentUsers` whose node pool costs more, with that
 * pool; undefined when none does up to {@link MAX_CONCURRENT_USERS}. At most 24 planner calls,
 * all within one work budget.
 *
 * @public
 */
export function nextNodePoolStep(
  inputs: Required<SizingInputs>,
  options: PlannerOptions,
): NodePoolStep | undefined {
  const budget = options.budget ?? new WorkBudget();
  const plan = (users: number) =>
    planNodePool(sizeEnvironment({ ...inputs, concurrentUsers: users }), {
      ...options,
      budget,
      alternatives: 0,
    }).plan;
  const start = inputs.concurrentUsers;
  const current = plan(start);
  if (!current) return undefined;
  const grows = (users: number) => {
    const p = plan(users);
    return !p || p.monthlyCost.onDemand > current.monthlyCost.onDemand + 0.005;
  };
  let probes = 1;
  // Exponential search for an upper bound, then binary search for the first user count.
  let low = start;
  let high = start;
  let step = 1;
  while (probes < MAX_PROBES) {
    high = Math.min(MAX_CONCURRENT_USERS, start + step);
    probes += 1;
    if (grows(high)) break;
    low = high;
    if (high === MAX_CONCURRENT_USERS) return undefined;
    step *= 2;
  }
  while (high - low > 1 && probes < MAX_PROBES) {
    const mid = Math.floor((low + high) / 2);
    probes += 1;
    if (grows(mid)) high = mid;
    else low = mid;
  }
  const next = plan(high);
  if (!next) return undefined;
  return {
    concurrentUsers: high,
    machineType: next.machineType,
    minNodes: next.minNodes,
    nodePoolMonthlyUsd: Math.round(next.monthlyCost.onDemand * 100) / 100,
  };
}
