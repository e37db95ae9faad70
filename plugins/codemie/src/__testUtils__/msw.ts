/* Test helpers: the real CodemieClient against msw handlers. */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import {
  EnvironmentStatus,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';
import { CodemieClient } from '../api/CodemieClient';
import type { PlanPreview, PlanPreviewRequest } from '../api';

export const BASE_URL = 'http://backstage.test';
export const ENTITY_URL = `${BASE_URL}/api/codemie/v1/entities/resource/default/codemie-demo`;

/**
 * An msw server listening for the test file (Backstage's `registerMswTestHooks`): unhandled
 * requests fail the test, handlers added with `server.use` are reset after each test.
 */
export function setupCodemieServer() {
  const server = setupServer();
  registerMswTestHooks(server);
  return server;
}

/** Responds to `…/status` with each of `responses` in turn, repeating the last. */
export function statusHandler(
  ...responses: Array<
    EnvironmentStatus | { status: number; name: string; message: string }
  >
) {
  let call = 0;
  const requests: Request[] = [];
  const handler = http.get(`${ENTITY_URL}/status`, ({ request }) => {
    requests.push(request);
    const response = responses[Math.min(call++, responses.length - 1)];
    if ('entityRef' in response) return HttpResponse.json(response);
    return errorResponse(response.status, response.name, response.message);
  });
  return { handler, requests };
}

export function historyHandler(history: UsageHistory) {
  const windows: string[] = [];
  const handler = http.get(`${ENTITY_URL}/history`, ({ request }) => {
    const window = new URL(request.url).searchParams.get('window') ?? '';
    windows.push(window);
    return HttpResponse.json({ ...history, window });
  });
  return { handler, windows };
}

/** Backstage's error body. */
export function errorResponse(status: number, name: string, message: string) {
  return HttpResponse.json(
    {
      error: { name, message },
      request: { method: 'GET', url: '/status' },
      response: { statusCode: status },
    },
    { status },
  );
}

export function createTestClient() {
  return new CodemieClient({
    discoveryApi: {
      getBaseUrl: async (pluginId: string) => `${BASE_URL}/api/${pluginId}`,
    },
    // Looked up per call: msw patches the global fetch after module load.
    fetchApi: { fetch: (input, init) => globalThis.fetch(input, init) },
  });
}

export const PLAN_PREVIEW_URL = `${BASE_URL}/api/codemie/v1/plan/preview`;

/**
 * Answers `POST …/v1/plan/preview` with `respond(body)`: a preview, or an error
 * (`{ status, name, message }`) answered with Backstage's error body; optionally only once
 * `answerAfter` resolves (a slow answer the test releases). Records the request bodies, and the
 * bodies answered so far.
 */
export function planPreviewHandler(
  respond: (body: PlanPreviewRequest) =>
    | PlanPreview
    | {
        status: number;
        name: string;
        message: string;
        answerAfter?: Promise<unknown>;
      }
    | (PlanPreview & { answerAfter?: Promise<unknown> }),
) {
  const bodies: PlanPreviewRequest[] = [];
  const answered: PlanPreviewRequest[] = [];
  const handler = http.post(PLAN_PREVIEW_URL, async ({ request }) => {
    const body = (await request.json()) as PlanPreviewRequest;
    bodies.push(body);
    const { answerAfter, ...response } = respond(body) as any;
    if (answerAfter) await answerAfter;
    answered.push(body);
    if ('tier' in response) return HttpResponse.json(response);
    return errorResponse(response.status, response.name, response.message);
  });
  return { handler, bodies, answered };
}
