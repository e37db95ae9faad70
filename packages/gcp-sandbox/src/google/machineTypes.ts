import { BUNDLED_PRICES } from '@codemie-gcp/plugin-codemie-common';

/**
 * vCPU and memory of a machine type.
 *
 * @public
 */
export interface MachineShape {
  /** vCPUs of the machine. */
  vcpu: number;
  /** Memory of the machine, GiB. */
  memoryGiB: number;
}

const SHARED_CORE: Record<string, MachineShape> = {
  'e2-micro': { vcpu: 2, memoryGiB: 1 },
  'e2-small': { vcpu: 2, memoryGiB: 2 },
  'e2-medium': { vcpu: 2, memoryGiB: 4 },
};

/**
 * vCPU and memory of a Compute Engine machine type: the planner's own machine data (the price
 * table bundled in `@codemie-gcp/plugin-codemie-common`, so a plan that fits on paper gets the
 * same nodes here), plus the E2 shared-core types and `custom-N-M` / `<family>-custom-N-M`
 * (M in MiB); undefined if unknown, which the APIs answer as an invalid machine type.
 *
 * @public
 */
export function machineShape(machineType: string): MachineShape | undefined {
  const name = machineType.split('/').pop()!;
  const known = BUNDLED_PRICES.machineTypes[name] ?? SHARED_CORE[name];
  if (known) return { vcpu: known.vcpu, memoryGiB: known.memoryGiB };
  const custom = /^(?:[a-z0-9]+-)?custom-(\d+)-(\d+)(?:-ext)?$/.exec(name);
  if (custom)
    return { vcpu: Number(custom[1]), memoryGiB: Number(custom[2]) / 1024 };
  return undefined;
}
