/**
 * How the CodeMie actions find the environment they act on and check that the user running the
 * task may: later steps take a reference to the record (never free text describing the
 * environment), and every change is authorized with the task's user credentials through
 * Backstage permissions.
 */
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { parseEnvironmentReference } from '@codemie-gcp/plugin-codemie-common';
import {
  CodemieEnvironmentStore,
  EnvironmentRecord,
  RecordedSpec,
  EnvironmentLease,
  EnvironmentLockedError,
} from '@codemie-gcp/plugin-codemie-node';

export type { RecordedSpec } from '@codemie-gcp/plugin-codemie-node';

/** The part of an action context these helpers read. */
export interface TaskContext {
  task: { id: string };
  user?: { ref?: string };
  getInitiatorCredentials(): Promise<BackstageCredentials>;
}

/** The environment reference every later step takes, as the actions' input schema. */
export const environmentReferenceField = (z: any) =>
  z
    .string()
    .describe(
      "The environment: '<project id>/<name>' (codemie:plan's `environment` output) or its entity ref 'resource:<project id>/<name>'",
    );

/**
 * The record an action's `environment` input names.
 *
 * @throws InputError when the reference is malformed or no record exists.
 */
export async function recordOf(
  store: CodemieEnvironmentStore,
  reference: unknown,
  field = 'environment',
): Promise<EnvironmentRecord> {
  const parsed =
    typeof reference === 'string'
      ? parseEnvironmentReference(reference)
      : undefined;
  if (!parsed) {
    throw new InputError(
      `${field}: '${String(reference)}' is not an environment reference; give '<project id>/<name>' or 'resource:<project id>/<name>'`,
    );
  }
  const record = await store.getEnvironment(
    `${parsed.projectId}/${parsed.name}`,
  );
  if (!record || record.state === 'gone') {
    throw new InputError(
      `${field}: no CodeMie environment ${parsed.name} is recorded in project ${parsed.projectId} by this portal; create it with "Create CodeMie environment" first. Nothing was changed`,
    );
  }
  return record;
}

/**
 * The `<project id>/<name>` an action's `environment` input names, checked for its form only
 * (a dry run of the create template has no record yet).
 *
 * @throws InputError when it is not an environment reference.
 */
export function referenceOf(reference: unknown, field = 'environment'): string {
  const parsed =
    typeof reference === 'string'
      ? parseEnvironmentReference(reference)
      : undefined;
  if (!parsed) {
    throw new InputError(
      `${field}: '${String(reference)}' is not an environment reference; give '<project id>/<name>' or 'resource:<project id>/<name>'`,
    );
  }
  return `${parsed.projectId}/${parsed.name}`;
}

/** True when `reference` names an environment that is recorded (and not gone). */
export async function recordExists(
  store: CodemieEnvironmentStore,
  reference: unknown,
): Promise<boolean> {
  const parsed =
    typeof reference === 'string'
      ? parseEnvironmentReference(reference)
      : undefined;
  if (!parsed) return false;
  const record = await store.getEnvironment(
    `${parsed.projectId}/${parsed.name}`,
  );
  return !!record && record.state !== 'gone';
}

/** The recorded inputs of an environment. */
export function recordedSpec(record: EnvironmentRecord): RecordedSpec {
  return record.spec as RecordedSpec;
}

/** True when this task holds the record (it is the task that created it, or took it over). */
export function holdsRecord(
  record: EnvironmentRecord,
  ctx: TaskContext,
): boolean {
  return record.taskId === ctx.task.id;
}

/**
 * Asks the permission framework whether the task's user may do `permission` (on the record's
 * entity, for resource permissions). Never throws for a denial.
 */
export async function isAllowed(
  permissions: PermissionsService,
  ctx: TaskContext,
  permission: BasicPermission | ResourcePermission<'catalog-entity'>,
  record?: EnvironmentRecord,
): Promise<boolean> {
  const credentials = await ctx.getInitiatorCredentials();
  const [decision] = await permissions.authorize(
    [
      permission.type === 'resource'
        ? { permission, resourceRef: record!.entityRef }
        : { permission },
    ] as any,
    { credentials },
  );
  return decision.result === AuthorizeResult.ALLOW;
}

/**
 * Throws `NotAllowedError` with what was refused and why, unless the task's user may do
 * `permission`.
 */
export async function authorize(
  permissions: PermissionsService,
  ctx: TaskContext,
  permission: BasicPermission | ResourcePermission<'catalog-entity'>,
  what: string,
  record?: EnvironmentRecord,
): Promise<void> {
  if (await isAllowed(permissions, ctx, permission, record)) return;
  const who = ctx.user?.ref ?? 'the user running this task';
  throw new NotAllowedError(
    record
      ? `${who} may not ${what} ${record.entityRef} (${permission.name}): it is owned by ${record.owner}, and only its owners may. Nothing was changed`
      : `${who} may not ${what} (${permission.name}); ask your portal's administrators. Nothing was changed`,
  );
}

/** Takes the environment's lease for this task, turning "held by another" into a clear InputError. */
export async function leaseFor(
  store: CodemieEnvironmentStore,
  record: EnvironmentRecord,
  ctx: TaskContext,
): Promise<EnvironmentLease> {
  try {
    return await store.locks.acquire(
      record.environmentRef,
      `task ${ctx.task.id}`,
    );
  } catch (e) {
    if (e instanceof EnvironmentLockedError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * A message safe to keep in the record and show on the entity page: the first line of the
 * error, without stack frames.
 */
export function failureSummary(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  return message.split('\n')[0].slice(0, 2000);
}

/**
 * Refuses inputs an action does not take: the later steps take the environment's reference,
 * and a template that still passes the environment's settings would otherwise be silently
 * ignored.
 */
export function refuseUnknownInputs(
  input: Record<string, unknown>,
  known: string[],
): void {
  const unknown = Object.keys(input).filter(
    k => !known.includes(k) && input[k] !== undefined,
  );
  if (unknown.length > 0) {
    throw new InputError(
      `${unknown.map(k => `${k}: is not an input of this step; the environment's settings come from its record (give only ${known.join(', ')})`).join('; ')}. Nothing was changed`,
    );
  }
}
