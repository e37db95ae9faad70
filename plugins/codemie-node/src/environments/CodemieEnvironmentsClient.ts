import type {
  AuthService,
  DiscoveryService,
  LoggerService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  CodemieEnvironmentStore,
  EnvironmentLeases,
} from './CodemieEnvironmentStore';
import {
  CreateRequest,
  EnvironmentChange,
  EnvironmentClaim,
  EnvironmentLease,
  EnvironmentLockedError,
  EnvironmentRecord,
  EnvironmentSpec,
} from './types';

/** The error classes the internal API answers with, rethrown as themselves. */
const ERRORS: Record<string, new (message: string) => Error> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
};

/** Attempts at a refused connection: about 25 s in all. */
const RETRIES = 7;

/**
 * A failure to reach the plugin at all (fetch's `TypeError: fetch failed` with its cause), not
 * an answer. By name: fetch's errors come from Node's own realm, not always the caller's.
 */
function isUnreachable(e: unknown): boolean {
  const error = e as { name?: string; cause?: unknown } | undefined;
  return error?.name === 'TypeError' && error.cause !== undefined;
}

function backoff(attempt: number): Promise<void> {
  return new Promise(r => setTimeout(r, Math.min(8000, 250 * 2 ** attempt)));
}

function isConnectionRefused(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } })?.cause;
  return cause?.code === 'ECONNREFUSED';
}

type WireRecord = Omit<EnvironmentRecord, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

function recordOf(wire: WireRecord): EnvironmentRecord {
  return {
    ...wire,
    createdAt: new Date(wire.createdAt),
    updatedAt: new Date(wire.updatedAt),
  };
}

/**
 * The codemie plugin's environment records over its internal HTTP API
 * (`/api/codemie/internal/environments`), called with this plugin's service token: what the
 * codemie scaffolder and catalog modules use instead of the plugin's database.
 *
 * Errors arrive as the classes the plugin threw (`ConflictError` for a refused change,
 * `NotFoundError`, `InputError`, …); any other failure is a `ResponseError`.
 *
 * @public
 */
export class CodemieEnvironmentsClient implements CodemieEnvironmentStore {
  /** The environment leases, over the plugin's internal API. */
  readonly locks: EnvironmentLeases;
  /** Set once the backend begins to stop: see {@link CodemieEnvironmentsClient.call}. */
  private stopping = false;
  private readonly renewals = new Set<ReturnType<typeof setInterval>>();

  constructor(
    private readonly options: {
      discovery: Pick<DiscoveryService, 'getBaseUrl'>;
      auth: Pick<
        AuthService,
        'getOwnServiceCredentials' | 'getPluginRequestToken'
      >;
      /**
       * The backend's lifecycle. When given, a call that cannot reach the plugin once the
       * backend has begun to stop never settles, so that the task that made it is left
       * `processing` for the next backend to recover, instead of ending `failed`.
       */
      lifecycle?: Pick<RootLifecycleService, 'addBeforeShutdownHook'>;
      logger?: LoggerService;
      fetch?: typeof fetch;
    },
  ) {
    this.locks = { acquire: (key, holder) => this.acquire(key, holder) };
    options.lifecycle?.addBeforeShutdownHook(() => {
      this.stopping = true;
      // Leases this backend holds lapse on their own; the backend that recovers the task
      // waits them out (or, holding the same task, takes them over).
      this.renewals.forEach(timer => clearInterval(timer));
      this.renewals.clear();
    });
  }

  /** The record of `<project id>/<name>`, or undefined when there is none. */
  async getEnvironment(
    environmentRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    return this.record(new URLSearchParams({ environmentRef }));
  }

  /** The record served as the catalog entity `entityRef`, or undefined when there is none. */
  async getEnvironmentByEntityRef(
    entityRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    return this.record(new URLSearchParams({ entityRef }));
  }

  /** Every recorded environment. */
  async listEnvironments(): Promise<EnvironmentRecord[]> {
    const records = await this.call<WireRecord[]>('GET', '');
    return records.map(recordOf);
  }

