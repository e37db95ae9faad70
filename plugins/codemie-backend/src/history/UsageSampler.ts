import {
  AuthService,
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { CODEMIE_ENVIRONMENT_TYPE } from '@codemie-gcp/plugin-codemie-common';
import type { StatusService } from '../status/StatusService';
import {
  UsageHistoryStore,
  samplesFromStatus,
} from '../database/UsageHistoryStore';

/** The scheduler task's id (one per backend deployment: global scope). @internal */
export const USAGE_SAMPLER_TASK_ID = 'codemie-usage-sampler';

/** Options of {@link UsageSampler}. @internal */
export interface UsageSamplerOptions {
  catalog: CatalogService;
  auth: AuthService;
  status: Pick<StatusService, 'statusOf' | 'descriptorOf'>;
  store: UsageHistoryStore;
  logger: LoggerService;
  retentionDays: number;
  /** Environments read at once. */
  concurrency?: number;
  now?: () => number;
}

/**
 * Samples the usage of every CodeMie environment in the catalog into the history table and
 * prunes what is older than the retention.
 *
 * @internal
 */
export class UsageSampler {
  constructor(private readonly options: UsageSamplerOptions) {}

  /**
   * Registers the sampling task on `schedule` (`codemie.status.sampling`): global, so with
   * several backend replicas the scheduler's database lock lets one run each sample.
   */
  async schedule(
    scheduler: SchedulerService,
    schedule: SchedulerServiceTaskScheduleDefinition,
  ): Promise<void> {
    await scheduler.scheduleTask({
      id: USAGE_SAMPLER_TASK_ID,
      ...schedule,
      scope: 'global',
      fn: async signal => {
        await this.sampleAll(signal);
      },
    });
  }

  /** One sampling run; returns how many environments were sampled. */
  async sampleAll(signal?: AbortSignal): Promise<number> {
    const { catalog, auth, logger, store } = this.options;
    const credentials = await auth.getOwnServiceCredentials();
    const { items } = await catalog.getEntities(
      { filter: { kind: 'Resource', 'spec.type': CODEMIE_ENVIRONMENT_TYPE } },
      { credentials },
    );
    let sampled = 0;
    const queue = [...items];
    const worker = async () => {
      for (
        let entity = queue.shift();
        entity && !signal?.aborted;
        entity = queue.shift()
      ) {
        const ref = stringifyEntityRef(entity);
        try {
          // What the status API would read: the record, never a hand-written entity's cluster.
          const env = await this.options.status.descriptorOf(entity);
          if (env.lifecycle && !env.lifecycle.clusterReadable) continue;
          const status = await this.options.status.statusOf(env, {
            fresh: true,
          });
          await store.record(env.entityRef, samplesFromStatus(status));
          sampled += 1;
        } catch (e) {
          if (e instanceof ConflictError) continue; // not managed here: never read
          // One unreachable cluster must not stop the others' history.
          logger.warn(
            `Usage sample of ${ref} failed: ${e instanceof Error ? e.message : e}`,
          );
        }
      }
    };
    await Promise.all(
      Array.from({ length: this.options.concurrency ?? 4 }, worker),
    );
    const now = (this.options.now ?? Date.now)();
    const pruned = await store.prune(
      now - this.options.retentionDays * 86_400_000,
    );
    logger.info(
      `Sampled usage of ${sampled} of ${items.length} CodeMie environments; pruned ${pruned} old samples`,
    );
    return sampled;
  }
}
