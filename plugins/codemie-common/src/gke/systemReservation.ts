/**
 * What every node gives away before CodeMie's own pods are placed: GKE's kube-system pods and
 * the environment's DaemonSets. The node-pool planner subtracts it from each node's allocatable
 * ({@link gkeNodeAllocatable}); the GCP sandbox's scheduler uses the same figures, so a plan
 * that fits on paper also schedules there.
 */
import { Resources } from './allocatable';

/**
 * Requests (and pod count) taken on each node.
 *
 * @public
 */
export interface NodeReservation extends Resources {
  /** Pods counted against the node's max-pods limit. */
  pods: number;
}

/**
 * One GKE system pod counted in {@link GKE_SYSTEM_PODS_PER_NODE}.
 *
 * @public
 */
export interface GkeSystemPod {
  /** The pod's name (its DaemonSet or Deployment). */
  name: string;
  /** Its CPU and memory requests. */
  requests: Resources;
  /** Where the figures come from. */
  source: string;
}

const DUMP =
  "CPU: `kubectl get daemonsets -A` dump of a GKE Standard cluster's container requests (public)";
const MEMORY_ESTIMATE = 'memory: estimate, rounded up';

/**
 * GKE's per-node system pods on a Standard cluster with Dataplane V2, Workload Identity,
 * Cloud Logging/Monitoring and the PD CSI driver (what gcp-facts.md's well-configured cluster
 * enables), plus a per-node share of GKE's cluster add-ons (kube-dns, konnectivity-agent,
 * metrics-server, event-exporter), which scale with the node count and land on some node.
 * CPU figures are GKE's own requests; memory figures are estimates (not published).
 *
 * @public
 */
export const GKE_SYSTEM_PODS: readonly GkeSystemPod[] = [
  // Dataplane V2's agent; replaces kube-proxy (100m), so it also covers clusters without it.
  {
    name: 'anetd',
    requests: { cpuMillis: 205, memoryMiB: 200 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'fluentbit-gke',
    requests: { cpuMillis: 105, memoryMiB: 200 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'gke-metadata-server',
    requests: { cpuMillis: 100, memoryMiB: 100 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'gke-metrics-agent',
    requests: { cpuMillis: 19, memoryMiB: 60 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'pdcsi-node',
    requests: { cpuMillis: 10, memoryMiB: 20 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'netd',
    requests: { cpuMillis: 8, memoryMiB: 30 },
    source: `${DUMP}; ${MEMORY_ESTIMATE}`,
  },
  {
    name: 'cluster add-ons, per-node share',
    requests: { cpuMillis: 153, memoryMiB: 190 },
    source:
      'kube-dns (about 260m / 110Mi per replica, scaled with nodes), konnectivity-agent, metrics-server, ' +
      "event-exporter: estimate of one node's share, rounded so the total is 600m / 800Mi",
  },
];

/**
 * The sum of {@link GKE_SYSTEM_PODS}: 600m CPU, 800Mi memory, and 8 pod slots (the 6 DaemonSet pods
 * plus 2 for the add-on pods a node may host) on every node.
 *
 * @public
 */
export const GKE_SYSTEM_PODS_PER_NODE: NodeReservation = {
  cpuMillis: GKE_SYSTEM_PODS.reduce((sum, p) => sum + p.requests.cpuMillis, 0),
  memoryMiB: GKE_SYSTEM_PODS.reduce((sum, p) => sum + p.requests.memoryMiB, 0),
  pods: 8,
};

/**
 * The per-node system reservation: GKE's kube-system pods ({@link GKE_SYSTEM_PODS_PER_NODE})
 * plus one pod of every given DaemonSet (CodeMie's Fluent Bit). Subtract it from
 * {@link gkeNodeAllocatable} to get what a node offers the environment's other pods.
 *
 * @param daemonSets - the DaemonSets of the environment (each puts one pod on every node)
 * @param gkeSystem - override of GKE's own share (default {@link GKE_SYSTEM_PODS_PER_NODE})
 * @public
 */
export function perNodeSystemReservation(
  daemonSets: ReadonlyArray<{ requests: Resources }>,
  gkeSystem: NodeReservation = GKE_SYSTEM_PODS_PER_NODE,
): NodeReservation {
  return daemonSets.reduce<NodeReservation>(
    (sum, ds) => ({
      cpuMillis: sum.cpuMillis + ds.requests.cpuMillis,
      memoryMiB: sum.memoryMiB + ds.requests.memoryMiB,
      pods: sum.pods + 1,
    }),
    { ...gkeSystem },
  );
}
