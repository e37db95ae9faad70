/**
 * A pod's life on its node, in simulated time: pulling, creating, running, ready — or
 * ErrImagePull/ImagePullBackOff, CrashLoopBackOff, OOMKilled. When a pod is bound, the kubelet
 * model writes a *plan* (when each step happens); the pod's status and its events at any moment
 * are pure functions of that plan and the time. Nothing runs on timers, so the same plan read at
 * the same simulated time always gives the same status, and seeding can backdate a plan to make
 * a pod Running at once.
 */
import { CrashRule, WorkloadBehaviour } from './behaviour';
import { fnv32a } from './json';
import { KubernetesObject } from './types';

/** One container's timeline (all times are simulated epoch ms). */
export interface ContainerPlan {
  name: string;
  image: string;
  init: boolean;
  pullStart: number;
  /** Image cannot be pulled: the container never starts. */
  pullFails: boolean;
  /** The image was on the node already ("already present on machine"). */
  present: boolean;
  pulledAt: number;
  startedAt: number;
  readyDelayMs: number;
  /** Init containers: run time until Completed. */
  initRunMs: number;
  crash?: CrashPlan;
}

/** A crashing container's timeline. */
export interface CrashPlan {
  rule: CrashRule;
  /** When the first run ends. */
  firstEnd: number;
  /**
   * For a `wall-clock` back-off (see {@link CrashRule.backoff}): from `from` on, the kubelet's
   * timers (back-off delays, the 10-minute reset) last `scale` times longer in simulated time.
   */
  wallClock?: WallClock;
}

/**
 * How real time maps onto the sandbox's simulated time from a moment on: `scale` simulated
 * milliseconds per real millisecond (1000 / the clock's timeScale).
 */
export interface WallClock {
  from: number;
  scale: number;
}

/** A bound pod's plan. */
export interface PodPlan {
  uid: string;
  nodeName: string;
  hostIP: string;
  podIP: string;
  scheduledAt: number;
  initContainers: ContainerPlan[];
  containers: ContainerPlan[];
}

/** One event a pod has emitted, aggregated as the API server aggregates repeats. */
export interface EventOccurrence {
  /** Stable key within the pod, used to name the Event object. */
  key: string;
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count: number;
  first: number;
  last: number;
  fieldPath?: string;
  component: 'kubelet' | 'default-scheduler';
}

const PULL_FAIL_MS = 2_000;
const ERR_IMAGE_PULL_SHOWN_MS = 5_000;

/*
 * The kubelet's container restart back-off, as Kubernetes documents it in "How Pods handle
 * problems with containers" and "Container restart policy"
 * (https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts):
 * the first restart after a crash is immediate; further restarts wait an exponential back-off
 * of 10 s, 20 s, 40 s, … capped at 5 minutes; once a container has run for 10 minutes without a
 * problem, the back-off is reset and its next crash counts as the first.
 */
const BACKOFF_INITIAL_MS = 10_000;
const BACKOFF_MAX_MS = 300_000;
const BACKOFF_RESET_AFTER_RUNNING_MS = 600_000;

/**
 * The kubelet's delay before restarting a container that has just crashed for the
 * `crashesInARow`-th time in a row (1 = first crash, restarted at once).
 */
export function restartDelayMs(crashesInARow: number): number {
  if (crashesInARow <= 1) return 0;
  return Math.min(
    BACKOFF_INITIAL_MS * 2 ** (crashesInARow - 2),
    BACKOFF_MAX_MS,
  );
}

/** Image pull back-off after failed pull `attempt` (0-based): 10 s doubling to 5 min. */
function pullBackoffMs(attempt: number): number {
  return Math.min(BACKOFF_INITIAL_MS * 2 ** attempt, BACKOFF_MAX_MS);
}

/** A duration as Go's time.Duration prints it (the kubelet's "back-off 5m0s"): 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${seconds % 60}s`;
  return `${Math.floor(minutes / 60)}h${minutes % 60}m${seconds % 60}s`;
}

/** Images present (or being pulled) on each node: image → when the pull completes. */
export type ImageCache = Map<string, Map<string, number>>;

function containerId(uid: string, name: string, run: number): string {
  const h = [0, 1, 2, 3, 4, 5, 6, 7]
    .map(i =>
      fnv32a(`${uid}/${name}/${run}/${i}`).toString(16).padStart(8, '0'),
    )
    .join('');
  return `containerd://${h}`;
}

