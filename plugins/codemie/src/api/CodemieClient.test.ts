import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { demoHistory, demoStatus } from '../__fixtures__/demoEnvironment';
import { demoPlanPreview } from '../__fixtures__/demoPlanPreview';
import {
  createTestClient,
  ENTITY_URL,
  errorResponse,
  PLAN_PREVIEW_URL,
  planPreviewHandler,
  setupCodemieServer,
} from '../__testUtils__/msw';
import { classifyError } from './errors';

const ref = { kind: 'Resource', namespace: 'default', name: 'codemie-demo' };

describe('CodemieClient', () => {
  const server = setupCodemieServer();

  it('reads the status from the codemie backend, kind in lower case', async () => {
    let url = '';
    server.use(
      http.get(`${ENTITY_URL}/status`, ({ request }) => {
        url = request.url;
        return HttpResponse.json(demoStatus);
      }),
    );
    await expect(createTestClient().getStatus(ref)).resolves.toEqual(
      demoStatus,
    );
    expect(url).toBe(`${ENTITY_URL}/status`);
  });

  it('asks for the status conditionally once read, and keeps it on 304', async () => {
    const asked: Array<string | null> = [];
    let etag = '"v1"';
    let body = demoStatus;
    server.use(
      http.get(`${ENTITY_URL}/status`, ({ request }) => {
        asked.push(request.headers.get('if-none-match'));
        if (request.headers.get('if-none-match') === etag)
          return new HttpResponse(null, { status: 304, headers: { etag } });
        return HttpResponse.json(body, { headers: { etag } });
      }),
    );
    const client = createTestClient();
    await expect(client.getStatus(ref)).resolves.toEqual(demoStatus);
    await expect(client.getStatus(ref)).resolves.toEqual(demoStatus);
    // The status changed on the server: the new one, and its tag next time.
    etag = '"v2"';
    body = { ...demoStatus, readAt: '2026-07-01T12:01:00Z' };
    await expect(client.getStatus(ref)).resolves.toEqual(body);
    await expect(client.getStatus(ref)).resolves.toEqual(body);
    expect(asked).toEqual([null, '"v1"', '"v1"', '"v2"']);
  });

  it('encodes entity names and asks for the history window', async () => {
    let url = '';
    server.use(
      http.get(
        'http://backstage.test/api/codemie/v1/entities/resource/team%20a/env%2F1/history',
        ({ request }) => {
          url = request.url;
          return HttpResponse.json(demoHistory('24h'));
        },
      ),
    );
    const history = await createTestClient().getHistory(
      { kind: 'Resource', namespace: 'team a', name: 'env/1' },
      '24h',
    );
    expect(new URL(url).searchParams.get('window')).toBe('24h');
    expect(history.points).toHaveLength(25);
  });

  it.each([
    [
      400,
      'InputError',
      'Entity has no codemie.ai/gke-cluster annotation',
      'not-codemie',
    ],
    [401, 'AuthenticationError', 'Missing credentials', 'unauthorized'],
    [
      403,
      'NotAllowedError',
      'Not allowed to read resource:default/codemie-demo',
      'forbidden',
    ],
    [
      404,
      'NotFoundError',
      'No entity resource:default/codemie-demo',
      'not-found',
    ],
    [
      502,
      'ServiceUnavailableError',
      'GKE API: connect ETIMEDOUT 34.90.1.2:443',
      'unreachable',
    ],
    [500, 'Error', 'boom', 'other'],
  ])(
    'rejects %s with a ResponseError carrying the cause',
    async (status, name, message, kind) => {
      server.use(
        http.get(`${ENTITY_URL}/status`, () =>
          errorResponse(status, name, message),
        ),
      );
      const error = await createTestClient()
        .getStatus(ref)
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(status);
      expect(error.cause.message).toBe(message);
      const classified = classifyError(error);
      expect(classified.kind).toBe(kind);
      expect(classified.message).toBe(message);
    },
  );

  it('classifies network failures as other', () => {
    expect(classifyError(new TypeError('Failed to fetch'))).toMatchObject({
      kind: 'other',
      message: 'Failed to fetch',
    });
  });

  describe('previewPlan', () => {
    const request = {
      region: 'europe-west1',
      option: 'private' as const,
      regional: true,
      sizing: {
        concurrentUsers: 100,
        vectorDatasourceGiB: 20,
        logRetentionDays: 14,
        llmProxyType: 'litellm' as const,
        includeNats: false,
      },
    };

    it('posts the request as JSON to /v1/plan/preview', async () => {
      let contentType: string | null = null;
      server.use(
        http.post(PLAN_PREVIEW_URL, async ({ request: req }) => {
          contentType = req.headers.get('content-type');
          expect(await req.json()).toEqual(request);
          return HttpResponse.json(demoPlanPreview);
        }),
      );
      await expect(createTestClient().previewPlan(request)).resolves.toEqual(
        demoPlanPreview,
      );
      expect(contentType).toBe('application/json');
    });

    it("rejects a 400 with a ResponseError whose cause is the backend's message", async () => {
      const message =
        'sizing.concurrentUsers: must be an integer of at least 1';
      server.use(
        planPreviewHandler(() => ({ status: 400, name: 'InputError', message }))
          .handler,
      );
      const error = await createTestClient()
        .previewPlan({
          ...request,
          sizing: { ...request.sizing, concurrentUsers: 0 },
        })
        .catch(e => e);
      expect(ResponseError.is(error)).toBe(true);
      expect(error.statusCode).toBe(400);
      expect(classifyError(error).message).toBe(message);
    });
  });
});
