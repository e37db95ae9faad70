import type {
  CreateRequest,
  EnvironmentChange,
  EnvironmentClaim,
  EnvironmentLease,
  EnvironmentRecord,
  EnvironmentSpec,
} from './types';

/**
 * Leases that serialise changes to one environment across tasks and backend replicas.
 *
 * @public
 */
export interface EnvironmentLeases {
  /**
   * Takes the lease on `key` for `holder` (the same holder takes its own lease again), or
   * throws `EnvironmentLockedError`. The lease renews itself until released.
   */
  acquire(key: string, holder: string): Promise<EnvironmentLease>;
}

/**
 * The codemie plugin's environment records, as its scaffolder and catalog modules use them.
 * The plugin implements it on its database (`CodemieStore`); modules get it from
 * `codemieEnvironmentStoreServiceRef`, a client of the plugin's internal HTTP API — they
 * never open the plugin's database.
 *
 * @public
 */
export interface CodemieEnvironmentStore {
  /** Leases on environments. */
  readonly locks: EnvironmentLeases;

  /** The record of `<project id>/<name>`, if any. */
  getEnvironment(
    environmentRef: string,
  ): Promise<EnvironmentRecord | undefined>;

  /** The record served as the catalog entity `entityRef` (compared case-insensitively). */
  getEnvironmentByEntityRef(
    entityRef: string,
  ): Promise<EnvironmentRecord | undefined>;

  /** Every record, in `environmentRef` order (`gone` ones included). */
  listEnvironments(): Promise<EnvironmentRecord[]>;

  /**
   * Takes the record of (project, name) for a create, or refuses (decision `refuse`, nothing
   * changed). Two creates of one name cannot both win.
   */
  claimForCreate(options: {
    request: CreateRequest;
    spec: EnvironmentSpec;
  }): Promise<EnvironmentClaim>;

  /**
   * Moves the record to a new state as the task that holds it (compare-and-set on the holder
   * and the lifecycle). Throws `ConflictError` when another task holds it or the lifecycle does
   * not allow the move, `NotFoundError` when there is no record; nothing is written then.
   */
  updateEnvironment(
    environmentRef: string,
    change: EnvironmentChange,
  ): Promise<EnvironmentRecord>;
}

/**
 * The topic the codemie plugin publishes on the events service after an environment record
 * changed (no payload beyond the reference: subscribers read the records they need).
 *
 * @public
 */
export const CODEMIE_ENVIRONMENTS_CHANGED_TOPIC =
  'codemie.environments.changed';
