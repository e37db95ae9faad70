import { decideVerdict } from './verdict';
import { component } from '../__testUtils__/statusFixtures';

describe('decideVerdict', () => {
  it('is ok when every enabled component is, counting disabled ones out', () => {
    expect(
      decideVerdict(
        [
          component(),
          component({ id: 'llm-proxy', enabled: false, health: 'error' }),
        ],
        'RUNNING',
        true,
      ),
    ).toEqual({
      health: 'ok',
      reasons: [],
      healthyComponents: 1,
      enabledComponents: 1,
    });
  });

  it('takes the worst component and lists its first reason, worst first', () => {
    const verdict = decideVerdict(
      [
        component({
          displayName: 'CodeMie UI',
          health: 'warning',
          reasons: ['1 of 2 pods ready'],
        }),
        component({
          displayName: 'CodeMie API',
          health: 'error',
          reasons: ['0 of 1 pods exist', 'later'],
        }),
      ],
      'RUNNING',
      true,
    );
    expect(verdict.health).toBe('error');
    expect(verdict.reasons).toEqual([
      'CodeMie API: 0 of 1 pods exist',
      'CodeMie UI: 1 of 2 pods ready',
    ]);
    expect(verdict.healthyComponents).toBe(0);
  });

  it.each([
    ['ERROR', 'error'],
    ['DEGRADED', 'error'],
    ['RECONCILING', 'warning'],
  ])('a GKE cluster %s makes it %s', (status, health) => {
    const verdict = decideVerdict([component()], status, true);
    expect(verdict.health).toBe(health);
    expect(verdict.reasons).toEqual([`GKE cluster is ${status}`]);
  });

  it('says when usage figures are missing, without lowering the health, and keeps five reasons', () => {
    const broken = Array.from({ length: 6 }, (_, i) =>
      component({ displayName: `C${i}`, health: 'warning', reasons: ['slow'] }),
    );
    expect(decideVerdict([component()], 'RUNNING', false)).toMatchObject({
      health: 'ok',
      reasons: ['metrics.k8s.io did not answer: usage figures are absent'],
    });
    expect(decideVerdict(broken, 'RUNNING', false).reasons).toHaveLength(5);
  });
});
