/**
 * A resize of a recorded environment, as pure functions: from the recorded inputs and a resize
 * request to the new inputs (`resolveResize`, checked against the one input contract), and from
 * the two plans to what changes — components, node pool, monthly cost, image version
 * (`planResize`) — before anything is touched. `codemie:resize` logs this diff, the resize
 * form's preview shows it.
 */
import { z } from 'zod/v3';
import type { PriceTable } from '../cost';
import {
  EnvironmentInputError,
  InputIssue,
} from '../environment/EnvironmentInputError';
import {
  EnvironmentInput,
  validateEnvironmentInput,
} from '../environment/validateEnvironmentInput';
import {
  EnvironmentPlan,
  planEnvironment,
  sizingPresetNameOf,
} from '../environment/planEnvironment';
import {
  SIZING_PRESETS,
  SizedWorkload,
  SizingInputs,
  SizingPresetName,
} from '../sizing';
import { RESIZE_TIERS, resizeInputFields } from './resizeInputContract';

/** A resize as a form or an action gives it (checked by {@link resolveResize}). @public */
export interface ResizeRequest {
  /** A preset name, or `custom` with `sizing`. */
  tier?: string;
  /** With `custom`: the sizing inputs. A preset takes its own users, volume and retention. */
  sizing?: SizingInputs;
  /** The tag of CodeMie's images to deploy, when it changes. */
  imageVersion?: string;
}

/** A checked resize: the environment's inputs with the new sizing. @public */
export interface ResolvedResize {
  /** The environment's inputs with the new sizing. */
  input: EnvironmentInput;
  /** The preset these inputs are, or `custom`. */
  tier: string;
  /** The tag of CodeMie's images to deploy, when it changes. */
  imageVersion?: string;
}

/**
 * The recorded inputs with the requested sizing, checked by the environment's input contract.
 * A named tier takes the preset's users, datasource volume and log retention (and NATS) and keeps
 * the recorded LLM proxy; `custom` takes the sizing given; no tier and no sizing keeps the
 * recorded sizing (an image upgrade). An in-cluster LiteLLM cannot be added to an environment
 * provisioned without its database.
 *
 * @throws {@link EnvironmentInputError} naming every problem, before anything is planned.
 * @public
 */
export function resolveResize(
  recorded: EnvironmentInput,
  raw: unknown,
): ResolvedResize {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EnvironmentInputError([
      {
        field: '(input)',
        message: 'must be an object with tier, sizing or imageVersion',
      },
    ]);
  }
  const schema = z
    .object({
      tier: resizeInputFields.tier(z),
      sizing: resizeInputFields.sizing(z),
      imageVersion: resizeInputFields.imageVersion(z),
    })
    .strict();
  const parsed = schema.safeParse(raw);
  const issues: InputIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          issues.push({
            field: key,
            message:
              'is not an input of a resize; give tier, sizing or imageVersion',
          });
      } else if (issue.path[0] === 'tier') {
        issues.push({
          field: 'tier',
          message: `must be one of ${RESIZE_TIERS.join(', ')}`,
        });
      } else if (issue.path[0] === 'imageVersion') {
        issues.push({
          field: 'imageVersion',
          message:
            'must be an image tag: letters, digits, _, . and -, at most 128, not starting with . or -',
        });
      }
      // Sizing problems are reported by the environment contract below, with its wording.
    }
  }
  const request = raw as ResizeRequest;
  const tier = request.tier;
  if (tier === 'custom' && request.sizing === undefined) {
    issues.push({
      field: 'sizing',
      message: 'is required with tier custom: give the new sizing inputs',
    });
  }
  if (tier && tier !== 'custom' && request.sizing !== undefined) {
    issues.push({
      field: 'sizing',
      message: `give either a named tier (${tier}) or sizing with tier custom, not both`,
    });
  }
  let sizing: unknown = recorded.sizing;
  if (tier && tier !== 'custom' && tier in SIZING_PRESETS) {
    const preset = SIZING_PRESETS[tier as SizingPresetName] as SizingInputs;
    sizing = {
      concurrentUsers: preset.concurrentUsers,
      vectorDatasourceGiB: preset.vectorDatasourceGiB,
      logRetentionDays: preset.logRetentionDays,
      llmProxyType: recorded.sizing.llmProxyType,
      includeNats: preset.includeNats ?? false,
    };
  } else if (request.sizing !== undefined) {
    sizing = request.sizing;
  }
  let input: EnvironmentInput | undefined;
  try {
    input = validateEnvironmentInput({ ...recorded, sizing });
  } catch (e) {
    if (!(e instanceof EnvironmentInputError)) throw e;
    issues.push(...e.issues.filter(i => i.field.startsWith('sizing')));
  }
  if (
    input &&
    recorded.sizing.llmProxyType === 'external' &&
    input.sizing.llmProxyType !== 'external'
  ) {
    issues.push({
      field: 'sizing.llmProxyType',
      message:
        "this environment was provisioned for an external LLM proxy, without LiteLLM's Cloud SQL database; an in-cluster LiteLLM needs that database: keep external, or create a new environment with it",
    });
  }
  if (issues.length > 0 || !input) throw new EnvironmentInputError(issues);
  return {
    input,
    tier: sizingPresetNameOf(input.sizing),
    ...(request.imageVersion ? { imageVersion: request.imageVersion } : {}),
  };
}

