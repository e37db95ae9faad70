/**
 * The managed PostgreSQL row of the status: the Cloud SQL instance's state and disk against
 * what the tier plans. Pure.
 */
import type {
  ComponentStatus,
  HealthLevel,
  ResourceComparison,
  TierSizing,
} from '@codemie-gcp/plugin-codemie-common';
import type { DatabaseRead } from '../types';
import type { PlannedComponent } from './componentStatus';

/** Health of a Cloud SQL instance state (`unknown` for states not listed). */
function healthOfState(state: string): HealthLevel {
  if (state === 'RUNNABLE') return 'ok';
  if (['PENDING_CREATE', 'MAINTENANCE', 'PENDING_DELETE'].includes(state))
    return 'pending';
  if (state === 'ONLINE_MAINTENANCE') return 'warning';
  if (['FAILED', 'SUSPENDED'].includes(state)) return 'error';
  return 'unknown';
}

/** The Cloud SQL component of the status, from what was read of the instance. @internal */
export function databaseComponentOf(
  plan: PlannedComponent,
  sizing: TierSizing,
  db: DatabaseRead | undefined,
): ComponentStatus {
  const planned = sizing.postgresql;
  const zero: ResourceComparison = { requests: 0, baseline: 0 };
  let health: HealthLevel = 'unknown';
  const reasons: string[] = [];
  if (!db) {
    reasons.push(
      'no Cloud SQL instance annotated (codemie.ai/cloudsql-instance)',
    );
  } else if (!db.ok) {
    reasons.push(`Cloud SQL instance could not be read: ${db.error}`);
  } else {
    health = healthOfState(db.status.state);
    if (health !== 'ok')
      reasons.push(`Cloud SQL instance is ${db.status.state}`);
  }
  const status = db?.ok ? db.status : undefined;
  return {
    id: plan.id,
    displayName: plan.displayName,
    workloadKind: 'Managed',
    enabled: true,
    health,
    reasons,
    pods: { expected: 0, desired: 0, ready: 0, available: 0, restarts: 0 },
    cpu: { ...zero, baseline: planned.vcpu * 1000 },
    memory: { ...zero, baseline: planned.memoryMiB },
    storage: {
      capacityGiB: status?.diskSizeGiB ?? 0,
      ...(status?.diskUsedGiB !== undefined
        ? { usedGiB: status.diskUsedGiB }
        : {}),
      baselineGiB: planned.storageGiB,
    },
    podRows: [],
  };
}
