/**
 * Kubernetes quantity strings for the sizing model's integer units: CPU in millicores,
 * memory in MiB, storage in GiB. The manifests rendered from this package use these.
 */

/**
 * CPU millicores as a Kubernetes quantity: whole cores as a plain number (`4000` → `"4"`),
 * anything else in millicores (`100` → `"100m"`, `1500` → `"1500m"`).
 *
 * @public
 */
export function formatCpuQuantity(cpuMillis: number): string {
  assertNonNegativeInteger(cpuMillis, 'cpuMillis');
  return cpuMillis % 1000 === 0 ? String(cpuMillis / 1000) : `${cpuMillis}m`;
}

/**
 * Memory in MiB as a Kubernetes quantity: whole GiB as `Gi` (`8192` → `"8Gi"`), otherwise
 * `Mi` (`512` → `"512Mi"`).
 *
 * @public
 */
export function formatMemoryQuantity(memoryMiB: number): string {
  assertNonNegativeInteger(memoryMiB, 'memoryMiB');
  return memoryMiB % 1024 === 0 && memoryMiB > 0
    ? `${memoryMiB / 1024}Gi`
    : `${memoryMiB}Mi`;
}

/**
 * Storage in GiB as a Kubernetes quantity (`200` → `"200Gi"`).
 *
 * @public
 */
export function formatStorageQuantity(storageGiB: number): string {
  assertNonNegativeInteger(storageGiB, 'storageGiB');
  return `${storageGiB}Gi`;
}

function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a non-negative integer, got ${value}`,
    );
  }
}
