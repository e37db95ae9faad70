/**
 * One sandbox cluster's control plane: the object store and API verbs, plus the controllers,
 * scheduler and kubelets that make the objects come alive. Nothing runs in the background:
 * every request first brings the cluster up to the current simulated time (`reconcile()`),
 * so state depends only on what was written and when, never on timer luck.
 */
import { SandboxClock } from '../core/SandboxClock';
import { Admission } from './admission';
import { WorkloadBehaviour, PodTarget } from './behaviour';
import { ControllerContext, T, ms } from './controllers/context';
import { reconcileDaemonSets } from './controllers/daemonSet';
import {
  reconcileDeployments,
  reconcileReplicaSets,
  updateDeploymentStatus,
} from './controllers/deployment';
import { reconcileDisruptionBudgets } from './controllers/disruptionBudgets';
import { reconcileServices } from './controllers/services';
import { reconcileStatefulSets } from './controllers/statefulSet';
import {
  bindForPod,
  gkeStorageClasses,
  reconcileVolumes,
  volumeConstraints,
} from './controllers/volumes';
import { ResourceType, typeByKind } from './discovery';
import { EventRecorder } from './events';
import { evictPod } from './eviction';
import { fnv32a } from './json';
import {
  KUBE_SYSTEM_RESERVATION,
  NodeReservation,
  nodeCapacity,
  nodeInternalIp,
  nodeObject,
} from './nodes';
import { ObjectStore } from './ObjectStore';
import { ApiOperations, PATCH_TYPES } from './operations';
import {
  ImageCache,
  PodPlan,
  planPod,
  podEventsAt,
  podStatusAt,
  qosClass,
  replanCrashes,
  WallClock,
} from './podLifecycle';
import { SchedulingNode, schedule } from './scheduler';
import { cpuMillis, memoryBytes } from './quantity';
import { KubernetesObject, SandboxNode } from './types';

const iso = (msValue: number) =>
  new Date(msValue).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Field manager of objects written by {@link ControlPlane.seed}. */
export const SEED_FIELD_MANAGER = 'codemie-sandbox-seed';

/** Options of {@link ControlPlane.seed}. */
export interface SeedOptions {
  /** Objects to apply (server-side apply, the same code path as API requests). */
  objects: KubernetesObject[];
  /** Components to crash-loop (e.g. `{ namespace: 'codemie', component: 'mermaid-server' }`). */
  crashLoop?: PodTarget | PodTarget[];
  /** How long ago the objects are made to have been applied (default one hour). */
  readyAgoSeconds?: number;
  /**
   * What components use from now on, as fractions of their requests (the live metrics), and how
   * full their volumes are: for demos whose generated history says a component is busy.
   */
  usage?: Array<{
    component: string;
    cpu?: number;
    memory?: number;
    volume?: number;
  }>;
}

/** What {@link ControlPlane.seed} did. */
export interface SeedResult {
  applied: number;
  pods: number;
  ready: number;
  pending: string[];
}

/** Kinds applied first when seeding, in the order Helm installs them. */
const INSTALL_ORDER = [
  'Namespace',
  'StorageClass',
  'PriorityClass',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'PersistentVolumeClaim',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Deployment',
  'StatefulSet',
  'HorizontalPodAutoscaler',
  'IngressClass',
  'Ingress',
  'PodDisruptionBudget',
];

/** The control plane of one sandbox cluster. */
export class ControlPlane {
  readonly store: ObjectStore;
  readonly ops: ApiOperations;
  readonly behaviour = new WorkloadBehaviour();
  private readonly events: EventRecorder;
  private readonly plans = new Map<string, PodPlan>();
  private readonly images: ImageCache = new Map();
  private readonly firstSeen = new Map<string, number>();
  private readonly unschedulable = new Map<
    string,
    { key: string; since: number }
  >();
  private readonly nodeIndex = new Map<string, number>();
  private readonly podIps = new Map<string, number>();
  private sandboxNodes: SandboxNode[] = [];
  private nodeSignature = '';
  private stampOffsetMs = 0;
  private dirty = true;
  private reconciling = false;
  private lastReconcile = -Infinity;

