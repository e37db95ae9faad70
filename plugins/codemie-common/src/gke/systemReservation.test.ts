import {
  GKE_SYSTEM_PODS,
  GKE_SYSTEM_PODS_PER_NODE,
  perNodeSystemReservation,
} from './systemReservation';

describe('per-node system reservation', () => {
  it('is the sum of the listed GKE system pods', () => {
    expect(GKE_SYSTEM_PODS_PER_NODE.cpuMillis).toBe(
      GKE_SYSTEM_PODS.reduce((s, p) => s + p.requests.cpuMillis, 0),
    );
    expect(GKE_SYSTEM_PODS_PER_NODE).toEqual({
      cpuMillis: 600,
      memoryMiB: 800,
      pods: 8,
    });
    for (const pod of GKE_SYSTEM_PODS) expect(pod.source).not.toBe('');
  });

  it('adds one pod of every DaemonSet', () => {
    const fluentBit = { requests: { cpuMillis: 100, memoryMiB: 128 } };
    expect(perNodeSystemReservation([fluentBit])).toEqual({
      cpuMillis: 700,
      memoryMiB: 928,
      pods: 9,
    });
  });

  it("accepts an override of GKE's share", () => {
    expect(
      perNodeSystemReservation([], { cpuMillis: 1, memoryMiB: 2, pods: 3 }),
    ).toEqual({ cpuMillis: 1, memoryMiB: 2, pods: 3 });
  });
});
