import {
  ResourceGraphError,
  criticalPath,
  runResourceGraph,
} from './runResourceGraph';

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

describe('runResourceGraph', () => {
  const graph = [
    { id: 'network', dependsOn: [] },
    { id: 'subnet', dependsOn: ['network'] },
    { id: 'router', dependsOn: ['network'] },
    { id: 'cluster', dependsOn: ['subnet'] },
    { id: 'sql', dependsOn: ['network'] },
  ];

  it('starts every node as soon as its dependencies are done', async () => {
    const events: string[] = [];
    await runResourceGraph(graph, async node => {
      events.push(`start ${node.id}`);
      await sleep(node.id === 'sql' ? 30 : 5);
      events.push(`end ${node.id}`);
    });
    // subnet, router and sql start together after network; cluster starts before sql ends.
    expect(events.slice(0, 5)).toEqual([
      'start network',
      'end network',
      'start subnet',
      'start router',
      'start sql',
    ]);
    expect(events.indexOf('start cluster')).toBeLessThan(
      events.indexOf('end sql'),
    );
  });

  it('stops launching after a failure, lets running nodes finish and reports what exists', async () => {
    const finished: string[] = [];
    const error = await runResourceGraph(graph, async node => {
      if (node.id === 'subnet') throw new Error('quota exceeded');
      await sleep(10);
      finished.push(node.id);
    }).catch(e => e);
    expect(error).toBeInstanceOf(ResourceGraphError);
    expect(error.failedId).toBe('subnet');
    expect(error.message).toBe('subnet failed: quota exceeded');
    expect(error.completed).toEqual(
      expect.arrayContaining(['network', 'router', 'sql']),
    );
    expect(error.notStarted).toEqual(['cluster']);
    expect(finished).not.toContain('cluster');
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
