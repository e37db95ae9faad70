import { InputError } from '@backstage/errors';
import {
  CostEstimate,
  PriceTable,
  UnknownRegionError,
  estimateMonthlyCost,
  pricedRegions,
} from '../cost';
import { PlanningError, nextNodePoolStep, planNodePool } from '../planner';
import {
  SizingInputError,
  formatCpuQuantity,
  formatMemoryQuantity,
  sizeEnvironment,
} from '../sizing';
import { PlanPreview, PlanPreviewRequest } from './planPreview';

/**
 * The bill's lines as the preview and the entity page show them.
 *
 * @public
 */
export function costLinesOf(cost: CostEstimate): PlanPreview['costLines'] {
  return cost.lineItems.map(l => ({
    item: l.label,
    monthlyUsd: l.monthlyUsd,
    detail: l.detail,
    ...(l.estimate ? { estimate: true } : {}),
  }));
}

/**
 * Sizes, plans and prices an environment from the template's sizing inputs. Pure: the route
 * that serves it calls nothing else, so the form can ask on every change.
 *
 * @throws InputError naming the invalid field.
 * @public
 */
export function previewPlan(body: unknown, prices: PriceTable): PlanPreview {
  const request = (body ?? {}) as Partial<PlanPreviewRequest>;
  if (
    typeof request.region !== 'string' ||
    !pricedRegions(prices).includes(request.region)
  ) {
    throw new InputError(
      `region: '${String(request.region)}' is not a supported region; choose one of ${pricedRegions(prices).join(', ')}`,
    );
  }
  if (
    request.option !== undefined &&
    request.option !== 'public' &&
    request.option !== 'private'
  ) {
    throw new InputError(
      `option: '${String(request.option)}' must be 'public' or 'private'`,
    );
  }
  if (typeof request.sizing !== 'object' || request.sizing === null) {
    throw new InputError(
      'sizing: must be an object with concurrentUsers, vectorDatasourceGiB, logRetentionDays and llmProxyType',
    );
  }
  if (
    request.createDnsZone !== undefined &&
    typeof request.createDnsZone !== 'boolean'
  ) {
    throw new InputError('createDnsZone: must be true or false');
  }
  try {
    const sizing = sizeEnvironment(request.sizing);
    const regional = request.regional ?? true;
    const plannerOptions = {
      region: request.region,
      location: regional
        ? { kind: 'regional' as const, zones: 3 }
        : { kind: 'zonal' as const },
      prices,
    };
    const result = planNodePool(sizing, plannerOptions);
    if (!result.plan)
      throw new InputError(`No node pool fits this sizing: ${result.reason}`);
    const costOptions = {
      option: request.option ?? 'public',
      prices,
      dnsZones: request.createDnsZone === false ? 0 : 1,
    } as const;
    const cost = estimateMonthlyCost({
      sizing,
      plan: result.plan,
      ...costOptions,
    });
    const step = nextNodePoolStep(sizing.inputs, plannerOptions);
    let nextStep: PlanPreview['nextStep'];
    if (step) {
      const nextSizing = sizeEnvironment({
        ...sizing.inputs,
        concurrentUsers: step.concurrentUsers,
      });
      const nextPlan = planNodePool(nextSizing, {
        ...plannerOptions,
        alternatives: 0,
      }).plan;
      if (nextPlan) {
        nextStep = {
          concurrentUsers: step.concurrentUsers,
          machineType: nextPlan.machineType,
          minNodes: nextPlan.minNodes,
          monthlyCostUsd: estimateMonthlyCost({
            sizing: nextSizing,
            plan: nextPlan,
            ...costOptions,
          }).totalMonthlyUsd,
        };
      }
    }
    return {
      tier: sizing.tier,
      tierLabel: sizing.tierLabel,
      components: [
        ...[...sizing.workloads, ...sizing.daemonSets].map(w => ({
          id: w.id,
          name: w.displayName,
          pods: w.kind === 'DaemonSet' ? result.plan!.minNodes : w.replicas,
          cpu: formatCpuQuantity(w.requests.cpuMillis),
          memory: formatMemoryQuantity(w.requests.memoryMiB),
          storage: w.storageGiBPerPod > 0 ? `${w.storageGiBPerPod}Gi` : '',
        })),
        {
          id: 'postgresql',
          name: `PostgreSQL (Cloud SQL ${sizing.postgresql.tier})`,
          pods: 0,
          cpu: String(sizing.postgresql.vcpu),
          memory: formatMemoryQuantity(sizing.postgresql.memoryMiB),
          storage: `${sizing.postgresql.storageGiB}Gi`,
        },
      ],
      nodePool: {
        machineType: result.plan.machineType,
        minNodes: result.plan.minNodes,
        maxNodes: result.plan.maxNodes,
        zones: result.plan.zones,
        survival: {
          runs: result.plan.survival.runs,
          survived: result.plan.survival.survived,
          orders: result.plan.survival.orders,
          drains: result.plan.survival.drains,
        },
      },
      monthlyCostUsd: cost.totalMonthlyUsd,
      monthlyCostRangeUsd: {
        min: cost.range.atMinNodesUsd,
        max: cost.range.atMaxNodesUsd,
      },
      costLines: costLinesOf(cost),
      alternatives: cost.nodePricingAlternatives.map(a => ({
        pricing: a.pricing,
        totalMonthlyUsd: a.totalMonthlyUsd,
      })),
      pricesDate: cost.pricesDate,
      ...(nextStep ? { nextStep } : {}),
    };
  } catch (e) {
    if (e instanceof SizingInputError)
      throw new InputError(`sizing.${e.message}`);
    if (e instanceof PlanningError) throw new InputError(e.message);
    if (e instanceof UnknownRegionError)
      throw new InputError(`region: ${e.message}`);
    throw e;
  }
}
