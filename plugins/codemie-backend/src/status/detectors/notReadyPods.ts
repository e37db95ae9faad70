import type { ComponentProblemDetector } from './types';
import { podsInState, severityOf } from './format';

/**
 * A component running but failing its readiness probe: usually it cannot reach what it
 * depends on.
 *
 * @internal
 */
export const notReadyPods: ComponentProblemDetector = ({ component: c }) => {
  const notReady = podsInState(c, 'NotReady');
  if (notReady.length === 0) return [];
  const first = notReady[0];
  return [
    {
      severity: severityOf(c),
      component: c.id,
      title: `${c.displayName} is running but not ready`,
      detail: `Pod ${first.name}: ${first.message ?? 'readiness probe failing'}`,
      fix: `Read the log (kubectl logs -n ${first.namespace} ${first.name}); the readiness probe fails while the component cannot reach what it depends on (PostgreSQL, Elasticsearch, Keycloak).`,
    },
  ];
};
