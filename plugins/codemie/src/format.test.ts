import {
  formatCostDelta,
  formatCpu,
  formatMemory,
  formatStorage,
  formatUsd,
  percentOf,
} from './format';

describe('format', () => {
  it('formats CPU millicores', () => {
    expect(formatCpu(850)).toBe('850m');
    expect(formatCpu(1000)).toBe('1 core');
    expect(formatCpu(2850)).toBe('2.85 cores');
    expect(formatCpu(8000)).toBe('8 cores');
  });

  it('formats memory MiB', () => {
    expect(formatMemory(512)).toBe('512 MiB');
    expect(formatMemory(1024)).toBe('1 GiB');
    expect(formatMemory(5320)).toBe('5.2 GiB');
  });

  it('formats storage and money', () => {
    expect(formatStorage(262.5)).toBe('262.5 GiB');
    expect(formatUsd(1187.42)).toBe('$1,187.42');
    expect(formatCostDelta(3.62)).toBe('+$3.62/month');
    expect(formatCostDelta(-15.07)).toBe('−$15.07/month');
    expect(formatCostDelta(0)).toBe('±$0.00/month');
  });

  it('computes percentages safely', () => {
    expect(percentOf(2850, 4000)).toBe(71);
    expect(percentOf(5, 0)).toBeUndefined();
  });
});
