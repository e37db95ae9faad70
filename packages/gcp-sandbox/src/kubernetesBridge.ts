import type { FaultInjector, Journal, SandboxClock } from './core';
import { KubernetesApiServer } from './kubernetes';

/**
 * One node of a sandbox cluster (mirrors `SandboxNode` of the Kubernetes half).
 *
 * @public
 */
export interface ClusterNode {
  /** The node's name. */
  name: string;
  /** The node pool it belongs to. */
  nodePool: string;
  /** The node's zone. */
  zone: string;
  /** The node's machine type. */
  machineType: string;
  /** vCPUs of the node. */
  vcpu: number;
  /** Memory of the node, GiB. */
  memoryGiB: number;
  /** The most pods the node runs. */
  maxPods: number;
}

/**
 * What the Google half needs from one cluster's Kubernetes API server.
 *
 * @public
 */
export interface ClusterApiServer {
  /** `127.0.0.1:<port>`; clients use `https://<endpoint>`. */
  readonly endpoint: string;
  /** PEM of the server's CA; GKE returns it base64-encoded as `masterAuth.clusterCaCertificate`. */
  readonly caCertificatePem: string;
  /** Node pools changed: re-read `nodes()` and re-schedule pending pods. */
  nodesChanged(): void;
  /** Seeds the demo installation's objects, all running (but `crashLoop`), as if applied long ago. */
  seedDemo?(options: {
    objects: any[];
    crashLoop?: { namespace?: string; component?: string };
    usage?: Array<{
      component: string;
      cpu?: number;
      memory?: number;
      volume?: number;
    }>;
  }): unknown;
  /** Stops the API server. */
  stop(): Promise<void>;
}

/**
 * Options the Google half passes when a cluster is created.
 *
 * @public
 */
export interface ClusterApiServerOptions {
  /** The cluster's name. */
  clusterName: string;
  /** The simulated clock. */
  clock: SandboxClock;
  /** The journal the API server's calls go to. */
  journal: Journal;
  /** Transport faults, for the Kubernetes API too. */
  faults: FaultInjector;
  /** The cluster's nodes now. */
  nodes: () => ClusterNode[];
}

/**
 * Starts a cluster's Kubernetes API server.
 *
 * @public
 */
export type ClusterApiServerFactory = (
  options: ClusterApiServerOptions,
) => Promise<ClusterApiServer>;

/** The Kubernetes half's `KubernetesApiServer.start` (src/kubernetes). */
export function defaultClusterApiServerFactory(): ClusterApiServerFactory {
  return options => KubernetesApiServer.start(options);
}