function imageId(image: string): string {
  const digest = [0, 1, 2, 3, 4, 5, 6, 7]
    .map(i => fnv32a(`${image}/${i}`).toString(16).padStart(8, '0'))
    .join('');
  return `${image.split(':')[0]}@sha256:${digest}`;
}

/**
 * Plans a pod bound to `nodeName` at `scheduledAt`. Reads durations and faults from
 * `behaviour` and records pulled images in `cache` (the second pod on a node finds its image
 * present).
 */
export function planPod(
  pod: KubernetesObject,
  nodeName: string,
  hostIP: string,
  podIP: string,
  scheduledAt: number,
  behaviour: WorkloadBehaviour,
  cache: ImageCache,
  wallClock?: WallClock,
): PodPlan {
  const images = cache.get(nodeName) ?? new Map<string, number>();
  cache.set(nodeName, images);
  const pull = (container: any, at: number) => {
    const image: string = container.image;
    const d = behaviour.durationsFor(pod, container);
    if (behaviour.isMissing(image))
      return { pullFails: true, present: false, pulledAt: Infinity };
    const known = images.get(image);
    const always =
      container.imagePullPolicy === 'Always' ||
      (!container.imagePullPolicy &&
        /(:latest$|^[^:]+$)/.test(image.split('/').pop() ?? ''));
    if (known !== undefined && known <= at && !always)
      return { pullFails: false, present: true, pulledAt: at };
    const pulledAt =
      known !== undefined
        ? Math.max(known, at + (always ? 1000 : 0))
        : at + d.pullSeconds * 1000;
    if (known === undefined) images.set(image, pulledAt);
    return { pullFails: false, present: false, pulledAt };
  };
  let t = scheduledAt + 1000; // pod sandbox and volumes first
  const initContainers: ContainerPlan[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const d = behaviour.durationsFor(pod, c);
    const p = pull(c, t);
    const startedAt = p.pulledAt + 1000;
    initContainers.push({
      name: c.name,
      image: c.image,
      init: true,
      pullStart: t,
      ...p,
      startedAt,
      readyDelayMs: 0,
      initRunMs: d.initRunSeconds * 1000,
      crash: undefined,
    });
    t = startedAt + d.initRunSeconds * 1000;
  }
  const containers: ContainerPlan[] = (pod.spec?.containers ?? []).map(
    (c: any) => {
      const d = behaviour.durationsFor(pod, c);
      const p = pull(c, t);
      const startedAt = p.pulledAt + d.startSeconds * 1000;
      const readySeconds = Math.max(
        d.readySeconds,
        c.readinessProbe?.initialDelaySeconds ?? 0,
        c.startupProbe?.initialDelaySeconds ?? 0,
      );
      const rule = behaviour.crashFor(pod, c);
      return {
        name: c.name,
        image: c.image,
        init: false,
        pullStart: t,
        ...p,
        startedAt,
        readyDelayMs: readySeconds * 1000,
        initRunMs: 0,
        crash: rule
          ? crashPlan(rule, startedAt + rule.runSeconds * 1000, wallClock)
          : undefined,
      };
    },
  );
  return {
    uid: pod.metadata!.uid!,
    nodeName,
    hostIP,
    podIP,
    scheduledAt,
    initContainers,
    containers,
  };
}

function crashPlan(
  rule: CrashRule,
  firstEnd: number,
  wallClock: WallClock | undefined,
): CrashPlan {
  return rule.backoff === 'wall-clock' && wallClock
    ? { rule, firstEnd, wallClock }
    : { rule, firstEnd };
}

/**
 * Applies crash rules added after the pod was planned: running containers crash from `now`
 * (a `wall-clock` rule's back-off runs in real time from `wallClock.from`).
 */
export function replanCrashes(
  plan: PodPlan,
  pod: KubernetesObject,
  behaviour: WorkloadBehaviour,
  now: number,
  wallClock?: WallClock,
): void {
  const specs: any[] = pod.spec?.containers ?? [];
  for (const c of plan.containers) {
    if (c.crash || c.pullFails) continue;
    const rule = behaviour.crashFor(
      pod,
      specs.find(s => s.name === c.name) ?? { name: c.name, image: c.image },
    );
    if (rule)
      c.crash = crashPlan(
        rule,
        Math.max(now, c.startedAt) + rule.runSeconds * 1000,
        wallClock,
      );
  }
}

interface Run {
  index: number;
  start: number;
  end: number;
  /** The kubelet's back-off after this run ends (0: restarted at once). */
  backoffMs: number;
}

