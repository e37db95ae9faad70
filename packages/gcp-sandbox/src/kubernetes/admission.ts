/**
 * What the API server does to an object between decoding and storing it: defaulting (the
 * fields a real cluster fills in, e.g. a Deployment's strategy, a Service's clusterIP) and
 * validation (the 422 Invalid errors a real cluster returns for the mistakes manifests make).
 * Defaulting is idempotent so that re-applying a manifest is a no-op.
 */
import { ResourceType } from './discovery';
import { KubeError, invalid } from './errors';
import { deepEqual, fnv32a } from './json';
import { ObjectStore } from './ObjectStore';
import { isQuantity, memoryBytes } from './quantity';
import { matchesSelector } from './selectors';
import { KubernetesObject } from './types';
import { RESOURCE_TYPES } from './discovery';

const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const storageClassType = RESOURCE_TYPES.find(
  r => r.plural === 'storageclasses',
)!;
const namespaceType = RESOURCE_TYPES.find(r => r.plural === 'namespaces')!;
const serviceType = RESOURCE_TYPES.find(r => r.plural === 'services')!;

/** Kinds whose `spec.template` is a pod template with a selector. */
const WORKLOADS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
]);

/** Defaults and validates objects on their way into the store. */
export class Admission {
  constructor(private readonly store: ObjectStore) {}

