/**
 * Kubernetes resource quantities ("500m", "2", "1Gi", "512Mi", "1e9") to and from numbers.
 * The scheduler, metrics and PVC capacity all read quantities through here.
 */
import {
  isQuantity,
  parseQuantity as parseKubernetesQuantity,
} from '@codemie-gcp/plugin-codemie-common';

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
/**
 * The quantity's value in base units (cores for CPU, bytes for memory). Throws on garbage, as
 * the API server refuses it. The grammar is the plugins' one parser's
 * (`@codemie-gcp/plugin-codemie-common`).
 */
export function parseQuantity(
  value: string | number | undefined | null,
): number {
  if (value === undefined || value === null || value === '') return 0;
  const parsed = parseKubernetesQuantity(value);
  if (parsed === undefined) {
    throw new Error(`quantities must be Kubernetes quantities, got '${value}'`);
  }
  return parsed;
}

export { isQuantity };

/** CPU quantity in whole millicores (rounded up, as the scheduler does). */
export function cpuMillis(value: string | number | undefined | null): number {
  return Math.ceil(parseQuantity(value) * 1000 - 1e-9);
}

/** Memory quantity in bytes. */
export function memoryBytes(value: string | number | undefined | null): number {
  return Math.ceil(parseQuantity(value));
}

/** Memory quantity in MiB (may be fractional). */
export function memoryMiB(value: string | number | undefined | null): number {
  return memoryBytes(value) / BINARY.Mi;
}

/** Formats millicores the way the API server does: "3920m", or "8" for whole cores. */
export function formatCpuMillis(millis: number): string {
  const m = Math.round(millis);
  return m % 1000 === 0 ? String(m / 1000) : `${m}m`;
}

/** Formats bytes as a Ki quantity (what kubelets report for node memory). */
export function formatKi(bytes: number): string {
  return `${Math.round(bytes / BINARY.Ki)}Ki`;
}

/** Formats bytes as the largest exact binary suffix ("10Gi", "512Mi"), else Ki. */
export function formatBytes(bytes: number): string {
  for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki']) {
    const unit = BINARY[suffix];
    if (bytes >= unit && bytes % unit === 0) return `${bytes / unit}${suffix}`;
  }
  return bytes % BINARY.Ki === 0
    ? `${bytes / BINARY.Ki}Ki`
    : String(Math.round(bytes));
}

/** MiB for messages: whole numbers, no suffix. */
export function mib(bytes: number): number {
  return Math.floor(bytes / BINARY.Mi);
}

export const BYTES_PER_MIB = BINARY.Mi;
export const BYTES_PER_GIB = BINARY.Gi;
