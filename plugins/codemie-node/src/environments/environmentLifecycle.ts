/**
 * The life of an environment record, as pure rules: which states follow which, and who may take
 * a record into a create. The store applies them; the actions name them in their messages.
 */
import type { EnvironmentInput } from '@codemie-gcp/plugin-codemie-common';

/**
 * The lifecycle state of a recorded environment:
 *
 * `planned` → `provisioning` → `provisioned` → `deploying` → `ready`; any step may end in
 * `failed`; `destroying` → `gone`. A `ready` environment may be deployed again, or resized:
 * `resizing` → `ready`. A resize that stops stays `resizing` (with `lastError`) until a resize
 * finishes it — the environment keeps serving meanwhile — or it is destroyed.
 *
 * @public
 */
export type EnvironmentState =
  | 'planned'
  | 'provisioning'
  | 'provisioned'
  | 'deploying'
  | 'ready'
  | 'resizing'
  | 'failed'
  | 'destroying'
  | 'gone';

/** Every state, in lifecycle order. @public */
export const ENVIRONMENT_STATES: readonly EnvironmentState[] = [
  'planned',
  'provisioning',
  'provisioned',
  'deploying',
  'ready',
  'resizing',
  'failed',
  'destroying',
  'gone',
];

/** The states each state may move to. */
const NEXT: Record<EnvironmentState, readonly EnvironmentState[]> = {
  planned: ['planned', 'provisioning', 'failed', 'destroying'],
  provisioning: ['provisioning', 'provisioned', 'failed', 'destroying'],
  provisioned: ['provisioning', 'deploying', 'failed', 'destroying'],
  deploying: ['deploying', 'ready', 'failed', 'destroying'],
  ready: ['deploying', 'ready', 'resizing', 'destroying'],
  // A resize is finished by a resize (the same sizing or another: each run converges on its
  // target); deploy waits until it has, so it never renders one sizing onto the other's pool.
  resizing: ['resizing', 'ready', 'destroying'],
  // A failed create resumes from the step that failed (the steps are idempotent); a failed
  // deploy of a provisioned environment may also be fixed by resizing it.
  failed: [
    'planned',
    'provisioning',
    'deploying',
    'resizing',
    'failed',
    'destroying',
  ],
  // A destroy that stopped (or that Google held up, e.g. a peering still in use) is re-run to
  // finish; the record says what is left.
  destroying: ['destroying', 'gone'],
  gone: ['planned'],
};

/** True when a record in `from` may move to `to`. @public */
export function canMove(from: EnvironmentState, to: EnvironmentState): boolean {
  return NEXT[from].includes(to);
}

/**
 * The record facts the decisions below read.
 *
 * @public
 */
export interface RecordFacts {
  /** The Google Cloud project. */
  projectId: string;
  /** The environment's name. */
  name: string;
  /** The environment's owner (an entity ref). */
  owner: string;
  /** The user who started the create. */
  createdBy?: string;
  /** The scaffolder task that holds the record. */
  taskId?: string;
  /** The lifecycle state. */
  state: EnvironmentState;
  /** The recorded inputs. */
  input?: EnvironmentInput;
  /** Why the last step failed or stopped. */
  lastError?: string;
  /** When the record last changed. */
  updatedAt: Date;
}

/**
 * Who asks to create, and how.
 *
 * @public
 */
export interface CreateRequest {
  /** The scaffolder task that asks. */
  taskId: string;
  /** The user running the task, e.g. `user:default/ana`. */
  userRef?: string;
  /** The validated inputs of the environment to create. */
  input: EnvironmentInput;
  /** The environment's owner (an entity ref). */
  owner: string;
  /** The user ticked "resume my failed create". */
  resume: boolean;
  /** The user holds `codemie.environment.update` on the existing environment. */
  mayUpdateExisting: boolean;
}

/** What to do with a create request given the record that exists (if any). @public */
export type CreateDecision =
  | { kind: 'create' }
  | { kind: 'continue' }
  | { kind: 'resume' }
  | { kind: 'refuse'; reason: string };

/**
 * Decides whether a create may take the record of (project, name): a fresh name (or one whose
 * environment is gone) is created; the same task carries on (Retry, recovery after a restart);
 * a failed create is resumed only when its creator or an owner asks for it explicitly and with
 * the same inputs; everything else is refused before anything changes.
 *
 * @public
 */
export function decideCreate(
  existing: RecordFacts | undefined,
  request: CreateRequest,
): CreateDecision {
  if (!existing || existing.state === 'gone') return { kind: 'create' };
  const where = `${existing.name} already exists in ${existing.projectId}, owned by ${existing.owner}`;
  const differences = existing.input
    ? inputDifferences(existing.input, request.input)
    : [];
  if (existing.owner !== request.owner) {
    differences.unshift(
      `owner: ${existing.owner} recorded, ${request.owner} given`,
    );
  }
  if (existing.taskId === request.taskId) {
    if (differences.length > 0) {
      return {
        kind: 'refuse',
        reason: `${where}: this task recorded other inputs (${differences.join('; ')}); nothing was changed`,
      };
    }
    return { kind: 'continue' };
  }
  if (existing.state !== 'failed') {
    return {
      kind: 'refuse',
      reason: `${where} (state ${existing.state}); choose another name, or destroy it first with "Destroy CodeMie environment". Nothing was changed`,
    };
  }
  const failedCreate = `${where}, and its create failed${existing.lastError ? ` (${existing.lastError})` : ''}`;
  if (!request.resume) {
    return {
      kind: 'refuse',
      reason: `${failedCreate}. To continue it, run the template again with "Resume my failed create" ticked and the same inputs; or destroy it first. Nothing was changed`,
    };
  }
  const own =
    request.mayUpdateExisting ||
    (existing.createdBy !== undefined &&
      existing.createdBy === request.userRef);
  if (!own) {
    return {
      kind: 'refuse',
      reason: `${failedCreate}; only its creator (${existing.createdBy ?? 'unknown'}) or its owners may resume it. Nothing was changed`,
    };
  }
  if (differences.length > 0) {
    return {
      kind: 'refuse',
      reason: `${failedCreate}; a resume must use the recorded inputs, and these differ: ${differences.join('; ')}. To change them, destroy the failed environment first. Nothing was changed`,
    };
  }
  return { kind: 'resume' };
}

/** What differs between two inputs, field by field, as a user reads it. @public */
export function inputDifferences(
  recorded: EnvironmentInput,
  given: EnvironmentInput,
): string[] {
  const flat = (input: EnvironmentInput) => {
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(input)) {
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        for (const [inner, v] of Object.entries(value))
          out[`${key}.${inner}`] = JSON.stringify(v);
      } else {
        out[key] = JSON.stringify(value);
      }
    }
    return out;
  };
  const a = flat(recorded);
  const b = flat(given);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter(key => a[key] !== b[key])
    .map(
      key =>
        `${key}: ${a[key] ?? 'unset'} recorded, ${b[key] ?? 'unset'} given`,
    );
}
