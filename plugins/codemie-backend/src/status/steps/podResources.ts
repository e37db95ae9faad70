/**
 * What one pod asks for and whether it serves, read from its spec and status. Pure.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import {
  parseCpuMillis,
  parseMemoryMiB,
} from '@codemie-gcp/plugin-codemie-common';

/** The `<namespace>/<name>` key pods, claims, events and metrics are matched by. @internal */
export const objectKey = (
  namespace: string | undefined,
  name: string | undefined,
) => `${namespace ?? ''}/${name ?? ''}`;

/**
 * Requests and limits of a pod's containers, summed: CPU in millicores, memory in MiB. A limit
 * is undefined unless every container sets one (otherwise the pod is unbounded).
 *
 * @internal
 */
export interface PodResources {
  cpuReq: number;
  memReq: number;
  cpuLim?: number;
  memLim?: number;
}

/** The summed requests and limits of `containers`. @internal */
export function containerResources(
  containers: V1Container[] | undefined,
): PodResources {
  let cpuReq = 0;
  let memReq = 0;
  let cpuLim: number | undefined = 0;
  let memLim: number | undefined = 0;
  for (const c of containers ?? []) {
    const r = c.resources ?? {};
    cpuReq += parseCpuMillis(r.requests?.cpu);
    memReq += parseMemoryMiB(r.requests?.memory);
    cpuLim =
      r.limits?.cpu !== undefined && cpuLim !== undefined
        ? cpuLim + parseCpuMillis(r.limits.cpu)
        : undefined;
    memLim =
      r.limits?.memory !== undefined && memLim !== undefined
        ? memLim + parseMemoryMiB(r.limits.memory)
        : undefined;
  }
  return { cpuReq, memReq, cpuLim, memLim };
}

/** The sum, or undefined when any value is. @internal */
export function sumOptional(
  values: Array<number | undefined>,
): number | undefined {
  if (values.some(v => v === undefined)) return undefined;
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

/** The pod's Ready condition is True. @internal */
export function isPodReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}
