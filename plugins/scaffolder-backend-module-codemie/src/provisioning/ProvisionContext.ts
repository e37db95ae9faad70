import {
  EnvironmentPlan,
  PlannedResource,
} from '@codemie-gcp/plugin-codemie-common';
import {
  Clock,
  ClusterAccess,
  GoogleClients,
  RetryPolicy,
  sleep,
  withRetry,
  isAlreadyExists,
  isTransient,
  realClock,
} from '@codemie-gcp/plugin-codemie-node';

export { DEFAULT_CLUSTER_ACCESS } from '@codemie-gcp/plugin-codemie-node';
export type { ClusterAccess } from '@codemie-gcp/plugin-codemie-node';
import type { Placement } from './placement';

/**
 * What a finished resource reports (names, addresses; never secrets).
 *
 * @public
 */
export type ResourceOutputs = Record<
  string,
  string | number | boolean | string[]
>;

/** Everything a resource handler works with. */
export interface ProvisionContext {
  plan: EnvironmentPlan;
  google: GoogleClients;
  /** A line in the task log. */
  log: (message: string) => void;
  signal?: AbortSignal;
  policy: RetryPolicy;
  /** The clock retries and polls wait on; default the real one (tests pass one they drive). */
  clock?: Clock;
  /** Outputs of the resources finished so far, by resource id. */
  outputs: Map<string, ResourceOutputs>;
  /** The zones and cluster location, resolved from Google before any resource is made. */
  placement: Placement;
  /** How the portal reaches the cluster. */
  access: ClusterAccess;
}

/** Creates, adopts and deletes one kind of resource. */
export interface ResourceHandler {
  /**
   * Makes the resource exist as planned: get → create if missing → wait. An existing resource that
   * matches is adopted without any mutating call; one that does not match fails with the diff.
   */
  ensure(
    resource: PlannedResource,
    ctx: ProvisionContext,
  ): Promise<ResourceOutputs>;
  /** Deletes the resource if it exists and waits until it is gone. */
  remove(
    resource: PlannedResource,
    ctx: ProvisionContext,
  ): Promise<'deleted' | 'absent'>;
  // Throws ResourceBlockedError when Google refuses the delete until later.
}

/**
 * Thrown by a handler's `remove` when Google refuses the delete for now and only time fixes it
 * (e.g. the private services peering, kept by Cloud SQL for up to 4 days after its instance is
 * deleted). Destroy then removes everything else and reports the resource as blocked.
 */
export class ResourceBlockedError extends Error {
  constructor(
    /** Why, in words a user can act on (Google's own message included). */
    readonly reason: string,
    /** The earliest time a re-run of destroy can succeed. */
    readonly retryAfter: Date,
  ) {
    super(reason);
    this.name = 'ResourceBlockedError';
  }
}

/** Thrown when an existing resource differs from the plan. */
export class ResourceMismatchError extends Error {
  constructor(what: string, diffs: string[]) {
    super(
      `${what} already exists but differs from the plan: ${diffs.join('; ')}. ` +
        'Change the inputs to match it, or delete it (codemie:gcp:destroy) and run again.',
    );
    this.name = 'ResourceMismatchError';
  }
}

/** The context's clock: the one it was given, or the real one. */
export function clockOf(ctx: Pick<ProvisionContext, 'clock'>): Clock {
  return ctx.clock ?? realClock;
}

/** gax call options that turn off the clients' own hidden retries (up to 600 s): we retry ourselves. */
export const NO_CLIENT_RETRY = { retry: null } as any;

/** `withRetry` with the context's policy, signal and log. */
export function retrying<T>(
  ctx: ProvisionContext,
  what: string,
  fn: () => Promise<T>,
  retryIf?: (e: unknown) => boolean,
): Promise<T> {
  return withRetry(what, fn, {
    policy: ctx.policy,
    signal: ctx.signal,
    clock: ctx.clock,
    log: ctx.log,
    retryIf,
  });
}

/**
 * `retrying` for a create call: a 409 there means the name is taken (a create that timed out
 * earlier, or Cloud SQL's week-long name reservation), which no retry changes; the caller
 * decides what it means.
 */
export function retryingCreate<T>(
  ctx: ProvisionContext,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  return retrying(ctx, what, fn, e => isTransient(e) && !isAlreadyExists(e));
}

/**
 * Polls `read` until `isDone`, with growing intervals, logging the state when it changes and at
 * most once a minute otherwise ("GKE cluster x: PROVISIONING, 6 min elapsed").
 */
export async function pollUntil<T>(
  ctx: ProvisionContext,
  what: string,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  describe: (value: T) => string,
  options: { timeoutMillis?: number } = {},
): Promise<T> {
  const clock = clockOf(ctx);
  const started = clock.now();
  const timeout = options.timeoutMillis ?? 60 * 60 * 1000;
  let interval = ctx.policy.pollMillis;
  let lastState = '';
  let lastLog = 0;
  for (;;) {
    const value = await retrying(ctx, what, read);
    if (isDone(value)) return value;
    const state = describe(value);
    const elapsed = clock.now() - started;
    if (state !== lastState || clock.now() - lastLog > 60_000) {
      ctx.log(`${what}: ${state}, ${formatElapsed(elapsed)} elapsed`);
      lastState = state;
      lastLog = clock.now();
    }
    if (elapsed > timeout) {
      throw new Error(
        `${what}: still ${state} after ${formatElapsed(elapsed)}; the operation continues in Google Cloud — retry the task to resume waiting`,
      );
    }
    await sleep(interval, ctx.signal, what, clock);
    interval = Math.min(ctx.policy.maxPollMillis, Math.round(interval * 1.5));
  }
}

function formatElapsed(millis: number): string {
  const seconds = Math.round(millis / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min`;
}

/** Fails with a ResourceMismatchError when `diffs` is not empty. */
export function requireMatch(
  what: string,
  diffs: Array<string | false | undefined>,
): void {
  const real = diffs.filter((d): d is string => typeof d === 'string');
  if (real.length > 0) throw new ResourceMismatchError(what, real);
}

/** "field: has X, plan says Y" when they differ. */
export function differs(
  field: string,
  actual: unknown,
  planned: unknown,
): string | undefined {
  const a = JSON.stringify(actual ?? null);
  const p = JSON.stringify(planned ?? null);
  return a === p ? undefined : `${field} is ${a}, the plan says ${p}`;
}
