/**
 * PersistentVolumeClaims and PersistentVolumes as GKE's PD CSI driver handles them. A claim of
 * a `WaitForFirstConsumer` class (GKE's default `standard-rwo`) binds when its first pod is
 * scheduled, in that node's zone; an `Immediate` class binds at once. A bound volume pins its
 * pods to its zone (a real and easily forgotten constraint of zonal persistent disks). A claim
 * naming a StorageClass that does not exist stays Pending with a ProvisioningFailed event.
 */
import { memoryBytes } from '../quantity';
import { VolumeConstraints } from '../scheduler';
import { KubernetesObject } from '../types';
import { ControllerContext, T } from './context';

const DRIVER = 'pd.csi.storage.gke.io';

/** The StorageClasses a new GKE cluster has. */
export function gkeStorageClasses(): KubernetesObject[] {
  const sc = (
    name: string,
    type: string,
    mode: string,
    isDefault: boolean,
  ): KubernetesObject => ({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: {
      name,
      labels: { 'addonmanager.kubernetes.io/mode': 'EnsureExists' },
      ...(isDefault
        ? {
            annotations: {
              'storageclass.kubernetes.io/is-default-class': 'true',
            },
          }
        : {}),
    },
    provisioner: name === 'standard' ? 'kubernetes.io/gce-pd' : DRIVER,
    parameters: { type },
    reclaimPolicy: 'Delete',
    volumeBindingMode: mode,
    allowVolumeExpansion: true,
  });
  return [
    sc('premium-rwo', 'pd-ssd', 'WaitForFirstConsumer', false),
    sc('standard', 'pd-standard', 'Immediate', false),
    sc('standard-rwo', 'pd-balanced', 'WaitForFirstConsumer', true),
  ];
}

function storageClass(
  ctx: ControllerContext,
  pvc: KubernetesObject,
): KubernetesObject | undefined {
  const name = pvc.spec?.storageClassName;
  return name ? ctx.store.get(T.storageclasses, undefined, name) : undefined;
}

/** Binds a claim to a new volume in `zone` (and records the node that chose it). */
export function bindClaim(
  ctx: ControllerContext,
  pvc: KubernetesObject,
  zone: string,
  nodeName?: string,
): void {
  const sc = storageClass(ctx, pvc);
  const pvName = `pvc-${pvc.metadata!.uid}`;
  const storage = pvc.spec?.resources?.requests?.storage;
  const accessModes = pvc.spec?.accessModes ?? ['ReadWriteOnce'];
  ctx.store.put(
    T.persistentvolumes,
    {
      metadata: {
        name: pvName,
        annotations: {
          'pv.kubernetes.io/provisioned-by': DRIVER,
          'volume.kubernetes.io/provisioner-deletion-secret-name': '',
          'volume.kubernetes.io/provisioner-deletion-secret-namespace': '',
        },
        finalizers: [
          'external-provisioner.volume.kubernetes.io/finalizer',
          'kubernetes.io/pv-protection',
        ],
      },
      spec: {
        accessModes,
        capacity: { storage },
        claimRef: {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          name: pvc.metadata!.name,
          namespace: pvc.metadata!.namespace,
          uid: pvc.metadata!.uid,
          resourceVersion: pvc.metadata!.resourceVersion,
        },
        csi: {
          driver: DRIVER,
          fsType: 'ext4',
          volumeHandle: `projects/sandbox-project/zones/${zone}/disks/${pvName}`,
          volumeAttributes: {
            'storage.kubernetes.io/csiProvisionerIdentity': `1700000000000-1234-${DRIVER}`,
          },
        },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [
              {
                matchExpressions: [
                  {
                    key: 'topology.gke.io/zone',
                    operator: 'In',
                    values: [zone],
                  },
                ],
              },
            ],
          },
        },
        persistentVolumeReclaimPolicy: sc?.reclaimPolicy ?? 'Delete',
        storageClassName: pvc.spec?.storageClassName,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      },
      status: { phase: 'Bound' },
    },
    ctx.stampIso,
  );
  ctx.store.put(
    T.persistentvolumeclaims,
    {
      ...pvc,
      metadata: {
        ...pvc.metadata,
        annotations: {
          ...pvc.metadata?.annotations,
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
          'volume.beta.kubernetes.io/storage-provisioner': DRIVER,
          'volume.kubernetes.io/storage-provisioner': DRIVER,
          ...(nodeName
            ? { 'volume.kubernetes.io/selected-node': nodeName }
            : {}),
        },
        finalizers: ['kubernetes.io/pvc-protection'],
      },
      spec: { ...pvc.spec, volumeName: pvName },
      status: { phase: 'Bound', accessModes, capacity: { storage } },
    },
    ctx.stampIso,
  );
  ctx.events.record(
    pvc,
    'ProvisioningSucceeded',
    `Successfully provisioned volume ${pvName}`,
    'Normal',
    `${DRIVER}_sandbox-controller`,
    ctx.stamp,
  );
}

