/**
 * Simulated time for the sandbox. Every long-running operation and pod transition is expressed
 * in simulated seconds; `timeScale` maps them to real milliseconds (tests use a tiny scale so a
 * 10-minute cluster creation takes a few milliseconds; the local portal uses a larger one so
 * users can watch progress).
 *
 * @public
 */
export class SandboxClock {
  private readonly startedAtReal = Date.now();
  private startedAtSimulated: number;

  /**
   * @param timeScale - real milliseconds per simulated second (1000 = real time).
   * @param startAt - the simulated wall-clock time at creation (epoch ms), default now.
   */
  constructor(
    /** Real milliseconds per simulated second (1000 = real time). */
    readonly timeScale: number,
    startAt: number = Date.now(),
  ) {
    if (!(timeScale > 0)) throw new Error('timeScale must be > 0');
    this.startedAtSimulated = startAt;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    const realElapsed = Date.now() - this.startedAtReal;
    return this.startedAtSimulated + (realElapsed / this.timeScale) * 1000;
  }

  /**
   * Moves simulated time forward at once (e.g. past a multi-day wait Google imposes). Pending
   * operations keep their real-time schedule; only "now" jumps.
   */
  advance(simulatedSeconds: number): void {
    this.startedAtSimulated += simulatedSeconds * 1000;
  }

  /** Simulated time as an RFC 3339 string, the form Google and Kubernetes APIs return. */
  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Real milliseconds that `simulatedSeconds` take. */
  realMillis(simulatedSeconds: number): number {
    return simulatedSeconds * this.timeScale;
  }

  /** Resolves after `simulatedSeconds` of simulated time. */
  sleep(simulatedSeconds: number): Promise<void> {
    return new Promise(resolve =>
      setTimeout(resolve, this.realMillis(simulatedSeconds)).unref?.(),
    );
  }
}
