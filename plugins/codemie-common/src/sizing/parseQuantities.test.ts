import {
  parseCpuMillis,
  parseMemoryMiB,
  parseStorageGiB,
} from './parseQuantities';

describe('Kubernetes quantities in the contract units', () => {
  it.each([
    ['100m', 100],
    ['4', 4000],
    ['1.5', 1500],
    ['250000000n', 250],
    ['2500u', 2.5],
    [undefined, 0],
    ['garbage', 0],
  ])('CPU %s → %d millicores', (q, m) => {
    expect(parseCpuMillis(q)).toBeCloseTo(m, 6);
  });

  it.each([
    ['8Gi', 8192],
    ['128Mi', 128],
    ['1913600Ki', 1868.75],
    ['1G', 1e9 / 2 ** 20],
    ['536870912', 512],
  ])('memory %s → %d MiB', (q, m) => {
    expect(parseMemoryMiB(q)).toBeCloseTo(m, 6);
  });

  it('storage in GiB', () => {
    expect(parseStorageGiB('200Gi')).toBe(200);
    expect(parseStorageGiB('1Ti')).toBe(1024);
  });
});
