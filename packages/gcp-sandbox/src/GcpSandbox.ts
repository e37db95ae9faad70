import { setupServer } from 'msw/node';
import type { HttpHandler } from 'msw';
import {
  FaultInjector,
  Journal,
  SandboxClock,
  type SandboxClockMode,
} from './core';
import { DEFAULT_DURATIONS, type Durations } from './durations';
import {
  defaultClusterApiServerFactory,
  type ClusterApiServerFactory,
} from './kubernetesBridge';
import { SandboxState, type ResourceRef } from './state';
import type { EmulationContext } from './google/context';
import {
  DomainFaults,
  type OperationFaultRule,
  type QuotaRule,
} from './google/domainFaults';
import { IdGenerator, OperationScheduler } from './google/operations';
import { googleApis } from './google/apis';
import type { ApiHost } from './google/router';
import {
  seedDemo,
  type DemoInstallation,
  type DemoOptions,
} from './demo/seedDemo';
import { serviceGate } from './google/serviceGate';
import { enableDnsClientUnderJest } from './google/dns/jestTransport';
import { OAuthEmulation } from './google/oauthApi';

/**
 * Options of {@link GcpSandbox.create}.
 *
 * @public
 */
export interface GcpSandboxOptions {
  /**
   * Real milliseconds per simulated second. Default 0.5 (tests: a 7-minute cluster creation takes
   * about 0.2 s). The local portal uses ~20 (the same creation takes ~8 s).
   */
  timeScale?: number;
  /**
   * How simulated time runs (see {@link SandboxClockMode}). Default `real` (at `timeScale`).
   * Tests use `manual` (they move time with `sandbox.clock.advance(ms)` /
   * `sandbox.clock.runUntilIdle()`) or `auto` (time jumps to the next timer whenever everything
   * waits), and pass `sandbox.clock` to the code under test as its clock.
   */
  clock?: SandboxClockMode;
  /** Seed for injected random faults and generated identifiers; default 1. */
  seed?: number;
  /** Overrides of operation durations, in simulated seconds. */
  durations?: Partial<Durations>;
  /**
   * Starts each cluster's Kubernetes API server. Default: the package's own Kubernetes half.
   * Pass `null` to run clusters without an API server (no `endpoint`).
   */
  clusterServers?: ClusterApiServerFactory | null;
  /**
   * Refuse calls to an API that is not enabled in the project (403 SERVICE_DISABLED), as Google
   * does. Off by default; enable services with Service Usage or {@link GcpSandbox.enableServices}.
   */
  requireEnabledServices?: boolean;
  /**
   * Bearer tokens the Google APIs accept (401 UNAUTHENTICATED otherwise, as for a request without
   * credentials), plus the access tokens {@link GcpSandbox.oauth} issues. Default: any non-empty
   * token. A request without an Authorization header is refused either way, as Google does.
   */
  acceptedTokens?: string[];
}

/**
 * Domain-level fault helpers (see README "Faults").
 *
 * @public
 */
export interface QuotaFaults {
  /** Creations in `service` fail for quota (403 at the request, or a failed operation). Returns a remover. */
  exceed(rule: QuotaRule): () => void;
}

/**
 * A faithful, stateful, in-memory emulation of the Google Cloud APIs the CodeMie plugins call
 * (GKE, Compute, Cloud SQL Admin, Cloud DNS, Service Usage, Secret Manager, IAM, Resource
 * Manager, Service Networking) served as msw request handlers, plus one real HTTPS Kubernetes API
 * server per GKE cluster. For tests and the local portal; never for production configuration.
 *
 * @example
 * ```ts
 * const sandbox = await GcpSandbox.create({ timeScale: 0.5 });
 * sandbox.listen();
 * // … drive the official clients (see README for the constructor options) …
 * await sandbox.close();
 * ```
 *
 * @public
 */
export class GcpSandbox {
  /** Every call the emulated APIs answered, in order. */
  readonly journal: Journal;
  /** Transport faults (HTTP errors, latency) per call. */
  readonly faults: FaultInjector;
  /** Simulated time. */
  readonly clock: SandboxClock;
  /** The store behind every API (inspect it; change it through the APIs). */
  readonly state: SandboxState;
  /** Quota faults. */
  readonly quota: QuotaFaults;
  /** msw handlers for every emulated Google API host. */
  readonly handlers: HttpHandler[];
  /** Google's OAuth token endpoint: Application Default Credentials for tests. */
  readonly oauth: OAuthEmulation;
  private readonly domainFaults: DomainFaults;
  private readonly scheduler: OperationScheduler;
  private readonly context: EmulationContext;
  private server?: ReturnType<typeof setupServer>;
  private readonly hosts: ApiHost[];

