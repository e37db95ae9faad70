/**
 * Deployment and ReplicaSet controllers. A Deployment owns one ReplicaSet per pod template
 * (`<deploy>-<hash>`), which owns the pods (`<deploy>-<hash>-<5 chars>`). Rolling updates are
 * simplified: the new ReplicaSet is scaled to the full replica count at once and old ones are
 * scaled down as new pods become Ready — so old pods keep serving while new ones start, and a
 * new pod that does not fit leaves the old one running, as with a real rolling update.
 */
import { clone } from '../json';
import { KubernetesObject } from '../types';
import {
  ControllerContext,
  T,
  condition,
  isOwnedBy,
  isPodReady,
  ms,
  nameSuffix,
  ownerRef,
  podFromTemplate,
  templateHash,
} from './context';

const REVISION = 'deployment.kubernetes.io/revision';

function scaleEvent(
  ctx: ControllerContext,
  d: KubernetesObject,
  rs: string,
  from: number,
  to: number,
) {
  if (from === to) return;
  ctx.events.record(
    d,
    'ScalingReplicaSet',
    `Scaled ${to > from ? 'up' : 'down'} replica set ${rs} from ${from} to ${to}`,
    'Normal',
    'deployment-controller',
    ctx.stamp,
  );
}

/** Reconciles every Deployment: ReplicaSets and Deployment status. */
export function reconcileDeployments(ctx: ControllerContext): void {
  const allRs = ctx.store.list(T.replicasets);
  for (const d of ctx.store.list(T.deployments)) {
    const ns = d.metadata!.namespace!;
    const name = d.metadata!.name!;
    const replicas: number = d.spec?.replicas ?? 1;
    const template = d.spec?.template ?? {};
    const hash = templateHash(template);
    const owned = allRs.filter(
      rs => rs.metadata?.namespace === ns && isOwnedBy(rs, d),
    );
    let current = owned.find(
      rs => rs.metadata?.labels?.['pod-template-hash'] === hash,
    );
    const maxRevision = Math.max(
      0,
      ...owned.map(rs => Number(rs.metadata?.annotations?.[REVISION] ?? 0)),
    );
    if (!current) {
      const rsTemplate = clone(template);
      rsTemplate.metadata = {
        ...rsTemplate.metadata,
        labels: { ...rsTemplate.metadata?.labels, 'pod-template-hash': hash },
      };
      current = ctx.store.put(
        T.replicasets,
        {
          metadata: {
            name: `${name}-${hash}`,
            namespace: ns,
            labels: { ...template.metadata?.labels, 'pod-template-hash': hash },
            annotations: {
              [REVISION]: String(maxRevision + 1),
              'deployment.kubernetes.io/desired-replicas': String(replicas),
              'deployment.kubernetes.io/max-replicas': String(replicas + 1),
            },
            ownerReferences: [ownerRef(d)],
            generation: 1,
          },
          spec: {
            replicas: 0,
            minReadySeconds: d.spec?.minReadySeconds ?? 0,
            selector: {
              ...d.spec?.selector,
              matchLabels: {
                ...d.spec?.selector?.matchLabels,
                'pod-template-hash': hash,
              },
            },
            template: rsTemplate,
          },
          status: { replicas: 0, observedGeneration: 1 },
        },
        ctx.stampIso,
      );
      owned.push(current);
    } else if (
      Number(current.metadata?.annotations?.[REVISION] ?? 0) < maxRevision
    ) {
      // Rolled back to an older template: it becomes the newest revision again.
      current.metadata!.annotations = {
        ...current.metadata!.annotations,
        [REVISION]: String(maxRevision + 1),
      };
    }
    const newRs = current;
    const olds = owned
      .filter(rs => rs !== newRs)
      .sort(
        (a, b) =>
          Number(b.metadata?.annotations?.[REVISION] ?? 0) -
          Number(a.metadata?.annotations?.[REVISION] ?? 0),
      );
    const recreate = d.spec?.strategy?.type === 'Recreate';
    const newReady = newRs.status?.readyReplicas ?? 0;
    let oldBudget = recreate ? 0 : Math.max(0, replicas - newReady);
    for (const rs of olds) {
      const before = rs.spec?.replicas ?? 0;
      const keep = Math.min(before, oldBudget);
      oldBudget -= keep;
      if (keep !== before) {
        scaleEvent(ctx, d, rs.metadata!.name!, before, keep);
        rs.spec.replicas = keep;
        ctx.store.put(T.replicasets, rs, ctx.stampIso);
      }
    }
    const oldPodsLeft = olds.some(rs => (rs.status?.replicas ?? 0) > 0);
    const target = recreate && oldPodsLeft ? 0 : replicas;
    if (
      (newRs.spec?.replicas ?? 0) !== target ||
      newRs.metadata?.annotations?.[
        'deployment.kubernetes.io/desired-replicas'
      ] !== String(replicas)
    ) {
      scaleEvent(
        ctx,
        d,
        newRs.metadata!.name!,
        newRs.spec?.replicas ?? 0,
        target,
      );
      newRs.spec.replicas = target;
      newRs.metadata!.annotations = {
        ...newRs.metadata!.annotations,
        'deployment.kubernetes.io/desired-replicas': String(replicas),
        'deployment.kubernetes.io/max-replicas': String(replicas + 1),
      };
    }
    ctx.store.put(T.replicasets, newRs, ctx.stampIso);
    // Old, empty ReplicaSets beyond the history limit go away.
    const limit = d.spec?.revisionHistoryLimit ?? 10;
    olds
      .filter(
        rs =>
          (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0,
      )
      .slice(limit)
      .forEach(rs =>
        ctx.deleteWithDependents(T.replicasets, ns, rs.metadata!.name!),
      );
  }
}

/** Reconciles every ReplicaSet: creates and deletes pods, updates status. */
export function reconcileReplicaSets(ctx: ControllerContext): void {
  const pods = ctx.store.list(T.pods);
  for (const rs of ctx.store.list(T.replicasets)) {
    const ns = rs.metadata!.namespace!;
    const name = rs.metadata!.name!;
    const desired: number = rs.spec?.replicas ?? 1;
    const mine = pods.filter(
      p => p.metadata?.namespace === ns && isOwnedBy(p, rs),
    );
    if (mine.length < desired) {
      for (let i = mine.length; i < desired; i++) {
        let podName = '';
        for (let attempt = 0; ; attempt++) {
          podName = `${name}-${nameSuffix(`${rs.metadata!.uid}/${i}/${attempt}/${ctx.store.resourceVersion()}`)}`;
          if (!ctx.store.get(T.pods, ns, podName)) break;
        }
        const pod = ctx.store.put(
          T.pods,
          podFromTemplate(
            rs.spec?.template,
            ns,
            podName,
            rs,
            {},
            ctx.stampIso(),
          ),
          ctx.stampIso,
        );
        mine.push(pod);
        ctx.events.record(
          rs,
          'SuccessfulCreate',
          `Created pod: ${podName}`,
          'Normal',
          'replicaset-controller',
          ctx.stamp,
        );
      }
    } else if (mine.length > desired) {
      // Unscheduled first, then not ready, then newest: what the real controller deletes first.
      const order = [...mine].sort((a, b) => {
        const rank = (p: KubernetesObject) =>
          (p.spec?.nodeName ? 1 : 0) + (isPodReady(p) ? 2 : 0);
        return (
          rank(a) - rank(b) ||
          ms(b.metadata?.creationTimestamp) - ms(a.metadata?.creationTimestamp)
        );
      });
      for (const pod of order.slice(0, mine.length - desired)) {
        ctx.deleteWithDependents(T.pods, ns, pod.metadata!.name!);
        ctx.events.record(
          rs,
          'SuccessfulDelete',
          `Deleted pod: ${pod.metadata!.name}`,
          'Normal',
          'replicaset-controller',
          ctx.stamp,
        );
        mine.splice(mine.indexOf(pod), 1);
      }
    }
    const ready = mine.filter(isPodReady).length;
    ctx.store.put(
      T.replicasets,
      {
        ...rs,
        status: {
          replicas: mine.length,
          fullyLabeledReplicas: mine.length,
          readyReplicas: ready,
          availableReplicas: ready,
          observedGeneration: rs.metadata?.generation ?? 1,
        },
      },
      ctx.stampIso,
    );
  }
}

/** Deployment `.status` from its ReplicaSets (run after the ReplicaSets are reconciled). */
export function updateDeploymentStatus(ctx: ControllerContext): void {
  const allRs = ctx.store.list(T.replicasets);
  const at = new Date(ctx.stamp).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const d of ctx.store.list(T.deployments)) {
    const ns = d.metadata!.namespace!;
    const replicas: number = d.spec?.replicas ?? 1;
    const hash = templateHash(d.spec?.template ?? {});
    const owned = allRs.filter(
      rs => rs.metadata?.namespace === ns && isOwnedBy(rs, d),
    );
    const newRs = owned.find(
      rs => rs.metadata?.labels?.['pod-template-hash'] === hash,
    );
    const sum = (f: (rs: KubernetesObject) => number) =>
      owned.reduce((s, rs) => s + f(rs), 0);
    const total = sum(rs => rs.status?.replicas ?? 0);
    const ready = sum(rs => rs.status?.readyReplicas ?? 0);
    const available = sum(rs => rs.status?.availableReplicas ?? 0);
    const updated = newRs?.status?.replicas ?? 0;
    const updatedAvailable = newRs?.status?.availableReplicas ?? 0;
    const maxUnavailable = resolvePercent(
      d.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%',
      replicas,
      false,
    );
    const minAvailable =
      d.spec?.strategy?.type === 'Recreate'
        ? replicas
        : replicas - maxUnavailable;
    const rsName = newRs?.metadata?.name ?? `${d.metadata!.name}-${hash}`;
    const complete =
      updated === replicas &&
      updatedAvailable === replicas &&
      total === replicas;
    const prev: any[] = d.status?.conditions ?? [];
    const available_ = condition(
      prev,
      'Available',
      available >= minAvailable,
      available >= minAvailable
        ? 'MinimumReplicasAvailable'
        : 'MinimumReplicasUnavailable',
      available >= minAvailable
        ? 'Deployment has minimum availability.'
        : 'Deployment does not have minimum availability.',
      at,
      true,
    );
    let progressing: Record<string, unknown>;
    if (complete) {
      progressing = condition(
        prev,
        'Progressing',
        true,
        'NewReplicaSetAvailable',
        `ReplicaSet "${rsName}" has successfully progressed.`,
        at,
        true,
      );
    } else {
      const old = prev.find(c => c.type === 'Progressing');
      const deadline = (d.spec?.progressDeadlineSeconds ?? 600) * 1000;
      const progressed =
        (d.status?.updatedReplicas ?? 0) !== updated ||
        (d.status?.readyReplicas ?? 0) !== ready ||
        d.status?.observedGeneration !== d.metadata?.generation;
      if (!old || old.reason === 'NewReplicaSetAvailable' || progressed) {
        progressing = {
          type: 'Progressing',
          status: 'True',
          lastUpdateTime: at,
          lastTransitionTime:
            old && old.status === 'True' ? old.lastTransitionTime : at,
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        };
      } else if (
        old.reason === 'ReplicaSetUpdated' &&
        ctx.now - ms(old.lastUpdateTime) > deadline
      ) {
        // No progress within progressDeadlineSeconds: what `kubectl rollout status` fails on.
        const when = new Date(ms(old.lastUpdateTime) + deadline)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
        progressing = {
          type: 'Progressing',
          status: 'False',
          lastUpdateTime: when,
          lastTransitionTime: when,
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        };
      } else {
        progressing = old;
      }
    }
    const status: Record<string, unknown> = {
      observedGeneration: d.metadata?.generation ?? 1,
      replicas: total,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      ...(replicas - available > 0
        ? { unavailableReplicas: replicas - available }
        : {}),
      conditions: [available_, progressing],
    };
    for (const k of [
      'readyReplicas',
      'availableReplicas',
      'updatedReplicas',
      'replicas',
    ] as const) {
      if (status[k] === 0) delete status[k];
    }
    ctx.store.put(T.deployments, { ...d, status }, ctx.stampIso);
  }
}

/** Resolves an int-or-percent against `total` (rounding up for surge, down for unavailable). */
export function resolvePercent(
  value: number | string,
  total: number,
  roundUp: boolean,
): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value);
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}
