import type { SandboxClock, SandboxTimer } from '../core';

/**
 * Runs the completion of long-running operations after simulated time, and lets tests and
 * `close()` wait for or cancel what is still pending.
 *
 * @public
 */
export class OperationScheduler {
  private readonly timers = new Map<SandboxTimer, () => void>();
  private readonly pending = new Set<Promise<void>>();
  private closed = false;
  private held?: Array<() => void>;

  constructor(private readonly clock: SandboxClock) {}

  /**
   * Holds operations started from now on: their simulated time starts only when the returned
   * function is called. Lets a test observe the in-progress state (PROVISIONING, a busy cluster…)
   * however slow the machine is.
   */
  hold(): () => void {
    const held: Array<() => void> = [];
    this.held = held;
    return () => {
      if (this.held === held) this.held = undefined;
      held.splice(0).forEach(start => start());
    };
  }

  /**
   * Runs `work` after `simSeconds` of simulated time. Errors thrown by `work` are reported on the
   * console (they are sandbox bugs; Google-level failures are written into the operation).
   */
  after(simSeconds: number, work: () => void | Promise<void>): Promise<void> {
    const done = new Promise<void>(resolve => {
      const start = () => {
        const timer = this.clock.setTimer(
          Math.max(0, simSeconds * 1000),
          async () => {
            this.timers.delete(timer);
            try {
              if (!this.closed) await work();
            } catch (e) {
              // eslint-disable-next-line no-console
              console.error('gcp-sandbox: operation completion failed', e);
            }
            resolve();
          },
        );
        this.timers.set(timer, resolve);
      };
      if (this.held) this.held.push(start);
      else start();
    });
    this.pending.add(done);
    done.finally(() => this.pending.delete(done));
    return done;
  }

  /** Resolves when no operation is pending (including ones scheduled meanwhile). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  /** Cancels everything pending; pending `after()` promises resolve without running their work. */
  close(): void {
    this.closed = true;
    const held = this.held;
    this.held = undefined;
    held?.splice(0).forEach(start => start());
    for (const [timer, resolve] of this.timers) {
      timer.cancel();
      resolve();
    }
    this.timers.clear();
  }
}

/**
 * Deterministic identifiers (operation names, numeric ids), so seeded runs repeat.
 *
 * @public
 */
export class IdGenerator {
  private counter = 0;
  private state: number;

  constructor(seed = 1) {
    this.state = (seed * 2654435761) >>> 0 || 1;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.next().toString(16).padStart(8, '0');
    return out.slice(0, n);
  }

  /** A decimal numeric id (as Google's `id` fields, serialized as strings). */
  numeric(digits = 19): string {
    let out = String(1 + (this.next() % 9));
    while (out.length < digits) out += String(this.next() % 10);
    return out;
  }

  /** A version-4-shaped UUID. */
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private next(): number {
    this.counter += 1;
    this.state = (this.state + 0x6d2b79f5 + this.counter) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
