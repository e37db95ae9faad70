/**
 * metrics.k8s.io/v1beta1 (what metrics-server serves, and `kubectl top` reads) and the
 * kubelet's `/stats/summary` (the only place a real cluster reports volume usage).
 *
 * Usage is deterministic: a stable function of the pod's name and the simulated time, between
 * 20% and 70% of the container's requests, wobbling slowly — unless `behaviour.usage()`
 * overrides it (e.g. "api at 90% of its CPU request"). OOM-killed containers read near their
 * memory limit. Only running containers are reported, as metrics-server does.
 */
import { WorkloadBehaviour } from './behaviour';
import { unitHash } from './json';
import { PodPlan } from './podLifecycle';
import { BYTES_PER_MIB, cpuMillis, memoryBytes } from './quantity';
import { KubernetesObject } from './types';

const WINDOW_SECONDS = 15;
/** What a container without requests is assumed to request, for usage figures. */
const DEFAULT_REQUEST = { cpuMillis: 10, memoryBytes: 64 * BYTES_PER_MIB };

const iso = (msValue: number) =>
  new Date(msValue).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A fraction in [low, high] wobbling with period `periodMs`, phase from `seed`. */
function wobble(
  seed: string,
  t: number,
  low: number,
  high: number,
  periodMs: number,
): number {
  const base = unitHash(seed);
  const phase = unitHash(`${seed}#phase`) * 2 * Math.PI;
  const mid = low + (high - low) * (0.3 + 0.4 * base);
  const amplitude = (high - low) * 0.3;
  const value =
    mid + amplitude * Math.sin((2 * Math.PI * t) / periodMs + phase);
  return Math.min(high, Math.max(low, value));
}

/** Usage of one running container: CPU in nanocores, memory in bytes. */
export interface ContainerUsage {
  name: string;
  cpuNanoCores: number;
  memoryBytes: number;
}

/** Current usage of a pod's running containers (empty if none runs). */
export function podUsage(
  pod: KubernetesObject,
  behaviour: WorkloadBehaviour,
  t: number,
): ContainerUsage[] {
  const statuses: any[] = pod.status?.containerStatuses ?? [];
  const out: ContainerUsage[] = [];
  // Sample at window boundaries so repeated reads within a window agree.
  const sampled =
    Math.floor(t / (WINDOW_SECONDS * 1000)) * WINDOW_SECONDS * 1000;
  for (const c of pod.spec?.containers ?? []) {
    const status = statuses.find(s => s.name === c.name);
    if (!status?.state?.running) continue;
    const reqCpu =
      cpuMillis(c.resources?.requests?.cpu ?? c.resources?.limits?.cpu) ||
      DEFAULT_REQUEST.cpuMillis;
    const reqMem =
      memoryBytes(
        c.resources?.requests?.memory ?? c.resources?.limits?.memory,
      ) || DEFAULT_REQUEST.memoryBytes;
    const limitMem = memoryBytes(c.resources?.limits?.memory) || reqMem;
    const seed = `${pod.metadata?.namespace}/${pod.metadata?.name}/${c.name}`;
    const override = behaviour.usageFor(pod, c);
    const cpuFraction =
      override?.cpuMillis !== undefined
        ? override.cpuMillis / reqCpu
        : (override?.cpu ??
          wobble(`${seed}/cpu`, sampled, 0.2, 0.7, 10 * 60_000));
    let mem =
      override?.memoryMiB !== undefined
        ? Math.min(override.memoryMiB * 1024 * 1024, limitMem * 0.99)
        : (override?.memory ??
            wobble(`${seed}/memory`, sampled, 0.2, 0.7, 60 * 60_000)) * reqMem;
    if (
      behaviour.crashFor(pod, c)?.reason === 'OOMKilled' &&
      override?.memory === undefined &&
      override?.memoryMiB === undefined
    )
      mem = limitMem * 0.97;
    out.push({
      name: c.name,
      cpuNanoCores: Math.round(reqCpu * cpuFraction * 1e6),
      memoryBytes: Math.round(mem),
    });
  }
  return out;
}

