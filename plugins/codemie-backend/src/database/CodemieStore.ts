import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { EventEmitter } from 'node:events';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  CodemieEnvironmentStore,
  CreateDecision,
  CreateRequest,
  EnvironmentChange,
  EnvironmentClaim,
  EnvironmentRecord,
  EnvironmentState,
  canMove,
  decideCreate,
} from '@codemie-gcp/plugin-codemie-node';

import { EnvironmentLocks } from './EnvironmentLocks';
import { UsageHistoryStore } from './UsageHistoryStore';

const migrationsDir = resolvePackagePath(
  '@codemie-gcp/plugin-codemie-backend',
  'migrations',
);

type EnvironmentRow = {
  environment_ref: string;
  project_id: string;
  name: string;
  owner: string;
  created_by: string | null;
  task_id: string | null;
  entity_ref: string | null;
  state: EnvironmentState;
  spec: string;
  outputs: string | null;
  last_error: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

/**
 * The codemie backend's own tables, behind Backstage's database service (SQLite locally,
 * PostgreSQL in production). Migrations run on creation unless the service says not to.
 *
 * @public
 */
export class CodemieStore implements CodemieEnvironmentStore {
  /** A store on the plugin's database; runs the migrations first unless the database service says not to. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<CodemieStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new CodemieStore(client);
  }

  /** Leases that serialise changes to one environment across tasks and replicas. */
  readonly locks: EnvironmentLocks;

  private readonly changes = new EventEmitter();

  private constructor(private readonly db: Knex) {
    this.locks = new EnvironmentLocks(db);
  }

  /**
   * Calls `listener` after every change to an environment made through this store (in this
   * process; other replicas are caught up by the catalog provider's periodic refresh).
   * Returns a function that stops listening.
   */
  onEnvironmentsChanged(listener: () => void): () => void {
    this.changes.on('changed', listener);
    return () => this.changes.off('changed', listener);
  }

  /** The status API's usage history (table `codemie_usage_samples`), in the same database. */
  usageHistory(): UsageHistoryStore {
    return new UsageHistoryStore(this.db);
  }

  /** Fails if the database cannot be read. */
  async ping(): Promise<void> {
    await this.db('codemie_environments').count({ n: '*' });
  }

  /**
   * Takes the record of (project, name) for a create, or refuses: decides with
   * `decideCreate` on the record as it is now and writes in the same transaction, so two
   * creates of one name cannot both win. A refusal changes nothing.
   */
  async claimForCreate(options: {
    request: CreateRequest;
    spec: { input: { projectId: string; name: string } } & Record<
      string,
      unknown
    >;
  }): Promise<EnvironmentClaim> {
    const { request, spec } = options;
    const environmentRef = `${spec.input.projectId}/${spec.input.name}`;
    const decided: { decision: CreateDecision } | EnvironmentClaim =
      await this.db
        .transaction(async trx => {
          const row = await trx<EnvironmentRow>('codemie_environments')
            .where({ environment_ref: environmentRef })
            .forUpdate()
            .first();
          const existing = row ? toRecord(row) : undefined;
          const decision = decideCreate(
            existing && {
              ...existing,
              input: (existing.spec as { input?: any } | undefined)?.input,
            },
            request,
          );
          if (decision.kind === 'refuse') return { decision };
          const now = new Date();
          const values = {
            owner: request.owner,
            task_id: request.taskId,
            state: 'planned' as EnvironmentState,
            spec: JSON.stringify(spec),
            last_error: null,
            updated_at: now,
          };
          if (!existing) {
            await trx('codemie_environments').insert({
              environment_ref: environmentRef,
              project_id: spec.input.projectId,
              name: spec.input.name,
              created_by: request.userRef ?? null,
              entity_ref: `resource:${environmentRef}`,
              outputs: null,
              created_at: now,
              ...values,
            });
          } else if (decision.kind === 'create') {
            // The name of a destroyed environment, used again: a new record in the old row.
            await trx('codemie_environments')
              .where({ environment_ref: environmentRef })
              .update({
                ...values,
                created_by: request.userRef ?? null,
                outputs: null,
                created_at: now,
              });
          } else {
            // continue / resume: the spec is the recorded one (the decision checked they agree).
            await trx('codemie_environments')
              .where({ environment_ref: environmentRef })
              .update({
                task_id: request.taskId,
                state: 'planned',
                last_error: null,
                updated_at: now,
              });
          }
          return { decision };
        })
        .catch(async e => {
          // Two creates raced past the read on PostgreSQL: the other insert won; decide again.
          if (isUniqueViolation(e)) return this.claimForCreate(options);
          throw e;
        });
    if ('record' in decided || decided.decision.kind === 'refuse') {
      return decided;
    }
    this.changes.emit('changed');
    return {
      decision: decided.decision,
      record: (await this.getEnvironment(environmentRef))!,
    };
  }

  /**
   * Moves the record to a new state as the task that holds it (or takes it over, see
   * `EnvironmentChange.takeOver`). Throws `ConflictError` when another task holds it or
   * the lifecycle does not allow the move, `NotFoundError` when there is no record; nothing is
   * written then.
   */
  async updateEnvironment(
    environmentRef: string,
    change: EnvironmentChange,
  ): Promise<EnvironmentRecord> {
    await this.db.transaction(async trx => {
      const row = await trx<EnvironmentRow>('codemie_environments')
        .where({ environment_ref: environmentRef })
        .forUpdate()
        .first();
      if (!row) {
        throw new NotFoundError(
          `No CodeMie environment ${environmentRef} is recorded by this portal`,
        );
      }
      const current = toRecord(row);
      if (!change.takeOver && current.taskId !== change.taskId) {
        throw new ConflictError(
          `CodeMie environment ${environmentRef} is held by task ${current.taskId ?? '(none)'}, not by this task ${change.taskId}; nothing was changed`,
        );
      }
      if (!canMove(current.state, change.state)) {
        throw new ConflictError(
          `CodeMie environment ${environmentRef} is ${current.state}; it cannot become ${change.state}. Nothing was changed`,
        );
      }
      if (
        change.spec &&
        `${change.spec.input.projectId}/${change.spec.input.name}` !==
          environmentRef
      ) {
        throw new ConflictError(
          `CodeMie environment ${environmentRef} cannot be recorded as ${change.spec.input.projectId}/${change.spec.input.name}; nothing was changed`,
        );
      }
      let outputs = current.outputs;
      if (change.outputs !== undefined) outputs = change.outputs;
      else if (change.mergeOutputs) {
        outputs = {
          ...((current.outputs as object) ?? {}),
          ...change.mergeOutputs,
        };
      }
      await trx('codemie_environments')
        .where({ environment_ref: environmentRef })
        .update({
          task_id: change.taskId,
          state: change.state,
          outputs: outputs === undefined ? null : JSON.stringify(outputs),
          ...(change.spec ? { spec: JSON.stringify(change.spec) } : {}),
          last_error: change.lastError ?? null,
          updated_at: new Date(),
        });
    });
    this.changes.emit('changed');
    return (await this.getEnvironment(environmentRef))!;
  }

  /**
   * Writes a record as given, keeping its creation time: for seeding (the sandbox's demo
   * environments) and tests. Tasks use {@link CodemieStore.claimForCreate} and
   * {@link CodemieStore.updateEnvironment}.
   */
  async upsertEnvironment(
    record: Omit<
      EnvironmentRecord,
      'environmentRef' | 'entityRef' | 'createdAt' | 'updatedAt'
    >,
  ): Promise<EnvironmentRecord> {
    const environmentRef = `${record.projectId}/${record.name}`;
    const now = new Date();
    await this.db<EnvironmentRow>('codemie_environments')
      .insert({
        environment_ref: environmentRef,
        project_id: record.projectId,
        name: record.name,
        owner: record.owner,
        created_by: record.createdBy ?? null,
        task_id: record.taskId ?? null,
        entity_ref: `resource:${environmentRef}`,
        state: record.state,
        spec: JSON.stringify(record.spec),
        outputs:
          record.outputs === undefined ? null : JSON.stringify(record.outputs),
        last_error: record.lastError ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict('environment_ref')
      .merge([
        'owner',
        'created_by',
        'task_id',
        'state',
        'spec',
        'outputs',
        'last_error',
        'updated_at',
      ]);
    this.changes.emit('changed');
    return (await this.getEnvironment(environmentRef))!;
  }

  /** The record of `<project id>/<name>`. */
  async getEnvironment(
    environmentRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    const row = await this.db<EnvironmentRow>('codemie_environments')
      .where({ environment_ref: environmentRef })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /** The record served as the catalog entity `entityRef` (compared case-insensitively). */
  async getEnvironmentByEntityRef(
    entityRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    const row = await this.db<EnvironmentRow>('codemie_environments')
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .first();
    return row ? toRecord(row) : undefined;
  }

  /** Every recorded environment. */
  async listEnvironments(): Promise<EnvironmentRecord[]> {
    const rows = await this.db<EnvironmentRow>('codemie_environments').orderBy(
      'environment_ref',
    );
    return rows.map(toRecord);
  }
}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  // PostgreSQL unique_violation; SQLite constraint.
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

function toRecord(row: EnvironmentRow): EnvironmentRecord {
  return {
    environmentRef: row.environment_ref,
    projectId: row.project_id,
    name: row.name,
    owner: row.owner,
    ...(row.created_by ? { createdBy: row.created_by } : {}),
    ...(row.task_id ? { taskId: row.task_id } : {}),
    entityRef: row.entity_ref ?? `resource:${row.environment_ref}`,
    state: row.state,
    spec: JSON.parse(row.spec),
    outputs: row.outputs === null ? undefined : JSON.parse(row.outputs),
    ...(row.last_error ? { lastError: row.last_error } : {}),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
