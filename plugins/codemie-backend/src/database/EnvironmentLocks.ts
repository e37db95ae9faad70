import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import {
  EnvironmentLease,
  EnvironmentLockedError,
} from '@codemie-gcp/plugin-codemie-node';

export { EnvironmentLockedError } from '@codemie-gcp/plugin-codemie-node';
export type { EnvironmentLease } from '@codemie-gcp/plugin-codemie-node';

/**
 * Leases on environments in the plugin's database. The primary key makes acquisition atomic on
 * SQLite and PostgreSQL alike; an expired lease (its holder crashed) can be taken over.
 *
 * @public
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

  /** How long a lease lasts unless renewed, in seconds. */
  get leaseSeconds(): number {
    return this.leaseMillis / 1000;
  }

  /**
   * Takes the lease on `key` for `holder`, or throws `EnvironmentLockedError`.
   * The lease is renewed every third of its length until released.
   */
  async acquire(key: string, holder: string): Promise<EnvironmentLease> {
    const { token } = await this.take(key, holder);
    const timer = setInterval(
      () => {
        this.renew(key, token).catch(() => {
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
        await this.release(key, token);
      },
    };
  }

  /**
   * Takes the lease on `key` for `holder` once, without renewing it: the caller renews it with
   * its token (the plugin's internal API does this for its modules). Throws
   * `EnvironmentLockedError` when another holder has it.
   */
  async take(
    key: string,
    holder: string,
  ): Promise<{ token: string; expiresAt: Date }> {
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
      return this.take(key, holder);
    }
    if (row.token !== token) {
      throw new EnvironmentLockedError(
        key,
        row.holder,
        new Date(row.expires_at),
      );
    }
    return { token, expiresAt };
  }

  /** Extends the lease `token` holds; false when it is no longer held (expired and taken). */
  async renew(key: string, token: string): Promise<boolean> {
    const updated = await this.db('codemie_locks')
      .where({ lock_key: key, token })
      .update({
        expires_at: new Date(this.now().getTime() + this.leaseMillis),
      });
    return updated > 0;
  }

  /** Gives the lease `token` holds back (nothing happens when it is no longer held). */
  async release(key: string, token: string): Promise<void> {
    await this.db('codemie_locks').where({ lock_key: key, token }).delete();
  }
}
