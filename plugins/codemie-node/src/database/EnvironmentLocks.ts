import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

/** Thrown when another holder has the lease. */
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

/** A lease held by this process; renews itself until released. */
export interface EnvironmentLease {
  release(): Promise<void>;
}

/**
 * Leases on environments in the plugin's database. The primary key makes acquisition atomic on
 * SQLite and PostgreSQL alike; an expired lease (its holder crashed) can be taken over.
 *
 * @internal
 */
export class EnvironmentLocks {
  constructor(
    private readonly db: Knex,
    private readonly options: { leaseSeconds?: number; now?: () => Date } = {},
  ) {}

  private get leaseMillis() {
    return (this.options.leaseSeconds ?? 120) * 1000;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * Takes the lease on `key` for `holder`, or throws {@link EnvironmentLockedError}.
   * The lease is renewed every third of its length until released.
   */
  async acquire(key: string, holder: string): Promise<EnvironmentLease> {
    const now = this.now();
    const expiresAt = new Date(now.getTime() + this.leaseMillis);
    const token = randomUUID();
    const lease = { holder, token, acquired_at: now, expires_at: expiresAt };
    await this.db('codemie_locks')
      .insert({ lock_key: key, ...lease })
      .onConflict('lock_key')
      .ignore();
    // Take over an expired lease (its holder stopped) or our own (the same task resumed).
    await this.db('codemie_locks')
      .where('lock_key', key)
      .andWhereNot('token', token)
      .andWhere(q => q.where('expires_at', '<', now).orWhere('holder', holder))
      .update(lease);
    const row = await this.db('codemie_locks').where('lock_key', key).first();
    if (!row) {
      // Released between our statements: try again.
      return this.acquire(key, holder);
    }
    if (row.token !== token) {
      throw new EnvironmentLockedError(
        key,
        row.holder,
        new Date(row.expires_at),
      );
    }

    const timer = setInterval(
      () => {
        this.db('codemie_locks')
          .where({ lock_key: key, token })
          .update({
            expires_at: new Date(this.now().getTime() + this.leaseMillis),
          })
          .catch(() => {
            // A missed renewal only shortens the lease; the next one retries.
          });
      },
      Math.max(1000, this.leaseMillis / 3),
    );
    timer.unref?.();

    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await this.db('codemie_locks').where({ lock_key: key, token }).delete();
      },
    };
  }
}
