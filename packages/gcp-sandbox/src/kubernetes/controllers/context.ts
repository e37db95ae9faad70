/**
 * What every simulated controller gets: the store, the event recorder, the two clocks (the
 * time to evaluate state at, and the timestamp to stamp new objects with — earlier than now
 * while seeding), and helpers for owner references and pod templates.
 */
import { RESOURCE_TYPES, ResourceType } from '../discovery';
import { EventRecorder } from '../events';
import { clone, fnv32a } from '../json';
import { ObjectStore } from '../ObjectStore';
import { KubernetesObject, OwnerReference } from '../types';

/** Resource types controllers touch, by plural. */
export const T = Object.fromEntries(
  RESOURCE_TYPES.filter(r => !r.virtual).map(r => [r.plural, r]),
) as Record<string, ResourceType>;

/** Shared state handed to each controller on each reconcile pass. */
export interface ControllerContext {
  store: ObjectStore;
  events: EventRecorder;
  /** Simulated now, epoch ms: the moment state is evaluated at. */
  now: number;
  /** Timestamp for objects and actions created now (epoch ms); earlier than `now` while seeding. */
  stamp: number;
  /** `stamp` as RFC 3339. */
  stampIso: () => string;
  /** Per-server memory of when a controller first saw something (key → epoch ms). */
  firstSeen: Map<string, number>;
  /** Deletes an object and its dependents. */
  deleteWithDependents: (
    type: ResourceType,
    namespace: string | undefined,
    name: string,
  ) => void;
}

/** The safe-encoding alphabet Kubernetes uses for generated name suffixes and hashes. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function encode(n: number, length: number): string {
  let out = '';
  let v = n >>> 0;
  for (let i = 0; i < length; i++) {
    out += ALPHABET[v % ALPHABET.length];
    v = Math.floor(v / ALPHABET.length) || fnv32a(`${out}/${i}`);
  }
  return out;
}

/** JSON with every object's keys sorted: the same value always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map(k => [k, v[k]]),
        )
      : v,
  );
}

/**
 * A pod-template hash, as `pod-template-hash` / `controller-revision-hash`: a function of the
 * template's content only, never of the order its fields were written in — Kubernetes hashes the
 * template with its map keys sorted (`controller.ComputeHash` → `hashutil.DeepHashObject`,
 * https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/controller_utils.go), so
 * re-applying the same template by another field manager starts no rollout.
 */
export function templateHash(template: unknown): string {
  const text = canonicalJson(template ?? {});
  return encode(fnv32a(text), 5) + encode(fnv32a(`${text}#`), 5);
}

/** A 5-character name suffix, deterministic from `seed`. */
export function nameSuffix(seed: string): string {
  return encode(fnv32a(seed), 5);
}

/** The owner reference a controller puts on what it creates. */
export function ownerRef(owner: KubernetesObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion!,
    kind: owner.kind!,
    name: owner.metadata!.name!,
    uid: owner.metadata!.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True if `owner` is the controller of `obj`. */
export function isOwnedBy(
  obj: KubernetesObject,
  owner: KubernetesObject,
): boolean {
  return !!obj.metadata?.ownerReferences?.some(
    r => r.controller && r.uid === owner.metadata?.uid,
  );
}

/** True if the pod's Ready condition is True. */
export function isPodReady(pod: KubernetesObject): boolean {
  return !!pod.status?.conditions?.some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

/** When the pod became Ready (epoch ms), if it is. */
export function podReadySince(pod: KubernetesObject): number | undefined {
  const c = pod.status?.conditions?.find(
    (x: any) => x.type === 'Ready' && x.status === 'True',
  );
  return c ? Date.parse(c.lastTransitionTime) : undefined;
}

/** A pod object from a workload's template, as the controller would create it. */
export function podFromTemplate(
  template: any,
  namespace: string,
  name: string,
  owner: KubernetesObject,
  extraLabels: Record<string, string>,
  createdAt: string,
): KubernetesObject {
  const spec = clone(template?.spec ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      creationTimestamp: createdAt,
      labels: { ...(template?.metadata?.labels ?? {}), ...extraLabels },
      ...(template?.metadata?.annotations
        ? { annotations: clone(template.metadata.annotations) }
        : {}),
      ownerReferences: [ownerRef(owner)],
    },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      schedulerName: 'default-scheduler',
      serviceAccountName: spec.serviceAccountName ?? 'default',
      serviceAccount: spec.serviceAccountName ?? 'default',
      securityContext: {},
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      tolerations: [
        {
          key: 'node.kubernetes.io/not-ready',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
        {
          key: 'node.kubernetes.io/unreachable',
          operator: 'Exists',
          effect: 'NoExecute',
          tolerationSeconds: 300,
        },
      ],
      ...spec,
    },
    status: { phase: 'Pending' },
  };
}

/** A condition that keeps its lastTransitionTime while its status does not change. */
export function condition(
  previous: any[] | undefined,
  type: string,
  status: boolean,
  reason: string,
  message: string,
  at: string,
  withUpdateTime = false,
): Record<string, unknown> {
  const old = previous?.find(c => c.type === type);
  const value = status ? 'True' : 'False';
  const same = old && old.status === value;
  const sameReason = same && old.reason === reason && old.message === message;
  return {
    type,
    status: value,
    ...(withUpdateTime
      ? { lastUpdateTime: sameReason ? old.lastUpdateTime : at }
      : {}),
    lastTransitionTime: same ? old.lastTransitionTime : at,
    reason,
    message,
  };
}

/** Milliseconds from an RFC 3339 timestamp. */
export function ms(timestamp: string | undefined): number {
  return timestamp ? Date.parse(timestamp) : 0;
}
