import type { V1Pod } from '@kubernetes/client-node';
import { classifyComponent, classifyPod } from './classifyHealth';

const NOW = Date.parse('2026-08-03T10:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000);

function pod(status: V1Pod['status'], name = 'codemie-api-abc'): V1Pod {
  return {
    metadata: { name, namespace: 'codemie' },
    spec: { containers: [{ name: 'api' }] },
    status,
  };
}

const running = (since: number) => ({ running: { startedAt: ago(since) } });
const readyCondition = (ready: boolean) => [
  { type: 'PodScheduled', status: 'True' },
  { type: 'Ready', status: ready ? 'True' : 'False' },
];

describe('classifyPod', () => {
  it('a ready pod without recent restarts is ok', () => {
    const p = pod({
      phase: 'Running',
      conditions: readyCondition(true),
      containerStatuses: [
        {
          name: 'api',
          image: 'i',
          imageID: '',
          ready: true,
          restartCount: 0,
          state: running(3600),
        },
      ],
    });
    expect(classifyPod(p, [], NOW)).toEqual({ state: 'Running', health: 'ok' });
  });

  it('Pending and unschedulable: error with the FailedScheduling message', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: '0/3 nodes are available: 3 Insufficient cpu.',
        },
      ],
    });
    expect(classifyPod(p, [], NOW)).toEqual({
      state: 'Unschedulable',
      health: 'error',
      message: 'FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu.',
    });
  });

  it('CrashLoopBackOff after OOM kills names the OOM and the exit', () => {
    const p = pod({
      phase: 'Running',
      conditions: readyCondition(false),
      containerStatuses: [
        {
          name: 'api',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 7,
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 5m0s restarting failed container=api',
            },
          },
          lastState: {
            terminated: {
              reason: 'OOMKilled',
              exitCode: 137,
              finishedAt: ago(60),
            },
          },
        },
      ],
    });
    const h = classifyPod(p, [], NOW);
    expect(h).toMatchObject({
      state: 'CrashLoopBackOff',
      health: 'error',
      oomKilledContainer: 'api',
    });
    expect(h.message).toBe(
      'back-off 5m0s restarting failed container=api; last exit OOMKilled (exit code 137) at 2026-08-03T09:59:00.000Z; OOMKilled: the container reached its memory limit',
    );
  });

  it('an image that cannot be pulled is an error naming the image', () => {
    const p = pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        {
          name: 'api',
          image: 'registry/api:9.9',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            waiting: {
              reason: 'ImagePullBackOff',
              message: 'Back-off pulling image "registry/api:9.9"',
            },
          },
        },
      ],
    });
    expect(classifyPod(p, [], NOW)).toEqual({
      state: 'ImagePullBackOff',
      health: 'error',
      message:
        'container api: Back-off pulling image "registry/api:9.9" (image registry/api:9.9)',
    });
  });

  it('running but not ready: starting within the grace, readiness failing once a probe fails or the grace ends', () => {
    const status = (since: number) => ({
      phase: 'Running',
      conditions: readyCondition(false),
      containerStatuses: [
        {
          name: 'api',
          image: 'i',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: running(since),
        },
      ],
    });
    expect(classifyPod(pod(status(30)), [], NOW)).toMatchObject({
      state: 'Starting',
      health: 'pending',
    });
    const probe = {
      metadata: {},
      involvedObject: {},
      reason: 'Unhealthy',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
      lastTimestamp: ago(5),
    };
    expect(classifyPod(pod(status(30)), [probe], NOW)).toEqual({
      state: 'NotReady',
      health: 'error',
      message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    });
    expect(classifyPod(pod(status(1200)), [], NOW)).toMatchObject({
      state: 'NotReady',
      health: 'error',
      message: expect.stringContaining('never ready'),
    });
  });

  it('a ready pod OOM-killed in the last hour is a warning', () => {
    const p = pod({
      phase: 'Running',
      conditions: readyCondition(true),
      containerStatuses: [
        {
          name: 'api',
          image: 'i',
          imageID: '',
          ready: true,
          restartCount: 2,
          state: running(300),
          lastState: {
            terminated: {
              reason: 'OOMKilled',
              exitCode: 137,
              finishedAt: ago(310),
            },
          },
        },
      ],
    });
    expect(classifyPod(p, [], NOW)).toMatchObject({
      state: 'OOMKilled',
      health: 'warning',
    });
  });
});

describe('classifyComponent', () => {
  const ok = {
    name: 'a',
    ready: true,
    restarts: 0,
    state: 'Running',
    health: 'ok' as const,
  };
  const unschedulable = {
    name: 'b',
    ready: false,
    restarts: 0,
    state: 'Unschedulable',
    health: 'error' as const,
    message: 'FailedScheduling: Insufficient cpu',
  };

  it('serving with fewer ready pods than expected is a warning, reasons worst first', () => {
    expect(
      classifyComponent({
        enabled: true,
        deployed: true,
        expected: 2,
        ready: 1,
        pods: [ok, unschedulable],
      }),
    ).toEqual({
      health: 'warning',
      reasons: [
        'pod b Unschedulable: FailedScheduling: Insufficient cpu',
        '1 of 2 pods ready',
      ],
    });
  });

  it('no ready pod is an error, unless every pod is still starting', () => {
    expect(
      classifyComponent({
        enabled: true,
        deployed: true,
        expected: 1,
        ready: 0,
        pods: [unschedulable],
      }).health,
    ).toBe('error');
    const starting = {
      name: 'c',
      ready: false,
      restarts: 0,
      state: 'ContainerCreating',
      health: 'pending' as const,
    };
    expect(
      classifyComponent({
        enabled: true,
        deployed: true,
        expected: 1,
        ready: 0,
        pods: [starting],
      }).health,
    ).toBe('pending');
  });

  it('an enabled component with no workload in the cluster is not deployed', () => {
    expect(
      classifyComponent({
        enabled: true,
        deployed: false,
        expected: 1,
        ready: 0,
        pods: [],
      }),
    ).toEqual({
      health: 'error',
      reasons: ['not deployed: no workload found in the cluster'],
    });
  });

  it('every expected pod ready is ok', () => {
    expect(
      classifyComponent({
        enabled: true,
        deployed: true,
        expected: 1,
        ready: 1,
        pods: [ok],
      }),
    ).toEqual({ health: 'ok', reasons: [] });
  });
});
