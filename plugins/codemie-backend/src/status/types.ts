/**
 * What the status is built from: the environment as its catalog entity describes it, and what
 * the GKE API, the cluster and Cloud SQL said. The I/O side (ClusterReader, StatusService)
 * fills these in; the pure side (buildEnvironmentStatus) turns them into the response.
 */
import type {
  V1DaemonSet,
  V1Deployment,
  CoreV1Event as V1Event,
  V1Node,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import type {
  DatabaseStatus,
  TierSizing,
} from '@codemie-gcp/plugin-codemie-common';

/** A CodeMie environment: from its record, or (allow-listed projects) its entity's annotations. @internal */
export interface EnvironmentDescriptor {
  /** `resource:<namespace>/<name>` */
  entityRef: string;
  name: string;
  projectId: string;
  option: 'public' | 'private';
  /** Preset name, or `custom` when the sizing annotation carries the inputs. */
  tier: string;
  sizing: TierSizing;
  /** Google Cloud region (from the annotation, else from the cluster's location). */
  region: string;
  domain?: string;
  /** `projects/<p>/locations/<l>/clusters/<c>` */
  cluster: string;
  clusterLocation: string;
  clusterShortName: string;
  /** `<project>:<region>:<instance>` */
  cloudSqlInstance?: string;
  /** Value of the `backstage.io/kubernetes-id` label on the environment's objects. */
  kubernetesId: string;
  /** Where the environment is in its life: only for environments this portal recorded. */
  lifecycle?: EnvironmentLifecycleFacts;
}

/** The record's lifecycle, as the status needs it. @internal */
export interface EnvironmentLifecycleFacts {
  state: string;
  /** When the state was entered, ISO 8601. */
  since: string;
  lastError?: string;
  taskId?: string;
  /** False while there is no cluster to read (planned, provisioning, being destroyed). */
  clusterReadable: boolean;
  /** A destroy Google held up: when a re-run finishes it (ISO 8601). */
  retryAfter?: string;
  /** The last finished resize: when, and the components whose size it changed. */
  resized?: { at: number; components: string[] };
}

/** A node pool as the GKE API describes it. @internal */
export interface NodePoolInfo {
  name: string;
  machineType?: string;
  /** Totals over the pool's zones (GKE's autoscaling counts are per zone). */
  minNodes?: number;
  maxNodes?: number;
  autoscaling: boolean;
  /** Nodes the pool was created with, in total. */
  initialNodes?: number;
}

/** The cluster as the GKE API describes it. @internal */
export interface GkeClusterInfo {
  name: string;
  location: string;
  status: string;
  version?: string;
  /** Zones of the cluster's nodes. */
  locations: string[];
  nodePools: NodePoolInfo[];
  /** A private cluster whose DNS endpoint takes external traffic (else reached from the VPC). */
  dnsEndpointExternal?: boolean;
}

/** One pod's live usage from metrics.k8s.io. @internal */
export interface PodMetric {
  namespace: string;
  name: string;
  containers: Array<{ name: string; usage: { cpu?: string; memory?: string } }>;
}

/** Used and capacity bytes of one PVC, from the kubelets' stats/summary. @internal */
export interface VolumeUsage {
  usedBytes: number;
  capacityBytes: number;
}

/**
 * Everything read from the cluster for one environment: one list per kind, selected by the
 * environment's label where the kind carries it.
 *
 * @internal
 */
export interface ClusterSnapshot {
  pods: V1Pod[];
  deployments: V1Deployment[];
  statefulSets: V1StatefulSet[];
  daemonSets: V1DaemonSet[];
  persistentVolumeClaims: V1PersistentVolumeClaim[];
  /** Warning events of the cluster (the builder keeps those about the environment's pods). */
  events: V1Event[];
  nodes: V1Node[];
  /** The environment's Services (the ingress load balancer's address is on its Service). */
  services?: V1Service[];
  /** Undefined when metrics.k8s.io did not answer. */
  podMetrics?: PodMetric[];
  /** By `<namespace>/<claim>`; undefined when no kubelet reported volume stats. */
  volumeUsage?: Record<string, VolumeUsage>;
}

/** The Cloud SQL instance, or why it could not be read. @internal */
export type DatabaseRead =
  | { ok: true; status: DatabaseStatus }
  | { ok: false; instance: string; error: string };

/**
 * The A records of the environment's hosts in its Cloud DNS zone (by host name without the
 * trailing dot), or why they could not be read. @internal
 */
export type DnsRead =
  | { ok: true; zone: string; records: Record<string, string[]> }
  | { ok: false; reason: string };
