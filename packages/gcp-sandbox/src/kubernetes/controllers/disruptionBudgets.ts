/** PodDisruptionBudget status: how many selected pods are healthy and how many may be evicted. */
import { matchesSelector } from '../selectors';
import { resolvePercent } from './deployment';
import { ControllerContext, T, condition, isPodReady } from './context';

/** Reconciles every PodDisruptionBudget's status. */
export function reconcileDisruptionBudgets(ctx: ControllerContext): void {
  const at = new Date(ctx.stamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const pdb of ctx.store.list(T.poddisruptionbudgets)) {
    const pods = ctx.store
      .peek(T.pods, pdb.metadata!.namespace)
      .filter(p =>
        matchesSelector(p.metadata?.labels, pdb.spec?.selector ?? {}),
      );
    const expected = pods.length;
    const healthy = pods.filter(isPodReady).length;
    let desired: number;
    if (pdb.spec?.minAvailable !== undefined)
      desired = resolvePercent(pdb.spec.minAvailable, expected, true);
    else if (pdb.spec?.maxUnavailable !== undefined)
      desired = Math.max(
        0,
        expected - resolvePercent(pdb.spec.maxUnavailable, expected, false),
      );
    else desired = expected;
    const allowed = Math.max(0, healthy - desired);
    ctx.store.put(
      T.poddisruptionbudgets,
      {
        ...pdb,
        status: {
          observedGeneration: pdb.metadata?.generation ?? 1,
          disruptionsAllowed: allowed,
          currentHealthy: healthy,
          desiredHealthy: desired,
          expectedPods: expected,
          conditions: [
            condition(
              pdb.status?.conditions,
              'DisruptionAllowed',
              allowed > 0,
              allowed > 0 ? 'SufficientPods' : 'InsufficientPods',
              '',
              at,
            ),
          ],
        },
      },
      ctx.stampIso,
    );
  }
}
