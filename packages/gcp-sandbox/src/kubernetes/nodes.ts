/**
 * Node objects for the sandbox's VMs and the capacity the scheduler may use on each. The
 * arithmetic is the planner's own (`gkeNodeAllocatable` and the GKE system-pod reservation
 * from `@codemie-gcp/plugin-codemie-common`), so a plan that fits on paper schedules here.
 */
import {
  GKE_SYSTEM_PODS_PER_NODE,
  NodeReservation,
  gkeNodeAllocatable,
} from '@codemie-gcp/plugin-codemie-common';
import { KubernetesObject, SandboxNode } from './types';
import { formatCpuMillis, formatKi } from './quantity';

/** What the scheduler may place on a node, after the kubelet's and GKE's system share. */
export interface NodeCapacity {
  /** Node.status.allocatable: gkeNodeAllocatable(vcpu, memoryGiB). */
  allocatableCpuMillis: number;
  allocatableMemoryMiB: number;
  /** GKE's kube-system pods, modelled as a reservation rather than pods. */
  reserved: NodeReservation;
  /** Allocatable minus the reservation: what workload pods can request. */
  cpuMillis: number;
  memoryMiB: number;
  /** maxPods minus the system pods. */
  pods: number;
}

/**
 * Capacity of a node for workload pods. `reservation` defaults to the planner's
 * GKE_SYSTEM_PODS_PER_NODE; the Fluent Bit DaemonSet is not in it because its pods are real
 * objects here and take their requests like any other pod.
 */
export function nodeCapacity(
  node: SandboxNode,
  reservation: NodeReservation = GKE_SYSTEM_PODS_PER_NODE,
): NodeCapacity {
  const alloc = gkeNodeAllocatable(node.vcpu, node.memoryGiB);
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