/** Simulated milliseconds one millisecond of a kubelet timer takes at simulated time `t`. */
function timerScale(crash: CrashPlan, t: number): number {
  return crash.wallClock && t >= crash.wallClock.from
    ? crash.wallClock.scale
    : 1;
}

/** Runs of a crashing container up to `t` (the last may still be running). */
function runsUntil(c: ContainerPlan, t: number): Run[] {
  const runs: Run[] = [];
  if (t < c.startedAt) return runs;
  const crash = c.crash;
  if (!crash)
    return [{ index: 0, start: c.startedAt, end: Infinity, backoffMs: 0 }];
  const runMs = crash.rule.runSeconds * 1000;
  let start = c.startedAt;
  let end = crash.firstEnd;
  let crashesInARow = 0;
  for (let i = 0; start <= t; i++) {
    const scale = timerScale(crash, end);
    crashesInARow =
      end - start >= BACKOFF_RESET_AFTER_RUNNING_MS * scale
        ? 1
        : crashesInARow + 1;
    const backoffMs = restartDelayMs(crashesInARow);
    runs.push({ index: i, start, end, backoffMs });
    start = end + backoffMs * scale;
    end = start + runMs;
    if (runs.length > 100_000) break;
  }
  return runs;
}

/** Pull attempts of an image that cannot be pulled, up to `t`. */
function pullAttempts(
  c: ContainerPlan,
  t: number,
): Array<{ start: number; fail: number; index: number }> {
  const attempts = [];
  let start = c.pullStart;
  for (let i = 0; start <= t; i++) {
    attempts.push({ start, fail: start + PULL_FAIL_MS, index: i });
    start = start + PULL_FAIL_MS + pullBackoffMs(i);
    if (attempts.length > 100_000) break;
  }
  return attempts;
}

const iso = (ms: number) =>
  new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pullErrorMessage(image: string): string {
  const ref = image.includes('/') ? image : `docker.io/library/${image}`;
  return `rpc error: code = NotFound desc = failed to pull and unpack image "${ref}": failed to resolve reference "${ref}": ${ref}: not found`;
}

/** The state of one container at `t`. */
interface ContainerView {
  status: Record<string, unknown>;
  ready: boolean;
  startedOnce: boolean;
  /** Init containers: finished successfully. */
  completed: boolean;
  readySince?: number;
  notReadySince?: number;
}

function viewContainer(
  plan: PodPlan,
  c: ContainerPlan,
  pod: KubernetesObject,
  t: number,
  blockedUntil: number,
): ContainerView {
  const base = {
    name: c.name,
    image: c.image,
    imageID: '',
    restartCount: 0,
    started: false,
    ready: false,
  };
  const waiting = (reason: string, message?: string): ContainerView => ({
    status: {
      ...base,
      state: { waiting: { reason, ...(message ? { message } : {}) } },
      lastState: {},
    },
    ready: false,
    startedOnce: false,
    completed: false,
    notReadySince: plan.scheduledAt,
  });
  if (t < blockedUntil) return waiting('PodInitializing');
  if (c.pullFails) {
    const attempts = pullAttempts(c, t);
    const failed = attempts.filter(a => a.fail <= t);
    if (failed.length === 0) return waiting('ContainerCreating');
    const last = failed[failed.length - 1];
    const fresh = t < last.fail + ERR_IMAGE_PULL_SHOWN_MS;
    return fresh
      ? waiting('ErrImagePull', pullErrorMessage(c.image))
      : waiting(
          'ImagePullBackOff',
          `Back-off pulling image "${c.image}": ErrImagePull: ${pullErrorMessage(c.image)}`,
        );
  }
  if (t < c.startedAt) return waiting('ContainerCreating');
  const withImage = { ...base, imageID: imageId(c.image) };
  if (c.init) {
    const done = c.startedAt + c.initRunMs;
    const id = containerId(plan.uid, c.name, 0);
    if (t < done) {
      return {
        status: {
          ...withImage,
          containerID: id,
          started: true,
          state: { running: { startedAt: iso(c.startedAt) } },
          lastState: {},
        },
        ready: false,
        startedOnce: true,
        completed: false,
      };
    }
    return {
      status: {
        ...withImage,
        containerID: id,
        started: false,
        ready: true,
        state: {
          terminated: {
            exitCode: 0,
            reason: 'Completed',
            startedAt: iso(c.startedAt),
            finishedAt: iso(done),
            containerID: id,
          },
        },
        lastState: {},
      },
      ready: true,
      startedOnce: true,
      completed: true,
    };
  }
  const runs = runsUntil(c, t);
  const current = runs[runs.length - 1];
  const previous = runs.length > 1 ? runs[runs.length - 2] : undefined;
  const terminated = (run: Run) => ({
    terminated: {
      exitCode: c.crash!.rule.exitCode,
      reason: c.crash!.rule.reason,
      startedAt: iso(run.start),
      finishedAt: iso(run.end),
      containerID: containerId(plan.uid, c.name, run.index),
    },
  });
  if (t < current.end) {
    const readyAt = current.start + c.readyDelayMs;
    const ready = t >= readyAt && readyAt < current.end;
    return {
      status: {
        ...withImage,
        containerID: containerId(plan.uid, c.name, current.index),
        restartCount: current.index,
        started: true,
        ready,
        state: { running: { startedAt: iso(current.start) } },
        lastState: previous ? terminated(previous) : {},
      },
      ready,
      startedOnce: true,
      completed: false,
      readySince: ready ? readyAt : undefined,
      notReadySince: ready ? undefined : (previous?.end ?? plan.scheduledAt),
    };
  }
  // Between runs: back-off.
  const podRef = `${pod.metadata?.name}_${pod.metadata?.namespace}(${plan.uid})`;
  return {
    status: {
      ...withImage,
      containerID: containerId(plan.uid, c.name, current.index),
      restartCount: current.index + 1,
      started: false,
      ready: false,
      state: {
        waiting: {
          reason: 'CrashLoopBackOff',
          message: `back-off ${goDuration(current.backoffMs)} restarting failed container=${c.name} pod=${podRef}`,
        },
      },
      lastState: terminated(current),
    },
    ready: false,
    startedOnce: true,
    completed: false,
    notReadySince: current.end,
  };
}

