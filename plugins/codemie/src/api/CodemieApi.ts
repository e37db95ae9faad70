import { createApiRef } from '@backstage/core-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  EnvironmentStatus,
  PlanPreview,
  PlanPreviewRequest,
  ResizePlan,
  SizingInputs,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';

// The preview contract lives in codemie-common, shared with the backend route.
export type {
  PlanPreview,
  PlanPreviewRequest,
  PlanPricing,
} from '@codemie-gcp/plugin-codemie-common';

export type { ResizePlan } from '@codemie-gcp/plugin-codemie-common';

/**
 * What the resize form previews: a recorded environment and the resize's inputs (a named tier,
 * new sizing inputs with tier `custom`, an image version), as `codemie:resize` takes them.
 *
 * @public
 */
export interface ResizePreviewRequest {
  /** `resource:<project id>/<name>` or `<project id>/<name>`. */
  environment: string;
  /** A preset name, or `custom` with `sizing`; absent keeps the recorded sizing. */
  tier?: string;
  /** With `custom`: the sizing inputs. */
  sizing?: SizingInputs;
  /** The tag of CodeMie's images to deploy, when it changes. */
  imageVersion?: string;
}

/**
 * History windows the status API serves.
 *
 * @public
 */
export type UsageHistoryWindow = '24h' | '7d';

/**
 * An environment recorded by the portal, as `GET /v1/environments/{project}/{name}` answers.
 *
 * @public
 */
export interface EnvironmentSummary {
  /** The Google Cloud project. */
  projectId: string;
  /** The environment's name. */
  name: string;
  /** The catalog entity the environment is served as, `resource:<project id>/<name>`. */
  entityRef: string;
  /** The environment's owner (an entity ref). */
  owner: string;
  /** The user who started the create. */
  createdBy?: string;
  /** planned, provisioning, provisioned, deploying, ready, resizing, failed, destroying */
  state: string;
  /** When the record last changed, ISO 8601. */
  updatedAt: string;
}

/**
 * Client of the CodeMie status API (`/api/codemie/v1/entities/...`).
 *
 * @public
 */
export interface CodemieApi {
  /** The live status of a `codemie-environment` entity. */
  getStatus(entityRef: CompoundEntityRef): Promise<EnvironmentStatus>;
  /** Usage samples of the environment's components over a window (default `7d`). */
  getHistory(
    entityRef: CompoundEntityRef,
    window?: UsageHistoryWindow,
  ): Promise<UsageHistory>;
  /**
   * Sizes, plans and prices an environment from the template's inputs. Rejects with a
   * `ResponseError` (400, message naming the field, e.g. `sizing.concurrentUsers: …`) on bad input.
   */
  previewPlan(
    request: PlanPreviewRequest,
    options?: { signal?: AbortSignal },
  ): Promise<PlanPreview>;
  /**
   * The plan diff of a resize — components, node pool, monthly cost before → after — as
   * `codemie:resize` will log it. Rejects with a `ResponseError` (400 naming the field, 404 for
   * an environment the portal does not know).
   */
  previewResize(
    request: ResizePreviewRequest,
    options?: { signal?: AbortSignal },
  ): Promise<ResizePlan>;
  /** The environment `name` recorded in `projectId`, or undefined when the name is free there. */
  getEnvironment(
    projectId: string,
    name: string,
  ): Promise<EnvironmentSummary | undefined>;
}

/**
 * Reference to the {@link CodemieApi}.
 *
 * @public
 */
export const codemieApiRef = createApiRef<CodemieApi>({
  id: 'plugin.codemie.service',
});
