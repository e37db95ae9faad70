/**
 * A provisioned environment's record, for the deploy tests: what `codemie:gcp:provision` would
 * have recorded for the flat description of `deployInput` (fixtures), held by the test's task.
 */
import { environmentKey } from '@codemie-gcp/plugin-codemie-common';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { provisionedEnvironment } from '../../deploy/__testUtils__/fixtures';

/**
 * Records, in `store`, the environment `codemie:gcp:provision` would have recorded for the
 * fixtures' `deployInput` (with `overrides`), held by the test's task; returns the environment's
 * name and the deploy action's options for it.
 *
 * @public
 */
export async function recordProvisioned(
  store: CodemieStore,
  overrides: Record<string, unknown> = {},
  record: {
    taskId?: string;
    owner?: string;
    state?: 'provisioned' | 'ready';
  } = {},
): Promise<{ environment: string; options: Record<string, unknown> }> {
  const { input, outputs, options } = provisionedEnvironment(overrides);
  await store.upsertEnvironment({
    projectId: input.projectId,
    name: input.name,
    owner: record.owner ?? 'group:default/platform-engineering',
    createdBy: 'user:default/mock',
    taskId: record.taskId ?? 'mock-task-id',
    state: record.state ?? 'provisioned',
    spec: { input, tier: 'custom' },
    outputs,
  });
  return { environment: environmentKey(input), options };
}
