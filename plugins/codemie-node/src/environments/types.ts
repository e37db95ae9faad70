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
  input: EnvironmentInput;
  tier: string;
  description?: string;
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
  projectId: string;
  name: string;
  owner: string;
  /** The user who started the create. */
  createdBy?: string;
  /** The scaffolder task that holds the record: only it writes the record. */
  taskId?: string;
  /** `resource:<project id>/<name>`: the catalog entity the record is served as. */
  entityRef: string;
  state: EnvironmentState;
  spec: unknown;
  outputs?: unknown;
  /** Why the last step failed or stopped (no secrets). */
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The outcome of a claim for a create: the record unless refused.
 *
 * @public
 */
export interface EnvironmentClaim {
  decision: CreateDecision;
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
  state: EnvironmentState;
  /**
   * Replaces the recorded spec (inputs and tier): a finished resize records the new sizing.
   * The environment's identity (project, name) never changes.
   */
  spec?: EnvironmentSpec;
  /** Replaces the outputs; `mergeOutputs` adds to them instead. */
  outputs?: unknown;
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
  release(): Promise<void>;
}

/**
 * Thrown when another holder has the lease.
 *
 * @public
 */
export class EnvironmentLockedError extends Error {
  constructor(
    readonly key: string,
    readonly holder: string,
    readonly expiresAt: Date,
  ) {
    super(
      `Environment ${key} is being changed by ${holder}; try again when it finishes (its lease expires at ${expiresAt.toISOString()} if it stops responding)`,
    );
    this.name = 'EnvironmentLockedError';
  }
}