/** One workload's size. @public */
export interface WorkloadSize {
  /** Pod count. */
  replicas: number;
  /** CPU request per pod, millicores. */
  cpuMillis: number;
  /** Memory request per pod, MiB. */
  memoryMiB: number;
  /** Persistent volume per pod, GiB (0 when none). */
  storageGiBPerPod: number;
}

/** What a resize does to one component. @public */
export interface ComponentResize {
  /** The component's id. */
  id: string;
  /** The component's name as the catalog shows it. */
  displayName: string;
  /** Deployment, StatefulSet or DaemonSet. */
  kind: SizedWorkload['kind'];
  /** Whether the resize adds, removes, resizes or keeps the component. */
  change: 'added' | 'removed' | 'resized' | 'unchanged';
  /** Before the resize; absent when it adds the component. */
  before?: WorkloadSize;
  /** After the resize; volumes never below what they are. */
  after?: WorkloadSize;
  /** E.g. "volumes grow in place from 30 to 50 GiB", "volumes stay at 50 GiB: never shrunk". */
  notes: string[];
}

/** A node pool's shape. @public */
export interface NodePoolShape {
  /** The machine type of the nodes. */
  machineType: string;
  /** The autoscaling minimum (total nodes). */
  minNodes: number;
  /** The autoscaling maximum (total nodes). */
  maxNodes: number;
  /** The autoscaling minimum per zone. */
  minNodesPerZone: number;
  /** The autoscaling maximum per zone. */
  maxNodesPerZone: number;
}

/**
 * How the node pool changes: `unchanged`; `autoscaling` (same machines, other bounds: grown to
 * the new minimum before the workloads, lowered after them); `replace` (another machine type: a
 * new pool beside the old one, then the old pool drained and deleted).
 *
 * @public
 */
export interface NodePoolResize {
  /** The node pool now. */
  before: NodePoolShape;
  /** The node pool after the resize. */
  after: NodePoolShape;
  /** How the node pool changes (see above). */
  method: 'unchanged' | 'autoscaling' | 'replace';
}

/** A resize, before anything changes. @public */
export interface ResizePlan {
  /** The environment's name. */
  environment: string;
  /** The sizing now. */
  from: { tier: string; tierLabel: string; sizing: Required<SizingInputs> };
  /** The sizing after the resize. */
  to: { tier: string; tierLabel: string; sizing: Required<SizingInputs> };
  /** What the resize does to each component. */
  components: ComponentResize[];
  /** What the resize does to the node pool. */
  nodePool: NodePoolResize;
  /** The monthly cost before and after, USD, and the price table's date. */
  cost: {
    beforeUsd: number;
    afterUsd: number;
    deltaUsd: number;
    pricesDate: string;
  };
  /** Present when the CodeMie images change tag. */
  imageVersion?: { from: string; to: string };
  /** True when anything differs (sizing, node pool or images). */
  changes: boolean;
  /** What the resize will do, in order, as sentences. */
  steps: string[];
}

