import {
  ResourceGraphError,
  criticalPath,
  runResourceGraph,
} from './runResourceGraph';

/**
 * Each node's run as a promise the test settles, so the order of events is what the test makes
 * it, never the timing of the machine.
 */
function controlledRuns() {
  const started: string[] = [];
  const settle = new Map<
    string,
    { resolve: () => void; reject: (e: Error) => void }
  >();
  const run = (node: { id: string }) =>
    new Promise<void>((resolve, reject) => {
      started.push(node.id);
      settle.set(node.id, { resolve, reject });
    });
  return {
    run,
    started,
    /** Ends a running node and lets the runner react (promise jobs only; no timer). */
    async finish(id: string, error?: Error) {
      const s = settle.get(id);
      if (!s) throw new Error(`${id} is not running`);
      if (error) s.reject(error);
      else s.resolve();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe('runResourceGraph', () => {
  const graph = [
    { id: 'network', dependsOn: [] },
    { id: 'subnet', dependsOn: ['network'] },
    { id: 'router', dependsOn: ['network'] },
    { id: 'cluster', dependsOn: ['subnet'] },
    { id: 'sql', dependsOn: ['network'] },
  ];

  it('starts every node as soon as its dependencies are done', async () => {
    const runs = controlledRuns();
    const finished = runResourceGraph(graph, runs.run);
    expect(runs.started).toEqual(['network']);
    // subnet, router and sql start together once network is done.
    await runs.finish('network');
    expect(runs.started).toEqual(['network', 'subnet', 'router', 'sql']);
    // cluster starts as soon as subnet is done, while sql is still running.
    await runs.finish('subnet');
    expect(runs.started).toEqual([
      'network',
      'subnet',
      'router',
      'sql',
      'cluster',
    ]);
    await runs.finish('cluster');
    await runs.finish('router');
    await runs.finish('sql');
    await expect(finished).resolves.toEqual([
      'network',
      'subnet',
      'cluster',
      'router',
      'sql',
    ]);
  });

  it('stops launching after a failure, lets running nodes finish and reports what exists', async () => {
    const runs = controlledRuns();
    const result = runResourceGraph(graph, runs.run).catch(e => e);
    await runs.finish('network');
    await runs.finish('subnet', new Error('quota exceeded'));
    // router and sql were running: they finish; cluster, which needed subnet, never starts.
    await runs.finish('router');
    await runs.finish('sql');
    const error = await result;
    expect(error).toBeInstanceOf(ResourceGraphError);
    expect(error.failedId).toBe('subnet');
    expect(error.message).toBe('subnet failed: quota exceeded');
    expect(error.completed).toEqual(['network', 'router', 'sql']);
    expect(error.notStarted).toEqual(['cluster']);
    expect(runs.started).not.toContain('cluster');
  });

  it('waits for the nodes still running before reporting a failure', async () => {
    const runs = controlledRuns();
    let settled = false;
    const result = runResourceGraph(graph, runs.run)
      .catch(e => e)
      .finally(() => {
        settled = true;
      });
    await runs.finish('network');
    await runs.finish('subnet', new Error('quota exceeded'));
    await runs.finish('router');
    // sql (a cloud operation) is still running: the failure is not reported before it ends.
    expect(settled).toBe(false);
    await runs.finish('sql');
    expect((await result).completed).toEqual(['network', 'router', 'sql']);
  });

  it('refuses cycles and unknown dependencies before running anything', async () => {
    const run = jest.fn(async () => {});
    await expect(
      runResourceGraph(
        [
          { id: 'a', dependsOn: ['b'] },
          { id: 'b', dependsOn: ['a'] },
        ],
        run,
      ),
    ).rejects.toThrow('dependency cycle');
    await expect(
      runResourceGraph([{ id: 'a', dependsOn: ['x'] }], run),
    ).rejects.toThrow('a depends on unknown resource x');
    expect(run).not.toHaveBeenCalled();
  });

  it('starts nothing new once cancelled', async () => {
    const controller = new AbortController();
    const error = await runResourceGraph(
      graph,
      async node => {
        if (node.id === 'network') controller.abort();
      },
      { signal: controller.signal },
    ).catch(e => e);
    expect(error).toBeInstanceOf(ResourceGraphError);
    expect(error.completed).toEqual(['network']);
    expect(error.notStarted).toHaveLength(4);
  });
});

describe('criticalPath', () => {
  it('is the longest weighted path', () => {
    const durations: Record<string, number> = {
      network: 20,
      subnet: 10,
      router: 30,
      cluster: 600,
      sql: 500,
    };
    expect(
      criticalPath(
        [
          { id: 'network', dependsOn: [] },
          { id: 'subnet', dependsOn: ['network'] },
          { id: 'router', dependsOn: ['network'] },
          { id: 'cluster', dependsOn: ['subnet'] },
          { id: 'sql', dependsOn: ['network'] },
        ],
        n => durations[n.id],
      ),
    ).toBe(630);
  });
});