/** The pod's `.status` at simulated time `t`. */
export function podStatusAt(
  pod: KubernetesObject,
  plan: PodPlan,
  t: number,
): Record<string, unknown> {
  let blockedUntil = plan.scheduledAt + 1000;
  const initViews: ContainerView[] = [];
  let initDone = true;
  for (const c of plan.initContainers) {
    const v = viewContainer(plan, c, pod, t, blockedUntil);
    initViews.push(v);
    if (!v.completed) {
      initDone = false;
      blockedUntil = Infinity;
    } else {
      blockedUntil = c.startedAt + c.initRunMs;
    }
  }
  const initEnd = plan.initContainers.length
    ? Math.max(...plan.initContainers.map(c => c.startedAt + c.initRunMs))
    : plan.scheduledAt;
  const views = plan.containers.map(c =>
    viewContainer(plan, c, pod, t, initDone ? 0 : Infinity),
  );
  const allReady = views.length > 0 && views.every(v => v.ready);
  const running = views.every(v => v.startedOnce);
  const readyTransition = allReady
    ? Math.max(...views.map(v => v.readySince ?? plan.scheduledAt))
    : Math.max(...views.map(v => v.notReadySince ?? plan.scheduledAt));
  const notReadyNames = plan.containers
    .filter((_, i) => !views[i].ready)
    .map(c => c.name);
  const cond = (
    type: string,
    ok: boolean,
    since: number,
    reason?: string,
    message?: string,
  ) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: iso(since),
    ...(reason && !ok ? { reason, message } : {}),
  });
  const initPending = plan.initContainers
    .filter((_, i) => !initViews[i].completed)
    .map(c => c.name);
  return {
    phase: running ? 'Running' : 'Pending',
    conditions: [
      cond(
        'PodReadyToStartContainers',
        t >= plan.scheduledAt + 1000,
        plan.scheduledAt + 1000,
      ),
      cond(
        'Initialized',
        initDone,
        initDone ? initEnd : plan.scheduledAt,
        'ContainersNotInitialized',
        `containers with incomplete status: [${initPending.join(' ')}]`,
      ),
      cond(
        'Ready',
        allReady,
        readyTransition,
        'ContainersNotReady',
        `containers with unready status: [${notReadyNames.join(' ')}]`,
      ),
      cond(
        'ContainersReady',
        allReady,
        readyTransition,
        'ContainersNotReady',
        `containers with unready status: [${notReadyNames.join(' ')}]`,
      ),
      cond('PodScheduled', true, plan.scheduledAt),
    ],
    hostIP: plan.hostIP,
    hostIPs: [{ ip: plan.hostIP }],
    podIP: plan.podIP,
    podIPs: [{ ip: plan.podIP }],
    startTime: iso(plan.scheduledAt),
    ...(initViews.length
      ? { initContainerStatuses: initViews.map(v => v.status) }
      : {}),
    containerStatuses: views.map(v => v.status),
    qosClass: qosClass(pod),
  };
}

