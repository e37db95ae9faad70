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

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The status of the environment `entityRef`, as the status API reads it now. */
  async getStatus(entityRef: CompoundEntityRef): Promise<EnvironmentStatus> {
    return this.get<EnvironmentStatus>(`${entityPath(entityRef)}/status`);
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
