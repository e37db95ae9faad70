import { crashLoopingPods } from './crashLoopingPods';
import { cluster, component, podRow } from '../__testUtils__/statusFixtures';

const crashing = (message: string) =>
  podRow({
    name: 'codemie-api-0',
    ready: false,
    restarts: 7,
    state: 'CrashLoopBackOff',
    health: 'error',
    message,
    memory: { requests: 2048, limits: 3072 },
  });

describe('crashLoopingPods', () => {
  it('finds nothing without a crash-looping pod', () => {
    expect(
      crashLoopingPods({ component: component(), cluster: cluster() }),
    ).toEqual([]);
  });

  it('asks for twice the memory limit after an OOM kill', () => {
    const [problem] = crashLoopingPods({
      component: component({
        health: 'error',
        podRows: [crashing('last terminated: OOMKilled')],
      }),
      cluster: cluster(),
    });
    expect(problem).toEqual({
      severity: 'error',
      component: 'codemie-api',
      title: 'CodeMie API is crash-looping',
      detail:
        'Pod codemie-api-0: CrashLoopBackOff, 7 restarts. last terminated: OOMKilled',
      fix: 'Raise codemie-api memory request and limit from 3072 MiB to 6144 MiB (Helm values resources.requests.memory and resources.limits.memory) and redeploy.',
    });
  });

  it("otherwise sends to the crashed container's log, as a warning while the component serves", () => {
    const [problem] = crashLoopingPods({
      component: component({
        health: 'warning',
        podRows: [crashing('exit code 1')],
      }),
      cluster: cluster(),
    });
    expect(problem.severity).toBe('warning');
    expect(problem.fix).toMatch(
      /kubectl logs -n codemie codemie-api-0 --previous/,
    );
  });
});
