import { Knex } from 'knex';
import type {
  EnvironmentStatus,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';
import type { UsageSample } from '../status/adviseSizing';

const TABLE = 'codemie_usage_samples';

type SampleRow = {
  entity_ref: string;
  sampled_at: number | string;
  component: string;
  pods: number;
  cpu_usage: number | null;
  cpu_requests: number;
  memory_usage: number | null;
  memory_requests: number;
  storage_used_gib: number | null;
  storage_capacity_gib: number | null;
};

const num = (v: number | string | null | undefined) =>
  v === null || v === undefined ? undefined : Number(v);

/**
 * One sample per in-cluster component of a status read (the history's unit of record).
 *
 * @internal
 */
export function samplesFromStatus(status: EnvironmentStatus): UsageSample[] {
  const at = Date.parse(status.readAt);
  return status.components
    .filter(
      c => c.workloadKind !== 'Managed' && (c.enabled || c.podRows.length > 0),
    )
    .map(c => ({
      at,
      component: c.id,
      pods: c.podRows.filter(
        p => p.state !== 'Terminating' && p.state !== 'Completed',
      ).length,
      ...(c.cpu.usage !== undefined ? { cpuUsage: c.cpu.usage } : {}),
      cpuRequests: c.cpu.requests,
      ...(c.memory.usage !== undefined ? { memoryUsage: c.memory.usage } : {}),
      memoryRequests: c.memory.requests,
      ...(c.storage?.usedGiB !== undefined
        ? { storageUsedGiB: c.storage.usedGiB }
        : {}),
      ...(c.storage ? { storageCapacityGiB: c.storage.capacityGiB } : {}),
    }));
}

/**
 * The usage history of CodeMie environments, in the plugin's own table (migration
 * `20261201000000_usage_history.js`), on SQLite or PostgreSQL.
 *
 * @internal
 */
export class UsageHistoryStore {
  constructor(private readonly db: Knex) {}

  /** Stores samples; a sample already stored (same environment, time, component) is kept. */
  async record(entityRef: string, samples: UsageSample[]): Promise<void> {
    if (samples.length === 0) return;
    const rows: SampleRow[] = samples.map(s => ({
      entity_ref: entityRef,
      sampled_at: s.at,
      component: s.component,
      pods: s.pods,
      cpu_usage: s.cpuUsage ?? null,
      cpu_requests: s.cpuRequests,
      memory_usage: s.memoryUsage ?? null,
      memory_requests: s.memoryRequests,
      storage_used_gib: s.storageUsedGiB ?? null,
      storage_capacity_gib: s.storageCapacityGiB ?? null,
    }));
    // SQLite caps a compound insert at 500 terms: write in batches.
    for (let i = 0; i < rows.length; i += 100) {
      await this.db(TABLE)
        .insert(rows.slice(i, i + 100))
        .onConflict(['entity_ref', 'sampled_at', 'component'])
        .ignore();
    }
  }

  /** Samples of an environment since `sinceMs` (epoch ms), oldest first. */
  async samples(entityRef: string, sinceMs: number): Promise<UsageSample[]> {
    const rows: SampleRow[] = await this.db(TABLE)
      .where('entity_ref', entityRef)
      .andWhere('sampled_at', '>=', sinceMs)
      .orderBy('sampled_at', 'asc');
    return rows.map(r => ({
      at: Number(r.sampled_at),
      component: r.component,
      pods: Number(r.pods),
      ...(r.cpu_usage !== null ? { cpuUsage: Number(r.cpu_usage) } : {}),
      cpuRequests: Number(r.cpu_requests),
      ...(r.memory_usage !== null
        ? { memoryUsage: Number(r.memory_usage) }
        : {}),
      memoryRequests: Number(r.memory_requests),
      ...(num(r.storage_used_gib) !== undefined
        ? { storageUsedGiB: num(r.storage_used_gib) }
        : {}),
      ...(num(r.storage_capacity_gib) !== undefined
        ? { storageCapacityGiB: num(r.storage_capacity_gib) }
        : {}),
    }));
  }

  /**
   * The usage over a window for plots: one point per sample time, averaged into at most
   * `maxPoints` buckets so a week at 5-minute samples stays a small response.
   */
  async history(
    entityRef: string,
    window: { label: string; ms: number },
    now: number,
    maxPoints = 500,
  ): Promise<UsageHistory> {
    const samples = (await this.samples(entityRef, now - window.ms)).filter(
      s => s.cpuUsage !== undefined,
    );
    const times = [...new Set(samples.map(s => s.at))].sort((a, b) => a - b);
    const bucketMs = Math.max(1, Math.ceil(window.ms / maxPoints));
    const bucketOf = (at: number) =>
      times.length > maxPoints ? Math.floor(at / bucketMs) * bucketMs : at;
    const buckets = new Map<
      number,
      Map<string, { cpu: number; memory: number; n: number }>
    >();
    for (const s of samples) {
      const key = bucketOf(s.at);
      const bucket = buckets.get(key) ?? new Map();
      const c = bucket.get(s.component) ?? { cpu: 0, memory: 0, n: 0 };
      bucket.set(s.component, {
        cpu: c.cpu + (s.cpuUsage ?? 0),
        memory: c.memory + (s.memoryUsage ?? 0),
        n: c.n + 1,
      });
      buckets.set(key, bucket);
    }
    return {
      entityRef,
      window: window.label,
      points: [...buckets.entries()]
        .sort(([a], [b]) => a - b)
        .map(([at, bucket]) => ({
          at: new Date(at).toISOString(),
          components: Object.fromEntries(
            [...bucket.entries()].map(([id, c]) => [
              id,
              {
                cpu: Math.round(c.cpu / c.n),
                memory: Math.round(c.memory / c.n),
              },
            ]),
          ),
        })),
    };
  }

  /** Deletes samples older than `beforeMs`; returns how many. */
  async prune(beforeMs: number): Promise<number> {
    return this.db(TABLE).where('sampled_at', '<', beforeMs).delete();
  }
}
