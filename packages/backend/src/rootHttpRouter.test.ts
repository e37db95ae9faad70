import { AddressInfo } from 'node:net';
import {
  coreServices,
  createBackendPlugin,
  createServiceFactory,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  RootHttpRouterConfigureContext,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';
import { configureRootHttpRouter, withoutStackTraces } from './rootHttpRouter';

/** A root logger that keeps what is logged at error level (the backend log). */
function recordingLogger() {
  const errors: Array<{ message: string; meta: unknown }> = [];
  const logger: LoggerService = {
    error: (message, meta) => errors.push({ message, meta }),
    warn: () => {},
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  return { logger, errors };
}

/** An upstream failure like the CodeMie status route's (ClusterUnreachableError, 502). */
class UpstreamError extends Error {
  readonly statusCode = 502;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

/** A plugin whose one route fails the way the CodeMie status route fails. */
const failingPlugin = createBackendPlugin({
  pluginId: 'codemie',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        httpRouter.use((_req, _res, next) =>
          next(
            new UpstreamError('Cluster c is unreachable: GKE API not found', {
              cause: new Error('connect ECONNREFUSED 127.0.0.1:1'),
            }),
          ),
        );
      },
    });
  },
});

/**
 * Starts a backend whose root HTTP router is set up by `configure`, with the failing plugin
 * mounted by Backstage's own httpRouter service; returns what a client of that route gets.
 */
async function failingRequest(
  configure: (context: RootHttpRouterConfigureContext) => void,
  path = '/api/codemie/v1/entities/resource/default/x/status',
) {
  const { logger, errors } = recordingLogger();
  let server: RootHttpRouterConfigureContext['server'] | undefined;
  // Backstage's own backend (its httpRouter service mounts the plugin), without a database.
  const backend = createBackend();
  backend.add(
    rootHttpRouterServiceFactory({
      configure: context => {
        server = context.server;
        configure(context);
      },
    }),
  );
  backend.add(
    mockServices.rootConfig.factory({
      data: {
        backend: {
          baseUrl: 'http://127.0.0.1',
          listen: { host: '127.0.0.1', port: 0 },
        },
      },
    }),
  );
  backend.add(
    createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => ({ ...logger, child: () => logger }),
    }),
  );
  backend.add(mockServices.auth.factory());
  backend.add(mockServices.httpAuth.factory());
  backend.add(failingPlugin);
  await backend.start();
  try {
    const { port } = server!.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    const text = await res.text();
    return {
      status: res.status,
      body: text ? JSON.parse(text) : undefined,
      errors,
    };
  } finally {
    await backend.stop();
  }
}

describe('the root HTTP router', () => {
  const nodeEnv = process.env.NODE_ENV;
  beforeEach(() => {
    // What `npm start` (backstage-cli repo start) runs the backend with.
    process.env.NODE_ENV = 'development';
  });
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('answers a plugin’s error with its message but no stack trace, and logs the trace', async () => {
    const { status, body, errors } = await failingRequest(
      configureRootHttpRouter,
    );
    expect(status).toBe(502);
    expect(body.error).toMatchObject({
      name: 'UpstreamError',
      message: 'Cluster c is unreachable: GKE API not found',
    });
    expect(body.error.stack).toBeUndefined();
    expect(JSON.stringify(body)).not.toMatch(/\.ts:\d+/);
    expect(body.response).toEqual({ statusCode: 502 });
    // The trace is in the backend log.
    expect(errors.map(e => e.message)).toContain(
      'Request failed with status 502',
    );
    const logged = errors.find(
      e => e.message === 'Request failed with status 502',
    )!.meta as Error;
    expect(logged.stack).toMatch(/rootHttpRouter\.test\.ts:\d+/);
  });

  it('Backstage’s default set-up would send the stack under npm start', async () => {
    const { status, body } = await failingRequest(({ applyDefaults }) =>
      applyDefaults(),
    );
    expect(status).toBe(502);
    expect(body.error.stack).toMatch(/rootHttpRouter\.test\.ts:\d+/);
  });

  it('keeps the other defaults: an unknown route answers 404', async () => {
    const { status } = await failingRequest(
      configureRootHttpRouter,
      '/api/nothing-here',
    );
    expect(status).toBe(404);
  });
});

describe('withoutStackTraces', () => {
  it('leaves bodies that are not error responses alone', () => {
    const body = { items: [{ stack: 'kept: not an error body' }] };
    expect(withoutStackTraces(body)).toBe(body);
    expect(withoutStackTraces('text')).toBe('text');
    expect(withoutStackTraces(null)).toBe(null);
    expect(withoutStackTraces({ error: 'a string' })).toEqual({
      error: 'a string',
    });
  });

  it('drops the stacks of the error and of its causes, keeping the rest', () => {
    const body = {
      error: {
        name: 'E',
        message: 'outer',
        stack: 'E: outer\n    at x (/srv/a.ts:1:1)',
        cause: { name: 'C', message: 'inner', stack: 'C: inner\n    at y' },
      },
      response: { statusCode: 502 },
    };
    expect(withoutStackTraces(body)).toEqual({
      error: {
        name: 'E',
        message: 'outer',
        cause: { name: 'C', message: 'inner' },
      },
      response: { statusCode: 502 },
    });
  });

  it('survives a cause that refers back to the error', () => {
    const error: Record<string, unknown> = {
      name: 'E',
      message: 'm',
      stack: 'E: m\n    at x (/a.ts:1:1)',
    };
    error.cause = error;
    const out = withoutStackTraces({ error }) as any;
    expect(out.error.stack).toBeUndefined();
    expect(out.error.message).toBe('m');
  });
});