function podMetricsItem(
  pod: KubernetesObject,
  usage: ContainerUsage[],
  t: number,
): KubernetesObject {
  return {
    metadata: {
      name: pod.metadata?.name,
      namespace: pod.metadata?.namespace,
      creationTimestamp: iso(t),
      labels: pod.metadata?.labels ?? {},
    },
    timestamp: iso(Math.floor(t / 1000) * 1000 - WINDOW_SECONDS * 1000),
    window: `${WINDOW_SECONDS}s`,
    containers: usage.map(u => ({
      name: u.name,
      usage: {
        cpu: `${u.cpuNanoCores}n`,
        memory: `${Math.round(u.memoryBytes / 1024)}Ki`,
      },
    })),
  };
}

/** `PodMetrics` of one pod, or undefined if none of its containers runs. */
export function podMetrics(
  pod: KubernetesObject,
  behaviour: WorkloadBehaviour,
  t: number,
): KubernetesObject | undefined {
  const usage = podUsage(pod, behaviour, t);
  if (usage.length === 0) return undefined;
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    ...podMetricsItem(pod, usage, t),
  };
}

/** `PodMetricsList` for `pods` (already filtered by namespace and selector). */
export function podMetricsList(
  pods: KubernetesObject[],
  behaviour: WorkloadBehaviour,
  t: number,
): KubernetesObject {
  const items = pods
    .map(p => ({ p, usage: podUsage(p, behaviour, t) }))
    .filter(x => x.usage.length > 0)
    .map(x => podMetricsItem(x.p, x.usage, t));
  return {
    kind: 'PodMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items,
  };
}

/** System usage on every node: about half of the kube-system reservation. */
function systemUsage(
  reservedCpuMillis: number,
  reservedMemoryMiB: number,
  node: string,
  t: number,
) {
  return {
    cpuNanoCores:
      reservedCpuMillis *
      wobble(`${node}/system/cpu`, t, 0.3, 0.6, 10 * 60_000) *
      1e6,
    memoryBytes: reservedMemoryMiB * BYTES_PER_MIB * 0.55,
  };
}

/** `NodeMetrics` for a node: its pods' usage plus the system's. */
export function nodeMetrics(
  node: KubernetesObject,
  pods: KubernetesObject[],
  reserved: { cpuMillis: number; memoryMiB: number },
  behaviour: WorkloadBehaviour,
  t: number,
): KubernetesObject {
  const name = node.metadata!.name!;
  const sys = systemUsage(reserved.cpuMillis, reserved.memoryMiB, name, t);
  let cpu = sys.cpuNanoCores;
  let mem = sys.memoryBytes;
  for (const p of pods) {
    for (const u of podUsage(p, behaviour, t)) {
      cpu += u.cpuNanoCores;
      mem += u.memoryBytes;
    }
  }
  return {
    metadata: {
      name,
      creationTimestamp: iso(t),
      labels: node.metadata?.labels ?? {},
    },
    timestamp: iso(Math.floor(t / 1000) * 1000 - WINDOW_SECONDS * 1000),
    window: `${WINDOW_SECONDS}s`,
    usage: {
      cpu: `${Math.round(cpu)}n`,
      memory: `${Math.round(mem / 1024)}Ki`,
    },
  };
}

/** Used fraction of a PVC: annotation, override, or a stable 10–40% growing slowly with age. */
function volumeUsedFraction(
  pvc: KubernetesObject,
  behaviour: WorkloadBehaviour,
  t: number,
): number {
  const annotated =
    pvc.metadata?.annotations?.['sandbox.codemie.ai/used-fraction'];
  if (annotated !== undefined && !Number.isNaN(Number(annotated)))
    return Number(annotated);
  const override = behaviour.volumeUsageFor(
    pvc.metadata!.namespace!,
    pvc.metadata!.name!,
  );
  if (override !== undefined) return override;
  const ageDays =
    Math.max(0, t - Date.parse(pvc.metadata?.creationTimestamp ?? '')) /
    86_400_000;
  return Math.min(
    0.95,
    0.1 +
      0.3 * unitHash(`${pvc.metadata?.namespace}/${pvc.metadata?.name}`) +
      0.002 * ageDays,
  );
}

