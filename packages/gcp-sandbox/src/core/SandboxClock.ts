/**
 * How simulated time runs:
 *
 * - `real`: it runs by itself, `1000 / timeScale` times faster than real time (the local portal
 *   and the benchmarks; users watch progress).
 * - `manual`: it stands still until a test moves it with {@link SandboxClock.advance},
 *   {@link SandboxClock.runUntilIdle} or {@link SandboxClock.runUntil}; every timer (operation completions, the sleeps of code that
 *   takes this clock) fires in simulated order, none after a real delay.
 * - `auto`: manual time that moves itself: whenever the process has nothing left to do but wait
 *   on this clock, it jumps to the next timer. Whole flows (a provision, a deploy) then run as
 *   fast as their requests, whatever their simulated durations.
 *
 * @public
 */
export type SandboxClockMode = 'real' | 'manual' | 'auto';

/**
 * Options of {@link SandboxClock}.
 *
 * @public
 */
export interface SandboxClockOptions {
  /** Default `real`. */
  mode?: SandboxClockMode;
  /** `real` mode: real milliseconds per simulated second (1000 = real time). Default 0.5. */
  timeScale?: number;
  /** The simulated wall-clock time at creation (epoch ms), default now. */
  startAt?: number;
}

/** A pending timer of a manual clock. */
interface ManualTimer {
  due: number;
  seq: number;
  fire: () => void;
}

/**
 * A pending timer of the clock.
 *
 * @public
 */
export interface SandboxTimer {
  /** Lets the timer go without firing. */
  cancel(): void;
}

/** How long, in real ms, the process must stay idle before `auto` mode moves time. */
const AUTO_SETTLE_MILLIS = 2;

/**
 * Simulated time for the sandbox. Every long-running operation and pod transition is expressed in
 * simulated time; in `real` mode `timeScale` maps it to real milliseconds, in `manual` and `auto`
 * modes it moves only when the test (or idleness) moves it. It has the shape of the plugins'
 * `Clock` (`now()`, `sleep(ms, signal?)`), so a test passes it to the code under test and both
 * sides wait on the same time.
 *
 * @public
 */
export class SandboxClock {
  /** How simulated time runs. */
  readonly mode: SandboxClockMode;
  /** Real milliseconds per simulated second (`real` mode; 1000 otherwise, as if real time). */
  readonly timeScale: number;
  private readonly startedAtReal = Date.now();
  private startedAtSimulated: number;
  private manualNow: number;
  private readonly timers: ManualTimer[] = [];
  private seq = 0;
  private driving?: Promise<void>;

  /**
   * @param options - the mode and scale, or (the older form) the `real` mode's time scale.
   * @param startAt - with the older form: the simulated time at creation (epoch ms).
   */
  constructor(options: SandboxClockOptions | number = {}, startAt?: number) {
    const o: SandboxClockOptions =
      typeof options === 'number' ? { timeScale: options, startAt } : options;
    this.mode = o.mode ?? 'real';
    this.timeScale = this.mode === 'real' ? (o.timeScale ?? 0.5) : 1000;
    if (!(this.timeScale > 0)) throw new Error('timeScale must be > 0');
    this.startedAtSimulated = o.startAt ?? Date.now();
    this.manualNow = this.startedAtSimulated;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    if (this.mode !== 'real') return this.manualNow;
    const realElapsed = Date.now() - this.startedAtReal;
    return this.startedAtSimulated + (realElapsed / this.timeScale) * 1000;
  }

