/**
 * The environment records as the codemie plugin keeps them and as its modules see them: the
 * shapes shared by the store (in the plugin), the internal HTTP API and its client.
 */
import type { EnvironmentInput } from '@codemie-gcp/plugin-codemie-common';
import type { CreateDecision, EnvironmentState } from './environmentLifecycle';

export type {
  CreateDecision,
  CreateRequest,
  EnvironmentState,
} from './environmentLifecycle';

/**
 * What an environment's record keeps as its `spec`: the validated inputs and the plan's tier.
 *
 * @public
 */
export interface RecordedSpec {
  /** The validated inputs. */
  input: EnvironmentInput;
  /** The plan's tier: a preset name or `custom`. */
  tier: string;
  /** The catalog entity's description. */
  description?: string;
  /** The catalog system the entity belongs to. */
  system?: string;
}

/**
 * One environment row, decoded.
 *
 * @public
 */
export interface EnvironmentRecord {
  /** `<project id>/<name>` */
  environmentRef: string;
  /** The Google Cloud project. */
  projectId: string;
  /** The environment's name. */
  name: string;
  /** The environment's owner (an entity ref). */
  owner: string;
  /** The user who started the create. */
  createdBy?: string;
  /** The scaffolder task that holds the record: only it writes the record. */
  taskId?: string;
  /** `resource:<project id>/<name>`: the catalog entity the record is served as. */
  entityRef: string;
  /** The lifecycle state. */
  state: EnvironmentState;
  /** The recorded spec (a {@link RecordedSpec}). */
  spec: unknown;
  /** What provisioning and deploy recorded (a {@link RecordedOutputs}; no secrets). */
  outputs?: unknown;
  /** Why the last step failed or stopped (no secrets). */
  lastError?: string;
  /** When the record was created. */
  createdAt: Date;
  /** When the record last changed. */
  updatedAt: Date;
}

/**
 * The outcome of a claim for a create: the record unless refused.
 *
 * @public
 */
export interface EnvironmentClaim {
  /** Whether the create may go ahead, as a new or a resumed environment, or why not. */
  decision: CreateDecision;
  /** The claimed record, unless refused. */
  record?: EnvironmentRecord;
}

/**
 * The spec a create claims or a change records; its identity (project, name) never changes.
 *
 * @public
 */
export type EnvironmentSpec = {
  input: { projectId: string; name: string };
} & Record<string, unknown>;

/**
 * A change a task makes to the record it holds.
 *
 * @public
 */
export interface EnvironmentChange {
  /** The task making the change: it must hold the record (or take it over). */
  taskId: string;
  /** The new lifecycle state. */
  state: EnvironmentState;
  /**
   * Replaces the recorded spec (inputs and tier): a finished resize records the new sizing.
   * The environment's identity (project, name) never changes.
   */
  spec?: EnvironmentSpec;
  /** Replaces the outputs; `mergeOutputs` adds to them instead. */
  outputs?: unknown;
  /** Outputs to add to the recorded ones. */
  mergeOutputs?: Record<string, unknown>;
  /** Why the step failed or stopped; cleared by any change that does not give one. */
  lastError?: string;
  /**
   * Take the record over from the task that holds it: a destroy or a re-deploy by a user the
   * caller has authorized. Never used within a create.
   */
  takeOver?: boolean;
}

/**
 * A lease held by this process; renews itself until released.
 *
 * @public
 */
export interface EnvironmentLease {
  /** Releases the lease, so another holder can take it at once. */
  release(): Promise<void>;
}

/**
 * Thrown when another holder has the lease.
 *
 * @public
 */
export class EnvironmentLockedError extends Error {
  constructor(
    /** The leased key. */
    readonly key: string,
    /** Who holds the lease. */
    readonly holder: string,
    /** When the holder's lease expires unless renewed. */
    readonly expiresAt: Date,
  ) {
    super(
      `Environment ${key} is being changed by ${holder}; try again when it finishes (its lease expires at ${expiresAt.toISOString()} if it stops responding)`,
    );
    this.name = 'EnvironmentLockedError';
  }
}
