import { mockServices } from '@backstage/backend-test-utils';
import { CodemieEnvironmentsClient } from './CodemieEnvironmentsClient';

/** fetch's own failure when nothing answers (undici: `TypeError: fetch failed`, with a cause). */
function unreachable(): Promise<Response> {
  return Promise.reject(
    new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), {
        code: 'UND_ERR_SOCKET',
      }),
    }),
  );
}

function clientWith(fetch: typeof globalThis.fetch) {
  const hooks: Array<() => void | Promise<void>> = [];
  const logger = mockServices.logger.mock();
  const client = new CodemieEnvironmentsClient({
    discovery: { getBaseUrl: async () => 'http://127.0.0.1:1/api/codemie' },
    auth: mockServices.auth(),
    lifecycle: { addBeforeShutdownHook: hook => void hooks.push(hook) },
    logger,
    fetch,
  });
  const stop = async () => {
    for (const hook of hooks) await hook();
  };
  return { client, stop, logger };
}

/** Whether a promise is still pending after everything already queued has run. */
async function settles(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  const result = await Promise.race([
    promise.then(
      () => 'settled',
      () => 'settled',
    ),
    new Promise(resolve => setImmediate(() => resolve(pending))),
  ]);
  return result !== pending;
}

const notStartedYet = () =>
  // Backstage's answer for a plugin that has not started yet, or is shutting down
  // (createLifecycleMiddleware).
  Response.json(
    {
      error: {
        name: 'ServiceUnavailableError',
        message: 'Service has not started up yet',
      },
      request: { method: 'GET', url: '/internal/environments/record' },
      response: { statusCode: 503 },
    },
    { status: 503 },
  );

describe('CodemieEnvironmentsClient while the backend starts', () => {
  it('reports a plugin that has not started yet at once (a retry would hold up the caller’s own start)', async () => {
    const calls: string[] = [];
    const { client } = clientWith(async url => {
      calls.push(String(url));
      return notStartedYet();
    });
    await expect(client.getEnvironment('acme/dev')).rejects.toThrow(/503/);
    expect(calls).toHaveLength(1);
  });
});

describe('CodemieEnvironmentsClient while the backend stops', () => {
  it('reports an unreachable plugin as an error while the backend runs', async () => {
    const { client } = clientWith(unreachable);
    await expect(client.getEnvironment('acme/dev')).rejects.toThrow(
      'fetch failed',
    );
  });

  it('leaves the calling task unfinished (for task recovery) once the backend stops', async () => {
    const { client, stop, logger } = clientWith(unreachable);
    await stop();
    expect(await settles(client.getEnvironment('acme/dev'))).toBe(false);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('left for task recovery'),
    );
  });

  it('leaves the calling task unfinished when the stopping plugin refuses with 503', async () => {
    const { client, stop } = clientWith(async () => notStartedYet());
    await stop();
    expect(await settles(client.getEnvironment('acme/dev'))).toBe(false);
  });

  it('still reports the plugin’s answers while the backend stops', async () => {
    const { client, stop } = clientWith(async () =>
      Response.json(
        // Backstage's error body (errorHandler middleware).
        {
          error: { name: 'NotFoundError', message: 'no environment acme/x' },
          request: { method: 'GET', url: '/internal/environments/record' },
          response: { statusCode: 404 },
        },
        { status: 404 },
      ),
    );
    await stop();
    await expect(client.getEnvironment('acme/x')).rejects.toThrow(
      'no environment acme/x',
    );
  });

  it('stops renewing its leases when the backend stops', async () => {
    jest.useFakeTimers();
    try {
      const calls: string[] = [];
      const { client, stop } = clientWith(async (url: any) => {
        calls.push(String(url).replace(/^.*\/environments/, ''));
        return Response.json({
          acquired: true,
          token: 't',
          leaseSeconds: 30,
        });
      });
      await client.locks.acquire('acme/dev', 'task-1');
      await jest.advanceTimersByTimeAsync(10_000);
      expect(calls.filter(c => c === '/leases/renew')).toHaveLength(1);
      await stop();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(calls.filter(c => c === '/leases/renew')).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