/** Guaranteed, Burstable or BestEffort, from requests and limits. */
export function qosClass(pod: KubernetesObject): string {
  const containers: any[] = [
    ...(pod.spec?.containers ?? []),
    ...(pod.spec?.initContainers ?? []),
  ];
  const any = containers.some(
    c =>
      Object.keys(c.resources?.requests ?? {}).length ||
      Object.keys(c.resources?.limits ?? {}).length,
  );
  if (!any) return 'BestEffort';
  const guaranteed = containers.every(c => {
    const l = c.resources?.limits ?? {};
    const r = c.resources?.requests ?? l;
    return (
      l.cpu &&
      l.memory &&
      String(r.cpu ?? l.cpu) === String(l.cpu) &&
      String(r.memory ?? l.memory) === String(l.memory)
    );
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** The events a bound pod has emitted up to `t` (kubelet's and the scheduler's Scheduled). */
export function podEventsAt(
  pod: KubernetesObject,
  plan: PodPlan,
  t: number,
): EventOccurrence[] {
  const out: EventOccurrence[] = [];
  const ns = pod.metadata?.namespace;
  const name = pod.metadata?.name;
  const push = (
    e: Omit<EventOccurrence, 'component'> & {
      component?: EventOccurrence['component'];
    },
  ) => {
    if (e.count > 0 && e.first <= t) out.push({ component: 'kubelet', ...e });
  };
  push({
    key: 'scheduled',
    reason: 'Scheduled',
    message: `Successfully assigned ${ns}/${name} to ${plan.nodeName}`,
    type: 'Normal',
    count: 1,
    first: plan.scheduledAt,
    last: plan.scheduledAt,
    component: 'default-scheduler',
  });
  for (const c of [...plan.initContainers, ...plan.containers]) {
    const fieldPath = `spec.${c.init ? 'initContainers' : 'containers'}{${c.name}}`;
    const k = (s: string) => `${c.init ? 'i' : 'c'}/${c.name}/${s}`;
    if (c.pullStart > t) continue;
    if (c.pullFails) {
      const attempts = pullAttempts(c, t);
      const fails = attempts.filter(a => a.fail <= t);
      const backoffs = fails.filter(a => a.fail + ERR_IMAGE_PULL_SHOWN_MS <= t);
      const span = (
        list: Array<{ start: number; fail: number }>,
        pick: (a: { start: number; fail: number }) => number,
        extra = 0,
      ) =>
        list.length
          ? {
              first: pick(list[0]) + extra,
              last: pick(list[list.length - 1]) + extra,
            }
          : { first: 0, last: 0 };
      push({
        key: k('pulling'),
        reason: 'Pulling',
        message: `Pulling image "${c.image}"`,
        type: 'Normal',
        count: attempts.length,
        ...span(attempts, a => a.start),
        fieldPath,
      });
      push({
        key: k('pullfailed'),
        reason: 'Failed',
        message: `Failed to pull image "${c.image}": ${pullErrorMessage(c.image)}`,
        type: 'Warning',
        count: fails.length,
        ...span(fails, a => a.fail),
        fieldPath,
      });
      push({
        key: k('errimagepull'),
        reason: 'Failed',
        message: 'Error: ErrImagePull',
        type: 'Warning',
        count: fails.length,
        ...span(fails, a => a.fail),
        fieldPath,
      });
      push({
        key: k('pullbackoff'),
        reason: 'BackOff',
        message: `Back-off pulling image "${c.image}"`,
        type: 'Normal',
        count: backoffs.length,
        ...span(backoffs, a => a.fail, ERR_IMAGE_PULL_SHOWN_MS),
        fieldPath,
      });
      push({
        key: k('imagepullbackoff'),
        reason: 'Failed',
        message: 'Error: ImagePullBackOff',
        type: 'Warning',
        count: backoffs.length,
        ...span(backoffs, a => a.fail, ERR_IMAGE_PULL_SHOWN_MS),
        fieldPath,
      });
      continue;
    }
    if (c.present) {
      push({
        key: k('present'),
        reason: 'Pulled',
        message: `Container image "${c.image}" already present on machine`,
        type: 'Normal',
        count: 1,
        first: c.pulledAt,
        last: c.pulledAt,
        fieldPath,
      });
    } else {
      push({
        key: k('pulling'),
        reason: 'Pulling',
        message: `Pulling image "${c.image}"`,
        type: 'Normal',
        count: 1,
        first: c.pullStart,
        last: c.pullStart,
        fieldPath,
      });
      if (c.pulledAt <= t) {
        const secs = ((c.pulledAt - c.pullStart) / 1000).toFixed(3);
        push({
          key: k('pulled'),
          reason: 'Pulled',
          message: `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting)`,
          type: 'Normal',
          count: 1,
          first: c.pulledAt,
          last: c.pulledAt,
          fieldPath,
        });
      }
    }
    if (c.init) {
      if (c.startedAt <= t) {
        push({
          key: k('created'),
          reason: 'Created',
          message: `Created container: ${c.name}`,
          type: 'Normal',
          count: 1,
          first: c.startedAt,
          last: c.startedAt,
          fieldPath,
        });
        push({
          key: k('started'),
          reason: 'Started',
          message: `Started container ${c.name}`,
          type: 'Normal',
          count: 1,
          first: c.startedAt,
          last: c.startedAt,
          fieldPath,
        });
      }
      continue;
    }
    const runs = runsUntil(c, t);
    if (runs.length === 0) continue;
    const lastRun = runs[runs.length - 1];
    push({
      key: k('created'),
      reason: 'Created',
      message: `Created container: ${c.name}`,
      type: 'Normal',
      count: runs.length,
      first: runs[0].start,
      last: lastRun.start,
      fieldPath,
    });
    push({
      key: k('started'),
      reason: 'Started',
      message: `Started container ${c.name}`,
      type: 'Normal',
      count: runs.length,
      first: runs[0].start,
      last: lastRun.start,
      fieldPath,
    });
    if (runs.length > 1) {
      push({
        key: k('repulled'),
        reason: 'Pulled',
        message: `Container image "${c.image}" already present on machine`,
        type: 'Normal',
        count: runs.length - 1,
        first: runs[1].start,
        last: lastRun.start,
        fieldPath,
      });
    }
    // The kubelet reports BackOff for the restarts it delayed (not the immediate first one).
    const ended = runs.filter(r => r.end <= t && r.backoffMs > 0);
    if (ended.length > 0) {
      push({
        key: k('backoff'),
        reason: 'BackOff',
        message: `Back-off restarting failed container ${c.name} in pod ${name}_${ns}(${plan.uid})`,
        type: 'Warning',
        count: ended.length,
        first: ended[0].end,
        last: ended[ended.length - 1].end,
        fieldPath,
      });
    }
  }
  return out;
}

/**
 * Container log lines at `t` (the current run, or the previous one when `previous`), or an
 * error message in the kubelet's words when there is nothing to show.
 */
export function containerLogs(
  pod: KubernetesObject,
  plan: PodPlan,
  containerName: string,
  previous: boolean,
  t: number,
): { lines: string[] } | { error: string } {
  const c = [...plan.containers, ...plan.initContainers].find(
    x => x.name === containerName,
  );
  if (!c)
    return {
      error: `container ${containerName} is not valid for pod ${pod.metadata?.name}`,
    };
  const runs = runsUntil(c, t);
  if (c.pullFails || runs.length === 0) {
    return {
      error: `container "${c.name}" in pod "${pod.metadata?.name}" is waiting to start: ${c.pullFails ? 'trying and failing to pull image' : 'ContainerCreating'}`,
    };
  }
  let run = runs[runs.length - 1];
  if (previous) {
    const ended = runs.filter(r => r.end <= t);
    if (ended.length === 0)
      return {
        error: `previous terminated container "${c.name}" in pod "${pod.metadata?.name}" not found`,
      };
    run = ended[ended.length - 1];
  }
  const at = (offsetMs: number) => iso(run.start + offsetMs);
  const lines = [
    `${at(0)} INFO  starting ${c.name} (${c.image})`,
    `${at(1000)} INFO  configuration loaded`,
  ];
  if (t >= run.start + c.readyDelayMs || run.end <= t)
    lines.push(`${at(Math.min(c.readyDelayMs, 5000))} INFO  listening`);
  if (c.crash && run.end <= t) {
    if (c.crash.rule.reason === 'OOMKilled') {
      lines.push(`${iso(run.end - 500)} WARN  heap usage high`);
    } else {
      lines.push(
        `${iso(run.end - 100)} ERROR fatal: startup check failed; exiting with code ${c.crash.rule.exitCode}`,
      );
    }
  }
  return { lines };
}
