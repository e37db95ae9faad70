/**
 * The Eviction API: `POST /api/v1/namespaces/{ns}/pods/{name}/eviction`, a DELETE of the pod that
 * respects its PodDisruptionBudget, answered as the API server answers it
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/, "How API-initiated
 * eviction works"):
 *
 * - 200 OK and the pod deleted when the eviction is allowed (always, for a pod no budget selects);
 * - 429 Too Many Requests when its budget allows no disruption now ("Cannot evict pod as it would
 *   violate the pod's disruption budget."), to be retried later — `kubectl drain` retries;
 * - 500 Internal Server Error when more than one budget selects the pod (a misconfiguration).
 *
 * A pod that is not running yet (Pending) or has finished is deleted without consulting a budget,
 * and an unready pod may be evicted while its budget is healthy: `unhealthyPodEvictionPolicy`
 * IfHealthyBudget, the default
 * (https://kubernetes.io/docs/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy).
 * An allowed eviction uses one of the budget's `disruptionsAllowed` at once, so two evictions sent
 * before the pod's replacement starts cannot both pass a budget that allows one.
 */
import { T, isPodReady } from './controllers/context';
import { KubeError, badRequest } from './errors';
import type { ApiOperations } from './operations';
import type { ObjectStore } from './ObjectStore';
import { matchesSelector } from './selectors';
import type { KubernetesObject } from './types';

const VIOLATION =
  "Cannot evict pod as it would violate the pod's disruption budget.";

/** Evicts `namespace/name` (see the module comment); returns the Status of an allowed eviction. */
export function evictPod(
  cluster: { store: ObjectStore; ops: ApiOperations; stampIso: () => string },
  namespace: string,
  name: string,
  body: any,
  options: { dryRun?: boolean } = {},
): { status: number; body: unknown } {
  const { store, ops } = cluster;
  if (body?.kind !== undefined && body.kind !== 'Eviction') {
    throw badRequest(
      `the body of the request is a ${String(body.kind)}, not an Eviction`,
    );
  }
  if (body?.metadata?.name !== undefined && body.metadata.name !== name) {
    throw badRequest('name in URL does not match name in Eviction object');
  }
  const pod = ops.get(T.pods, namespace, name);
  const phase = pod.status?.phase;
  const budgets = store
    .list(T.poddisruptionbudgets, namespace)
    .filter(pdb =>
      matchesSelector(pod.metadata?.labels, pdb.spec?.selector ?? {}),
    );
  const ignoresBudgets =
    phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed';
  if (!ignoresBudgets && budgets.length > 1) {
    throw new KubeError(
      500,
      'InternalError',
      'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
    );
  }
  const budget = ignoresBudgets ? undefined : budgets[0];
  if (budget) refuseIfBudgetExhausted(budget, pod);
  if (!options.dryRun) {
    if (budget && isPodReady(pod))
      useOneDisruption(store, budget, cluster.stampIso);
    ops.delete(T.pods, namespace, name);
  }
  return {
    status: 200,
    body: {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 200,
    },
  };
}

function refuseIfBudgetExhausted(
  budget: KubernetesObject,
  pod: KubernetesObject,
): void {
  const name = budget.metadata!.name!;
  const status = budget.status ?? {};
  if ((status.observedGeneration ?? 0) < (budget.metadata?.generation ?? 1)) {
    throw new KubeError(429, 'TooManyRequests', VIOLATION, {
      causes: [
        {
          reason: 'DisruptionBudget',
          message: `The disruption budget ${name} is still being processed by the server.`,
        },
      ],
    });
  }
  const healthy = Number(status.currentHealthy ?? 0);
  const desired = Number(status.desiredHealthy ?? 0);
  // IfHealthyBudget: an unready pod counts against nothing while the budget is met.
  if (!isPodReady(pod) && healthy >= desired) return;
  if (Number(status.disruptionsAllowed ?? 0) <= 0) {
    throw new KubeError(429, 'TooManyRequests', VIOLATION, {
      causes: [
        {
          reason: 'DisruptionBudget',
          message: `The disruption budget ${name} needs ${desired} healthy pods and has ${healthy} currently`,
        },
      ],
    });
  }
}

function useOneDisruption(
  store: ObjectStore,
  budget: KubernetesObject,
  stampIso: () => string,
): void {
  const status = budget.status ?? {};
  store.put(
    T.poddisruptionbudgets,
    {
      ...budget,
      status: {
        ...status,
        disruptionsAllowed: Math.max(
          0,
          Number(status.disruptionsAllowed ?? 0) - 1,
        ),
      },
    },
    stampIso,
  );
}
