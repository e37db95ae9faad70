/*
 * Number formatting for the status contract's units: CPU millicores, memory MiB, storage GiB,
 * money in USD per month.
 */

export type ResourceUnit = 'cpu' | 'memory' | 'storage';

function trim(value: number, digits: number): string {
  return Number(value.toFixed(digits)).toString();
}

/** 850 → "850m", 2850 → "2.85 cores", 1000 → "1 core". */
export function formatCpu(millicores: number): string {
  if (Math.abs(millicores) < 1000) return `${Math.round(millicores)}m`;
  const cores = trim(millicores / 1000, 2);
  return `${cores} ${cores === '1' ? 'core' : 'cores'}`;
}

/** 512 → "512 MiB", 5320 → "5.2 GiB", 16384 → "16 GiB". */
export function formatMemory(mib: number): string {
  if (Math.abs(mib) < 1024) return `${Math.round(mib)} MiB`;
  return `${trim(mib / 1024, 1)} GiB`;
}

/** 262.5 → "262.5 GiB", 0.2 → "0.2 GiB". */
export function formatStorage(gib: number): string {
  return `${trim(gib, 1)} GiB`;
}

export function formatResource(unit: ResourceUnit, value: number): string {
  switch (unit) {
    case 'cpu':
      return formatCpu(value);
    case 'memory':
      return formatMemory(value);
    default:
      return formatStorage(value);
  }
}

// In the reader's own locale (the browser's), always in US dollars.
const usd = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});

/** 1187.42 → "$1,187.42". */
export function formatUsd(value: number): string {
  return usd.format(value);
}

/** 3.62 → "+$3.62/month", -15.07 → "−$15.07/month", 0 → "±$0.00/month". */
export function formatCostDelta(value: number): string {
  if (value === 0) return `±${usd.format(0)}/month`;
  const sign = value > 0 ? '+' : '−';
  return `${sign}${usd.format(Math.abs(value))}/month`;
}

/** A percentage rounded to an integer, or undefined when the base is 0. */
export function percentOf(value: number, base: number): number | undefined {
  if (!base) return undefined;
  return Math.round((value / base) * 100);
}

/** "09:41:27" in the user's locale, with the full timestamp for a title attribute. */
export function formatTime(iso: string | Date): string {
  const date = typeof iso === 'string' ? new Date(iso) : iso;
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}
