/**
 * Node objects for the sandbox's VMs and the capacity the scheduler may use on each: GKE's
 * documented allocatable and the kube-system pods of a GKE node, both from the sandbox's own
 * data file (`data/gke-node-resources.json`, with its sources and date). Nothing here comes from
 * the planner: a plan holds only if it holds against this independent account of a node.
 */
import nodeResources from './data/gke-node-resources.json';
import { KubernetesObject, SandboxNode } from './types';
import { formatCpuMillis, formatKi } from './quantity';

/**
 * Requests (and pod slots) taken on every node before any workload pod.
 *
 * @public
 */
export interface NodeReservation {
  /** CPU requests of the system pods, millicores. */
  cpuMillis: number;
  /** Memory requests of the system pods, MiB. */
  memoryMiB: number;
  /** Pod count of the system pods. */
  pods: number;
}

/**
 * GKE's kube-system pods on every node, summed from the data file.
 *
 * @public
 */
export const KUBE_SYSTEM_RESERVATION: NodeReservation =
  nodeResources.kubeSystemPodsPerNode.pods.reduce(
    (sum, p) => ({
      cpuMillis: sum.cpuMillis + p.cpuMillis,
      memoryMiB: sum.memoryMiB + p.memoryMiB,
      pods: sum.pods + ((p as { pods?: number }).pods ?? 1),
    }),
    { cpuMillis: 0, memoryMiB: 0, pods: 0 },
  );

/** GKE's default maximum pods per node (Standard clusters). */
export const GKE_MAX_PODS_PER_NODE = nodeResources.allocatable.maxPodsPerNode;

function reservedByTiers(
  amount: number,
  tiers: ReadonlyArray<{ upTo: number | null; fraction: number }>,
): number {
  let reserved = 0;
  let lower = 0;
  for (const { upTo, fraction } of tiers) {
    const upper = upTo ?? Infinity;
    if (amount <= lower) break;
    reserved += (Math.min(amount, upper) - lower) * fraction;
    lower = upper;
  }
  return reserved;
}

/**
 * Node.status.allocatable of a GKE Standard node (source: the data file): capacity minus the
 * kubelet and system reservation and, for memory, the eviction threshold; whole millicores and MiB.
 *
 * @public
 */
export function allocatableOf(
  vcpu: number,
  memoryGiB: number,
): { cpuMillis: number; memoryMiB: number } {
  const { memory, cpu } = nodeResources.allocatable;
  const capacityMiB = memoryGiB * 1024;
  const reservedMiB =
    capacityMiB < 1024
      ? memory.underOneGiBReservedMiB
      : reservedByTiers(
          capacityMiB,
          memory.tiers.map(t => ({
            upTo: t.upToGiB === null ? null : t.upToGiB * 1024,
            fraction: t.fraction,
          })),
        );
  const reservedCores = reservedByTiers(
    vcpu,
    cpu.tiers.map(t => ({ upTo: t.upToCores, fraction: t.fraction })),
  );
  return {
    cpuMillis: Math.floor(vcpu * 1000 - reservedCores * 1000),
    memoryMiB: Math.floor(
      capacityMiB - reservedMiB - memory.evictionThresholdMiB,
    ),
  };
}

/**
 * What the scheduler may place on a node, after the kubelet's and GKE's system share.
 *
 * @public
 */
export interface NodeCapacity {
  /** Node.status.allocatable: {@link allocatableOf}(vcpu, memoryGiB). */
  allocatableCpuMillis: number;
  /** Node.status.allocatable memory, MiB. */
  allocatableMemoryMiB: number;
  /** GKE's kube-system pods, modelled as a reservation rather than pods. */
  reserved: NodeReservation;
  /** Allocatable minus the reservation: what workload pods can request. */
  cpuMillis: number;
  /** Allocatable memory minus the reservation, MiB. */
  memoryMiB: number;
  /** maxPods minus the system pods. */
  pods: number;
}

/**
 * Capacity of a node for workload pods. `reservation` defaults to GKE's kube-system pods (the
 * data file); the Fluent Bit DaemonSet is not in it because its pods are real objects here and
 * take their requests like any other pod.
 *
 * @public
 */
