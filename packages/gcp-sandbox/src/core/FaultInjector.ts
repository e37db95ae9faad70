/**
 * Which calls a fault applies to. Every given field must match.
 *
 * @public
 */
export interface FaultMatcher {
  /** Emulated API: container, compute, sqladmin, dns, kubernetes… */
  service?: string;
  /** HTTP method, upper case. */
  method?: string;
  /** Substring of, or regular expression over, the request path. */
  path?: string | RegExp;
}

/**
 * The error the sandbox answers with instead of serving the call.
 *
 * @public
 */
export interface FaultResponse {
  /** HTTP status, e.g. 503, 429, 403. */
  status: number;
  /** Google's `error.status`, e.g. UNAVAILABLE, RESOURCE_EXHAUSTED. Defaults from `status`. */
  grpcStatus?: string;
  /** The error message; defaults from `status`. */
  message?: string;
}

/**
 * A rule: which calls fail, how often, and with what.
 *
 * @public
 */
export interface FaultRule extends FaultMatcher, FaultResponse {
  /** Fail only the Nth matching call (1-based). */
  nth?: number;
  /** Fail each matching call with this probability (0..1), drawn from the seeded generator. */
  rate?: number;
  /** Stop after failing this many calls. */
  times?: number;
}

/**
 * Extra latency for matching calls, in real milliseconds.
 *
 * @public
 */
export interface LatencyRule extends FaultMatcher {
  /** Extra latency per matching call, real ms. */
  millis: number;
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  failed: number;
}

/**
 * Configurable, repeatable fault injection: fail the Nth call of a method, fail a seeded
 * fraction of calls, add latency. Seeded so that the same test run fails the same calls.
 *
 * @public
 */
export class FaultInjector {
  private rules: ActiveRule[] = [];
  private latencies: LatencyRule[] = [];
  private state: number;

  constructor(seed = 1) {
    this.state = seed >>> 0 || 1;
  }

  /** Adds a fault rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const active = { rule, seen: 0, failed: 0 };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter(r => r !== active);
    };
  }

  /** Adds latency to matching calls; returns a function that removes it. */
  addLatency(rule: LatencyRule): () => void {
    this.latencies.push(rule);
    return () => {
      this.latencies = this.latencies.filter(r => r !== rule);
    };
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
    this.latencies = [];
  }

  /** Decides whether this call fails; counts it against every matching rule. */
  check(
    call: Required<Pick<FaultMatcher, 'service' | 'method'>> & { path: string },
  ): FaultResponse | undefined {
    let hit: FaultResponse | undefined;
    for (const active of this.rules) {
      const { rule } = active;
      if (!matches(rule, call)) continue;
      active.seen += 1;
      if (rule.times !== undefined && active.failed >= rule.times) continue;
      let fail = false;
      if (rule.nth !== undefined) fail = active.seen === rule.nth;
      else if (rule.rate !== undefined) fail = this.random() < rule.rate;
      else fail = true;
      if (fail && !hit) {
        active.failed += 1;
        hit = {
          status: rule.status,
          grpcStatus: rule.grpcStatus,
          message: rule.message,
        };
      }
    }
    return hit;
  }

  /** Total extra latency for this call, in real milliseconds. */
  latencyFor(
    call: Required<Pick<FaultMatcher, 'service' | 'method'>> & { path: string },
  ): number {
    return this.latencies
      .filter(rule => matches(rule, call))
      .reduce((sum, rule) => sum + rule.millis, 0);
  }

  /** mulberry32: small, fast, seeded. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

function matches(
  rule: FaultMatcher,
  call: { service: string; method: string; path: string },
): boolean {
  if (rule.service && rule.service !== call.service) return false;
  if (rule.method && rule.method.toUpperCase() !== call.method.toUpperCase())
    return false;
  if (rule.path !== undefined) {
    if (
      typeof rule.path === 'string'
        ? !call.path.includes(rule.path)
        : !rule.path.test(call.path)
    ) {
      return false;
    }
  }
  return true;
}
