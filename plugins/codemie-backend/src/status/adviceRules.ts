/**
 * The sizing advice rules, as a table: each rule a condition on a component's usage and the
 * change it yields (from → to, the workload after the change, and the words). Pure.
 */
import {
  SizedWorkload,
  SizingAdvice,
  limitsForRequests,
} from '@codemie-gcp/plugin-codemie-common';
import type { AdviceOptions } from './adviseSizing';
import { ComponentUsage, PressureFacts, duration } from './adviceFacts';

/** Utilisation the recommended size aims at. */
const TARGET_CPU = 0.7;
const TARGET_MEMORY = 0.75;
const TARGET_LOWERED = 0.6;
const TARGET_STORAGE = 0.6;
/** Stateless workloads that scale out; the others get bigger pods. */
const SCALE_OUT = new Set<string>([
  'codemie-api',
  'codemie-ui',
  'mermaid-server',
  'oauth2-proxy',
  'llm-proxy',
]);
/** JVM components hold their heap whatever the load: their memory use says little about need. */
const FIXED_HEAP = new Set<string>(['elasticsearch', 'keycloak', 'kibana']);

/** A size change: per pod (or replicas) now and recommended. @internal */
export interface SizeChange {
  from: number;
  to: number;
}

/** One advice rule. @internal */
export interface AdviceRule {
  change: SizingAdvice['change'];
  /** When the rule applies. */
  condition: (usage: ComponentUsage, options: AdviceOptions) => boolean;
  /** The size it recommends; undefined when the change is not worth making. */
  target: (usage: ComponentUsage) => SizeChange | undefined;
  /** The workload with the change made (for the cost of the change). */
  apply: (workload: SizedWorkload, to: number) => SizedWorkload;
  /** The advice in words; `cost` is the formatted monthly cost change. */
  describe: (
    usage: ComponentUsage,
    options: AdviceOptions,
    size: SizeChange,
    cost: string,
  ) => { summary: string; evidence: string };
}

const ceilTo = (value: number, step: number) => Math.ceil(value / step) * step;
const percent = (fraction: number) => Math.round(fraction * 100);
const fmtCpu = (m: number) =>
  m >= 1000 && m % 1000 === 0 ? `${m / 1000} vCPU` : `${m}m`;
const fmtMem = (mib: number) =>
  mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;

const hot = (p: PressureFacts | undefined, options: AdviceOptions) =>
  p !== undefined && p.hotHours >= options.minHistoryHours;
/** Low enough, for long enough, to lower the requests. */
const quiet = (
  p: PressureFacts | undefined,
  u: ComponentUsage,
  options: AdviceOptions,
  low: number,
): p is PressureFacts =>
  p !== undefined &&
  !hot(p, options) &&
  u.spanHours >= options.lowerMinHistoryHours &&
  p.p95Ratio < low;
const scalesOut = (u: ComponentUsage) =>
  SCALE_OUT.has(u.component) && u.workload.kind === 'Deployment';
/** Lowering is worth it when it at least halves the request. */
const halving = (size: SizeChange) =>
  size.to <= size.from / 2 ? size : undefined;

const withCpu = (w: SizedWorkload, cpuMillis: number): SizedWorkload => {
  const requests = { ...w.requests, cpuMillis };
  return { ...w, requests, limits: limitsForRequests(requests) };
};
const withMemory = (w: SizedWorkload, memoryMiB: number): SizedWorkload => {
  const requests = { ...w.requests, memoryMiB };
  return { ...w, requests, limits: limitsForRequests(requests) };
};

/** A stateless component hot on CPU: more replicas, enough to bring p95 to 70%. @internal */
export const addReplicas: AdviceRule = {
  change: 'add-replicas',
  condition: (u, o) => hot(u.cpu, o) && scalesOut(u),
  target: ({ cpu }) => {
    const from = Math.max(1, cpu!.pods);
    return {
      from,
      to: Math.max(from + 1, Math.ceil((from * cpu!.p95Ratio) / TARGET_CPU)),
    };
  },
  apply: (w, to) => ({ ...w, replicas: to }),
  describe: (u, o, { from, to }, cost) => ({
    summary: `${u.name} CPU above ${percent(o.highCpu)}% of requests for ${duration(u.cpu!.hotHours)} → ${to} replicas (${cost})`,
    evidence: `${u.cpu!.evidence}; ${from} ${from === 1 ? 'replica' : 'replicas'} now`,
  }),
};

