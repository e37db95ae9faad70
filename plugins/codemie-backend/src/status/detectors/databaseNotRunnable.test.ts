import { databaseNotRunnable } from './databaseNotRunnable';
import { cluster } from '../__testUtils__/statusFixtures';
import type { ProblemDetectorInput } from './types';

const withState = (state: string) =>
  ({
    components: [],
    cluster: cluster(),
    database: {
      ok: true,
      status: { instance: 'p:europe-west3:codemie', state },
    },
  }) as unknown as ProblemDetectorInput;

describe('databaseNotRunnable', () => {
  it('finds nothing while RUNNABLE, or when the instance could not be read', () => {
    expect(databaseNotRunnable(withState('RUNNABLE'))).toEqual([]);
    expect(
      databaseNotRunnable({
        ...withState('RUNNABLE'),
        database: { ok: false, instance: 'p:r:i', error: 'x' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['FAILED', 'error'],
    ['SUSPENDED', 'error'],
    ['MAINTENANCE', 'warning'],
    ['PENDING_CREATE', 'warning'],
  ])('%s is a %s', (state, severity) => {
    expect(databaseNotRunnable(withState(state))).toEqual([
      {
        severity,
        component: 'postgresql',
        title: `Cloud SQL instance is ${state}`,
        detail: `p:europe-west3:codemie reports state ${state}.`,
        fix: "See the instance's operations in the Cloud SQL console; CodeMie cannot serve until the instance is RUNNABLE.",
      },
    ]);
  });
});
