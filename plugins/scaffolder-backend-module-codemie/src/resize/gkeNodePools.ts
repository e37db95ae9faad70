/**
 * The node pool side of a resize, through the official GKE client as provisioning does
 * (`@google-cloud/container`, REST fallback): read the environment's pools, create the pool of a
 * new machine type beside the current one, change a pool's autoscaling bounds and size, delete
 * a drained pool. Every call is idempotent (a pool that exists is adopted, one that is gone is
 * gone) and waits for its operation; GKE runs one operation per cluster at a time, and a call made
 * while another runs is retried.
 *
 * GKE documents two ways to move workloads to another machine type: change the pool's machine
 * attributes (nodes recreated with the pool's surge upgrade strategy) or create a new pool and
 * migrate the workloads to it (https://cloud.google.com/kubernetes-engine/docs/how-to/migrate-nodes).
 * The resize takes the second, because it lets Deployments start their new pod before the old one
 * stops; a surge upgrade evicts each pod first.
 */
import { NotFoundError } from '@backstage/errors';
import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  pollUntil,
  retrying,
} from '../provisioning/ProvisionContext';
import {
  clusterResourceName,
  enumName,
  nodePoolBody,
  waitGkeOperation,
} from '../provisioning/resources/gke';

const NODE_POOL_STATUS = [
  'STATUS_UNSPECIFIED',
  'PROVISIONING',
  'RUNNING',
  'RUNNING_WITH_ERROR',
  'RECONCILING',
  'STOPPING',
  'ERROR',
];

/** A node pool as the resize reads it. */
export interface PoolState {
  name: string;
  machineType: string;
  status: string;
  autoscaling?: { minNodesPerZone: number; maxNodesPerZone: number };
}

/** Autoscaling bounds per zone. */
export interface PoolBounds {
  minNodesPerZone: number;
  maxNodesPerZone: number;
}

const int = (v: unknown) => (v === undefined || v === null ? 0 : Number(v));

function poolState(p: any): PoolState {
  return {
    name: String(p.name),
    machineType: String(p.config?.machineType ?? ''),
    status: enumName(p.status, NODE_POOL_STATUS),
    ...(p.autoscaling?.enabled
      ? {
          autoscaling: {
            minNodesPerZone: int(p.autoscaling.minNodeCount),
            maxNodesPerZone: int(p.autoscaling.maxNodeCount),
          },
        }
      : {}),
  };
}

/**
 * The environment's node pools in its GKE cluster; `ctx.plan` is the plan of the sizing the
 * resize goes to (it names the cluster and gives a new pool's shape).
 */
export class GkeNodePools {
  constructor(private readonly ctx: ProvisionContext) {}

  private poolName(name: string) {
    return `${clusterResourceName(this.ctx)}/nodePools/${name}`;
  }

  private explain(what: string, e: unknown): Error {
    return new Error(
      explainGoogleError(what, e, this.ctx.plan.input.projectId),
    );
  }

  /** Every node pool of the cluster. */
  async list(): Promise<PoolState[]> {
    const what = `GKE cluster ${this.ctx.plan.names.cluster}`;
    try {
      const [cluster] = await retrying(this.ctx, what, () =>
        this.ctx.google
          .container()
          .getCluster({ name: clusterResourceName(this.ctx) }, NO_CLIENT_RETRY),
      );
      return (cluster.nodePools ?? []).map(poolState);
    } catch (e) {
      if (isNotFound(e)) {
        throw new NotFoundError(
          `${what} does not exist in ${this.ctx.plan.input.projectId}; the record says it was provisioned. Nothing was changed`,
        );
      }
      throw this.explain(what, e);
    }
  }