/**
 * The kubelet's `/stats/summary` for one node: node totals and, per pod, CPU, memory and the
 * usage of each PVC-backed volume (`usedBytes`, `capacityBytes`, `availableBytes`).
 * `sandbox.codemie.ai/used-bytes` on a PVC sets its used bytes exactly.
 */
export function statsSummary(
  node: KubernetesObject,
  pods: KubernetesObject[],
  claim: (namespace: string, name: string) => KubernetesObject | undefined,
  plans: (uid: string) => PodPlan | undefined,
  reserved: { cpuMillis: number; memoryMiB: number },
  behaviour: WorkloadBehaviour,
  t: number,
): Record<string, unknown> {
  const name = node.metadata!.name!;
  const time = iso(t);
  const capacityBytes = memoryBytes(node.status?.capacity?.memory);
  const nm = nodeMetrics(node, pods, reserved, behaviour, t);
  const nodeCpu = Number(String(nm.usage.cpu).replace(/n$/, ''));
  const nodeMem = Number(String(nm.usage.memory).replace(/Ki$/, '')) * 1024;
  return {
    node: {
      nodeName: name,
      startTime: node.metadata?.creationTimestamp,
      cpu: {
        time,
        usageNanoCores: nodeCpu,
        usageCoreNanoSeconds: Math.round(nodeCpu * 3600),
      },
      memory: {
        time,
        availableBytes: Math.max(0, capacityBytes - nodeMem),
        usageBytes: nodeMem,
        workingSetBytes: nodeMem,
      },
    },
    pods: pods
      .filter(p => p.status?.phase === 'Running')
      .map(p => {
        const usage = podUsage(p, behaviour, t);
        const cpu = usage.reduce((s, u) => s + u.cpuNanoCores, 0);
        const mem = usage.reduce((s, u) => s + u.memoryBytes, 0);
        const volumes = (p.spec?.volumes ?? [])
          .filter((v: any) => v.persistentVolumeClaim?.claimName)
          .map((v: any) => {
            const pvc = claim(
              p.metadata!.namespace!,
              v.persistentVolumeClaim.claimName,
            );
            if (!pvc || pvc.status?.phase !== 'Bound') return undefined;
            const capacity = memoryBytes(
              pvc.status?.capacity?.storage ??
                pvc.spec?.resources?.requests?.storage,
            );
            const exact =
              pvc.metadata?.annotations?.['sandbox.codemie.ai/used-bytes'];
            const used =
              exact !== undefined
                ? Number(exact)
                : Math.round(capacity * volumeUsedFraction(pvc, behaviour, t));
            const inodes = Math.round(capacity / 16384);
            const inodesUsed = Math.round(used / 65536);
            return {
              time,
              availableBytes: Math.max(0, capacity - used),
              capacityBytes: capacity,
              usedBytes: used,
              inodesFree: inodes - inodesUsed,
              inodes,
              inodesUsed,
              name: v.name,
              pvcRef: {
                name: pvc.metadata!.name,
                namespace: pvc.metadata!.namespace,
              },
            };
          })
          .filter((v: unknown) => v !== undefined);
        const plan = plans(p.metadata!.uid!);
        return {
          podRef: {
            name: p.metadata!.name,
            namespace: p.metadata!.namespace,
            uid: p.metadata!.uid,
          },
          startTime: p.status?.startTime,
          containers: usage.map(u => ({
            name: u.name,
            startTime: plan
              ? iso(
                  plan.containers.find(c => c.name === u.name)?.startedAt ??
                    plan.scheduledAt,
                )
              : p.status?.startTime,
            cpu: { time, usageNanoCores: u.cpuNanoCores },
            memory: {
              time,
              usageBytes: u.memoryBytes,
              workingSetBytes: u.memoryBytes,
            },
          })),
          cpu: { time, usageNanoCores: cpu },
          memory: { time, usageBytes: mem, workingSetBytes: mem },
          ...(volumes.length ? { volume: volumes } : {}),
        };
      }),
  };
}