/** Options of {@link planResize}. @public */
export interface PlanResizeOptions {
  /** The price table; default the bundled one. */
  prices?: PriceTable;
  /** The machine families the node-pool planner may choose from; default the planner's. */
  machineFamilies?: readonly string[];
  /** The tag of CodeMie's images deployed now (default `latest`, what deploy uses unset). */
  currentImageVersion?: string;
  /**
   * The persistent volume per pod each component has now, GiB, when known (read from the
   * cluster): a volume larger than the recorded sizing (an earlier shrink kept it) stays.
   */
  volumesGiB?: Record<string, number>;
}

const sizeOf = (w: SizedWorkload): WorkloadSize => ({
  replicas: w.replicas,
  cpuMillis: w.requests.cpuMillis,
  memoryMiB: w.requests.memoryMiB,
  storageGiBPerPod: w.storageGiBPerPod,
});

const sameSize = (a: WorkloadSize, b: WorkloadSize) =>
  a.replicas === b.replicas &&
  a.cpuMillis === b.cpuMillis &&
  a.memoryMiB === b.memoryMiB &&
  a.storageGiBPerPod === b.storageGiBPerPod;

function shapeOf(plan: EnvironmentPlan): NodePoolShape {
  const p = plan.nodePool;
  return {
    machineType: p.machineType,
    minNodes: p.minNodes,
    maxNodes: p.maxNodes,
    minNodesPerZone: p.minNodesPerZone,
    maxNodesPerZone: p.maxNodesPerZone,
  };
}

const cents = (usd: number) => Math.round(usd * 100) / 100;

/**
 * The diff of a resize: both plans from the planner, component by component, the node pool and
 * the monthly cost, with the steps the resize takes. Pure.
 *
 * @throws PlanningError when no node pool fits the new sizing.
 * @public
 */
export function planResize(
  recorded: EnvironmentInput,
  resolved: ResolvedResize,
  options: PlanResizeOptions = {},
): ResizePlan {
  const planOptions = {
    ...(options.prices ? { prices: options.prices } : {}),
    ...(options.machineFamilies
      ? { machineFamilies: options.machineFamilies }
      : {}),
  };
  const before = planEnvironment(recorded, planOptions);
  const after = planEnvironment(resolved.input, planOptions);
  const all = (plan: EnvironmentPlan) => [
    ...plan.sizing.workloads,
    ...plan.sizing.daemonSets,
  ];
  const beforeById = new Map(all(before).map(w => [w.id, w]));
  const afterById = new Map(all(after).map(w => [w.id, w]));
  const ids = [...new Set([...beforeById.keys(), ...afterById.keys()])];
  const components: ComponentResize[] = ids.map(id => {
    const b = beforeById.get(id);
    const a = afterById.get(id);
    const w = (a ?? b)!;
    if (!b) {
      return {
        id,
        displayName: w.displayName,
        kind: w.kind,
        change: 'added',
        after: sizeOf(a!),
        notes: [],
      };
    }
    if (!a) {
      return {
        id,
        displayName: w.displayName,
        kind: w.kind,
        change: 'removed',
        before: sizeOf(b),
        notes: [],
      };
    }
    const beforeSize = sizeOf(b);
    const afterSize = sizeOf(a);
    const notes: string[] = [];
    const volumeNow = Math.max(
      beforeSize.storageGiBPerPod,
      options.volumesGiB?.[id] ?? 0,
    );
    if (volumeNow > 0 || afterSize.storageGiBPerPod > 0) {
      if (afterSize.storageGiBPerPod > volumeNow) {
        notes.push(
          `volumes grow in place from ${volumeNow} to ${afterSize.storageGiBPerPod} GiB per pod`,
        );
      } else if (afterSize.storageGiBPerPod < volumeNow) {
        notes.push(
          `volumes stay at ${volumeNow} GiB per pod: persistent volumes are never shrunk`,
        );
        afterSize.storageGiBPerPod = volumeNow;
      }
      beforeSize.storageGiBPerPod = volumeNow;
    }
    if (a.replicas !== b.replicas && a.kind !== 'DaemonSet') {
      notes.push(`${b.replicas} → ${a.replicas} replicas`);
    }
    return {
      id,
      displayName: w.displayName,
      kind: w.kind,
      change: sameSize(beforeSize, afterSize) ? 'unchanged' : 'resized',
      before: beforeSize,
      after: afterSize,
      notes,
    };
  });

  const poolBefore = shapeOf(before);
  const poolAfter = shapeOf(after);
  let method: NodePoolResize['method'] = 'unchanged';
  if (poolBefore.machineType !== poolAfter.machineType) method = 'replace';
  else if (
    poolBefore.minNodesPerZone !== poolAfter.minNodesPerZone ||
    poolBefore.maxNodesPerZone !== poolAfter.maxNodesPerZone
  )
    method = 'autoscaling';

  const versionNow = options.currentImageVersion ?? 'latest';
  const imageVersion =
    resolved.imageVersion && resolved.imageVersion !== versionNow
      ? { from: versionNow, to: resolved.imageVersion }
      : undefined;
  const changed = components.filter(c => c.change !== 'unchanged');
  const steps = resizeSteps(
    poolBefore,
    poolAfter,
    method,
    changed,
    imageVersion,
  );
  return {
    environment: `${recorded.projectId}/${recorded.name}`,
    from: {
      tier: before.sizing.tier,
      tierLabel: before.sizing.tierLabel,
      sizing: recorded.sizing,
    },
    to: {
      tier: after.sizing.tier,
      tierLabel: after.sizing.tierLabel,
      sizing: resolved.input.sizing,
    },
    components,
    nodePool: { before: poolBefore, after: poolAfter, method },
    cost: {
      beforeUsd: before.cost.totalMonthlyUsd,
      afterUsd: after.cost.totalMonthlyUsd,
      deltaUsd: cents(after.cost.totalMonthlyUsd - before.cost.totalMonthlyUsd),
      pricesDate: after.cost.pricesDate,
    },
    ...(imageVersion ? { imageVersion } : {}),
    changes: changed.length > 0 || method !== 'unchanged' || !!imageVersion,
    steps,
  };
}