/** Any other component hot on CPU: a bigger request per pod, for p95 at 70%. @internal */
export const raiseCpu: AdviceRule = {
  change: 'raise-cpu',
  condition: (u, o) => hot(u.cpu, o) && !scalesOut(u),
  target: ({ cpu }) => ({
    from: cpu!.requestPerPod,
    to: Math.max(
      cpu!.requestPerPod + 100,
      ceilTo(cpu!.p95PerPod / TARGET_CPU, 100),
    ),
  }),
  apply: withCpu,
  describe: (u, o, { to }, cost) => ({
    summary: `${u.name} CPU above ${percent(o.highCpu)}% of requests for ${duration(u.cpu!.hotHours)} → ${fmtCpu(to)} per pod (${cost})`,
    evidence: u.cpu!.evidence,
  }),
};

/** CPU p95 under 20% of requests for 3 days: half the request or less, for p95 at 60%. @internal */
export const lowerCpu: AdviceRule = {
  change: 'lower-cpu',
  condition: (u, o) => quiet(u.cpu, u, o, o.lowCpu),
  target: ({ cpu }) =>
    halving({
      from: cpu!.requestPerPod,
      to: Math.max(50, ceilTo(cpu!.p95PerPod / TARGET_LOWERED, 50)),
    }),
  apply: withCpu,
  describe: (u, _o, { to }, cost) => ({
    summary: `${u.name} uses under ${Math.ceil(u.cpu!.p95Ratio * 100)}% of its CPU request → ${fmtCpu(to)} per pod (${cost})`,
    evidence: u.cpu!.evidence,
  }),
};

/** Memory above 90% of the limit: a bigger request (and limit), for p95 at 75%. @internal */
export const raiseMemory: AdviceRule = {
  change: 'raise-memory',
  condition: (u, o) => hot(u.memory, o),
  target: ({ memory }) => ({
    from: memory!.requestPerPod,
    to: Math.max(
      memory!.requestPerPod + 256,
      ceilTo(memory!.p95PerPod / TARGET_MEMORY, 256),
    ),
  }),
  apply: withMemory,
  describe: (u, o, { to }, cost) => ({
    summary: `${u.name} memory above ${percent(o.highMemory)}% of its limit for ${duration(u.memory!.hotHours)} → ${fmtMem(to)} per pod (${cost})`,
    evidence: u.memory!.evidence,
  }),
};

/**
 * Memory p95 under 30% of requests for 3 days (not the JVM components, whose heap is fixed):
 * half the request or less, for p95 at 60%.
 *
 * @internal
 */
export const lowerMemory: AdviceRule = {
  change: 'lower-memory',
  condition: (u, o) =>
    !FIXED_HEAP.has(u.component) && quiet(u.memory, u, o, o.lowMemory),
  target: ({ memory }) =>
    halving({
      from: memory!.requestPerPod,
      to: Math.max(128, ceilTo(memory!.p95PerPod / TARGET_LOWERED, 128)),
    }),
  apply: withMemory,
  describe: (u, _o, { to }, cost) => ({
    summary: `${u.name} uses under ${Math.ceil(u.memory!.p95Ratio * 100)}% of its memory request → ${fmtMem(to)} per pod (${cost})`,
    evidence: u.memory!.evidence,
  }),
};

/** Volumes 80% full: bigger volumes, for 60% use, with when they fill at the current rate. @internal */
export const growStorage: AdviceRule = {
  change: 'grow-storage',
  condition: (u, o) =>
    u.storage !== undefined && u.storage.fraction >= o.highStorage,
  target: ({ storage }) => {
    const from = Math.round(storage!.capacityGiB / storage!.volumes);
    const usedPerPod = storage!.usedGiB / storage!.volumes;
    return {
      from,
      to: Math.max(from + 10, ceilTo(usedPerPod / TARGET_STORAGE, 10)),
    };
  },
  apply: (w, to) => ({ ...w, storageGiBPerPod: to }),
  describe: (u, _o, { to }, cost) => {
    const s = u.storage!;
    const untilFull =
      s.growthPerDay > 0
        ? `; at ${s.growthPerDay.toFixed(1)} GiB/day the volumes are full in ${Math.max(0, Math.floor((s.capacityGiB - s.usedGiB) / s.growthPerDay))} days`
        : '';
    return {
      summary: `${u.name} disk ${percent(s.fraction)}% full → ${to} GiB per pod (${cost})`,
      evidence: `${s.usedGiB.toFixed(1)} of ${s.capacityGiB} GiB used (${s.volumes} volumes), ${s.samples} samples over ${duration(u.spanHours)}${untilFull}`,
    };
  },
};

/**
 * The rules, in the order each component's advice is made: CPU, memory, storage. At most one
 * CPU and one memory rule applies (hot and quiet exclude each other).
 *
 * @internal
 */
export const ADVICE_RULES: AdviceRule[] = [
  addReplicas,
  raiseCpu,
  lowerCpu,
  raiseMemory,
  lowerMemory,
  growStorage,
];