  private constructor(options: GcpSandboxOptions) {
    const seed = options.seed ?? 1;
    this.clock = new SandboxClock({
      mode: options.clock,
      timeScale: options.timeScale,
    });
    this.journal = new Journal();
    this.faults = new FaultInjector(seed);
    this.state = new SandboxState();
    this.domainFaults = new DomainFaults();
    this.scheduler = new OperationScheduler(this.clock);
    this.quota = { exceed: rule => this.domainFaults.exceedQuota(rule) };
    const acceptedTokens = options.acceptedTokens
      ? new Set(options.acceptedTokens)
      : undefined;
    this.oauth = new OAuthEmulation(token => acceptedTokens?.add(token));
    this.context = {
      state: this.state,
      clock: this.clock,
      journal: this.journal,
      faults: this.faults,
      domainFaults: this.domainFaults,
      scheduler: this.scheduler,
      ids: new IdGenerator(seed),
      durations: { ...DEFAULT_DURATIONS, ...options.durations },
      clusterServers:
        options.clusterServers === null
          ? undefined
          : (options.clusterServers ?? defaultClusterApiServerFactory()),
      gate: serviceGate(this.state, options.requireEnabledServices ?? false),
      acceptedTokens,
    };
    this.hosts = googleApis(this.context);
    this.handlers = [
      ...this.hosts.map(api => api.handler()),
      this.oauth.handler(),
    ];
  }

  /** Creates a sandbox with an empty store. */
  static async create(options: GcpSandboxOptions = {}): Promise<GcpSandbox> {
    return new GcpSandbox(options);
  }

  /** The emulation's shared context (for the demo seeding and advanced tests). */
  get emulation(): EmulationContext {
    return this.context;
  }

  /**
   * Starts intercepting: `setupServer(...handlers).listen({ onUnhandledRequest: 'bypass' })`.
   * Under jest it also lets the Cloud DNS client's transport run (see README).
   * Use either this or your own `setupServer(...sandbox.handlers)`, not both.
   */
  listen(): ReturnType<typeof setupServer> {
    if (!this.server) {
      if (process.env.JEST_WORKER_ID !== undefined) enableDnsClientUnderJest();
      const server = setupServer(...this.handlers);
      server.listen({ onUnhandledRequest: 'bypass' });
      this.server = server;
    }
    return this.server;
  }

  /** Marks APIs enabled in a project at once (what Service Usage batchEnable does, without the wait). */
  enableServices(project: string, services: string[]): void {
    const set = this.state.enabledServices.get(project) ?? new Set<string>();
    services.forEach(s => set.add(s));
    this.state.enabledServices.set(project, set);
    this.state.knownProjects.add(project);
  }

  /** Makes the next matching long-running operation end DONE with an error. Returns a remover. */
  failNextOperation(rule: OperationFaultRule): () => void {
    return this.domainFaults.failOperation(rule);
  }

  /**
   * Seeds one ready CodeMie installation (what the local portal starts with): network, NAT,
   * private services access, a RUNNING private GKE cluster sized by the planner with the CodeMie
   * workloads running in it (one restarting), Cloud SQL, DNS, secrets, a service account, all
   * labelled `codemie-environment=<name>`. Made through the APIs' own handlers, instantly, and
   * not journaled.
   */
  async seedDemo(options: DemoOptions = {}): Promise<DemoInstallation> {
    return seedDemo(
      this.context,
      (service, method, path, body) =>
        this.callInternal(service, method, path, body),
      options,
    );
  }

  private async callInternal(
    service: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<any> {
    const host = this.hosts.find(h => h.service === service);
    if (!host) throw new Error(`gcp-sandbox: no API ${service}`);
    const request = new Request(`${host.origin}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { status, body: answer } = await host.serve(request, true);
    if (status >= 400)
      throw new Error(
        `gcp-sandbox: ${method} ${path} → ${status} ${JSON.stringify(answer)}`,
      );
    return answer;
  }

  /**
   * Holds long-running operations started from now on (they stay PENDING/RUNNING) until the
   * returned function is called; then their durations run. For asserting in-progress states.
   */
  holdOperations(): () => void {
    return this.scheduler.hold();
  }

  /**
   * Resolves when every long-running operation started so far is DONE. With a `manual` or `auto`
   * clock it moves simulated time to get there (`clock.runUntilIdle()`), so other timers on the
   * clock fire too.
   */
  async settle(): Promise<void> {
    if (this.clock.mode === 'real') return this.scheduler.idle();
    await Promise.all([this.clock.runUntilIdle(), this.scheduler.idle()]);
    return undefined;
  }

  /** Every resource the sandbox holds in a project. */
  resourcesIn(project: string): ResourceRef[] {
    return this.state.resourcesIn(project);
  }

  /** Resources in `project` carrying label `key` (= `value`, if given). */
  resourcesLabelled(
    project: string,
    key: string,
    value?: string,
  ): ResourceRef[] {
    return this.state.resourcesLabelled(project, key, value);
  }

  /** Stops intercepting, cancels pending operations and stops every cluster's API server. */
  async close(): Promise<void> {
    this.server?.close();
    this.server = undefined;
    this.scheduler.close();
    const servers = [...this.state.clusters.values()]
      .map(c => c.server)
      .filter(s => s !== undefined);
    await Promise.all(servers.map(s => s!.stop().catch(() => undefined)));
    for (const c of this.state.clusters.values()) c.server = undefined;
  }
}
