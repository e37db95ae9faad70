import { parseQuantity as commonParseQuantity } from '@codemie-gcp/plugin-codemie-common';
import { cpuMillis, memoryBytes, memoryMiB, parseQuantity } from './quantity';

// The grammar: https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
describe("the sandbox's quantities", () => {
  it.each([
    '1.5Gi',
    '500m',
    '1e3',
    '0.1',
    '1Ki',
    '1Mi',
    '1Gi',
    '1Ti',
    '1k',
    '1M',
    '1G',
  ])('reads %s with the plugins’ one parser', quantity => {
    expect(parseQuantity(quantity)).toBe(commonParseQuantity(quantity));
  });

  it.each(['abc', '1GiB', '1 Gi', '1e3Gi', '1K'])(
    'refuses %j, as the API server does',
    quantity => {
      expect(() => parseQuantity(quantity)).toThrow(
        `quantities must be Kubernetes quantities, got '${quantity}'`,
      );
    },
  );

  it('takes an absent or empty quantity as zero', () => {
    expect(parseQuantity(undefined)).toBe(0);
    expect(parseQuantity('')).toBe(0);
  });

  it('rounds CPU up to whole millicores and memory up to whole bytes, as the scheduler counts', () => {
    expect(cpuMillis('0.1')).toBe(100);
    expect(cpuMillis('1500u')).toBe(2);
    expect(memoryBytes('1.5Gi')).toBe(1.5 * 2 ** 30);
    expect(memoryBytes('0.5')).toBe(1);
    expect(memoryMiB('1.5Gi')).toBe(1536);
  });
});
