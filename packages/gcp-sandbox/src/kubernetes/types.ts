/**
 * Plain Kubernetes object shapes as the emulated API server stores and returns them. The
 * server keeps objects as JSON (not typed client models) so that any kind round-trips exactly.
 */

/**
 * Object metadata (the subset the sandbox reads; everything else is kept as given).
 *
 * @public
 */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
  [key: string]: unknown;
}

/**
 * A pointer from a dependent object to the object that owns it.
 *
 * @public
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/**
 * One field manager's claim on an object's fields (server-side apply bookkeeping).
 *
 * @public
 */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/**
 * Any Kubernetes object.
 *
 * @public
 */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: any;
}

/**
 * One node of a sandbox cluster, as the Google Cloud half of the sandbox sees it (a VM of a
 * node pool). The Kubernetes API server turns each into a `Node` object and schedules pods on it.
 *
 * @public
 */
export interface SandboxNode {
  /** Node (and VM) name, e.g. `gke-codemie-gke-main-1a2b3c4d-x7k2`. */
  name: string;
  /** Node pool name; becomes label `cloud.google.com/gke-nodepool`. */
  nodePool: string;
  /** Zone, e.g. `europe-west3-a`; becomes label `topology.kubernetes.io/zone`. */
  zone: string;
  /** Machine type, e.g. `e2-standard-8`; becomes label `node.kubernetes.io/instance-type`. */
  machineType: string;
  /** Cores of the machine type. */
  vcpu: number;
  /** Memory of the machine type in GiB. */
  memoryGiB: number;
  /** Maximum pods the kubelet accepts (GKE Standard default 110). */
  maxPods: number;
}
