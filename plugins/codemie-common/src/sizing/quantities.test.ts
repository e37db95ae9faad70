import {
  formatCpuQuantity,
  formatMemoryQuantity,
  formatStorageQuantity,
} from './quantities';

describe('Kubernetes quantity strings', () => {
  it('writes whole cores as numbers and the rest in millicores', () => {
    expect(formatCpuQuantity(4000)).toBe('4');
    expect(formatCpuQuantity(100)).toBe('100m');
    expect(formatCpuQuantity(1500)).toBe('1500m');
    expect(formatCpuQuantity(0)).toBe('0');
  });

  it('writes whole GiB as Gi and the rest as Mi', () => {
    expect(formatMemoryQuantity(8192)).toBe('8Gi');
    expect(formatMemoryQuantity(512)).toBe('512Mi');
    expect(formatMemoryQuantity(1536)).toBe('1536Mi');
  });

  it('writes storage in Gi', () => {
    expect(formatStorageQuantity(200)).toBe('200Gi');
  });

  it('refuses fractions and negatives, which the model never produces', () => {
    expect(() => formatCpuQuantity(0.5)).toThrow(/cpuMillis/);
    expect(() => formatMemoryQuantity(-1)).toThrow(/memoryMiB/);
    expect(() => formatStorageQuantity(1.5)).toThrow(/storageGiB/);
  });
});