  /**
   * Makes pool `name` exist with the plan's machine type and autoscaling (created beside the
   * others when missing) and waits until it runs.
   */
  async ensurePool(name: string): Promise<PoolState> {
    const body = { ...nodePoolBody(this.ctx), name };
    const what = `node pool ${name}`;
    let pool = (await this.list()).find(p => p.name === name);
    if (!pool) {
      this.ctx.log(
        `${what}: creating (${body.config.machineType}, ${body.autoscaling.minNodeCount}–${body.autoscaling.maxNodeCount} nodes per zone)`,
      );
      try {
        const [operation] = await retrying(this.ctx, what, () =>
          this.ctx.google
            .container()
            .createNodePool(
              { parent: clusterResourceName(this.ctx), nodePool: body } as any,
              NO_CLIENT_RETRY,
            ),
        );
        await waitGkeOperation(this.ctx, what, operation);
      } catch (e) {
        if (!isAlreadyExists(e)) {
          throw e instanceof Error && e.message.startsWith(what)
            ? e
            : this.explain(what, e);
        }
      }
    }
    pool = await pollUntil(
      this.ctx,
      what,
      async () =>
        poolState(
          (
            await this.ctx.google
              .container()
              .getNodePool({ name: this.poolName(name) }, NO_CLIENT_RETRY)
          )[0],
        ),
      p => ['RUNNING', 'RUNNING_WITH_ERROR', 'ERROR'].includes(p.status),
      p => p.status,
    );
    if (pool.status === 'ERROR') {
      throw new Error(
        `${what} is in state ERROR; delete it in the Cloud Console (or run the resize again after fixing the cause: it is created again)`,
      );
    }
    if (pool.machineType !== body.config.machineType) {
      throw new Error(
        `${what} exists with machine type ${pool.machineType}, not ${body.config.machineType}: it is not the pool this resize plans. Delete it, or resize to a sizing on ${pool.machineType}. Nothing else was changed`,
      );
    }
    return pool;
  }

  /** Sets pool `name`'s autoscaling bounds unless they are already these. */
  async ensureAutoscaling(name: string, bounds: PoolBounds): Promise<boolean> {
    const what = `node pool ${name}`;
    const pool = (await this.list()).find(p => p.name === name);
    if (!pool)
      throw new Error(`${what} does not exist in the cluster any more`);
    if (
      pool.autoscaling?.minNodesPerZone === bounds.minNodesPerZone &&
      pool.autoscaling?.maxNodesPerZone === bounds.maxNodesPerZone
    ) {
      return false;
    }
    this.ctx.log(
      `${what}: autoscaling ${pool.autoscaling ? `${pool.autoscaling.minNodesPerZone}–${pool.autoscaling.maxNodesPerZone}` : 'off'} → ${bounds.minNodesPerZone}–${bounds.maxNodesPerZone} nodes per zone`,
    );
    const [operation] = await retrying(this.ctx, what, () =>
      this.ctx.google.container().setNodePoolAutoscaling(
        {
          name: this.poolName(name),
          autoscaling: {
            enabled: true,
            minNodeCount: bounds.minNodesPerZone,
            maxNodeCount: bounds.maxNodesPerZone,
          },
        },
        NO_CLIENT_RETRY,
      ),
    );
    await waitGkeOperation(this.ctx, `${what}: autoscaling`, operation);
    return true;
  }

  /** Resizes pool `name` to `perZone` nodes in each zone. */
  async resize(name: string, perZone: number): Promise<void> {
    const what = `node pool ${name}`;
    this.ctx.log(`${what}: growing to ${perZone} nodes per zone`);
    const [operation] = await retrying(this.ctx, what, () =>
      this.ctx.google
        .container()
        .setNodePoolSize(
          { name: this.poolName(name), nodeCount: perZone },
          NO_CLIENT_RETRY,
        ),
    );
    await waitGkeOperation(this.ctx, `${what}: resize`, operation);
  }

  /** Deletes pool `name` (drain it first: GKE's own drain ignores PodDisruptionBudgets). */
  async deletePool(name: string): Promise<'deleted' | 'absent'> {
    const what = `node pool ${name}`;
    try {
      this.ctx.log(`${what}: deleting (its nodes are drained)`);
      const [operation] = await retrying(this.ctx, what, () =>
        this.ctx.google
          .container()
          .deleteNodePool({ name: this.poolName(name) }, NO_CLIENT_RETRY),
      );
      await waitGkeOperation(this.ctx, `deleting ${what}`, operation);
      return 'deleted';
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw e instanceof Error && e.message.includes(what)
        ? e
        : this.explain(what, e);
    }
  }
}
