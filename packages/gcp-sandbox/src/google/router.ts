import { http, HttpResponse, type HttpHandler } from 'msw';
import type { FaultInjector, Journal } from '../core';
import { ErrorStyle, GoogleApiError, statusForHttp } from './errors';

/** What a route handler receives. */
export interface RouteRequest {
  method: string;
  url: URL;
  /** Path parameters named in the route template, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body, `undefined` when the request had none. */
  body: unknown;
  /** True when the client asked for `$alt=json;enum-encoding=int` (the REST fallback of the gax clients does). */
  enumsAsNumbers: boolean;
}

/** What a route handler returns: a JSON body and an optional HTTP status (200). */
export interface RouteResponse {
  status?: number;
  body: unknown;
}

export type RouteHandler = (
  req: RouteRequest,
) => RouteResponse | Promise<RouteResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

/** Dependencies every emulated API shares. */
export interface ApiDeps {
  journal: Journal;
  faults: FaultInjector;
  /** Records project ids seen in paths; when `requireEnabledServices` is set, refuses calls to disabled APIs. */
  gate?: (service: string, host: string, project: string | undefined) => void;
  /** Bearer tokens accepted; undefined accepts any non-empty token. */
  acceptedTokens?: ReadonlySet<string>;
}

/**
 * One emulated Google API host (e.g. `https://container.googleapis.com`): a table of routes
 * (`/v1/projects/{project}/locations/{location}/clusters/{cluster}`, literal `:verb` suffixes
 * allowed) served by one msw handler that also applies injected faults and latency, records every
 * call in the journal and turns thrown {@link GoogleApiError}s into Google's error bodies.
 * Requests to the host that match no route get a 404, so nothing reaches the real Google.
 */
export class ApiHost {
  private readonly routes: Route[] = [];

  constructor(
    /** Journal/fault service name: container, compute, sqladmin, dns… */
    readonly service: string,
    /** e.g. `https://container.googleapis.com` */
    readonly origin: string,
    readonly style: ErrorStyle,
    private readonly deps: ApiDeps,
  ) {}

  /** Adds a route; `template` uses `{name}` for one path segment. */
  route(method: string, template: string, handler: RouteHandler): this {
    const names: string[] = [];
    const source = template
      .split(/(\{[a-zA-Z]+\})/)
      .map(part => {
        const m = /^\{([a-zA-Z]+)\}$/.exec(part);
        if (m) {
          names.push(m[1]);
          return '([^/:]+)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    this.routes.push({
      method: method.toUpperCase(),
      pattern: new RegExp(`^${source}$`),
      names,
      handler,
    });
    return this;
  }

  /** The msw handler for this host. */
  handler(): HttpHandler {
    const prefix = new RegExp(
      `^${this.origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`,
    );
    return http.all(prefix, async ({ request }) => {
      const { status, body } = await this.serve(request);
      return status === 204
        ? new HttpResponse(null, { status })
        : HttpResponse.json(body as any, { status });
    });
  }

  /**
   * Serves one request. `internal` calls (the sandbox seeding itself) skip authentication,
   * faults, latency and the journal.
   */
  async serve(
    request: Request,
    internal = false,
  ): Promise<{ status: number; body: unknown }> {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const path = `${url.pathname}${url.search}`;
    const text = await request.text();
    let body: unknown;
    let status = 200;
    let responseBody: unknown;
    try {
      if (text.length > 0 && text !== '""') {
        try {
          body = JSON.parse(text);
        } catch (e) {
          body = text;
          throw new GoogleApiError({
            httpStatus: 400,
            withStatus: true,
            message: `Invalid JSON payload received. ${(e as Error).message}`,
          });
        }
      }
      if (!internal) this.authenticate(request.headers.get('authorization'));
      const delay = internal
        ? 0
        : this.deps.faults.latencyFor({ service: this.service, method, path });
      if (delay > 0) await new Promise(resolve => setTimeout(resolve, delay));
      const fault = internal
        ? undefined
        : this.deps.faults.check({ service: this.service, method, path });
      if (fault) {
        throw new GoogleApiError({
          httpStatus: fault.status,
          status: fault.grpcStatus ?? statusForHttp(fault.status),
          withStatus: true,
          reason: fault.status === 429 ? 'rateLimitExceeded' : undefined,
          message: fault.message ?? defaultFaultMessage(fault.status),
        });
      }
      const { route, params } = this.match(method, url.pathname);
      if (!internal)
        this.deps.gate?.(
          this.service,
          new URL(this.origin).host,
          params.project,
        );
      const alt = url.searchParams.get('$alt') ?? '';
      const result = await route.handler({
        method,
        url,
        params,
        query: url.searchParams,
        body,
        enumsAsNumbers: alt.includes('enum-encoding=int'),
      });
      status = result.status ?? 200;
      responseBody = result.body;
    } catch (e) {
      const err =
        e instanceof GoogleApiError
          ? e
          : new GoogleApiError({
              httpStatus: 500,
              message: `Internal error in the sandbox: ${(e as Error)?.stack ?? e}`,
            });
      status = err.httpStatus;
      responseBody = err.toBody(this.style);
    }
    if (!internal)
      this.deps.journal.record({
        service: this.service,
        method,
        path,
        body,
        status,
      });
    return { status, body: responseBody };
  }

  /** Google answers 401 UNAUTHENTICATED without a bearer token, or with one it does not accept. */
  private authenticate(header: string | null): void {
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    const accepted = this.deps.acceptedTokens;
    if (token && (!accepted || accepted.has(token))) return;
    throw new GoogleApiError({
      httpStatus: 401,
      status: 'UNAUTHENTICATED',
      withStatus: true,
      reason: token ? 'authError' : 'required',
      message: token
        ? 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
        : 'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    });
  }

  private match(
    method: string,
    pathname: string,
  ): { route: Route; params: Record<string, string> } {
    let pathMatched = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1]);
      });
      return { route, params };
    }
    throw new GoogleApiError({
      httpStatus: pathMatched ? 405 : 404,
      status: pathMatched ? 'UNIMPLEMENTED' : 'NOT_FOUND',
      message: pathMatched
        ? `Method ${method} is not allowed on ${pathname}.`
        : `The sandbox does not emulate ${method} ${this.origin}${pathname}.`,
    });
  }
}

function defaultFaultMessage(status: number): string {
  switch (status) {
    case 429:
      return 'Resource has been exhausted (e.g. check quota).';
    case 503:
      return 'The service is currently unavailable.';
    case 500:
      return 'Internal error encountered.';
    case 504:
      return 'The request timed out.';
    default:
      return `Injected fault (HTTP ${status}).`;
  }
}
