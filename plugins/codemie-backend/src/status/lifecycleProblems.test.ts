import { lifecycleHealth, lifecycleProblems } from './lifecycleProblems';

describe('lifecycleProblems: a resize', () => {
  const since = '2026-11-30T10:00:00.000Z';

  it('in progress: a warning that says what is happening, without lowering the live verdict', () => {
    const lifecycle = {
      state: 'resizing',
      since,
      taskId: 'task-9',
      clusterReadable: true,
    };
    const [problem] = lifecycleProblems(lifecycle as any, 'team-dev');
    expect(problem).toMatchObject({
      severity: 'warning',
      title: 'Being resized',
    });
    expect(problem.detail).toContain('task task-9');
    expect(lifecycleHealth(lifecycle as any)).toBeUndefined();
  });

  it('stopped: says why and how to finish it, and that the environment still serves', () => {
    const lifecycle = {
      state: 'resizing',
      since,
      lastError: 'resize: node pool team-dev-pool-2: Quota CPUS exceeded',
      clusterReadable: true,
    };
    const [problem] = lifecycleProblems(lifecycle as any, 'team-dev');
    expect(problem.title).toBe('Resize stopped before the end');
    expect(problem.detail).toContain('Quota CPUS exceeded');
    expect(problem.fix).toContain(
      '"Resize CodeMie environment" for team-dev again',
    );
    expect(problem.fix).toContain('keeps serving');
    expect(lifecycleHealth(lifecycle as any)).toBe('warning');
  });
});