  constructor(
    readonly clusterName: string,
    private readonly clock: SandboxClock,
    private readonly nodes: () => SandboxNode[],
    private readonly reservation: NodeReservation = KUBE_SYSTEM_RESERVATION,
  ) {
    this.store = new ObjectStore(clusterName);
    this.events = new EventRecorder(this.store, () => this.stampIso());
    this.ops = new ApiOperations(
      this.store,
      new Admission(this.store),
      () => this.stampIso(),
      () => {
        this.dirty = true;
      },
    );
    for (const ns of [
      'default',
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]) {
      this.ops.create(
        T.namespaces,
        undefined,
        { metadata: { name: ns } },
        { fieldManager: 'kube-apiserver' },
      );
    }
    for (const sc of gkeStorageClasses())
      this.ops.create(T.storageclasses, undefined, sc, {
        fieldManager: 'kube-addon-manager',
      });
    this.behaviour.onChange(() => {
      const now = this.clock.now();
      for (const pod of this.store.peek(T.pods)) {
        const plan = this.plans.get(pod.metadata!.uid!);
        if (plan)
          replanCrashes(plan, pod, this.behaviour, now, this.wallClock());
      }
      this.dirty = true;
    });
  }

  private readonly observers = new Set<() => void>();

  /** Calls `observer` at every state a reconcile passes through (see `KubernetesApiServer.observe`). */
  observe(observer: () => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  private notifyObservers(): void {
    for (const observer of this.observers) observer();
  }

  /** Real time from now on, in simulated milliseconds (for `wall-clock` crash back-off). */
  private wallClock(): WallClock {
    // Manual time has no real time to follow: the back-off takes its nominal time on the clock.
    const scale = this.clock.mode === 'real' ? 1000 / this.clock.timeScale : 1;
    return { from: this.clock.now(), scale };
  }

  /** Simulated now for stamping new objects (earlier than the clock while seeding). */
  private stampMs(): number {
    return this.clock.now() - this.stampOffsetMs;
  }

  private stampIso(): string {
    return iso(this.stampMs());
  }

  /** Node pools changed: re-read nodes, drop pods of removed nodes, retry Pending pods. */
  nodesChanged(): void {
    this.nodeSignature = '';
    this.dirty = true;
    this.reconcile(true);
  }

  /** Marks state as changed so the next reconcile runs even if little time passed. */
  markDirty(): void {
    this.dirty = true;
  }

  /** The plan of a bound pod (for logs, metrics and stats). */
  planOf(uid: string): PodPlan | undefined {
    return this.plans.get(uid);
  }

  /** The SandboxNode behind a node name. */
  sandboxNode(name: string): SandboxNode | undefined {
    return this.sandboxNodes.find(n => n.name === name);
  }

  /**
   * `POST pods/{name}/eviction`: deletes the pod unless its PodDisruptionBudget forbids it now
   * (see `eviction.ts`). Throws a KubeError (429, 500, 404) when refused.
   */
  evict(
    namespace: string,
    name: string,
    body: unknown,
    options: { dryRun?: boolean } = {},
  ): { status: number; body: unknown } {
    const result = evictPod(
      { store: this.store, ops: this.ops, stampIso: () => this.stampIso() },
      namespace,
      name,
      body,
      options,
    );
    this.dirty = true;
    return result;
  }

  /** Simulated now (epoch ms). */
  now(): number {
    return this.clock.now();
  }

  /**
   * Brings the cluster to the current simulated time: controllers, volumes, scheduler,
   * kubelets, until nothing changes. Cheap when nothing happened.
   */
  reconcile(force = false): void {
    if (this.reconciling) return;
    const now = this.clock.now();
    // Within half a simulated second nothing observable changes unless something was written.
    if (!force && !this.dirty && now - this.lastReconcile < 500) return;
    this.reconciling = true;
    try {
      const ctx: ControllerContext = {
        store: this.store,
        events: this.events,
        now,
        stamp: now - this.stampOffsetMs,
        stampIso: () => iso(now - this.stampOffsetMs),
        firstSeen: this.firstSeen,
        deleteWithDependents: (type, namespace, name) =>
          this.deleteObject(type, namespace, name),
      };
      // What requests left (e.g. a pod just evicted), before any controller reacts.
      this.notifyObservers();
      this.syncNodes(ctx);
      for (let pass = 0; pass < 200; pass++) {
        const before = this.store.resourceVersion();
        reconcileDeployments(ctx);
        reconcileReplicaSets(ctx);
        reconcileStatefulSets(ctx);
        reconcileDaemonSets(ctx);
        reconcileVolumes(ctx, () => this.sandboxNodes[0]?.zone);
        this.schedulePods(ctx);
        this.runKubelets(ctx);
        updateDeploymentStatus(ctx);
        reconcileServices(ctx);
        reconcileDisruptionBudgets(ctx);
        this.notifyObservers();
        if (this.store.resourceVersion() === before) break;
      }
      this.dirty = false;
      this.lastReconcile = now;
    } finally {
      this.reconciling = false;
    }
  }

  private deleteObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ): void {
    const removed = this.store.remove(type, namespace, name);
    if (!removed) return;
    if (type === T.pods) this.plans.delete(removed.metadata!.uid!);
    this.ops.collectGarbage(removed.metadata!.uid!);
  }

