import { unreadableDatabase } from './unreadableDatabase';
import { cluster } from '../__testUtils__/statusFixtures';
import type { ProblemDetectorInput } from './types';

const input = (database: ProblemDetectorInput['database']) =>
  ({
    components: [],
    cluster: cluster(),
    database,
  }) as unknown as ProblemDetectorInput;

describe('unreadableDatabase', () => {
  it('finds nothing when the instance was read or none is annotated', () => {
    expect(unreadableDatabase(input(undefined))).toEqual([]);
    expect(
      unreadableDatabase(
        input({ ok: true, status: { instance: 'p:r:i', state: 'RUNNABLE' } }),
      ),
    ).toEqual([]);
  });

  it('warns with the error and the role the backend needs', () => {
    expect(
      unreadableDatabase(
        input({ ok: false, instance: 'p:r:i', error: '403 Forbidden' }),
      ),
    ).toEqual([
      expect.objectContaining({
        severity: 'warning',
        component: 'postgresql',
        title: 'The Cloud SQL instance could not be read',
        detail: '403 Forbidden',
        fix: expect.stringContaining('roles/cloudsql.viewer'),
      }),
    ]);
  });
});
