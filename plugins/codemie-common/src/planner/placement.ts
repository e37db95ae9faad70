/**
 * The placement rules the planner and the rendered manifests share: which priority class each
 * pod gets, so that kube-scheduler places (and, when space is short, preempts for) the big pods
 * first; and the spread rules of workloads whose replicas must be apart.
 *
 * Priority: kube-scheduler's queue pops higher-priority pods first, and a pod that fits nowhere
 * may preempt lower-priority pods (DefaultPreemption), which are then placed again in the
 * fragments the big pod could not use
 * (kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/). Ranking pods by
 * size makes the placement of a fragmented cluster converge to one where every pod runs.
 */
import { Resources } from '../gke/allocatable';

/**
 * A priority class the deploy action creates.
 *
 * @public
 */
export interface PlacementPriorityClass {
  /** The PriorityClass's name. */
  name: string;
  /** Its priority; higher preempts lower. */
  value: number;
  /** Its description in the cluster. */
  description: string;
}

/**
 * The priority classes, largest pods first. Values stay far below the system classes
 * (`system-cluster-critical` is 2,000,000,000) and above the default 0, so GKE's own pods are
 * never preempted by CodeMie's and CodeMie's are never preempted by ordinary pods of priority 0.
 *
 * @public
 */
export const PLACEMENT_PRIORITY_CLASSES: readonly PlacementPriorityClass[] = [
  {
    name: 'codemie-placement-large',
    value: 3000,
    description:
      'CodeMie pods of 1.8 vCPU (or 7.2 GiB) and more: placed first, may preempt smaller CodeMie pods',
  },
  {
    name: 'codemie-placement-medium',
    value: 2000,
    description:
      'CodeMie pods of 0.4 vCPU (or 1.6 GiB) and more: may preempt the small CodeMie pods',
  },
  {
    name: 'codemie-placement-small',
    value: 1000,
    description: 'Small CodeMie pods: fit in the fragments the others leave',
  },
];

/** Memory counted as one millicore when ranking pods by size (4 GiB per vCPU). */
const MIB_PER_MILLICORE = 4096 / 1000;
const LARGE_FROM_MILLIS = 1800;
const MEDIUM_FROM_MILLIS = 400;

/**
 * The priority class of a pod with these requests: its size in CPU-equivalent millicores
 * (memory counted at 4 GiB per vCPU) picks large, medium or small.
 *
 * @public
 */
export function placementPriorityClass(
  requests: Resources,
): PlacementPriorityClass {
  const weight = Math.max(
    requests.cpuMillis,
    requests.memoryMiB / MIB_PER_MILLICORE,
  );
  if (weight >= LARGE_FROM_MILLIS) return PLACEMENT_PRIORITY_CLASSES[0];
  if (weight >= MEDIUM_FROM_MILLIS) return PLACEMENT_PRIORITY_CLASSES[1];
  return PLACEMENT_PRIORITY_CLASSES[2];
}

/**
 * The zone spread of workloads whose replicas must be apart: at most one replica more in any
 * zone than in the emptiest one, never scheduled otherwise
 * (kubernetes.io/docs/concepts/scheduling-eviction/topology-spread-constraints/).
 *
 * @public
 */
export const ZONE_SPREAD = {
  topologyKey: 'topology.kubernetes.io/zone',
  maxSkew: 1,
  whenUnsatisfiable: 'DoNotSchedule',
} as const;

/** Required pod anti-affinity of spread workloads: never two replicas on one node. @public */
export const HOST_ANTI_AFFINITY_KEY = 'kubernetes.io/hostname';
