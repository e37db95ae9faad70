/**
 * One resize of a recorded environment against its cluster: first a read-only look at where the
 * cluster is (`inspect`), then the changes that bring it to the new sizing (`run`), in the order
 * that never leaves the workloads short of room:
 *
 * 1. capacity first — a pool of the new machine type beside the current one (whose nodes are then
 *    cordoned), or the current pool grown to the new minimum;
 * 2. components the new sizing no longer has removed, then every component rolled out with the
 *    deploy's apply and rollout wait (Deployments surge one pod at a time, StatefulSets replace
 *    one pod at a time, volumes grow in place and never shrink);
 * 3. the old pool drained within the PodDisruptionBudgets and deleted, or the autoscaling bounds
 *    lowered to the new sizing's.
 *
 * Each step is idempotent and reads before it writes, so a resize that stopped (a failed call, a
 * backend restart) continues from where the cluster is when run again.
 */
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import {
  EnvironmentInput,
  EnvironmentPlan,
  PriceTable,
  planEnvironment,
} from '@codemie-gcp/plugin-codemie-common';
import {
  DeployInput,
  ProvisionedOutputs,
  RenderedComponent,
  deployInputOf,
  deploySettings,
  renderEnvironment,
} from '../deploy';
import { apiErrorMessage, describeObject } from '../deploy/applyComponents';
import { recordedDeployOptions } from '../deploy/deployedOptions';
import {
  RollOutContext,
  rollOutEnvironment,
} from '../deploy/rollOutEnvironment';
import type { ComponentRollout } from '../deploy/waitForRollout';
import {
  GoogleClients,
  ClusterConnector,
  RetryPolicy,
  realClock,
  sleep,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import {
  DEFAULT_CLUSTER_ACCESS,
  ProvisionContext,
} from '../provisioning/ProvisionContext';
import { differencesFromRender } from './clusterMatchesRender';
import {
  DrainResult,
  cordonPool,
  drainNodePool,
  poolNodes,
} from './drainNodePool';
import { GkeNodePools, PoolState } from './gkeNodePools';

/** What a resize works with. */
export interface EnvironmentResizeOptions {
  google: GoogleClients;
  policy: RetryPolicy;
  /** The clock retries, polls and timeouts run on; default the real one. */
  clock?: Clock;
  prices?: PriceTable;
  /** The task's log. */
  log: (line: string) => void;
  signal?: AbortSignal;
  /** The task, for the rollout (secrets, checkpoints). */
  rollOut: RollOutContext;
  /** Between rollout and drain polls (default 2000 ms). */
  pollIntervalMs?: number;
  failFastSeconds?: number;
  /** Longest wait for one rollout or one drain, seconds. */
  timeoutSeconds: number;
}

/** Where the cluster is, read before anything changes. */
export interface ResizeInspection {
  /** The pool the environment runs on after the resize. */
  targetPool: string;
  /** The environment's pools that go (drained, then deleted). */
  poolsToRemove: string[];
  /** What differs from the new sizing; empty when the cluster already runs it. */
  differences: string[];
}

/** What a finished resize did. */
export interface ResizeResult {
  targetPool: string;
  removedPools: string[];
  drained: DrainResult[];
  components: ComponentRollout[];
}

const POOL_GENERATION = /-(\d+)$/;

/** The next pool name of the environment's pool family: `<name>-pool-2`, `-3`… */
export function nextPoolName(family: string, existing: string[]): string {
  const generations = existing
    .filter(n => n === family || n.startsWith(`${family}-`))
    .map(n => (n === family ? 1 : Number(POOL_GENERATION.exec(n)?.[1] ?? 1)));
  return `${family}-${Math.max(1, ...generations) + 1}`;
}

const CLUSTER_NAME = /^projects\/[^/]+\/locations\/([^/]+)\/clusters\/[^/]+$/;

/** The region or zone in a recorded `projects/<p>/locations/<l>/clusters/<c>`. */
function clusterLocationOf(clusterName: string): string {
  const match = CLUSTER_NAME.exec(clusterName);
  if (!match) {
    throw new Error(
      `The record's cluster name '${clusterName}' is not projects/<project>/locations/<location>/clusters/<name>`,
    );
  }
  return match[1];
}

/** One resize (see the module comment). */
export class EnvironmentResize {
  private readonly after: EnvironmentPlan;
  private readonly pools: GkeNodePools;
  private readonly deployInput: DeployInput;
  private readonly rendered: RenderedComponent[];
  private kc?: KubeConfig;

  constructor(
    private readonly recorded: {
      input: EnvironmentInput;
      outputs: ProvisionedOutputs & { nodePool?: string; zones?: string[] };
    },
    target: { input: EnvironmentInput; imageVersion?: string },
    private readonly options: EnvironmentResizeOptions,
  ) {
    const planOptions = options.prices ? { prices: options.prices } : {};
    this.after = planEnvironment(target.input, planOptions);
    const ctx: ProvisionContext = {
      plan: this.after,
      google: options.google,
      log: options.log,
      signal: options.signal,
      policy: options.policy,
      clock: options.clock,
      outputs: new Map(),
      // Node pool calls address the recorded cluster; they read no access settings.
      placement: {
        clusterLocation: clusterLocationOf(recorded.outputs.clusterName),
        zones: recorded.outputs.zones ?? [],
      },
      access: DEFAULT_CLUSTER_ACCESS,
    };
    this.pools = new GkeNodePools(ctx);
    this.deployInput = deployInputOf(
      { input: target.input, outputs: recorded.outputs },
      recordedDeployOptions(recorded.outputs, {
        imageVersion: target.imageVersion,
        timeoutSeconds: options.timeoutSeconds,
      }),
    );
    this.rendered = renderEnvironment(deploySettings(this.deployInput));
  }

  /** The deploy input the resize renders (the record's, with the new sizing and images). */
  get input(): DeployInput {
    return this.deployInput;
  }

  private async kubeConfig(): Promise<KubeConfig> {
    this.kc ??= await new ClusterConnector(this.options.google).kubeConfig(
      this.recorded.outputs.clusterName,
    );
    return this.kc;
  }

  /** The environment's pools: the planner's name and its later generations. */
  private ours(pools: PoolState[]): PoolState[] {
    const family = this.after.names.nodePool;
    return pools.filter(
      p =>
        p.name === family ||
        (p.name.startsWith(`${family}-`) &&
          /^\d+$/.test(p.name.slice(family.length + 1))),
    );
  }

  /** Nodes per zone of `pool` that are registered (the fewest over the pool's zones). */
  private async nodesPerZone(pool: string): Promise<number> {
    const core = (await this.kubeConfig()).makeApiClient(CoreV1Api);
    const byZone = new Map<string, number>();
    for (const node of await poolNodes(core, pool)) {
      const zone = node.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '';
      byZone.set(zone, (byZone.get(zone) ?? 0) + 1);
    }
    if (byZone.size < this.after.zoneCount) return 0;
    return Math.min(...byZone.values());
  }

  /** Reads the cluster; changes nothing. */
  async inspect(): Promise<ResizeInspection> {
    const machineType = this.after.nodePool.machineType;
    const ours = this.ours(await this.pools.list());
    const active = this.recorded.outputs.nodePool ?? this.after.names.nodePool;
    const onTarget =
      ours.find(p => p.name === active && p.machineType === machineType) ??
      ours.find(p => p.machineType === machineType);
    const targetPool =
      onTarget?.name ??
      nextPoolName(
        this.after.names.nodePool,
        ours.map(p => p.name),
      );
    const poolsToRemove = ours.map(p => p.name).filter(n => n !== targetPool);
    const differences: string[] = [];
    const want = this.after.nodePool;
    if (!onTarget) {
      differences.push(
        `node pool ${targetPool} (${machineType}) does not exist yet`,
      );
    } else {
      if (
        onTarget.autoscaling?.minNodesPerZone !== want.minNodesPerZone ||
        onTarget.autoscaling?.maxNodesPerZone !== want.maxNodesPerZone
      ) {
        differences.push(
          `node pool ${targetPool} autoscales ${onTarget.autoscaling ? `${onTarget.autoscaling.minNodesPerZone}–${onTarget.autoscaling.maxNodesPerZone}` : 'not at all'}, the sizing says ${want.minNodesPerZone}–${want.maxNodesPerZone} per zone`,
        );
      }
      const perZone = await this.nodesPerZone(targetPool);
      if (perZone < want.minNodesPerZone) {
        differences.push(
          `node pool ${targetPool} has ${perZone} nodes per zone, the sizing needs ${want.minNodesPerZone}`,
        );
      }
    }
    for (const pool of poolsToRemove)
      differences.push(`node pool ${pool} is still there`);
    if (onTarget) {
      differences.push(
        ...(await differencesFromRender(
          await this.kubeConfig(),
          this.rendered,
          this.deployInput.environment,
        )),
      );
    }
    return { targetPool, poolsToRemove, differences };
  }

  /** Waits until `pool` has `perZone` ready nodes in each zone (they register after GKE's operation). */
  private async waitForNodes(pool: string, perZone: number): Promise<void> {
    const clock = this.options.clock ?? realClock;
    const deadline = clock.now() + this.options.timeoutSeconds * 1000;
    for (;;) {
      if ((await this.nodesPerZone(pool)) >= perZone) return;
      if (clock.now() > deadline) {
        throw new Error(
          `node pool ${pool}: fewer than ${perZone} nodes per zone registered with the cluster after ${this.options.timeoutSeconds} s`,
        );
      }
      await sleep(
        this.options.pollIntervalMs ?? 2000,
        this.options.signal,
        `node pool ${pool}`,
        clock,
      );
    }
  }

  /** Deletes the objects of components the new sizing no longer has (e.g. NATS below production). */
  private async removeComponents(kc: KubeConfig): Promise<string[]> {
    const kept = new Set(this.rendered.map(c => c.componentId));
    const previous = renderEnvironment(
      deploySettings(
        deployInputOf(
          { input: this.recorded.input, outputs: this.recorded.outputs },
          recordedDeployOptions(this.recorded.outputs),
        ),
      ),
    ).filter(c => !kept.has(c.componentId));
    const api = KubernetesObjectApi.makeApiClient(kc);
    const removed: string[] = [];
    for (const component of previous) {
      for (const o of component.objects) {
        // Namespaces may hold other components; they stay.
        if (o.kind === 'Namespace') continue;
        try {
          await api.delete(o);
          removed.push(describeObject(o));
        } catch (e) {
          if ((e as { code?: number }).code === 404) continue;
          throw new Error(
            `Could not remove ${describeObject(o)}: ${apiErrorMessage(e)}`,
          );
        }
      }
      this.options.log(
        `Removed ${component.displayName}: the new sizing does not deploy it`,
      );
    }
    return removed;
  }

  /** Brings the cluster to the new sizing (see the module comment). */
  async run(inspection: ResizeInspection): Promise<ResizeResult> {
    const kc = await this.kubeConfig();
    const want = this.after.nodePool;
    const { targetPool, poolsToRemove } = inspection;
    const timeoutMs = this.options.timeoutSeconds * 1000;

    // 1. Capacity first.
    const current = (await this.pools.list()).find(p => p.name === targetPool);
    if (!current) {
      await this.pools.ensurePool(targetPool);
    } else {
      const bounds = current.autoscaling;
      if (
        !bounds ||
        want.minNodesPerZone > bounds.minNodesPerZone ||
        want.maxNodesPerZone > bounds.maxNodesPerZone
      ) {
        // Raise now; lowering waits until the workloads have shrunk.
        await this.pools.ensureAutoscaling(targetPool, {
          minNodesPerZone: Math.max(
            want.minNodesPerZone,
            bounds?.minNodesPerZone ?? 0,
          ),
          maxNodesPerZone: Math.max(
            want.maxNodesPerZone,
            bounds?.maxNodesPerZone ?? 0,
          ),
        });
      }
      // The cluster autoscaler does not enforce a raised minimum by itself: grow to it.
      if ((await this.nodesPerZone(targetPool)) < want.minNodesPerZone) {
        await this.pools.resize(targetPool, want.minNodesPerZone);
      }
    }
    await this.waitForNodes(targetPool, want.minNodesPerZone);
    for (const pool of poolsToRemove) {
      const cordoned = await cordonPool(kc, pool);
      if (cordoned.length > 0) {
        this.options.log(
          `Cordoned the ${cordoned.length} node(s) of node pool ${pool}: new pods go to ${targetPool}`,
        );
      }
    }

    // 2. Workloads.
    await this.removeComponents(kc);
    const components = await rollOutEnvironment(
      this.options.rollOut,
      {
        google: this.options.google,
        pollIntervalMs: this.options.pollIntervalMs,
        clock: this.options.clock,
        failFastSeconds: this.options.failFastSeconds,
        keepClusterPullSecret: true,
        checkpointPrefix: 'codemie-resize-apply',
      },
      this.deployInput,
      this.rendered,
      kc,
    );

    // 3. The old pools out, the bounds down.
    const drained: DrainResult[] = [];
    for (const pool of poolsToRemove) {
      drained.push(
        await drainNodePool(kc, {
          pool,
          environment: this.deployInput.environment,
          timeoutMs,
          pollIntervalMs: this.options.pollIntervalMs,
          clock: this.options.clock,
          signal: this.options.signal,
          log: this.options.log,
        }),
      );
      await this.pools.deletePool(pool);
    }
    await this.pools.ensureAutoscaling(targetPool, {
      minNodesPerZone: want.minNodesPerZone,
      maxNodesPerZone: want.maxNodesPerZone,
    });
    return { targetPool, removedPools: poolsToRemove, drained, components };
  }
}
