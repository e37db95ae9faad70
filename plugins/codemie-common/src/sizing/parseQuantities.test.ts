import {
  isQuantity,
  parseQuantity,
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

// The grammar: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
describe('the one Kubernetes quantity parser (deploy, status and the sandbox)', () => {
  it.each([
    ['1.5Gi', 1.5 * 2 ** 30],
    ['500m', 0.5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['2e-3', 0.002],
    ['0.1', 0.1],
    ['.5', 0.5],
    ['5.', 5],
    ['-1', -1],
    ['+2', 2],
    ['1Ki', 1024],
    ['1Mi', 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1Ti', 2 ** 40],
    ['1k', 1e3],
    ['1M', 1e6],
    ['1G', 1e9],
    ['1T', 1e12],
    ['1E', 1e18],
    ['100n', 1e-7],
  ])('%s is %d in base units', (quantity, value) => {
    expect(isQuantity(quantity)).toBe(true);
    expect(parseQuantity(quantity)).toBeCloseTo(value, 12);
  });

  it.each([
    '',
    'abc',
    'Gi',
    '1.5.5',
    '1GiB',
    '1 Gi',
    '1gi',
    '1K',
    '1e3Gi',
    '1e',
    '--1',
    '1,5',
    '0x10',
  ])('%j is malformed: undefined, and 0 in the contract units', quantity => {
    expect(isQuantity(quantity)).toBe(false);
    expect(parseQuantity(quantity)).toBeUndefined();
    expect(parseCpuMillis(quantity)).toBe(0);
    expect(parseMemoryMiB(quantity)).toBe(0);
    expect(parseStorageGiB(quantity)).toBe(0);
  });

  it('takes numbers as base units and absent values as undefined', () => {
    expect(parseQuantity(1.5)).toBe(1.5);
    expect(parseQuantity(undefined)).toBeUndefined();
    expect(parseQuantity(null)).toBeUndefined();
    expect(isQuantity(Number.NaN)).toBe(false);
  });

  it('converts the edge cases to millicores, MiB and GiB', () => {
    expect(parseCpuMillis('0.1')).toBeCloseTo(100, 9);
    expect(parseCpuMillis('500m')).toBe(500);
    expect(parseCpuMillis('1e3')).toBe(1_000_000);
    expect(parseMemoryMiB('1.5Gi')).toBe(1536);
    expect(parseMemoryMiB('1k')).toBeCloseTo(1000 / 2 ** 20, 12);
    expect(parseStorageGiB('1.5Ti')).toBe(1536);
  });
});
