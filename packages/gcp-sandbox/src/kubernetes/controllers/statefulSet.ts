/**
 * StatefulSet controller: pods `<sts>-0…n-1` with stable names and hostnames, one PVC per
 * volumeClaimTemplate and ordinal (`<template>-<sts>-<i>`, kept when the StatefulSet goes, as
 * with the default Retain policy). OrderedReady (the default) creates pod i+1 only once pod i
 * is Ready; Parallel creates them all. Rolling updates replace pods from the highest ordinal,
 * one at a time, each once the others are Ready.
 */
import { clone } from '../json';
import { KubernetesObject } from '../types';
import {
  ControllerContext,
  T,
  isOwnedBy,
  isPodReady,
  podFromTemplate,
  podReadySince,
  templateHash,
} from './context';

const REVISION_LABEL = 'controller-revision-hash';

/** Reconciles every StatefulSet. */
export function reconcileStatefulSets(ctx: ControllerContext): void {
  for (const sts of ctx.store.list(T.statefulsets)) {
    const ns = sts.metadata!.namespace!;
    const name = sts.metadata!.name!;
    const replicas: number = sts.spec?.replicas ?? 1;
    const ordered =
      (sts.spec?.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
    const revision = `${name}-${templateHash(sts.spec?.template ?? {})}`;
    const templates: any[] = sts.spec?.volumeClaimTemplates ?? [];
    const pods = new Map<number, KubernetesObject>();
    for (const p of ctx.store.list(T.pods, ns)) {
      if (!isOwnedBy(p, sts)) continue;
      const m = new RegExp(`^${name.replace(/[.]/g, '\\.')}-(\\d+)$`).exec(
        p.metadata!.name!,
      );
      if (m) pods.set(Number(m[1]), p);
    }

    // Scale down: highest ordinals first (one at a time when ordered).
    const extra = [...pods.keys()]
      .filter(i => i >= replicas)
      .sort((a, b) => b - a);
    for (const i of ordered ? extra.slice(0, 1) : extra) {
      ctx.deleteWithDependents(T.pods, ns, `${name}-${i}`);
      ctx.events.record(
        sts,
        'SuccessfulDelete',
        `delete Pod ${name}-${i} in StatefulSet ${name} successful`,
        'Normal',
        'statefulset-controller',
        ctx.stamp,
      );
      pods.delete(i);
    }

    let previousReadyAt: number | undefined;
    for (let i = 0; i < replicas; i++) {
      const podName = `${name}-${i}`;
      for (const tpl of templates) {
        const claim = `${tpl.metadata?.name}-${name}-${i}`;
        if (!ctx.store.get(T.persistentvolumeclaims, ns, claim)) {
          ctx.store.put(
            T.persistentvolumeclaims,
            {
              metadata: {
                name: claim,
                namespace: ns,
                labels: {
                  ...tpl.metadata?.labels,
                  ...sts.spec?.selector?.matchLabels,
                },
                ...(tpl.metadata?.annotations
                  ? { annotations: clone(tpl.metadata.annotations) }
                  : {}),
              },
              spec: {
                volumeMode: 'Filesystem',
                ...clone(tpl.spec ?? {}),
                storageClassName:
                  tpl.spec?.storageClassName ?? defaultStorageClass(ctx),
              },
              status: { phase: 'Pending' },
            },
            ctx.stampIso,
          );
          ctx.events.record(
            sts,
            'SuccessfulCreate',
            `create Claim ${claim} Pod ${podName} in StatefulSet ${name} success`,
            'Normal',
            'statefulset-controller',
            ctx.stamp,
          );
        }
      }
      const existing = pods.get(i);
      if (existing) {
        previousReadyAt = podReadySince(existing);
        if (ordered && !isPodReady(existing)) break;
        continue;
      }
      // Ordered: pod i is created the moment pod i-1 became Ready, even if nobody looked then.
      const seenKey = `sts/${sts.metadata!.uid}/${sts.metadata!.generation}`;
      if (!ctx.firstSeen.has(seenKey)) ctx.firstSeen.set(seenKey, ctx.stamp);
      const createdAt =
        ordered && i > 0 && previousReadyAt !== undefined
          ? Math.min(
              ctx.stamp,
              Math.max(previousReadyAt, ctx.firstSeen.get(seenKey)!),
            )
          : ctx.stamp;
      const createdIso = new Date(createdAt)
        .toISOString()
        .replace(/\.\d{3}Z$/, 'Z');
      const pod = podFromTemplate(
        sts.spec?.template,
        ns,
        podName,
        sts,
        {
          [REVISION_LABEL]: revision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(i),
        },
        createdIso,
      );
      pod.spec.hostname = podName;
      if (sts.spec?.serviceName) pod.spec.subdomain = sts.spec.serviceName;
      const volumes: any[] = pod.spec.volumes ?? [];
      for (const tpl of templates) {
        if (!volumes.some(v => v.name === tpl.metadata?.name)) {
          volumes.push({
            name: tpl.metadata?.name,
            persistentVolumeClaim: {
              claimName: `${tpl.metadata?.name}-${name}-${i}`,
            },
          });
        }
      }
      if (volumes.length) pod.spec.volumes = volumes;
      const stored = ctx.store.put(T.pods, pod, () => createdIso);
      pods.set(i, stored);
      ctx.events.record(
        sts,
        'SuccessfulCreate',
        `create Pod ${podName} in StatefulSet ${name} successful`,
        'Normal',
        'statefulset-controller',
        createdAt,
      );
      if (ordered) break;
    }

    // Rolling update: replace the highest outdated ordinal when everything else is Ready.
    const strategy = sts.spec?.updateStrategy?.type ?? 'RollingUpdate';
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const current = [...pods.entries()].filter(([i]) => i < replicas);
    if (
      strategy === 'RollingUpdate' &&
      current.length === replicas &&
      current.every(([, p]) => isPodReady(p))
    ) {
      const outdated = current
        .filter(
          ([i, p]) =>
            i >= partition && p.metadata?.labels?.[REVISION_LABEL] !== revision,
        )
        .sort((a, b) => b[0] - a[0]);
      if (outdated.length > 0) {
        const [i] = outdated[0];
        ctx.deleteWithDependents(T.pods, ns, `${name}-${i}`);
        pods.delete(i);
      }
    }

    const list = [...pods.values()];
    const updated = list.filter(
      p => p.metadata?.labels?.[REVISION_LABEL] === revision,
    ).length;
    const ready = list.filter(isPodReady).length;
    const currentRevision =
      updated === list.length && list.length === replicas
        ? revision
        : (sts.status?.currentRevision ?? revision);
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata?.generation ?? 1,
      replicas: list.length,
      readyReplicas: ready,
      currentReplicas:
        currentRevision === revision ? updated : list.length - updated,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
    };
    for (const k of ['readyReplicas', 'currentReplicas', 'updatedReplicas'])
      if (status[k] === 0) delete status[k];
    ctx.store.put(T.statefulsets, { ...sts, status }, ctx.stampIso);
  }
}

function defaultStorageClass(ctx: ControllerContext): string | undefined {
  return ctx.store
    .peek(T.storageclasses)
    .find(
      sc =>
        sc.metadata?.annotations?.[
          'storageclass.kubernetes.io/is-default-class'
        ] === 'true',
    )?.metadata?.name;
}
