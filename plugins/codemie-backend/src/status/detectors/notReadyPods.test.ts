import { notReadyPods } from './notReadyPods';
import { cluster, component, podRow } from '../__testUtils__/statusFixtures';

describe('notReadyPods', () => {
  it('finds nothing while pods are ready', () => {
    expect(
      notReadyPods({ component: component(), cluster: cluster() }),
    ).toEqual([]);
  });

  it('names the first not-ready pod and what the component depends on', () => {
    const [problem] = notReadyPods({
      component: component({
        health: 'warning',
        podRows: [
          podRow({ ready: false, state: 'NotReady', health: 'warning' }),
        ],
      }),
      cluster: cluster(),
    });
    expect(problem).toEqual({
      severity: 'warning',
      component: 'codemie-api',
      title: 'CodeMie API is running but not ready',
      detail: 'Pod codemie-api-0: readiness probe failing',
      fix: 'Read the log (kubectl logs -n codemie codemie-api-0); the readiness probe fails while the component cannot reach what it depends on (PostgreSQL, Elasticsearch, Keycloak).',
    });
  });
});
