import { sizeEnvironment } from '@codemie-gcp/plugin-codemie-common';
import type {
  EnvironmentRecord,
  RecordedSpec,
} from '@codemie-gcp/plugin-codemie-node';
import type { EnvironmentDescriptor, EnvironmentLifecycleFacts } from './types';

const CLUSTER_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/clusters\/([^/]+)$/;

/** States in which provisioning has recorded a cluster worth reading. */
const CLUSTER_STATES = new Set([
  'provisioned',
  'deploying',
  'ready',
  'resizing',
  'failed',
]);

/**
 * The environment as its record describes it — the only source the status API trusts for the
 * environments this portal created (the entity's annotations are for people and other
 * plugins). Pure.
 *
 * @internal
 */
export function environmentFromRecord(
  record: EnvironmentRecord,
): EnvironmentDescriptor {
  const spec = record.spec as RecordedSpec;
  const { input } = spec;
  const outputs = (record.outputs ?? {}) as {
    clusterName?: string;
    sqlConnectionName?: string;
    retryAfter?: string;
    lastResize?: { finishedAt?: string; changed?: string[] };
  };
  const resizedAt = Date.parse(outputs.lastResize?.finishedAt ?? '');
  // Before provisioning records the cluster, name the one the plan will create.
  const cluster =
    outputs.clusterName ??
    `projects/${input.projectId}/locations/${input.region}/clusters/${input.name}-gke`;
  const [, , clusterLocation, clusterShortName] = CLUSTER_NAME.exec(
    cluster,
  ) ?? ['', input.projectId, input.region, `${input.name}-gke`];
  const lifecycle: EnvironmentLifecycleFacts = {
    state: record.state,
    since: record.updatedAt.toISOString(),
    ...(record.lastError ? { lastError: record.lastError } : {}),
    ...(record.taskId ? { taskId: record.taskId } : {}),
    ...(record.state === 'destroying' && outputs.retryAfter
      ? { retryAfter: outputs.retryAfter }
      : {}),
    clusterReadable:
      outputs.clusterName !== undefined && CLUSTER_STATES.has(record.state),
    ...(Number.isFinite(resizedAt) && outputs.lastResize?.changed
      ? {
          resized: {
            at: resizedAt,
            components: outputs.lastResize.changed,
          },
        }
      : {}),
  };
  return {
    entityRef: record.entityRef,
    name: input.name,
    projectId: input.projectId,
    option: input.option,
    tier: spec.tier,
    sizing: sizeEnvironment(input.sizing, spec.tier),
    region: input.region,
    domain: input.domain,
    cluster,
    clusterLocation,
    clusterShortName,
    ...(outputs.sqlConnectionName
      ? { cloudSqlInstance: outputs.sqlConnectionName }
      : {}),
    kubernetesId: input.name,
    lifecycle,
  };
}