  /**
   * Validates `obj` (the complete object about to be stored) against `old` (the stored one, if
   * any). Throws KubeError 422/404.
   */
  validate(
    type: ResourceType,
    obj: KubernetesObject,
    old: KubernetesObject | undefined,
  ): void {
    const name = obj.metadata?.name ?? '';
    const causes: Array<{ field: string; message: string; reason?: string }> =
      [];
    const nameRule =
      type.kind === 'Namespace' || type.kind === 'Service'
        ? DNS1123_LABEL
        : DNS1123_SUBDOMAIN;
    if (!name) {
      causes.push({
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
        reason: 'FieldValueRequired',
      });
    } else if (
      !nameRule.test(name) ||
      name.length > (nameRule === DNS1123_LABEL ? 63 : 253)
    ) {
      causes.push({
        field: 'metadata.name',
        message:
          nameRule === DNS1123_LABEL
            ? `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`
            : `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      });
    }
    if (type.namespaced && !old) {
      const ns = obj.metadata?.namespace;
      const nsObj = ns
        ? this.store.get(namespaceType, undefined, ns)
        : undefined;
      if (!nsObj)
        throw new KubeError(404, 'NotFound', `namespaces "${ns}" not found`, {
          name: ns,
          kind: 'namespaces',
        });
      if (nsObj.status?.phase === 'Terminating') {
        throw new KubeError(
          403,
          'Forbidden',
          `${type.plural} "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`,
        );
      }
    }
    if (WORKLOADS.has(type.kind)) this.validateWorkload(obj, old, causes);
    if (type.kind === 'Pod') this.validatePodSpec(obj.spec, 'spec', causes);
    if (
      type.kind === 'PersistentVolumeClaim' &&
      !obj.spec?.resources?.requests?.storage
    ) {
      causes.push({
        field: 'spec.resources[storage]',
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
    if (type.kind === 'PersistentVolumeClaim' && old) {
      // Volumes only grow (ValidatePersistentVolumeClaimUpdate; message as kubectl prints it, e.g.
      // https://learn.microsoft.com/azure/aks/azure-csi-disk-storage-provision#resize-a-persistent-volume-without-downtime).
      const before = memoryBytes(old.spec?.resources?.requests?.storage);
      const after = memoryBytes(obj.spec?.resources?.requests?.storage);
      if (after > 0 && after < before) {
        causes.push({
          field: 'spec.resources.requests.storage',
          message: 'Forbidden: field can not be less than previous value',
          reason: 'FieldValueForbidden',
        });
      }
    }
    if (
      type.kind === 'Service' &&
      obj.spec?.clusterIP !== 'None' &&
      obj.spec?.type !== 'ExternalName' &&
      !(obj.spec?.ports?.length > 0)
    ) {
      causes.push({
        field: 'spec.ports',
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
    if (causes.length > 0) throw invalid(type.kind, type.group, name, causes);
  }

  private validateWorkload(
    obj: KubernetesObject,
    old: KubernetesObject | undefined,
    causes: Array<{ field: string; message: string; reason?: string }>,
  ): void {
    const selector = obj.spec?.selector;
    const labels = obj.spec?.template?.metadata?.labels;
    if (!selector) {
      causes.push({
        field: 'spec.selector',
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    } else if (!matchesSelector(labels, selector)) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${JSON.stringify(labels ?? {})}: \`selector\` does not match template \`labels\``,
      });
    }
    if (old && old.spec?.selector && !deepEqual(old.spec.selector, selector)) {
      causes.push({
        field: 'spec.selector',
        message: `Invalid value: ${JSON.stringify(selector)}: field is immutable`,
      });
    }
    if (
      obj.kind === 'StatefulSet' &&
      old &&
      !deepEqual(
        old.spec?.volumeClaimTemplates ?? [],
        obj.spec?.volumeClaimTemplates ?? [],
      )
    ) {
      causes.push({
        field: 'spec',
        message:
          "Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        reason: 'FieldValueForbidden',
      });
    }
    this.validatePodSpec(
      obj.spec?.template?.spec,
      'spec.template.spec',
      causes,
    );
  }

  private validatePodSpec(
    spec: any,
    field: string,
    causes: Array<{ field: string; message: string; reason?: string }>,
  ): void {
    const containers: any[] = spec?.containers ?? [];
    if (containers.length === 0) {
      causes.push({
        field: `${field}.containers`,
        message: 'Required value',
        reason: 'FieldValueRequired',
      });
    }
    for (const [list, items] of [
      ['initContainers', spec?.initContainers ?? []],
      ['containers', containers],
    ] as const) {
      (items as any[]).forEach((c, i) => {
        const at = `${field}.${list}[${i}]`;
        if (!c?.name)
          causes.push({
            field: `${at}.name`,
            message: 'Required value',
            reason: 'FieldValueRequired',
          });
        if (!c?.image)
          causes.push({
            field: `${at}.image`,
            message: 'Required value',
            reason: 'FieldValueRequired',
          });
        for (const kind of ['requests', 'limits'] as const) {
          for (const [res, q] of Object.entries(c?.resources?.[kind] ?? {})) {
            if (!isQuantity(q)) {
              causes.push({
                field: `${at}.resources.${kind}[${res}]`,
                message: `Invalid value: "${q}": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
              });
            }
          }
        }
      });
    }
  }

  /** Fills in the fields the API server defaults. Mutates and returns `obj`. */
  default(
    type: ResourceType,
    obj: KubernetesObject,
    old: KubernetesObject | undefined,
  ): KubernetesObject {
    const spec = (obj.spec ??= {});
    switch (type.kind) {
      case 'Namespace':
        obj.metadata = {
          ...obj.metadata,
          labels: {
            ...obj.metadata?.labels,
            'kubernetes.io/metadata.name': obj.metadata!.name!,
          },
        };
        spec.finalizers ??= ['kubernetes'];
        obj.status ??= { phase: 'Active' };
        break;
      case 'Deployment':
        spec.replicas ??= 1;
        spec.strategy ??= { type: 'RollingUpdate' };
        if (spec.strategy.type === 'RollingUpdate') {
          spec.strategy.rollingUpdate = {
            maxSurge: '25%',
            maxUnavailable: '25%',
            ...spec.strategy.rollingUpdate,
          };
        }
        spec.revisionHistoryLimit ??= 10;
        spec.progressDeadlineSeconds ??= 600;
        break;
      case 'StatefulSet':
        spec.replicas ??= 1;
        spec.podManagementPolicy ??= 'OrderedReady';
        spec.updateStrategy ??= {
          type: 'RollingUpdate',
          rollingUpdate: { partition: 0 },
        };
        spec.revisionHistoryLimit ??= 10;
        spec.persistentVolumeClaimRetentionPolicy ??= {
          whenDeleted: 'Retain',
          whenScaled: 'Retain',
        };
        break;
      case 'DaemonSet':
        spec.updateStrategy ??= {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
        };
        spec.revisionHistoryLimit ??= 10;
        break;
      case 'Service':
        this.defaultService(obj, old);
        break;
      case 'Secret': {
        obj.type ??= 'Opaque';
        if (obj.stringData) {
          obj.data = { ...obj.data };
          for (const [k, v] of Object.entries(obj.stringData)) {
            obj.data[k] = Buffer.from(String(v), 'utf8').toString('base64');
          }
          delete obj.stringData;
        }
        delete obj.spec;
        break;
      }
      case 'PersistentVolumeClaim': {
        if (spec.storageClassName === undefined) {
          const def = this.store
            .peek(storageClassType)
            .find(
              sc =>
                sc.metadata?.annotations?.[
                  'storageclass.kubernetes.io/is-default-class'
                ] === 'true',
            );
          if (def) spec.storageClassName = def.metadata!.name;
        }
        spec.volumeMode ??= 'Filesystem';
        obj.status ??= { phase: 'Pending' };
        break;
      }
      case 'PriorityClass':
        // kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/#priorityclass
        obj.globalDefault ??= false;
        obj.preemptionPolicy ??= 'PreemptLowerPriority';
        delete obj.spec;
        break;
      case 'StorageClass':
        obj.reclaimPolicy ??= 'Delete';
        obj.volumeBindingMode ??= 'Immediate';
        delete obj.spec;
        break;
      default:
        break;
    }
    // Kinds without a spec do not grow an empty one.
    if (
      obj.spec &&
      Object.keys(obj.spec).length === 0 &&
      ![
        'Namespace',
        'Deployment',
        'StatefulSet',
        'DaemonSet',
        'Service',
        'PersistentVolumeClaim',
        'Pod',
      ].includes(type.kind)
    ) {
      delete obj.spec;
    }
    return obj;
  }

  private defaultService(
    obj: KubernetesObject,
    old: KubernetesObject | undefined,
  ): void {
    const spec = obj.spec;
    spec.type ??= 'ClusterIP';
    spec.sessionAffinity ??= 'None';
    spec.internalTrafficPolicy ??= 'Cluster';
    if (spec.type === 'ExternalName') return;
    if (spec.clusterIP === undefined || spec.clusterIP === '') {
      spec.clusterIP =
        old?.spec?.clusterIP ??
        this.allocateClusterIp(
          `${obj.metadata?.namespace}/${obj.metadata?.name}`,
        );
    }
    spec.clusterIPs = [spec.clusterIP];
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
    const needsNodePort =
      spec.type === 'NodePort' || spec.type === 'LoadBalancer';
    if (needsNodePort) spec.externalTrafficPolicy ??= 'Cluster';
    spec.ports = (spec.ports ?? []).map((p: any) => {
      const port = { protocol: 'TCP', targetPort: p.port, ...p };
      if (needsNodePort && !port.nodePort) {
        const previous = (old?.spec?.ports ?? []).find(
          (o: any) =>
            o.port === port.port && (o.protocol ?? 'TCP') === port.protocol,
        );
        port.nodePort =
          previous?.nodePort ??
          this.allocateNodePort(
            `${obj.metadata?.namespace}/${obj.metadata?.name}/${port.port}`,
          );
      }
      return port;
    });
  }

  /** A free cluster IP in 10.8.0.0/20 (GKE's default services range shape), stable per name. */
  private allocateClusterIp(seed: string): string {
    const used = new Set(
      this.store.peek(serviceType).map(s => s.spec?.clusterIP),
    );
    let n = fnv32a(seed) % 4000;
    for (;;) {
      const ip = `10.8.${Math.floor((n + 10) / 250) % 16}.${((n + 10) % 250) + 2}`;
      if (!used.has(ip)) return ip;
      n += 1;
    }
  }

  private allocateNodePort(seed: string): number {
    const used = new Set(
      this.store
        .peek(serviceType)
        .flatMap(s => (s.spec?.ports ?? []).map((p: any) => p.nodePort)),
    );
    let n = fnv32a(seed) % 2768;
    while (used.has(30000 + n)) n = (n + 1) % 2768;
    return 30000 + n;
  }
}
