/**
 * GKE Standard node allocatable: what is left for pods on a node after the kubelet, the
 * system daemons and the eviction threshold take their share.
 *
 * Source: cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes
 * ("Memory and CPU reservations", GKE Standard), as copied in the project's gcp-facts.md.
 * The planner and the GCP sandbox's scheduler both use this one function, so a plan that
 * fits on paper also schedules in the sandbox.
 */

/**
 * CPU in millicores, memory in MiB.
 *
 * @public
 */
export interface Resources {
  /** millicores */
  cpuMillis: number;
  /** mebibytes */
  memoryMiB: number;
}

/**
 * GKE reserves this much memory for eviction on every node.
 *
 * @public
 */
export const GKE_EVICTION_THRESHOLD_MIB = 100;

/**
 * Default maximum pods per node on GKE Standard.
 *
 * @public
 */
export const GKE_DEFAULT_MAX_PODS_PER_NODE = 110;

/**
 * Memory GKE reserves on a machine with `capacityMiB` of memory (not counting the eviction
 * threshold): 255 MiB under 1 GiB; else 25% of the first 4 GiB, 20% of the next 4, 10% of
 * the next 8, 6% of the next 112, 2% above 128 GiB.
 *
 * @public
 */
export function gkeReservedMemoryMiB(capacityMiB: number): number {
  if (capacityMiB < 1024) return 255;
  const tiers: Array<[limitMiB: number, fraction: number]> = [
    [4 * 1024, 0.25],
    [8 * 1024, 0.2],
    [16 * 1024, 0.1],
    [128 * 1024, 0.06],
    [Infinity, 0.02],
  ];
  let reserved = 0;
  let lower = 0;
  for (const [upper, fraction] of tiers) {
    if (capacityMiB <= lower) break;
    reserved += (Math.min(capacityMiB, upper) - lower) * fraction;
    lower = upper;
  }
  return reserved;
}

/**
 * CPU GKE reserves on a machine with `cores` cores: 6% of the first core, 1% of the second,
 * 0.5% each of cores 3–4, 0.25% of each core above 4.
 *
 * @public
 */
export function gkeReservedCpuMillis(cores: number): number {
  const tiers: Array<[limitCores: number, fraction: number]> = [
    [1, 0.06],
    [2, 0.01],
    [4, 0.005],
    [Infinity, 0.0025],
  ];
  let reserved = 0;
  let lower = 0;
  for (const [upper, fraction] of tiers) {
    if (cores <= lower) break;
    reserved += (Math.min(cores, upper) - lower) * fraction * 1000;
    lower = upper;
  }
  return reserved;
}

/**
 * Allocatable resources of one GKE Standard node with `vcpu` cores and `memoryGiB` of memory,
 * rounded down to whole millicores and MiB (the scheduler never gets a fraction).
 *
 * Worked examples (gcp-facts.md): e2-standard-4 → 3920m and ≈13.3 GiB; n2-highmem-8 → 7910m
 * and ≈58.4 GiB.
 *
 * @public
 */
export function gkeNodeAllocatable(vcpu: number, memoryGiB: number): Resources {
  const capacityMiB = memoryGiB * 1024;
  return {
    cpuMillis: Math.floor(vcpu * 1000 - gkeReservedCpuMillis(vcpu)),
    memoryMiB: Math.floor(
      capacityMiB -
        gkeReservedMemoryMiB(capacityMiB) -
        GKE_EVICTION_THRESHOLD_MIB,
    ),
  };
}
