/**
 * Step 6 of the status: the verdict — the worst enabled component, the cluster itself, and
 * whether usage figures are there, with at most five reasons, worst first. Pure.
 */
import type {
  ComponentStatus,
  EnvironmentStatus,
  HealthLevel,
} from '@codemie-gcp/plugin-codemie-common';
import { severity, worse } from '../classifyHealth';

/** Reasons the verdict shows at most. */
const MAX_REASONS = 5;

/** The health a GKE cluster status gives the environment (undefined when RUNNING). */
function clusterHealth(status: string): HealthLevel | undefined {
  if (status === 'RUNNING') return undefined;
  return ['ERROR', 'DEGRADED'].includes(status) ? 'error' : 'warning';
}

/** The environment's verdict. @internal */
export function decideVerdict(
  components: ComponentStatus[],
  clusterStatus: string,
  metricsAvailable: boolean,
): EnvironmentStatus['verdict'] {
  const enabled = components.filter(c => c.enabled);
  let health: HealthLevel = 'ok';
  const reasons: Array<{ h: HealthLevel; text: string }> = [];
  for (const c of enabled) {
    health = worse(health, c.health);
    if (c.health !== 'ok' && c.reasons.length > 0) {
      reasons.push({ h: c.health, text: `${c.displayName}: ${c.reasons[0]}` });
    }
  }
  const ofCluster = clusterHealth(clusterStatus);
  if (ofCluster) {
    health = worse(health, ofCluster);
    reasons.push({ h: ofCluster, text: `GKE cluster is ${clusterStatus}` });
  }
  if (!metricsAvailable) {
    reasons.push({
      h: 'ok',
      text: 'metrics.k8s.io did not answer: usage figures are absent',
    });
  }
  reasons.sort((a, b) => severity(b.h) - severity(a.h));
  return {
    health,
    reasons: reasons.slice(0, MAX_REASONS).map(r => r.text),
    healthyComponents: enabled.filter(c => c.health === 'ok').length,
    enabledComponents: enabled.length,
  };
}