  private syncNodes(ctx: ControllerContext): void {
    const list = this.nodes();
    const signature = JSON.stringify(list);
    if (signature === this.nodeSignature) return;
    this.nodeSignature = signature;
    this.sandboxNodes = list.map(n => ({ ...n }));
    const names = new Set(list.map(n => n.name));
    for (const node of list) {
      if (!this.nodeIndex.has(node.name))
        this.nodeIndex.set(node.name, this.nodeIndex.size);
      const fresh = nodeObject(
        node,
        this.nodeIndex.get(node.name)!,
        this.reservation,
      );
      // What clients set on a Node (a cordon, taints) stays while the VM lives.
      const stored = this.store.get(T.nodes, undefined, node.name);
      this.store.put(
        T.nodes,
        stored
          ? {
              ...fresh,
              metadata: stored.metadata,
              spec: { ...fresh.spec, ...stored.spec },
            }
          : fresh,
        ctx.stampIso,
      );
    }
    for (const node of this.store.list(T.nodes)) {
      const name = node.metadata!.name!;
      if (names.has(name)) continue;
      this.store.remove(T.nodes, undefined, name);
      this.images.delete(name);
      // Pods of a deleted node are deleted (pod GC); their controllers create replacements.
      for (const pod of this.store.list(T.pods)) {
        if (pod.spec?.nodeName === name)
          this.deleteObject(
            T.pods,
            pod.metadata!.namespace,
            pod.metadata!.name!,
          );
      }
    }
  }

  private schedulingNodes(): SchedulingNode[] {
    const pods = this.store
      .peek(T.pods)
      .filter(
        p =>
          p.spec?.nodeName &&
          !['Succeeded', 'Failed'].includes(p.status?.phase),
      );
    return this.store.list(T.nodes).map(n => {
      const name = n.metadata!.name!;
      const sandbox = this.sandboxNode(name);
      return {
        name,
        zone: n.metadata?.labels?.['topology.kubernetes.io/zone'] ?? '',
        labels: n.metadata?.labels ?? {},
        capacity: sandbox
          ? nodeCapacity(sandbox, this.reservation)
          : {
              allocatableCpuMillis: 0,
              allocatableMemoryMiB: 0,
              reserved: this.reservation,
              cpuMillis: 0,
              memoryMiB: 0,
              pods: 0,
            },
        pods: pods.filter(p => p.spec.nodeName === name),
        // A cordon (`kubectl cordon`: spec.unschedulable) keeps new pods off the node.
        unschedulable: n.spec?.unschedulable === true,
      };
    });
  }

  /**
   * A pod's priority: its PriorityClass's value (what the Priority admission plugin writes into
   * `spec.priority` at creation), else `spec.priority`.
   */
  private priorityOf(pod: KubernetesObject): number {
    const name = pod.spec?.priorityClassName;
    if (name) {
      const pc = this.store.get(T.priorityclasses, undefined, name);
      if (pc && Number.isFinite(Number(pc.value))) return Number(pc.value);
    }
    return Number(pod.spec?.priority) || 0;
  }

