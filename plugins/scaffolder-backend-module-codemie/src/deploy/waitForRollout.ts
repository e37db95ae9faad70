/**
 * Waits until every workload of an environment has rolled out, polling each workload kind once
 * per round (cluster-wide, by the environment's label) rather than each object. Logs a line per
 * component when its ready count changes. Fails on timeout — or earlier, when a pod's problem is
 * definitive and persists — with a report per not-ready component and the cause of each
 * not-ready pod.
 */
import { Clock, realClock } from '@codemie-gcp/plugin-codemie-node';
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  V1DaemonSet,
  V1Deployment,
  V1Pod,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { DEPLOY_LABELS, DeployComponentId, RenderedWorkload } from './render';
import {
  NodeFree,
  PodDiagnosis,
  diagnosePod,
  parseCpuMillis,
  parseMemoryMiB,
  podRequests,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * A workload to wait for, with its component.
 *
 * @public
 */
export type WatchedWorkload = RenderedWorkload & {
  componentId: DeployComponentId;
};

/** Rollout state of one component. @public */
export interface ComponentRollout {
  /** The component. */
  id: DeployComponentId;
  /** Pods ready now. */
  ready: number;
  /** Pods expected. */
  expected: number;
  /** Every workload is rolled out (updated, ready, observed). */
  done: boolean;
}

/** A not-ready component in the failure report. @internal */
export interface ComponentProblem {
  id: DeployComponentId;
  ready: number;
  expected: number;
  pods: PodDiagnosis[];
}

/** The rollout did not finish; `problems` says why, per component. @internal */
export class RolloutError extends Error {
  constructor(
    message: string,
    readonly problems: ComponentProblem[],
    readonly components: ComponentRollout[],
  ) {
    super(message);
    this.name = 'RolloutError';
  }
}

/**
 * Options of {@link waitForRollout}.
 *
 * @public
 */
export interface WaitOptions {
  /** The environment's name (its workloads' `codemie.ai/environment` label). */
  environment: string;
  /** The workloads to wait for. */
  workloads: WatchedWorkload[];
  /** How long to wait, ms. */
  timeoutMs: number;
  /** Between polling rounds (default 2000 ms). */
  pollIntervalMs?: number;
  /** A definitive problem that lasts this long fails the wait before the timeout (default 120 s). */
  failFastMs?: number;
  /** Aborts the wait (the scaffolder task was cancelled). */
  signal?: AbortSignal;
  /** The clock the polls wait on and the timeout is measured by; default the real one. */
  clock?: Clock;
  /** Called with a line on the rollout's progress. */
  onProgress?: (line: string) => void;
}

type Workload = V1Deployment | V1StatefulSet | V1DaemonSet;

function rolledOut(
  kind: RenderedWorkload['kind'],
  w: Workload | undefined,
  expected: number,
): { ready: number; expected: number; done: boolean } {
  if (!w) return { ready: 0, expected, done: false };
  const observed =
    (w.status?.observedGeneration ?? 0) >= (w.metadata?.generation ?? 1);
  if (kind === 'DaemonSet') {
    const s = (w as V1DaemonSet).status;
    const desired = s?.desiredNumberScheduled ?? 0;
    const ready = s?.numberReady ?? 0;
    return {
      ready,
      expected: desired,
      done:
        observed &&
        desired > 0 &&
        ready === desired &&
        (s?.updatedNumberScheduled ?? 0) === desired,
    };
  }
  const s = (w as V1Deployment | V1StatefulSet).status;
  const replicas = (w as V1Deployment).spec?.replicas ?? expected;
  const ready = s?.readyReplicas ?? 0;
  const updated = s?.updatedReplicas ?? 0;
  // Old pods still counted during a rolling update mean it is not over.
  const total = s?.replicas ?? 0;
  return {
    ready: Math.min(ready, replicas),
    expected: replicas,
    done:
      observed && ready >= replicas && updated >= replicas && total <= replicas,
  };
}

const key = (ns?: string, name?: string) => `${ns}/${name}`;

/** Free allocatable per node (allocatable minus the requests of the live pods on it). */
export async function nodesFree(core: CoreV1Api): Promise<NodeFree[]> {
  const [nodes, pods] = await Promise.all([
    core.listNode(),
    core.listPodForAllNamespaces({
      fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
    }),
  ]);
  return nodes.items.map(n => {
    const onNode = pods.items
      .filter(p => p.spec?.nodeName === n.metadata?.name)
      .map(podRequests);
    return {
      name: n.metadata?.name ?? '?',
      cpuMillis:
        parseCpuMillis(n.status?.allocatable?.cpu) -
        onNode.reduce((a, r) => a + r.cpuMillis, 0),
      memoryMiB:
        parseMemoryMiB(n.status?.allocatable?.memory) -
        onNode.reduce((a, r) => a + r.memoryMiB, 0),
    };
  });
}

/**
 * Waits for the rollout of `workloads`. Returns every component's final state.
 *
 * @throws RolloutError on timeout or a definitive problem; the message is the report.
 *
 * @public
 */
export async function waitForRollout(
  kc: KubeConfig,
  options: WaitOptions,
): Promise<ComponentRollout[]> {
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const labelSelector = `${DEPLOY_LABELS.environment}=${options.environment}`;
  const pollMs = options.pollIntervalMs ?? 2000;
  const failFastMs = options.failFastMs ?? 120_000;
  const clock = options.clock ?? realClock;
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const components = [...new Set(options.workloads.map(w => w.componentId))];
  const lastLine = new Map<DeployComponentId, string>();
  const problemSince = new Map<string, number>();

  for (;;) {
    options.signal?.throwIfAborted();
    const [deployments, statefulSets, daemonSets] = await Promise.all([
      apps.listDeploymentForAllNamespaces({ labelSelector }),
      apps.listStatefulSetForAllNamespaces({ labelSelector }),
      apps.listDaemonSetForAllNamespaces({ labelSelector }),
    ]);
    const byKind: Record<string, Map<string, Workload>> = {
      Deployment: new Map(
        deployments.items.map(w => [
          key(w.metadata?.namespace, w.metadata?.name),
          w,
        ]),
      ),
      StatefulSet: new Map(
        statefulSets.items.map(w => [
          key(w.metadata?.namespace, w.metadata?.name),
          w,
        ]),
      ),
      DaemonSet: new Map(
        daemonSets.items.map(w => [
          key(w.metadata?.namespace, w.metadata?.name),
          w,
        ]),
      ),
    };
    const states: ComponentRollout[] = components.map(id => {
      const parts = options.workloads
        .filter(w => w.componentId === id)
        .map(w =>
          rolledOut(
            w.kind,
            byKind[w.kind].get(key(w.namespace, w.name)),
            w.replicas,
          ),
        );
      return {
        id,
        ready: parts.reduce((n, p) => n + p.ready, 0),
        expected: parts.reduce((n, p) => n + p.expected, 0),
        done: parts.every(p => p.done),
      };
    });
    for (const s of states) {
      const line = `${s.id} ${s.ready}/${s.expected} ready`;
      if (lastLine.get(s.id) !== line) {
        lastLine.set(s.id, line);
        options.onProgress?.(line);
      }
    }
    const pending = states.filter(s => !s.done);
    if (pending.length === 0) return states;

    // Pods of the components still rolling out: is anything definitively wrong?
    const pendingIds = new Set(pending.map(s => s.id));
    const pods = (
      await core.listPodForAllNamespaces({ labelSelector })
    ).items.filter(p =>
      pendingIds.has(
        p.metadata?.labels?.[DEPLOY_LABELS.component] as DeployComponentId,
      ),
    );
    const now = clock.now();
    const diagnoses = pods.map(p => ({ pod: p, d: diagnosePod(p) }));
    const live = new Set<string>();
    let definitiveFor = 0;
    for (const { d } of diagnoses) {
      if (!d.definitive) continue;
      const k = `${d.pod}|${d.reason}`;
      live.add(k);
      if (!problemSince.has(k)) problemSince.set(k, now);
      definitiveFor = Math.max(definitiveFor, now - problemSince.get(k)!);
    }
    for (const k of [...problemSince.keys()])
      if (!live.has(k)) problemSince.delete(k);

    const timedOut = now >= deadline;
    if (timedOut || (definitiveFor > 0 && definitiveFor >= failFastMs)) {
      const problems = await report(
        core,
        pending,
        diagnoses.map(x => x.pod),
      );
      const seconds = Math.round((now - started) / 1000);
      const head = timedOut
        ? `CodeMie environment ${options.environment} is not ready after ${seconds} s (timeout)`
        : `CodeMie environment ${options.environment} cannot become ready (a problem has persisted for ${Math.round(definitiveFor / 1000)} s)`;
      const body = problems
        .map(
          p =>
            `${p.id} ${p.ready}/${p.expected} ready:\n${
              p.pods.length
                ? p.pods.map(d => `  ${d.pod} ${d.message}`).join('\n')
                : "  no pod created yet (see the workload's events)"
            }`,
        )
        .join('\n');
      throw new RolloutError(
        `${head}: ${problems.length} of ${states.length} components not ready.\n${body}`,
        problems,
        states,
      );
    }
    await clock.sleep(
      Math.min(pollMs, Math.max(0, deadline - clock.now())),
      options.signal,
    );
  }
}

/** A report per not-ready component: each not-ready pod with its cause (events, shortfall). */
async function report(
  core: CoreV1Api,
  pending: ComponentRollout[],
  pods: V1Pod[],
): Promise<ComponentProblem[]> {
  const notReady = pods.filter(p => diagnosePod(p).reason !== 'Ready');
  const unschedulable = notReady.some(
    p => diagnosePod(p).reason === 'Unschedulable',
  );
  const free = unschedulable
    ? await nodesFree(core).catch(() => undefined)
    : undefined;
  const eventsOf = async (p: V1Pod) =>
    (
      await core
        .listNamespacedEvent({
          namespace: p.metadata!.namespace!,
          fieldSelector: `involvedObject.name=${p.metadata!.name}`,
        })
        .catch(() => ({ items: [] }))
    ).items;
  return Promise.all(
    pending.map(async c => {
      // At most five pods per component: enough to see the pattern, short enough to read.
      const mine = notReady
        .filter(p => p.metadata?.labels?.[DEPLOY_LABELS.component] === c.id)
        .slice(0, 5);
      const diagnoses = await Promise.all(
        mine.map(async p => diagnosePod(p, await eventsOf(p), free)),
      );
      return {
        id: c.id,
        ready: c.ready,
        expected: c.expected,
        pods: diagnoses,
      };
    }),
  );
}
