import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import {
  EnvironmentStatus,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieApi,
  EnvironmentSummary,
  PlanPreview,
  PlanPreviewRequest,
  ResizePlan,
  ResizePreviewRequest,
  UsageHistoryWindow,
} from './CodemieApi';

/** Environments whose last status the client keeps for conditional requests. */
const MAX_REMEMBERED_STATUSES = 16;

/**
 * {@link CodemieApi} over HTTP: the `codemie` backend plugin, found through the discovery API,
 * called with the fetch API (which adds the user's Backstage token).
 *
 * Failed requests reject with a `ResponseError` from `@backstage/errors`, whose `statusCode`
 * and `cause` (name and message of the server's error) drive the entity page's error states.
 *
 * @public
 */
export class CodemieClient implements CodemieApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  /** The last status read of each environment and its ETag, for conditional polls. */
  private readonly lastStatus = new Map<
    string,
    { etag: string; status: EnvironmentStatus }
  >();

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /**
   * The status, asked conditionally once it has been read: the last answer's ETag goes in
   * `If-None-Match`, and a 304 (nothing changed, no body) resolves to the last status read.
   * The header is set explicitly rather than left to the browser's HTTP cache: a request that
   * carries `If-None-Match` bypasses that cache and hands the 304 to the caller
   * (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch), whatever fetchApi wraps
   * around fetch. The backend checks access before it answers 304.
   */
  async getStatus(entityRef: CompoundEntityRef): Promise<EnvironmentStatus> {
    const baseUrl = await this.discoveryApi.getBaseUrl('codemie');
    const url = `${baseUrl}${entityPath(entityRef)}/status`;
    const last = this.lastStatus.get(url);
    const response = await this.fetchApi.fetch(url, {
      headers: {
        Accept: 'application/json',
        ...(last ? { 'If-None-Match': last.etag } : {}),
      },
    });
    if (response.status === 304 && last) return last.status;
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const status = (await response.json()) as EnvironmentStatus;
    // Readable cross-origin only when backend.cors.exposedHeaders lists ETag.
    const etag = response.headers.get('ETag');
    this.lastStatus.delete(url);
    if (etag) {
      this.lastStatus.set(url, { etag, status });
      // A few environments at a time are on screen; forget the oldest beyond that.
      if (this.lastStatus.size > MAX_REMEMBERED_STATUSES) {
        this.lastStatus.delete(this.lastStatus.keys().next().value!);
      }
    }
    return status;
  }

  /** The environment's usage history over `window` (default `7d`). */
  async getHistory(
    entityRef: CompoundEntityRef,
    window: UsageHistoryWindow = '7d',
  ): Promise<UsageHistory> {
    return this.get<UsageHistory>(
      `${entityPath(entityRef)}/history?window=${encodeURIComponent(window)}`,
    );
  }

  /** The sizing, node pool and monthly cost of an environment before it is created. */
  async previewPlan(
    request: PlanPreviewRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<PlanPreview> {
    const baseUrl = await this.discoveryApi.getBaseUrl('codemie');
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/plan/preview`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(request),
      signal: options.signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as PlanPreview;
  }

  /** What a resize of a recorded environment would change, before anything changes. */
  async previewResize(
    request: ResizePreviewRequest,
    options: { signal?: AbortSignal } = {},
  ): Promise<ResizePlan> {
    const baseUrl = await this.discoveryApi.getBaseUrl('codemie');
    const response = await this.fetchApi.fetch(`${baseUrl}/v1/resize/preview`, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
      },
      body: JSON.stringify(request),
      signal: options.signal,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as ResizePlan;
  }

  /** The recorded environment `<projectId>/<name>`, or undefined when there is none. */
  async getEnvironment(
    projectId: string,
    name: string,
  ): Promise<EnvironmentSummary | undefined> {
    const baseUrl = await this.discoveryApi.getBaseUrl('codemie');
    const response = await this.fetchApi.fetch(
      `${baseUrl}/v1/environments/${encodeURIComponent(projectId)}/${encodeURIComponent(name)}`,
      { headers: { Accept: 'application/json' } },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    const body = (await response.json()) as EnvironmentSummary & {
      exists: boolean;
    };
    if (!body.exists) return undefined;
    const { exists: _exists, ...summary } = body;
    return summary;
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('codemie');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      headers: { Accept: 'application/json' },
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

/** `/v1/entities/{kind}/{namespace}/{name}`; kind in lower case, as the catalog's own URLs. */
function entityPath(ref: CompoundEntityRef): string {
  return [
    '/v1/entities',
    encodeURIComponent(ref.kind.toLocaleLowerCase('en-US')),
    encodeURIComponent(ref.namespace),
    encodeURIComponent(ref.name),
  ].join('/');
}