export function nodeCapacity(
  node: SandboxNode,
  reservation: NodeReservation = KUBE_SYSTEM_RESERVATION,
): NodeCapacity {
  const alloc = allocatableOf(node.vcpu, node.memoryGiB);
  return {
    allocatableCpuMillis: alloc.cpuMillis,
    allocatableMemoryMiB: alloc.memoryMiB,
    reserved: reservation,
    cpuMillis: Math.max(0, alloc.cpuMillis - reservation.cpuMillis),
    memoryMiB: Math.max(0, alloc.memoryMiB - reservation.memoryMiB),
    pods: Math.max(0, node.maxPods - reservation.pods),
  };
}

/** The internal IP of the n-th node (stable, in the shape of a GKE subnet). */
export function nodeInternalIp(index: number): string {
  return `10.128.${Math.floor(index / 250)}.${(index % 250) + 3}`;
}

/** The `Node` object a GKE node would show for `node`. */
export function nodeObject(
  node: SandboxNode,
  index: number,
  reservation?: NodeReservation,
): KubernetesObject {
  const cap = nodeCapacity(node, reservation);
  const memoryBytes = node.memoryGiB * 1024 ** 3;
  const arch =
    node.machineType.startsWith('t2a') || node.machineType.startsWith('c4a')
      ? 'arm64'
      : 'amd64';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: node.name,
      labels: {
        'kubernetes.io/hostname': node.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': arch,
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': arch,
        'topology.kubernetes.io/zone': node.zone,
        'topology.kubernetes.io/region': node.zone.replace(/-[a-z]$/, ''),
        'topology.gke.io/zone': node.zone,
        'failure-domain.beta.kubernetes.io/zone': node.zone,
        'cloud.google.com/gke-nodepool': node.nodePool,
        'cloud.google.com/gke-os-distribution': 'cos',
        'cloud.google.com/gke-container-runtime': 'containerd',
        'cloud.google.com/machine-family': node.machineType.split('-')[0],
        'node.kubernetes.io/instance-type': node.machineType,
        'beta.kubernetes.io/instance-type': node.machineType,
      },
      annotations: {
        'container.googleapis.com/instance_id': String(
          1000000000000000000n + BigInt(index * 7919),
        ),
        // Not a real annotation: says how the sandbox models GKE's kube-system pods.
        'sandbox.codemie.ai/kube-system-reserved': `cpu=${cap.reserved.cpuMillis}m,memory=${cap.reserved.memoryMiB}Mi,pods=${cap.reserved.pods}`,
      },
    },
    spec: {
      podCIDR: `10.4.${index}.0/24`,
      podCIDRs: [`10.4.${index}.0/24`],
      providerID: `gce://sandbox-project/${node.zone}/${node.name}`,
    },
    status: {
      capacity: {
        cpu: String(node.vcpu),
        memory: formatKi(memoryBytes),
        pods: String(node.maxPods),
        'ephemeral-storage': '98831908Ki',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
      },
      allocatable: {
        cpu: formatCpuMillis(cap.allocatableCpuMillis),
        memory: formatKi(cap.allocatableMemoryMiB * 1024 * 1024),
        pods: String(node.maxPods),
        'ephemeral-storage': '47060071478',
        'hugepages-1Gi': '0',
        'hugepages-2Mi': '0',
      },
      conditions: [
        {
          type: 'MemoryPressure',
          status: 'False',
          reason: 'KubeletHasSufficientMemory',
          message: 'kubelet has sufficient memory available',
        },
        {
          type: 'DiskPressure',
          status: 'False',
          reason: 'KubeletHasNoDiskPressure',
          message: 'kubelet has no disk pressure',
        },
        {
          type: 'PIDPressure',
          status: 'False',
          reason: 'KubeletHasSufficientPID',
          message: 'kubelet has sufficient PID available',
        },
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
        },
      ],
      addresses: [
        { type: 'InternalIP', address: nodeInternalIp(index) },
        { type: 'Hostname', address: node.name },
      ],
      nodeInfo: {
        architecture: arch,
        containerRuntimeVersion: 'containerd://1.7.27',
        kernelVersion: '6.6.93+',
        kubeProxyVersion: 'v1.33.5-gke.1201000',
        kubeletVersion: 'v1.33.5-gke.1201000',
        operatingSystem: 'linux',
        osImage: 'Container-Optimized OS from Google',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}
