import { COMPONENT_DETECTORS, detectProblems } from '.';
import { cluster, component, podRow } from '../__testUtils__/statusFixtures';
import type { ProblemDetectorInput } from './types';

const environment = {
  name: 'demo',
  domain: 'demo.example.com',
} as ProblemDetectorInput['environment'];

const notReadyUi = component({
  id: 'codemie-ui',
  displayName: 'CodeMie UI',
  health: 'warning',
  podRows: [
    podRow({
      name: 'codemie-ui-0',
      ready: false,
      state: 'NotReady',
      health: 'warning',
    }),
  ],
});
const crashingApi = component({
  health: 'error',
  podRows: [
    podRow({
      ready: false,
      state: 'CrashLoopBackOff',
      health: 'error',
      restarts: 3,
    }),
    podRow({
      name: 'codemie-api-1',
      ready: false,
      state: 'NotReady',
      health: 'warning',
    }),
  ],
});

describe('detectProblems', () => {
  it('runs every component detector on every component', () => {
    expect(COMPONENT_DETECTORS).toHaveLength(5);
    expect(
      detectProblems({
        environment,
        components: [component()],
        cluster: cluster(),
      }),
    ).toEqual([]);
  });

  it('lists errors first, otherwise component by component in catalog order, then DNS', () => {
    const problems = detectProblems({
      environment,
      components: [notReadyUi, crashingApi],
      cluster: cluster(),
      database: { ok: false, instance: 'p:r:i', error: 'denied' },
      dns: { ok: false, reason: 'The zone could not be read' },
    });
    expect(problems.map(p => [p.severity, p.title])).toEqual([
      ['error', 'CodeMie API is crash-looping'],
      // the API's NotReady pod: an error, as the API is down
      ['error', 'CodeMie API is running but not ready'],
      ['warning', 'CodeMie UI is running but not ready'],
      ['warning', 'The Cloud SQL instance could not be read'],
      ['warning', 'DNS of demo.example.com not checked'],
    ]);
  });
});
