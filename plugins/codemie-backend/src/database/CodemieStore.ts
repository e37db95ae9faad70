import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { EventEmitter } from 'node:events';
import { Knex } from 'knex';
import { EnvironmentLocks } from './EnvironmentLocks';
import { UsageHistoryStore } from '../history/UsageHistoryStore';

const migrationsDir = resolvePackagePath(
  '@codemie-gcp/plugin-codemie-backend',
  'migrations',
);

/** The lifecycle state of a recorded environment. */
export type EnvironmentState =
  | 'planned'
  | 'provisioning'
  | 'provisioned'
  | 'deploying'
  | 'ready'
  | 'failed'
  | 'destroyed';

/** One environment row, decoded. */
export interface EnvironmentRecord {
  /** `<project id>/<name>` */
  environmentRef: string;
  projectId: string;
  name: string;
  owner: string;
  state: EnvironmentState;
  spec: unknown;
  outputs?: unknown;
  createdAt: Date;
  updatedAt: Date;
}

type EnvironmentRow = {
  environment_ref: string;
  project_id: string;
  name: string;
  owner: string;
  state: EnvironmentState;
  spec: string;
  outputs: string | null;
  created_at: Date | string;
  updated_at: Date | string;
};

/**
 * The codemie backend's own tables, behind Backstage's database service (SQLite locally,
 * PostgreSQL in production). Migrations run on creation unless the service says not to.
 *
 * @internal
 */
export class CodemieStore {
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

  /** Inserts or replaces an environment, keeping its creation time. */
  async upsertEnvironment(
    record: Omit<
      EnvironmentRecord,
      'environmentRef' | 'createdAt' | 'updatedAt'
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
        state: record.state,
        spec: JSON.stringify(record.spec),
        outputs:
          record.outputs === undefined ? null : JSON.stringify(record.outputs),
        created_at: now,
        updated_at: now,
      })
      .onConflict('environment_ref')
      .merge(['owner', 'state', 'spec', 'outputs', 'updated_at']);
    this.changes.emit('changed');
    return (await this.getEnvironment(environmentRef))!;
  }

  async getEnvironment(
    environmentRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    const row = await this.db<EnvironmentRow>('codemie_environments')
      .where({ environment_ref: environmentRef })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async listEnvironments(): Promise<EnvironmentRecord[]> {
    const rows = await this.db<EnvironmentRow>('codemie_environments').orderBy(
      'environment_ref',
    );
    return rows.map(toRecord);
  }

  async deleteEnvironment(environmentRef: string): Promise<boolean> {
    const n = await this.db('codemie_environments')
      .where({ environment_ref: environmentRef })
      .delete();
    if (n > 0) this.changes.emit('changed');
    return n > 0;
  }
}

function toRecord(row: EnvironmentRow): EnvironmentRecord {
  return {
    environmentRef: row.environment_ref,
    projectId: row.project_id,
    name: row.name,
    owner: row.owner,
    state: row.state,
    spec: JSON.parse(row.spec),
    outputs: row.outputs === null ? undefined : JSON.parse(row.outputs),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