/**
 * Expands a bound claim whose request grew, as the CSI external-resizer and the kubelet do
 * (https://kubernetes.io/docs/concepts/storage/persistent-volumes/#expanding-persistent-volumes-claims,
 * https://kubernetes-csi.github.io/docs/volume-expansion.html): first the disk (the volume's
 * capacity; the claim's condition `FileSystemResizePending`), then, while a running pod mounts
 * it, the file system online — GKE's PD CSI driver expands in use
 * (https://cloud.google.com/kubernetes-engine/docs/how-to/persistent-volumes/volume-expansion) —
 * and only then the claim's `status.capacity`. One step per pass. A class without
 * `allowVolumeExpansion` leaves the claim as it is.
 */
function expandClaim(ctx: ControllerContext, pvc: KubernetesObject): void {
  const requested = pvc.spec?.resources?.requests?.storage;
  const want = memoryBytes(requested);
  if (want <= memoryBytes(pvc.status?.capacity?.storage)) return;
  if (storageClass(ctx, pvc)?.allowVolumeExpansion !== true) return;
  const pv = ctx.store.get(
    T.persistentvolumes,
    undefined,
    pvc.spec?.volumeName,
  );
  if (!pv) return;
  const pvName = pv.metadata!.name!;
  if (memoryBytes(pv.spec?.capacity?.storage) < want) {
    ctx.store.put(
      T.persistentvolumes,
      { ...pv, spec: { ...pv.spec, capacity: { storage: requested } } },
      ctx.stampIso,
    );
    ctx.store.put(
      T.persistentvolumeclaims,
      {
        ...pvc,
        status: {
          ...pvc.status,
          conditions: [
            {
              type: 'FileSystemResizePending',
              status: 'True',
              lastTransitionTime: ctx.stampIso(),
              message:
                'Waiting for user to (re-)start a pod to finish file system resize of volume on node.',
            },
          ],
        },
      },
      ctx.stampIso,
    );
    ctx.events.record(
      pvc,
      'Resizing',
      `External resizer is resizing volume ${pvName}`,
      'Normal',
      `external-resizer ${DRIVER}`,
      ctx.stamp,
    );
    return;
  }
  const consumer = ctx.store
    .list(T.pods)
    .find(
      pod =>
        pod.metadata?.namespace === pvc.metadata?.namespace &&
        pod.status?.phase === 'Running' &&
        (pod.spec?.volumes ?? []).some(
          (v: any) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name,
        ),
    );
  if (!consumer) return;
  const { conditions: _resizing, ...status } = pvc.status ?? {};
  ctx.store.put(
    T.persistentvolumeclaims,
    { ...pvc, status: { ...status, capacity: { storage: requested } } },
    ctx.stampIso,
  );
  ctx.events.record(
    pvc,
    'FileSystemResizeSuccessful',
    `MountVolume.NodeExpandVolume succeeded for volume "${pvName}" ${consumer.spec?.nodeName ?? ''}`.trim(),
    'Normal',
    'kubelet',
    ctx.stamp,
  );
}

