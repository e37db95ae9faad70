/**
 * Machine-type facts the planner needs beyond the price table: family, and which disk types a
 * family can attach.
 */
import { DiskType } from '../cost/prices';

/**
 * The family of a machine type: `e2-standard-8` → `e2`.
 *
 * @public
 */
export function machineFamily(machineType: string): string {
  return machineType.split('-')[0];
}

/**
 * Persistent Disk types each family can attach (boot disk and volumes). N4 attaches only
 * Hyperdisk, C3 has no pd-standard. Source: cloud.google.com/compute/docs/disks (disk type
 * support per machine series); the PD CSI driver's N4/C3 notes say the same.
 */
const SUPPORTED_DISKS: Record<string, readonly DiskType[]> = {
  e2: ['pd-balanced', 'pd-ssd', 'pd-standard'],
  n2: ['pd-balanced', 'pd-ssd', 'pd-standard'],
  n2d: ['pd-balanced', 'pd-ssd', 'pd-standard'],
  c3: ['pd-balanced', 'pd-ssd'],
  n4: [],
};

/**
 * Whether machines of this type can attach a Persistent Disk of this type. Unknown families are
 * assumed to (the price table decides what is offered).
 *
 * @public
 */
export function supportsDiskType(machineType: string, disk: DiskType): boolean {
  const supported = SUPPORTED_DISKS[machineFamily(machineType)];
  return supported === undefined || supported.includes(disk);
}
