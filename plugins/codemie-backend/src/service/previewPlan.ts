import { InputError } from '@backstage/errors';
import {
  PlanPreview,
  PlanPreviewRequest,
  PriceTable,
  SizingInputError,
  UnknownRegionError,
  estimateMonthlyCost,
  formatCpuQuantity,
  formatMemoryQuantity,
  planNodePool,
  pricedRegions,
  sizeEnvironment,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * Sizes, plans and prices an environment from the template's sizing inputs. Pure: the route
 * that serves it calls nothing else, so the form can ask on every change.
 *
 * @throws InputError naming the invalid field.
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
  try {
    const sizing = sizeEnvironment(request.sizing);
    const regional = request.regional ?? true;
    const result = planNodePool(sizing, {
      region: request.region,
      location: regional ? { kind: 'regional', zones: 3 } : { kind: 'zonal' },
      prices,
    });
    if (!result.plan)
      throw new InputError(`No node pool fits this sizing: ${result.reason}`);
    const cost = estimateMonthlyCost({
      sizing,
      plan: result.plan,
      option: request.option ?? 'public',
      prices,
    });
    return {
      tier: sizing.tier,
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
      },
      monthlyCostUsd: cost.totalMonthlyUsd,
      costLines: cost.lineItems.map(l => ({
        item: l.label,
        monthlyUsd: l.monthlyUsd,
        detail: l.detail,
      })),
      alternatives: cost.nodePricingAlternatives.map(a => ({
        pricing: a.pricing,
        totalMonthlyUsd: a.totalMonthlyUsd,
      })),
      pricesDate: cost.pricesDate,
    };
  } catch (e) {
    if (e instanceof SizingInputError)
      throw new InputError(`sizing.${e.message}`);
    if (e instanceof UnknownRegionError)
      throw new InputError(`region: ${e.message}`);
    throw e;
  }
}
