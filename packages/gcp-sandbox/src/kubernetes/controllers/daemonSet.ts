/**
 * DaemonSet controller: one pod per eligible node (nodeSelector / node affinity of the
 * template), pinned with a `matchFields metadata.name` node affinity as the real controller
 * does; pods of nodes that went away are removed with their nodes. Updates replace one pod at
 * a time (maxUnavailable 1).
 */
import { clone } from '../json';
import { KubernetesObject } from '../types';
import { matchesNodeAffinity } from '../scheduler';
import {
  ControllerContext,
  T,
  isOwnedBy,
  isPodReady,
  nameSuffix,
  podFromTemplate,
  templateHash,
} from './context';

function targetNode(pod: KubernetesObject): string | undefined {
  const terms: any[] =
    pod.spec?.affinity?.nodeAffinity
      ?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    const f = (t.matchFields ?? []).find(
      (e: any) => e.key === 'metadata.name' && e.operator === 'In',
    );
    if (f) return f.values?.[0];
  }
  return pod.spec?.nodeName;
}

/** Reconciles every DaemonSet. */
export function reconcileDaemonSets(ctx: ControllerContext): void {
  const nodes = ctx.store.list(T.nodes);
  for (const ds of ctx.store.list(T.daemonsets)) {
    const ns = ds.metadata!.namespace!;
    const name = ds.metadata!.name!;
    const hash = templateHash(ds.spec?.template ?? {});
    const probe = { spec: ds.spec?.template?.spec ?? {} };
    const eligible = nodes.filter(n =>
      matchesNodeAffinity(probe, {
        name: n.metadata!.name!,
        labels: n.metadata?.labels ?? {},
      }),
    );
    const eligibleNames = new Set(eligible.map(n => n.metadata!.name!));
    const pods = ctx.store.list(T.pods, ns).filter(p => isOwnedBy(p, ds));
    const byNode = new Map<string, KubernetesObject>();
    for (const p of pods) {
      const node = targetNode(p);
      if (!node || !eligibleNames.has(node) || byNode.has(node)) {
        ctx.deleteWithDependents(T.pods, ns, p.metadata!.name!);
        continue;
      }
      byNode.set(node, p);
    }
    // Update: replace one outdated pod at a time, when all others are ready.
    const outdated = [...byNode.entries()].filter(
      ([, p]) => p.metadata?.labels?.['controller-revision-hash'] !== hash,
    );
    const onDelete = ds.spec?.updateStrategy?.type === 'OnDelete';
    if (
      !onDelete &&
      outdated.length > 0 &&
      [...byNode.values()].every(isPodReady)
    ) {
      const [node, pod] = outdated[0];
      ctx.deleteWithDependents(T.pods, ns, pod.metadata!.name!);
      byNode.delete(node);
    }
    for (const node of eligible) {
      const nodeName = node.metadata!.name!;
      if (byNode.has(nodeName)) continue;
      const podName = `${name}-${nameSuffix(`${ds.metadata!.uid}/${nodeName}/${hash}`)}`;
      const pod = podFromTemplate(
        ds.spec?.template,
        ns,
        podName,
        ds,
        {
          'controller-revision-hash': hash,
          'pod-template-generation': String(ds.metadata?.generation ?? 1),
        },
        ctx.stampIso(),
      );
      const affinity = clone(pod.spec.affinity ?? {});
      affinity.nodeAffinity = {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            {
              matchFields: [
                { key: 'metadata.name', operator: 'In', values: [nodeName] },
              ],
            },
          ],
        },
      };
      pod.spec.affinity = affinity;
      pod.spec.tolerations = [
        ...(pod.spec.tolerations ?? []),
        {
          key: 'node.kubernetes.io/disk-pressure',
          operator: 'Exists',
          effect: 'NoSchedule',
        },
        {
          key: 'node.kubernetes.io/memory-pressure',
          operator: 'Exists',
          effect: 'NoSchedule',
        },
        {
          key: 'node.kubernetes.io/unschedulable',
          operator: 'Exists',
          effect: 'NoSchedule',
        },
      ];
      byNode.set(nodeName, ctx.store.put(T.pods, pod, ctx.stampIso));
      ctx.events.record(
        ds,
        'SuccessfulCreate',
        `Created pod: ${podName}`,
        'Normal',
        'daemonset-controller',
        ctx.stamp,
      );
    }
    const list = [...byNode.values()];
    const ready = list.filter(isPodReady).length;
    const scheduled = list.filter(p => p.spec?.nodeName).length;
    const updated = list.filter(
      p => p.metadata?.labels?.['controller-revision-hash'] === hash,
    ).length;
    const status: Record<string, unknown> = {
      currentNumberScheduled: scheduled,
      desiredNumberScheduled: eligible.length,
      numberMisscheduled: 0,
      numberReady: ready,
      numberAvailable: ready,
      updatedNumberScheduled: updated,
      observedGeneration: ds.metadata?.generation ?? 1,
      ...(eligible.length - ready > 0
        ? { numberUnavailable: eligible.length - ready }
        : {}),
    };
    if (status.numberAvailable === 0) delete status.numberAvailable;
    if (status.updatedNumberScheduled === 0)
      delete status.updatedNumberScheduled;
    ctx.store.put(T.daemonsets, { ...ds, status }, ctx.stampIso);
  }
}