const poolText = (p: NodePoolShape) =>
  `${p.machineType} × ${p.minNodes}–${p.maxNodes} nodes`;

function resizeSteps(
  before: NodePoolShape,
  after: NodePoolShape,
  method: NodePoolResize['method'],
  changed: ComponentResize[],
  imageVersion: ResizePlan['imageVersion'],
): string[] {
  const steps: string[] = [];
  if (method === 'replace') {
    steps.push(
      `Create a node pool of ${poolText(after)} beside the current ${poolText(before)}, and cordon the current nodes`,
    );
  } else if (
    method === 'autoscaling' &&
    after.minNodesPerZone > before.minNodesPerZone
  ) {
    steps.push(
      `Grow the node pool to ${after.minNodes} nodes before the workloads (autoscaling ${after.minNodes}–${after.maxNodes})`,
    );
  } else if (
    method === 'autoscaling' &&
    after.maxNodesPerZone > before.maxNodesPerZone
  ) {
    steps.push(
      `Raise the node pool's autoscaling maximum to ${after.maxNodes} nodes`,
    );
  }
  const rolled = changed.filter(c => c.change !== 'removed');
  if (rolled.length > 0 || imageVersion) {
    steps.push(
      `Roll out ${rolled.length > 0 ? rolled.map(c => c.displayName).join(', ') : 'every component'}${
        imageVersion
          ? ` (CodeMie images ${imageVersion.from} → ${imageVersion.to})`
          : ''
      }: new pods first, PodDisruptionBudgets respected, volumes only grown`,
    );
  }
  const removed = changed.filter(c => c.change === 'removed');
  if (removed.length > 0) {
    steps.push(`Remove ${removed.map(c => c.displayName).join(', ')}`);
  }
  if (method === 'replace') {
    steps.push(
      'Move what still runs on the old nodes: Deployments restarted (new pod first), the rest evicted one by one within their PodDisruptionBudgets; then delete the old pool',
    );
  } else if (
    method === 'autoscaling' &&
    (after.minNodesPerZone < before.minNodesPerZone ||
      after.maxNodesPerZone < before.maxNodesPerZone)
  ) {
    steps.push(
      `Lower the node pool's autoscaling to ${after.minNodes}–${after.maxNodes} nodes after the workloads; the cluster autoscaler removes nodes no longer needed, within PodDisruptionBudgets`,
    );
  }
  if (steps.length === 0)
    steps.push(
      'Nothing to change: the environment already has this sizing and these images',
    );
  return steps;
}
