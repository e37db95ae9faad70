/**
 * How long each long-running operation takes, in simulated seconds (close to what Google takes).
 * The sandbox's `timeScale` turns them into real time.
 *
 * @public
 */
export interface Durations {
  /** GKE createCluster (Google: 5–10 min). */
  clusterCreate: number;
  /** GKE deleteCluster. */
  clusterDelete: number;
  /** GKE createNodePool. */
  nodePoolCreate: number;
  /** GKE deleteNodePool. */
  nodePoolDelete: number;
  /** GKE setSize on a node pool. */
  nodePoolResize: number;
  /** GKE setAutoscaling on a node pool (a cluster update). */
  nodePoolUpdate: number;
  /** Compute networks insert. */
  network: number;
  /** Compute subnetworks insert. */
  subnetwork: number;
  /** Compute routers insert. */
  router: number;
  /** Compute firewalls insert. */
  firewall: number;
  /** Compute addresses and global addresses insert. */
  address: number;
  /** Compute instances insert (the VM then boots: PROVISIONING → STAGING → RUNNING). */
  instance: number;
  /** Any Compute delete. */
  computeDelete: number;
  /** Cloud SQL instance insert (Google: 5–15 min). */
  sqlInstanceCreate: number;
  /** Cloud SQL instance delete. */
  sqlInstanceDelete: number;
  /** Cloud SQL databases insert. */
  sqlDatabase: number;
  /** Cloud SQL users insert. */
  sqlUser: number;
  /** Cloud DNS change from `pending` to `done`. */
  dnsChange: number;
  /** Service Usage batchEnable. */
  serviceEnable: number;
  /** Service Networking connection create (VPC peering). */
  peering: number;
  /** How long a new IAM service account is unknown to IAM policies (eventual consistency). */
  iamPropagation: number;
  /**
   * How long Cloud SQL keeps its side of a private services peering after its last instance on
   * the network is deleted; deleteConnection is refused meanwhile. Up to 4 days
   * (https://github.com/GoogleCloudPlatform/ai-on-gke/issues/550).
   */
  peeringRelease: number;
}

/**
 * Default durations in simulated seconds.
 *
 * @public
 */
export const DEFAULT_DURATIONS: Durations = {
  clusterCreate: 420,
  clusterDelete: 240,
  nodePoolCreate: 150,
  nodePoolDelete: 120,
  nodePoolResize: 90,
  nodePoolUpdate: 30,
  network: 12,
  subnetwork: 14,
  router: 10,
  firewall: 8,
  address: 5,
  instance: 30,
  computeDelete: 12,
  sqlInstanceCreate: 540,
  sqlInstanceDelete: 120,
  sqlDatabase: 8,
  sqlUser: 6,
  dnsChange: 5,
  serviceEnable: 20,
  peering: 60,
  iamPropagation: 5,
  peeringRelease: 4 * 24 * 3600,
};
