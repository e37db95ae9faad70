/**
 * A node of a dependency graph.
 *
 * @public
 */
export interface GraphNode {
  /** The resource's id in the plan. */
  id: string;
  /** Ids of the resources that must exist first. */
  dependsOn: string[];
}

/**
 * Thrown when a node of the graph failed: says what finished, what failed and what never started,
 * so the user knows what exists.
 */
export class ResourceGraphError extends Error {
  constructor(
    readonly failedId: string,
    readonly cause: unknown,
    readonly completed: string[],
    readonly notStarted: string[],
    readonly alsoFailed: string[],
  ) {
    super(
      `${failedId} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'ResourceGraphError';
  }
}

/**
 * Runs `run` for every node once all of its dependencies have finished, with as many nodes in
 * flight as the graph allows. After the first failure no new node starts; nodes already running
 * are allowed to finish (a cloud operation cannot be taken back mid-flight), then the failure is
 * thrown as a {@link ResourceGraphError}.
 *
 * @returns the ids in the order they finished.
 */
export async function runResourceGraph<N extends GraphNode>(
  nodes: readonly N[],
  run: (node: N) => Promise<void>,
  options: { signal?: AbortSignal } = {},
): Promise<string[]> {
  const byId = new Map(nodes.map(n => [n.id, n]));
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      if (!byId.has(dep)) {
        throw new Error(`${node.id} depends on unknown resource ${dep}`);
      }
    }
  }
  assertAcyclic(nodes, byId);

  const completed: string[] = [];
  const done = new Set<string>();
  const started = new Set<string>();
  const failures: Array<{ id: string; error: unknown }> = [];
  const inFlight = new Map<string, Promise<void>>();

  const launchReady = () => {
    if (failures.length > 0 || options.signal?.aborted) return;
    for (const node of nodes) {
      if (started.has(node.id)) continue;
      if (!node.dependsOn.every(d => done.has(d))) continue;
      started.add(node.id);
      const promise = run(node).then(
        () => {
          done.add(node.id);
          completed.push(node.id);
        },
        error => {
          failures.push({ id: node.id, error });
        },
      );
      inFlight.set(
        node.id,
        promise.finally(() => inFlight.delete(node.id)),
      );
    }
  };

  launchReady();
  while (inFlight.size > 0) {
    await Promise.race(inFlight.values());
    launchReady();
  }

  const notStarted = nodes.filter(n => !started.has(n.id)).map(n => n.id);
  if (failures.length > 0) {
    const [first, ...rest] = failures;
    throw new ResourceGraphError(
      first.id,
      first.error,
      completed,
      notStarted,
      rest.map(f => f.id),
    );
  }
  if (options.signal?.aborted && notStarted.length > 0) {
    throw new ResourceGraphError(
      notStarted[0],
      new Error('cancelled'),
      completed,
      notStarted,
      [],
    );
  }
  return completed;
}

function assertAcyclic<N extends GraphNode>(
  nodes: readonly N[],
  byId: Map<string, N>,
): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting') {
      throw new Error(`dependency cycle: ${[...path, id].join(' -> ')}`);
    }
    state.set(id, 'visiting');
    for (const dep of byId.get(id)!.dependsOn) visit(dep, [...path, id]);
    state.set(id, 'done');
  };
  for (const node of nodes) visit(node.id, []);
}

/**
 * The length of the longest path through the graph, weighting each node by `duration`: the
 * least wall time any schedule can achieve. Used by the provisioning benchmark.
 *
 * @public
 */
export function criticalPath<N extends GraphNode>(
  nodes: readonly N[],
  duration: (node: N) => number,
): number {
  const byId = new Map(nodes.map(n => [n.id, n]));
  const finish = new Map<string, number>();
  const finishOf = (node: N): number => {
    const known = finish.get(node.id);
    if (known !== undefined) return known;
    const start = Math.max(
      0,
      ...node.dependsOn.map(d => finishOf(byId.get(d)!)),
    );
    const end = start + duration(node);
    finish.set(node.id, end);
    return end;
  };
  return Math.max(0, ...nodes.map(finishOf));
}
