import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';

/**
 * A Backstage error response body (`ErrorResponseBody` of @backstage/errors) without the stack
 * traces of its error and of the error's causes; any other body as it is.
 */
export function withoutStackTraces<T>(body: T): T {
  if (!body || typeof body !== 'object') return body;
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return body;
  const strip = (node: unknown, seen: Set<unknown>): unknown => {
    if (!node || typeof node !== 'object' || seen.has(node)) return node;
    seen.add(node);
    const { stack: _stack, cause, ...rest } = node as Record<string, unknown>;
    return cause === undefined ? rest : { ...rest, cause: strip(cause, seen) };
  };
  return { ...body, error: strip(error, new Set()) };
}

/**
 * Sets up the root HTTP router as Backstage's defaults do, except that error responses never
 * carry stack traces.
 *
 * Backstage's error middleware (`MiddlewareFactory.error`, installed by the root router and again
 * by every plugin's `httpRouter`) puts `error.stack` into the response body whenever `NODE_ENV` is
 * `development` — which `backstage-cli repo start`, i.e. `npm start`, sets — and offers no
 * configuration for it. So users of the local portal saw server paths in API errors (the CodeMie
 * status route's 502 included). Filtering the JSON bodies here covers every plugin at once. The
 * traces still reach the backend log: the same middleware logs every 5xx error with its stack.
 */
export function configureRootHttpRouter(
  context: RootHttpRouterConfigureContext,
): void {
  const { app, applyDefaults } = context;
  app.use((_req, res, next) => {
    const json = res.json.bind(res);
    res.json = body => json(withoutStackTraces(body));
    next();
  });
  applyDefaults();
}

/** The root HTTP router service of this backend (see {@link configureRootHttpRouter}). */
export const rootHttpRouter = rootHttpRouterServiceFactory({
  configure: configureRootHttpRouter,
});
