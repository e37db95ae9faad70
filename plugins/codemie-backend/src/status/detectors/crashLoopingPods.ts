import type { ComponentProblemDetector } from './types';
import { podsInState, severityOf } from './format';

/**
 * A component crash-looping: with the restarts and the last termination; an OOM kill asks for
 * twice the memory, anything else for the crashed container's log.
 *
 * @internal
 */
export const crashLoopingPods: ComponentProblemDetector = ({
  component: c,
}) => {
  const crashing = podsInState(c, 'CrashLoopBackOff');
  if (crashing.length === 0) return [];
  const first = crashing[0];
  const oom = /OOMKilled/.test(first.message ?? '');
  const perPodMemory = first.memory.limits ?? first.memory.requests;
  return [
    {
      severity: severityOf(c),
      component: c.id,
      title: `${c.displayName} is crash-looping`,
      detail:
        `Pod ${first.name}: CrashLoopBackOff, ${first.restarts} restarts. ${first.message ?? ''}`.trim(),
      fix: oom
        ? `Raise ${c.id} memory request and limit from ${perPodMemory} MiB to ${perPodMemory * 2} MiB (Helm values resources.requests.memory and resources.limits.memory) and redeploy.`
        : `Read the crashed container's log (kubectl logs -n ${first.namespace} ${first.name} --previous), fix its configuration (secrets, database or Elasticsearch connection) and redeploy.`,
    },
  ];
};
