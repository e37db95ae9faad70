import { V1Pod } from '@kubernetes/client-node';
import { diagnosePod, schedulingShortfall } from './diagnosePod';
import { parseCpuMillis, parseMemoryMiB } from '../sizing/parseQuantities';

function pod(
  status: V1Pod['status'],
  spec: Partial<V1Pod['spec']> = {},
): V1Pod {
  return {
    metadata: { name: 'codemie-api-abc', namespace: 'codemie' },
    spec: {
      nodeName: 'gke-node-0',
      containers: [
        {
          name: 'codemie',
          image: 'reg/codemie:1',
          resources: {
            requests: { cpu: '4', memory: '8Gi' },
            limits: { cpu: '8', memory: '8Gi' },
          },
        },
      ],
      ...spec,
    },
    status,
  };
}

describe('diagnosePod', () => {
  it('names an OOM kill with the memory limit, definitive once it keeps restarting', () => {
    const d = diagnosePod(
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'codemie',
            image: 'reg/codemie:1',
            imageID: '',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
          },
        ],
      }),
    );
    expect(d).toEqual({
      pod: 'codemie/codemie-api-abc',
      reason: 'OOMKilled',
      message:
        'OOMKilled: container codemie was killed for exceeding its memory limit 8Gi (4 restarts)',
      definitive: true,
    });
  });

  it('names a crash loop with its exit code, definitive from the third restart', () => {
    const status = (restartCount: number): V1Pod['status'] => ({
      phase: 'Running',
      containerStatuses: [
        {
          name: 'codemie',
          image: 'reg/codemie:1',
          imageID: '',
          ready: false,
          restartCount,
          state: {
            waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' },
          },
          lastState: { terminated: { reason: 'Error', exitCode: 1 } },
        },
      ],
    });
    expect(diagnosePod(pod(status(1)))).toMatchObject({
      reason: 'CrashLoopBackOff',
      message:
        'CrashLoopBackOff: container codemie keeps exiting (exit code 1, Error), 1 restarts',
      definitive: false,
    });
    expect(diagnosePod(pod(status(3))).definitive).toBe(true);
  });

  it('explains a running pod that is not ready with the failing probe event', () => {
    const d = diagnosePod(
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'codemie',
            image: 'reg/codemie:1',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: { running: {} },
          },
        ],
      }),
      [
        {
          metadata: {},
          involvedObject: {},
          type: 'Warning',
          reason: 'Unhealthy',
          message:
            'Readiness probe failed: HTTP probe failed with statuscode: 503',
          lastTimestamp: new Date('2026-01-01T00:00:10Z'),
        },
        {
          metadata: {},
          involvedObject: {},
          type: 'Normal',
          reason: 'Started',
          message: 'Started container codemie',
          lastTimestamp: new Date('2026-01-01T00:00:20Z'),
        },
      ],
    );
    expect(d).toMatchObject({
      reason: 'NotReady',
      message:
        'NotReady: container codemie running but not ready (Readiness probe failed: HTTP probe failed with statuscode: 503)',
      definitive: false,
    });
  });

  it('adds the shortfall against the freest node to an unschedulable pod', () => {
    const d = diagnosePod(
      pod(
        {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
            },
          ],
        },
        { nodeName: undefined },
      ),
      [],
      [
        { name: 'a', cpuMillis: 1500, memoryMiB: 9000 },
        { name: 'b', cpuMillis: 2500, memoryMiB: 4000 },
      ],
    );
    expect(d.message).toBe(
      'Unschedulable: 0/3 nodes are available: 3 Insufficient cpu. Shortfall: requests 4 CPU, 8Gi memory; most free on any of 2 node(s): 2500m CPU, 9000Mi memory; short by 1500m CPU.',
    );
    expect(d.definitive).toBe(true);
  });

  it('reads Kubernetes quantities', () => {
    expect([
      parseCpuMillis('4'),
      parseCpuMillis('100m'),
      parseCpuMillis('0.5'),
      parseCpuMillis('7910m'),
    ]).toEqual([4000, 100, 500, 7910]);
    expect([
      parseMemoryMiB('8Gi'),
      parseMemoryMiB('128Mi'),
      parseMemoryMiB('1048576Ki'),
      parseMemoryMiB('1G'),
    ]).toEqual([8192, 128, 1024, 1e9 / 1048576]);
    expect(
      schedulingShortfall({ cpuMillis: 100, memoryMiB: 128 }, []),
    ).toContain('the cluster has no nodes');
  });
});