  /** Claims the record for a create by a task: a new record, a resumed one, or a refusal. */
  async claimForCreate(options: {
    request: CreateRequest;
    spec: EnvironmentSpec;
  }): Promise<EnvironmentClaim> {
    const claim = await this.call<{
      decision: EnvironmentClaim['decision'];
      record?: WireRecord;
    }>('POST', '/claims', options);
    return {
      decision: claim.decision,
      ...(claim.record ? { record: recordOf(claim.record) } : {}),
    };
  }

  /** Applies `change` to the record; refused (`ConflictError`) unless the change's task holds it. */
  async updateEnvironment(
    environmentRef: string,
    change: EnvironmentChange,
  ): Promise<EnvironmentRecord> {
    return recordOf(
      await this.call<WireRecord>('POST', '/changes', {
        environmentRef,
        change,
      }),
    );
  }

  private async record(
    query: URLSearchParams,
  ): Promise<EnvironmentRecord | undefined> {
    const { record } = await this.call<{ record: WireRecord | null }>(
      'GET',
      `/record?${query}`,
    );
    return record ? recordOf(record) : undefined;
  }

  /** Takes the lease through the plugin and renews it from here until released. */
  private async acquire(
    key: string,
    holder: string,
  ): Promise<EnvironmentLease> {
    const taken = await this.call<
      | { acquired: true; token: string; leaseSeconds: number }
      | { acquired: false; holder: string; expiresAt: string }
    >('POST', '/leases', { key, holder });
    if (!taken.acquired) {
      throw new EnvironmentLockedError(
        key,
        taken.holder,
        new Date(taken.expiresAt),
      );
    }
    const { token } = taken;
    const timer = setInterval(
      () => {
        this.call('POST', '/leases/renew', { key, token }).catch(() => {
          // A missed renewal only shortens the lease; the next one retries.
        });
      },
      Math.max(1000, (taken.leaseSeconds * 1000) / 3),
    );
    timer.unref?.();
    this.renewals.add(timer);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        this.renewals.delete(timer);
        await this.call('POST', '/leases/release', { key, token });
      },
    };
  }

  /**
   * One call of the internal API. A refused connection is sent again with backoff (nothing was
   * sent). A call that cannot reach the plugin, or is refused with 503, while this backend stops
   * never settles:
   * the process is about to exit, the task's step is re-run by the backend that recovers the
   * task (`scaffolder.taskRecovery`), and a failure here would end the task `failed` first.
   */
  private async call<T>(method: string, path: string, body?: unknown) {
    try {
      return await this.send<T>(method, path, body);
    } catch (e) {
      const shuttingDown =
        e instanceof ResponseError && e.response.status === 503;
      if (!this.stopping || !(isUnreachable(e) || shuttingDown)) throw e;
      this.options.logger?.warn(
        `The codemie plugin is not reachable while this backend stops (${method} ${path.split('?')[0] || '/'}); the task that called it is left for task recovery`,
      );
      return new Promise<T>(() => {});
    }
  }

  private async send<T>(method: string, path: string, body?: unknown) {
    const { discovery, auth } = this.options;
    const baseUrl = await discovery.getBaseUrl('codemie');
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'codemie',
    });
    const send = () =>
      (this.options.fetch ?? fetch)(`${baseUrl}/internal/environments${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    let response: Response;
    for (let attempt = 1; ; attempt++) {
      try {
        response = await send();
        break;
      } catch (e) {
        // A refused connection sent nothing (the backend is starting, or restarting behind a
        // load balancer), so every call may be sent again; a task would otherwise fail on it.
        if (!isConnectionRefused(e) || attempt >= RETRIES) throw e;
        await backoff(attempt);
      }
    }
    // Backstage's 503 for a plugin that has not started yet is not retried: while this backend
    // initialises, no plugin's routes answer until every plugin has, so a caller in another
    // plugin's init would only hold that init up.
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      const Known = ERRORS[error.body?.error?.name];
      // The plugin's own message (no stack: those stay in the plugin's log).
      throw Known ? new Known(error.body.error.message) : error;
    }
    if (response.status === 204) return undefined as T;
    // Parsed here, not by `response.json()`: fetch's objects are made in Node's own realm, and
    // under a sandboxed VM (Jest) they are not plain objects to the scaffolder's templating.
    return JSON.parse(await response.text()) as T;
  }
}
