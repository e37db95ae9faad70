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
  /** The object's name. */
  name?: string;
  /** Prefix the server completes to a unique name when `name` is absent. */
  generateName?: string;
  /** The object's namespace; absent for cluster-scoped objects. */
  namespace?: string;
  /** Unique id the server assigns. */
  uid?: string;
  /** The version the server assigns on every write (optimistic concurrency). */
  resourceVersion?: string;
  /** Increments when the spec changes. */
  generation?: number;
  /** When the object was created, RFC 3339. */
  creationTimestamp?: string;
  /** When deletion was requested, RFC 3339. */
  deletionTimestamp?: string;
  /** Labels. */
  labels?: Record<string, string>;
  /** Annotations. */
  annotations?: Record<string, string>;
  /** The objects that own this one (garbage collection). */
  ownerReferences?: OwnerReference[];
  /** Which manager owns which fields (server-side apply). */
  managedFields?: ManagedFieldsEntry[];
  /** Other metadata fields. */
  [key: string]: unknown;
}

/**
 * A pointer from a dependent object to the object that owns it.
 *
 * @public
 */
export interface OwnerReference {
  /** The owner's API version. */
  apiVersion: string;
  /** The owner's kind. */
  kind: string;
  /** The owner's name. */
  name: string;
  /** The owner's uid. */
  uid: string;
  /** True when the owner is the managing controller. */
  controller?: boolean;
  /** True when the owner cannot be deleted before this object (foreground deletion). */
  blockOwnerDeletion?: boolean;
}

/**
 * One field manager's claim on an object's fields (server-side apply bookkeeping).
 *
 * @public
 */
export interface ManagedFieldsEntry {
  /** The field manager's name. */
  manager: string;
  /** Whether the fields were set by an apply or an update. */
  operation: 'Apply' | 'Update';
  /** The API version of the fields. */
  apiVersion: string;
  /** When the fields were last set, RFC 3339. */
  time: string;
  /** The format of `fieldsV1`. */
  fieldsType: 'FieldsV1';
  /** The set of fields the manager owns. */
  fieldsV1: Record<string, unknown>;
  /** The subresource written (e.g. `status`), when not the main resource. */
  subresource?: string;
}

/**
 * Any Kubernetes object.
 *
 * @public
 */
export interface KubernetesObject {
  /** The object's API version. */
  apiVersion?: string;
  /** The object's kind. */
  kind?: string;
  /** The object's metadata. */
  metadata?: ObjectMeta;
  /** The kind's other fields (spec, status, data, …). */
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