/**
 * Binds Immediate claims, expands grown ones, reports missing classes, releases volumes of
 * deleted claims.
 */
export function reconcileVolumes(
  ctx: ControllerContext,
  anyZone: () => string | undefined,
): void {
  for (const pvc of ctx.store.list(T.persistentvolumeclaims)) {
    if (pvc.status?.phase === 'Bound') {
      expandClaim(ctx, pvc);
      continue;
    }
    const scName = pvc.spec?.storageClassName;
    const sc = storageClass(ctx, pvc);
    const key = `pvc/${pvc.metadata!.uid}`;
    if (!sc) {
      if (scName && ctx.firstSeen.get(key) !== 1) {
        ctx.firstSeen.set(key, 1);
        ctx.events.record(
          pvc,
          'ProvisioningFailed',
          `storageclass.storage.k8s.io "${scName}" not found`,
          'Warning',
          'persistentvolume-controller',
          ctx.stamp,
        );
      }
      continue;
    }
    if (sc.volumeBindingMode === 'WaitForFirstConsumer') {
      if (ctx.firstSeen.get(key) !== 2) {
        ctx.firstSeen.set(key, 2);
        ctx.events.record(
          pvc,
          'WaitForFirstConsumer',
          'waiting for first consumer to be created before binding',
          'Normal',
          'persistentvolume-controller',
          ctx.stamp,
        );
      }
      continue;
    }
    const zone = anyZone();
    if (zone) bindClaim(ctx, pvc, zone);
  }
  for (const pv of ctx.store.list(T.persistentvolumes)) {
    const ref = pv.spec?.claimRef;
    if (!ref) continue;
    const claim = ctx.store.get(
      T.persistentvolumeclaims,
      ref.namespace,
      ref.name,
    );
    if (claim && claim.metadata?.uid === ref.uid) continue;
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete')
      ctx.store.remove(T.persistentvolumes, undefined, pv.metadata!.name!);
    else
      ctx.store.put(
        T.persistentvolumes,
        { ...pv, status: { phase: 'Released' } },
        ctx.stampIso,
      );
  }
}

/** What a pod's claims demand of its node, for the scheduler. */
export function volumeConstraints(
  ctx: ControllerContext,
  pod: KubernetesObject,
): VolumeConstraints {
  const zones: string[][] = [];
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = ctx.store.get(
      T.persistentvolumeclaims,
      pod.metadata!.namespace,
      claimName,
    );
    if (!pvc)
      return { error: `persistentvolumeclaim "${claimName}" not found` };
    if (pvc.status?.phase === 'Bound') {
      const pv = ctx.store.get(
        T.persistentvolumes,
        undefined,
        pvc.spec?.volumeName,
      );
      const z =
        pv?.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]
          ?.matchExpressions?.[0]?.values;
      if (z) zones.push(z);
      continue;
    }
    const sc = storageClass(ctx, pvc);
    if (!sc || sc.volumeBindingMode !== 'WaitForFirstConsumer') {
      return { error: 'pod has unbound immediate PersistentVolumeClaims' };
    }
  }
  if (zones.length === 0) return {};
  return { zones: zones.reduce((a, b) => a.filter(z => b.includes(z))) };
}

/** Binds the pod's waiting claims in the zone of the node it was scheduled to. */
export function bindForPod(
  ctx: ControllerContext,
  pod: KubernetesObject,
  nodeName: string,
  zone: string,
): void {
  for (const v of pod.spec?.volumes ?? []) {
    const claimName = v.persistentVolumeClaim?.claimName;
    if (!claimName) continue;
    const pvc = ctx.store.get(
      T.persistentvolumeclaims,
      pod.metadata!.namespace,
      claimName,
    );
    if (pvc && pvc.status?.phase !== 'Bound')
      bindClaim(ctx, pvc, zone, nodeName);
  }
}
