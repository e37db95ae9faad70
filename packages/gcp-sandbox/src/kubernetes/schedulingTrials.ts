/**
 * Scheduling trials: the sandbox's kube-scheduler placing the pods of workload manifests on a
 * set of nodes, one pod at a time in a given creation order, then again after any one node is
 * drained — the way a node pool is exercised by a deploy, a node repair or an upgrade. Used by
 * the sandbox's tests and by `npm run bench:planner` to measure how often a plan holds.
 *
 * The loop is the scheduler's own (./scheduler.ts) and its queue as kube-scheduler runs it:
 * pending pods by priority then creation; a pod that fits nowhere waits until the cluster
 * changes; preemption evicts its victims, whose controllers create them again.
 */
import { KubernetesObject, SandboxNode } from './types';
import {
  KUBE_SYSTEM_RESERVATION,
  NodeReservation,
  nodeCapacity,
} from './nodes';
import { SchedulingNode, schedule } from './scheduler';

/**
 * A workload's pods for a trial: one object per pod (uid, labels, owner, spec).
 *
 * @public
 */
export interface TrialPod extends KubernetesObject {
  /** Has a zonal volume: once placed, its disk pins it to that zone. */
  zonalVolume?: boolean;
}

/**
 * Pods of the workload manifests (Deployments, StatefulSets; DaemonSets go on every node).
 *
 * @public
 */
export function podsOfWorkloads(objects: KubernetesObject[]): {
  pods: TrialPod[];
  perNode: KubernetesObject[];
} {
  const pods: TrialPod[] = [];
  const perNode: KubernetesObject[] = [];
  for (const o of objects) {
    if (!['Deployment', 'StatefulSet', 'DaemonSet'].includes(o.kind ?? ''))
      continue;
    const template = (o as any).spec?.template ?? {};
    const uid = `${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`;
    const make = (name: string): TrialPod => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: o.metadata?.namespace,
        uid: `${uid}/${name}`,
        labels: { ...(template.metadata?.labels ?? {}) },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: o.kind!,
            name: o.metadata!.name!,
            uid,
            controller: true,
          },
        ],
      },
      spec: JSON.parse(JSON.stringify(template.spec ?? {})),
      zonalVolume: ((o as any).spec?.volumeClaimTemplates ?? []).length > 0,
    });
    if (o.kind === 'DaemonSet') {
      perNode.push(make(`${o.metadata!.name}-node`));
      continue;
    }
    const replicas = Number((o as any).spec?.replicas ?? 1);
    for (let i = 0; i < replicas; i++)
      pods.push(make(`${o.metadata!.name}-${i}`));
  }
  return { pods, perNode };
}

/**
 * What became of a trial: pods left Pending (names), and where the others run.
 *
 * @public
 */
export interface TrialOutcome {
  /** Names of the pods left Pending. */
  pending: string[];
  /** Where each placed pod runs: pod name to node name. */
  placement: Map<string, string>;
  /** Pods evicted by preemption on the way. */
  preempted: number;
}

/**
 * A cluster the trials place pods on.
 *
 * @public
 */
export class SchedulingTrial {
  private readonly byName: Map<string, TrialPod>;

  constructor(
    private readonly sandboxNodes: SandboxNode[],
    private readonly pods: TrialPod[],
    private readonly perNode: KubernetesObject[],
    private readonly priorityClasses: Record<string, number>,
    private readonly reservation: NodeReservation = KUBE_SYSTEM_RESERVATION,
  ) {
    this.byName = new Map(pods.map(p => [p.metadata!.name!, p]));
  }

  /** The pod's priority, as admission resolves its priorityClassName. */
  priorityOf = (pod: KubernetesObject): number => {
    const name = pod.spec?.priorityClassName;
    return name && name in this.priorityClasses
      ? this.priorityClasses[name]
      : Number(pod.spec?.priority) || 0;
  };

