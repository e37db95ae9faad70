import { gkeNodeAllocatable, gkeReservedMemoryMiB } from './allocatable';

describe('gkeNodeAllocatable', () => {
  it("matches the worked examples of GKE's documentation", () => {
    const e2standard4 = gkeNodeAllocatable(4, 16);
    expect(e2standard4.cpuMillis).toBe(3920);
    expect(e2standard4.memoryMiB / 1024).toBeCloseTo(13.3, 1);

    const n2highmem8 = gkeNodeAllocatable(8, 64);
    expect(n2highmem8.cpuMillis).toBe(7910);
    expect(n2highmem8.memoryMiB / 1024).toBeCloseTo(58.4, 1);
  });

  it('reserves a flat 255 MiB on machines under 1 GiB', () => {
    expect(gkeReservedMemoryMiB(614)).toBe(255);
  });

  it('reserves 2% above 128 GiB', () => {
    const at128 = gkeReservedMemoryMiB(128 * 1024);
    expect(gkeReservedMemoryMiB(256 * 1024) - at128).toBeCloseTo(
      128 * 1024 * 0.02,
      6,
    );
  });

  it('gives whole millicores and MiB', () => {
    for (const [vcpu, gib] of [
      [2, 8],
      [16, 64],
      [22, 88],
      [48, 384],
    ]) {
      const a = gkeNodeAllocatable(vcpu, gib);
      expect(Number.isInteger(a.cpuMillis)).toBe(true);
      expect(Number.isInteger(a.memoryMiB)).toBe(true);
    }
  });
});
