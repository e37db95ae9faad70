import { SandboxClock } from '../core/SandboxClock';
import { CrashRule, WorkloadBehaviour } from './behaviour';
import {
  goDuration,
  PodPlan,
  planPod,
  podEventsAt,
  podStatusAt,
  restartDelayMs,
  WallClock,
} from './podLifecycle';
import { KubernetesObject } from './types';

const pod: KubernetesObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'mcp-connect-5d8f7-abcde',
    namespace: 'codemie',
    uid: 'uid-1',
    labels: { 'app.kubernetes.io/name': 'mcp-connect' },
  },
  spec: { containers: [{ name: 'app', image: 'mcp-connect:1.0.0' }] },
};

function crashingPlan(
  scheduledAt: number,
  crash: { runSeconds?: number; backoff?: CrashRule['backoff'] } = {},
  wallClock?: WallClock,
): PodPlan {
  const behaviour = new WorkloadBehaviour();
  behaviour.crashLoop({ component: 'mcp-connect' }, crash);
  return planPod(
    pod,
    'gke-node-0',
    '10.0.0.2',
    '10.4.0.2',
    scheduledAt,
    behaviour,
    new Map(),
    wallClock,
  );
}

const containerAt = (plan: PodPlan, t: number): any =>
  (podStatusAt(pod, plan, t).containerStatuses as any[])[0];

/** The kubelet's back-off messages in the order a watcher sees them, sampled every second. */
function backoffsSeen(plan: PodPlan, untilMs: number): string[] {
  const seen: string[] = [];
  for (let t = plan.scheduledAt; t <= untilMs; t += 1000) {
    const message: string | undefined = containerAt(plan, t).state?.waiting
      ?.message;
    const backoff = message?.match(/^back-off (\S+) restarting/)?.[1];
    if (backoff && message !== seen[seen.length - 1]) seen.push(message!);
  }
  return seen.map(m => m.match(/^back-off (\S+)/)![1]);
}

describe('the kubelet restart back-off', () => {
  // https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-restarts
  it('restarts at once after the first crash, then after 10 s doubling to a 5-minute cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(restartDelayMs)).toEqual([
      0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000,
    ]);

    const plan = crashingPlan(0, { runSeconds: 5 });
    const started = plan.containers[0].startedAt;
    // The first exit: restarted at once, no CrashLoopBackOff in between.
    const afterFirstExit = containerAt(plan, started + 5_000);
    expect(afterFirstExit.state.running).toBeDefined();
    expect(afterFirstExit.restartCount).toBe(1);
    expect(afterFirstExit.lastState.terminated).toMatchObject({
      reason: 'Error',
      exitCode: 1,
    });
    // The second exit waits 10 s.
    const afterSecondExit = containerAt(plan, started + 10_000);
    expect(afterSecondExit.state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: `back-off 10s restarting failed container=app pod=mcp-connect-5d8f7-abcde_codemie(uid-1)`,
    });
    expect(afterSecondExit.restartCount).toBe(2);
    expect(containerAt(plan, started + 19_999).state.waiting).toBeDefined();
    expect(containerAt(plan, started + 20_000).state.running).toBeDefined();

    // Go's duration format, as `kubectl describe` shows it.
    expect(backoffsSeen(plan, started + 40 * 60_000)).toEqual([
      '10s',
      '20s',
      '40s',
      '1m20s',
      '2m40s',
      '5m0s',
    ]);
    // At the cap: one restart every 5 minutes and 5 seconds.
    const a = containerAt(plan, started + 60 * 60_000).restartCount;
    const b = containerAt(plan, started + 90 * 60_000).restartCount;
    expect(b - a).toBe(6);
  });

  it('resets once a container has run 10 minutes without a problem', () => {
    // Crashes every 11 minutes: each crash counts as the first, restarted at once.
    const stable = crashingPlan(0, { runSeconds: 660 });
    const started = stable.containers[0].startedAt;
    for (let t = started; t < started + 5 * 660_000; t += 5_000)
      expect(containerAt(stable, t).state.waiting).toBeUndefined();
    expect(containerAt(stable, started + 5 * 660_000).restartCount).toBe(5);

    // Crashes every 9 minutes: the back-off grows.
    const unstable = crashingPlan(0, { runSeconds: 540 });
    expect(
      backoffsSeen(unstable, unstable.containers[0].startedAt + 4 * 560_000),
    ).toEqual(['10s', '20s', '40s']);
  });

  it('reports BackOff events for the delayed restarts only', () => {
    const plan = crashingPlan(0, { runSeconds: 5 });
    const started = plan.containers[0].startedAt;
    const events = podEventsAt(pod, plan, started + 60_000);
    // Exits at +5 s (restarted at once), +10 s (10 s), +25 s (20 s), +50 s (40 s).
    expect(events.find(e => e.reason === 'BackOff')).toMatchObject({
      type: 'Warning',
      count: 3,
      first: started + 10_000,
      last: started + 50_000,
    });
    expect(events.find(e => e.reason === 'Started')?.count).toBe(4);
  });

  describe('on the wall clock (the local portal’s demo)', () => {
    beforeEach(() => {
      jest.useFakeTimers({ now: Date.parse('2026-11-29T12:00:00Z') });
    });
    afterEach(() => {
      jest.useRealTimers();
    });

    /** Restarts of a pod seeded an hour ago, now and after a person watched it 16 minutes. */
    function watch(backoff: CrashRule['backoff']) {
      // The local portal's scale: 20 real ms per simulated second, 50 times real time.
      const clock = new SandboxClock(20);
      const now = clock.now();
      const plan = crashingPlan(
        now - 3600_000,
        { runSeconds: 5, backoff },
        { from: now, scale: 1000 / clock.timeScale },
      );
      const before = containerAt(plan, clock.now()).restartCount;
      jest.advanceTimersByTime(16 * 60_000);
      const after = containerAt(plan, clock.now());
      return { before, after: after.restartCount, state: after.state };
    }

    it('keeps an hour of restarts and then restarts every 5 real minutes', () => {
      const { before, after, state } = watch('wall-clock');
      // An hour of history in simulated time: the back-off has reached its cap.
      expect(before).toBeGreaterThanOrEqual(15);
      // 16 minutes watched: 3 restarts (one every 5 minutes), maybe 4 at a boundary.
      expect(after - before).toBeGreaterThanOrEqual(3);
      expect(after - before).toBeLessThanOrEqual(4);
      // Between two restarts (each run lasts 5 simulated seconds, a tenth of a real second).
      expect(state.waiting.message).toMatch(/^back-off 5m0s restarting/);
    });

    it('on simulated time the same 16 minutes would bring over a hundred restarts', () => {
      const { before, after } = watch('simulated');
      expect(after - before).toBeGreaterThan(100);
    });
  });
});

describe('goDuration', () => {
  it('prints durations as Go does', () => {
    expect(
      [10_000, 80_000, 160_000, 300_000, 3_725_000].map(goDuration),
    ).toEqual(['10s', '1m20s', '2m40s', '5m0s', '1h2m5s']);
  });
});