  /** Creates the pods in `order` (indices into the trial's pods), each scheduled as it comes. */
  create(order: number[]): TrialOutcome {
    const nodes = this.freshNodes();
    const zones = new Map<string, string>();
    const queue: TrialPod[] = [];
    const outcome: TrialOutcome = {
      pending: [],
      placement: new Map(),
      preempted: 0,
    };
    const waiting: TrialPod[] = [];
    for (const i of order) {
      queue.push(this.pods[i]);
      this.run(nodes, queue, waiting, zones, outcome);
    }
    outcome.pending = waiting.map(p => p.metadata!.name!);
    return outcome;
  }

  /** After `create(order)`, drains node `drained`: its pods are created again and scheduled. */
  drain(order: number[], drained: number): TrialOutcome {
    const nodes = this.freshNodes();
    const zones = new Map<string, string>();
    const first: TrialOutcome = {
      pending: [],
      placement: new Map(),
      preempted: 0,
    };
    const waiting: TrialPod[] = [];
    for (const i of order) {
      const queue = [this.pods[i]];
      this.run(nodes, queue, waiting, zones, first);
    }
    if (waiting.length > 0)
      return { ...first, pending: waiting.map(p => p.metadata!.name!) };
    const node = nodes[drained];
    node.unschedulable = true;
    const evicted = node.pods.filter(p => this.byName.has(p.metadata!.name!));
    node.pods = node.pods.filter(p => !evicted.includes(p));
    for (const p of evicted) first.placement.delete(p.metadata!.name!);
    nodes.splice(drained, 1);
    const queue = evicted.map(p => this.byName.get(p.metadata!.name!)!);
    this.run(nodes, queue, waiting, zones, first);
    return { ...first, pending: waiting.map(p => p.metadata!.name!) };
  }

  private freshNodes(): SchedulingNode[] {
    return this.sandboxNodes.map((n, index) => ({
      name: n.name,
      zone: n.zone,
      labels: {
        'kubernetes.io/hostname': n.name,
        'topology.kubernetes.io/zone': n.zone,
        'cloud.google.com/gke-nodepool': n.nodePool,
        'node.kubernetes.io/instance-type': n.machineType,
      },
      capacity: nodeCapacity(n, this.reservation),
      pods: this.perNode.map(p => ({
        ...p,
        metadata: { ...p.metadata, uid: `${p.metadata?.uid}-${index}` },
      })),
    }));
  }

  private run(
    nodes: SchedulingNode[],
    queue: TrialPod[],
    waiting: TrialPod[],
    zones: Map<string, string>,
    outcome: TrialOutcome,
  ): void {
    let attempts = 0;
    const limit = 20 * (this.pods.length + 1);
    while (queue.length > 0 && attempts++ < limit) {
      queue.sort((a, b) => this.priorityOf(b) - this.priorityOf(a));
      const pod = queue.shift()!;
      const name = pod.metadata!.name!;
      const zone = zones.get(name);
      const volumes = zone ? { zones: [zone] } : {};
      let result = schedule(pod, nodes, volumes, {
        priorityOf: this.priorityOf,
      });
      const victims: TrialPod[] = [];
      if (result.preemption) {
        const holder = nodes.find(n => n.name === result.preemption!.node)!;
        for (const v of result.preemption.victims) {
          holder.pods = holder.pods.filter(p => p !== v);
          outcome.placement.delete(v.metadata!.name!);
          victims.push(this.byName.get(v.metadata!.name!)!);
          outcome.preempted += 1;
        }
        result = schedule(pod, nodes, volumes, { priorityOf: this.priorityOf });
      }
      if (!result.node) {
        waiting.push(pod);
        queue.push(...victims);
        continue;
      }
      const node = nodes.find(n => n.name === result.node)!;
      node.pods.push(pod);
      outcome.placement.set(name, node.name);
      if (pod.zonalVolume && !zones.has(name)) zones.set(name, node.zone);
      // The cluster changed: waiting pods are tried again, victims are created again.
      queue.push(...waiting.splice(0), ...victims);
    }
    waiting.push(...queue.splice(0));
  }
}