  private schedulePods(ctx: ControllerContext): void {
    // The scheduling queue (PrioritySort): higher priority first, then the older pod.
    const pending = this.store
      .list(T.pods)
      .filter(p => !p.spec?.nodeName && !p.metadata?.deletionTimestamp)
      .sort(
        (a, b) =>
          this.priorityOf(b) - this.priorityOf(a) ||
          ms(a.metadata?.creationTimestamp) -
            ms(b.metadata?.creationTimestamp) ||
          a.metadata!.name!.localeCompare(b.metadata!.name!),
      );
    if (pending.length === 0) return;
    const nodes = this.schedulingNodes();
    const priorityOf = (p: KubernetesObject) => this.priorityOf(p);
    const epoch = () =>
      String(
        fnv32a(
          JSON.stringify(
            nodes.map(n => [n.name, n.pods.map(p => p.metadata?.uid)]),
          ),
        ),
      );
    for (const pod of pending) {
      const uid = pod.metadata!.uid!;
      let result = schedule(pod, nodes, volumeConstraints(ctx, pod), {
        priorityOf,
      });
      if (result.preemption) {
        // DefaultPreemption: the victims are deleted (their controllers create them again and
        // they queue like any pod); the preemptor is then placed in the room they leave.
        const { node: target, victims } = result.preemption;
        for (const victim of victims) {
          this.events.record(
            victim,
            'Preempted',
            `Preempted by pod ${uid} on node ${target}`,
            'Normal',
            'default-scheduler',
            ctx.stamp,
          );
          this.deleteObject(
            T.pods,
            victim.metadata!.namespace,
            victim.metadata!.name!,
          );
          const holder = nodes.find(n => n.name === target)!;
          holder.pods = holder.pods.filter(
            p => p.metadata?.uid !== victim.metadata?.uid,
          );
        }
        result = schedule(pod, nodes, volumeConstraints(ctx, pod), {
          priorityOf,
        });
      }
      if (result.node) {
        const node = nodes.find(n => n.name === result.node)!;
        const failedBefore = this.unschedulable.get(uid);
        const scheduledAt = failedBefore
          ? ctx.stamp
          : Math.min(
              ctx.stamp,
              ms(pod.metadata?.creationTimestamp) || ctx.stamp,
            );
        bindForPod(ctx, pod, node.name, node.zone);
        const index = this.nodeIndex.get(node.name) ?? 0;
        const n = (this.podIps.get(node.name) ?? 0) + 1;
        this.podIps.set(node.name, n);
        const podIP = `10.4.${index}.${(n % 250) + 2}`;
        const bound = { ...pod, spec: { ...pod.spec, nodeName: node.name } };
        const stored = this.store.put(T.pods, bound, ctx.stampIso);
        this.plans.set(
          uid,
          planPod(
            stored,
            node.name,
            nodeInternalIp(index),
            podIP,
            scheduledAt,
            this.behaviour,
            this.images,
            this.wallClock(),
          ),
        );
        node.pods.push(stored);
        this.unschedulable.delete(uid);
        continue;
      }
      const key = `${epoch()}|${result.message}`;
      const previous = this.unschedulable.get(uid);
      const since = previous?.since ?? ctx.stamp;
      if (previous?.key !== key) {
        this.events.record(
          pod,
          'FailedScheduling',
          result.message!,
          'Warning',
          'default-scheduler',
          ctx.stamp,
        );
        this.unschedulable.set(uid, { key, since });
      }
      this.store.put(
        T.pods,
        {
          ...pod,
          status: {
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: iso(since),
                reason: 'Unschedulable',
                message: result.message,
              },
            ],
            qosClass: qosClass(pod),
          },
        },
        ctx.stampIso,
      );
    }
  }

  private runKubelets(ctx: ControllerContext): void {
    const live = new Set<string>();
    for (const pod of this.store.list(T.pods)) {
      const uid = pod.metadata!.uid!;
      live.add(uid);
      const nodeName = pod.spec?.nodeName;
      if (!nodeName) continue;
      let plan = this.plans.get(uid);
      if (!plan) {
        // Bound at creation (spec.nodeName set by the client): the kubelet starts at once.
        const index = this.nodeIndex.get(nodeName) ?? 0;
        const n = (this.podIps.get(nodeName) ?? 0) + 1;
        this.podIps.set(nodeName, n);
        plan = planPod(
          pod,
          nodeName,
          nodeInternalIp(index),
          `10.4.${index}.${(n % 250) + 2}`,
          Math.min(ctx.stamp, ms(pod.metadata?.creationTimestamp) || ctx.stamp),
          this.behaviour,
          this.images,
          this.wallClock(),
        );
        this.plans.set(uid, plan);
      }
      const stored = this.store.put(
        T.pods,
        { ...pod, status: podStatusAt(pod, plan, ctx.now) },
        ctx.stampIso,
      );
      this.events.sync(stored, podEventsAt(pod, plan, ctx.now), nodeName);
    }
    for (const uid of [...this.plans.keys()])
      if (!live.has(uid)) this.plans.delete(uid);
    for (const uid of [...this.unschedulable.keys()])
      if (!live.has(uid)) this.unschedulable.delete(uid);
  }

  /**
   * Applies `objects` (server-side apply, field manager `codemie-sandbox-seed`) as if they had
   * been applied `readyAgoSeconds` ago, so that their pods are already Running and Ready —
   * except crash-looping components, which have been restarting since. Namespaces the objects
   * name are created if missing.
   */
  seed(options: SeedOptions): SeedResult {
    const targets = ([] as PodTarget[]).concat(options.crashLoop ?? []);
    // People watch the demo in real time: from now on its crash loops back off in real time
    // (a restart every 5 minutes at most), whatever the time scale; their past, seeded
    // `readyAgoSeconds` back, backed off in simulated time.
    for (const target of targets)
      this.behaviour.crashLoop(target, { backoff: 'wall-clock' });
    for (const u of options.usage ?? []) {
      // The profile's fractions of today's requests, kept as a demand in absolute terms: after a
      // resize the same use leaves more headroom, as it would.
      const workload = options.objects.find(
        o =>
          ['Deployment', 'StatefulSet'].includes(o.kind ?? '') &&
          o.metadata?.labels?.['app.kubernetes.io/component'] === u.component,
      );
      const requests =
        workload?.spec?.template?.spec?.containers?.[0]?.resources?.requests;
      if (requests && (u.cpu !== undefined || u.memory !== undefined)) {
        this.behaviour.usage(
          { component: u.component },
          {
            ...(u.cpu !== undefined
              ? { cpuMillis: u.cpu * cpuMillis(requests.cpu) }
              : {}),
            ...(u.memory !== undefined
              ? {
                  memoryMiB:
                    (u.memory * memoryBytes(requests.memory)) / 2 ** 20,
                }
              : {}),
          },
        );
      }
      if (u.volume === undefined) continue;
      // The component's claims live in the namespace of its StatefulSets.
      for (const o of options.objects) {
        if (
          o.kind === 'StatefulSet' &&
          o.metadata?.labels?.['app.kubernetes.io/component'] === u.component
        ) {
          this.behaviour.volumeUsage(
            { namespace: o.metadata.namespace },
            u.volume,
          );
        }
      }
    }
    const rank = (o: KubernetesObject) => {
      const i = INSTALL_ORDER.indexOf(o.kind ?? '');
      return i < 0 ? INSTALL_ORDER.length : i;
    };
    const ordered = [...options.objects].sort((a, b) => rank(a) - rank(b));
    this.stampOffsetMs = (options.readyAgoSeconds ?? 3600) * 1000;
    try {
      for (const obj of ordered) {
        const type = typeByKind(obj.kind ?? '', obj.apiVersion);
        if (!type || type.virtual)
          throw new Error(
            `seed: unsupported kind ${obj.apiVersion} ${obj.kind}`,
          );
        const namespace = type.namespaced
          ? (obj.metadata?.namespace ?? 'default')
          : undefined;
        if (namespace && !this.store.get(T.namespaces, undefined, namespace)) {
          this.ops.create(
            T.namespaces,
            undefined,
            { metadata: { name: namespace } },
            { fieldManager: SEED_FIELD_MANAGER },
          );
        }
        const body = {
          ...obj,
          metadata: { ...obj.metadata, ...(namespace ? { namespace } : {}) },
        };
        this.ops.patch(
          type,
          namespace,
          obj.metadata!.name!,
          JSON.stringify(body),
          PATCH_TYPES.apply,
          {
            fieldManager: SEED_FIELD_MANAGER,
            force: true,
          },
        );
      }
      this.reconcile(true);
    } finally {
      this.stampOffsetMs = 0;
    }
    const pods = this.store.list(T.pods);
    return {
      applied: ordered.length,
      pods: pods.length,
      ready: pods.filter(p =>
        p.status?.conditions?.some(
          (c: any) => c.type === 'Ready' && c.status === 'True',
        ),
      ).length,
      pending: pods
        .filter(p => p.status?.phase === 'Pending')
        .map(p => `${p.metadata!.namespace}/${p.metadata!.name}`),
    };
  }
}