  /** Simulated time as an RFC 3339 string, the form Google and Kubernetes APIs return. */
  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /**
   * Moves simulated time forward by `millis`. In `manual`/`auto` mode the timers due meanwhile
   * fire in order (each one's follow-up work runs before the next fires), and the promise
   * resolves when time has reached the target. In `real` mode "now" jumps at once (e.g. past a
   * multi-day wait Google imposes) and pending timers keep their real-time schedule.
   */
  async advance(millis: number): Promise<void> {
    if (this.mode === 'real') {
      this.startedAtSimulated += millis;
      return;
    }
    const target = this.manualNow + millis;
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next || next.due > target) break;
      this.fireNext();
    }
    this.manualNow = Math.max(this.manualNow, target);
  }

  /**
   * `manual`/`auto` mode: fires timers in order, moving time to each, until none is pending and
   * the process is idle. Throws when more than `limitMillis` of simulated time (default 24 h)
   * would pass: something polls forever.
   */
  async runUntilIdle(limitMillis = 24 * 3600 * 1000): Promise<void> {
    if (this.mode === 'real')
      throw new Error('runUntilIdle needs a manual or auto clock');
    const limit = this.manualNow + limitMillis;
    for (;;) {
      await settle();
      const next = this.timers[0];
      if (!next) return;
      if (next.due > limit)
        throw new Error(
          `SandboxClock.runUntilIdle: still waiting after ${limitMillis} simulated ms`,
        );
      this.fireNext();
    }
  }

  /**
   * `manual`/`auto` mode: moves time from timer to timer whenever the process idles, until `work`
   * settles; returns its result. For a step a test does not time itself (e.g. creating a VPC
   * before the step under test). Throws when more than `limitMillis` (default 24 h) would pass.
   */
  async runUntil<T>(
    work: Promise<T>,
    limitMillis = 24 * 3600 * 1000,
  ): Promise<T> {
    if (this.mode === 'real')
      throw new Error('runUntil needs a manual or auto clock');
    let settled = false;
    work.then(
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    const limit = this.manualNow + limitMillis;
    while (!settled) {
      await settle(AUTO_SETTLE_MILLIS);
      const next = this.timers[0];
      if (settled || !next) continue;
      if (next.due > limit)
        throw new Error(
          `SandboxClock.runUntil: still waiting after ${limitMillis} simulated ms`,
        );
      this.fireNext();
    }
    return work;
  }

  /** Real milliseconds that `simulatedSeconds` take (0 when time is not real). */
  realMillis(simulatedSeconds: number): number {
    return this.mode === 'real' ? simulatedSeconds * this.timeScale : 0;
  }

  /**
   * Runs `fire` after `millis` of simulated time. Real mode: a real (unref'd) timer; otherwise a
   * timer fired by `advance`, `runUntilIdle` or, in `auto` mode, by idleness.
   */
  setTimer(millis: number, fire: () => void): SandboxTimer {
    if (this.mode === 'real') {
      const handle = setTimeout(fire, this.realMillis(millis / 1000));
      handle.unref?.();
      return { cancel: () => clearTimeout(handle) };
    }
    const timer: ManualTimer = {
      due: this.manualNow + Math.max(0, millis),
      seq: this.seq++,
      fire,
    };
    const at = this.timers.findIndex(
      t => t.due > timer.due || (t.due === timer.due && t.seq > timer.seq),
    );
    if (at < 0) this.timers.push(timer);
    else this.timers.splice(at, 0, timer);
    if (this.mode === 'auto') this.drive();
    return {
      cancel: () => {
        const i = this.timers.indexOf(timer);
        if (i >= 0) this.timers.splice(i, 1);
      },
    };
  }

  /**
   * Resolves after `millis` of simulated time; rejects with the signal's reason when `signal`
   * aborts. The plugins' `Clock.sleep`.
   */
  sleep(millis: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted)
      return Promise.reject(signal.reason ?? new Error('aborted'));
    return new Promise((resolve, reject) => {
      const pending: { timer?: SandboxTimer } = {};
      const onAbort = () => {
        pending.timer?.cancel();
        reject(signal!.reason ?? new Error('aborted'));
      };
      pending.timer = this.setTimer(millis, () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** How many timers are pending (`manual`/`auto` mode). */
  get pendingTimers(): number {
    return this.timers.length;
  }

  private fireNext(): void {
    const next = this.timers.shift()!;
    this.manualNow = Math.max(this.manualNow, next.due);
    next.fire();
  }

  /** `auto` mode: while timers are pending, moves to the next one whenever the process idles. */
  private drive(): void {
    if (this.driving) return;
    this.driving = (async () => {
      try {
        while (this.timers.length > 0) {
          await settle(AUTO_SETTLE_MILLIS);
          // Only when nothing new was scheduled for "now" meanwhile is the process idle.
          if (this.timers.length > 0) this.fireNext();
        }
      } finally {
        this.driving = undefined;
      }
    })();
  }
}

/**
 * Waits until the process has run what is ready: promise jobs, I/O callbacks and immediates
 * (several event-loop turns), then `realMillis` of real time for I/O in flight.
 */
async function settle(realMillis = 0): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
  if (realMillis > 0) {
    await new Promise<void>(r => {
      const t = setTimeout(r, realMillis);
      t.unref?.();
    });
    for (let i = 0; i < 5; i++) await new Promise(r => setImmediate(r));
  }
}
