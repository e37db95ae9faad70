/**
 * A resize plan as the lines of a task log: the sizing and cost before → after, the node pool,
 * each component that changes and the steps, in that order. Pure.
 */
import {
  ComponentResize,
  NodePoolShape,
  ResizePlan,
  WorkloadSize,
  formatMonthlyUsd,
} from '@codemie-gcp/plugin-codemie-common';

const cpu = (m: number) => (m % 1000 === 0 ? `${m / 1000} vCPU` : `${m}m CPU`);
const mem = (mib: number) =>
  mib % 1024 === 0 ? `${mib / 1024} GiB` : `${mib} MiB`;

function sizeText(kind: ComponentResize['kind'], s: WorkloadSize): string {
  const pods = kind === 'DaemonSet' ? 'per node' : `${s.replicas} ×`;
  const volume =
    s.storageGiBPerPod > 0 ? `, ${s.storageGiBPerPod} GiB volume` : '';
  return `${pods} ${cpu(s.cpuMillis)} / ${mem(s.memoryMiB)}${volume}`;
}

function poolText(p: NodePoolShape): string {
  return `${p.machineType} × ${p.minNodes}–${p.maxNodes} nodes`;
}

/** "+$442/month", "−$12/month", "no change". */
export function costDeltaText(deltaUsd: number): string {
  if (Math.round(deltaUsd) === 0) return 'no change';
  return `${deltaUsd > 0 ? '+' : '−'}${formatMonthlyUsd(Math.abs(deltaUsd))}/month`;
}

/** The plan, line by line. */
export function describeResizePlan(plan: ResizePlan): string[] {
  const lines = [
    `Resize ${plan.environment}: ${plan.from.tierLabel} → ${plan.to.tierLabel}; estimated monthly cost ${formatMonthlyUsd(plan.cost.beforeUsd)} → ${formatMonthlyUsd(plan.cost.afterUsd)} (${costDeltaText(plan.cost.deltaUsd)}, list prices of ${plan.cost.pricesDate})`,
  ];
  const pool = plan.nodePool;
  lines.push(
    pool.method === 'unchanged'
      ? `Node pool: ${poolText(pool.before)}, unchanged`
      : `Node pool: ${poolText(pool.before)} → ${poolText(pool.after)} (${
          pool.method === 'replace'
            ? 'a new pool of the new machine type, then the old one drained'
            : 'same machines, other autoscaling bounds'
        })`,
  );
  for (const c of plan.components) {
    if (c.change === 'unchanged') continue;
    const notes = c.notes.filter(n => !/replicas$/.test(n));
    let detail = `${sizeText(c.kind, c.before!)} → ${sizeText(c.kind, c.after!)}`;
    if (c.change === 'added') detail = `added: ${sizeText(c.kind, c.after!)}`;
    if (c.change === 'removed')
      detail = `removed (was ${sizeText(c.kind, c.before!)})`;
    lines.push(
      `  ${c.displayName}: ${detail}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    );
  }
  if (plan.imageVersion) {
    lines.push(
      `CodeMie images: ${plan.imageVersion.from} → ${plan.imageVersion.to}`,
    );
  }
  plan.steps.forEach((step, i) => lines.push(`${i + 1}. ${step}`));
  return lines;
}
