import type { V1Pod } from '@kubernetes/client-node';
import { sizePreset } from '@codemie-gcp/plugin-codemie-common';
import { componentStatusOf, plannedComponents } from './componentStatus';
import { indexSnapshot } from './indexSnapshot';
import { DEFAULT_CLASSIFY_OPTIONS } from '../classifyHealth';
import type { ClusterSnapshot } from '../types';

const NOW = Date.parse('2026-11-30T10:00:00Z');
const labels = { 'app.kubernetes.io/component': 'elasticsearch' };

const pod = (name: string, ready: boolean): V1Pod => ({
  metadata: { name, namespace: 'elastic', labels },
  spec: {
    nodeName: 'node-a',
    containers: [
      {
        name: 'elasticsearch',
        resources: {
          requests: { cpu: '1500m', memory: '4Gi' },
          limits: { cpu: '3', memory: '4Gi' },
        },
      },
    ],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: `data-${name}` } },
    ],
  },
  status: {
    phase: 'Running',
    startTime: new Date(NOW - 86_400_000),
    conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    containerStatuses: [
      {
        name: 'elasticsearch',
        image: 'elasticsearch',
        imageID: '',
        ready,
        restartCount: 2,
        state: { running: { startedAt: new Date(NOW - 86_400_000) } },
      },
    ],
  },
});

const snapshot = (pods: V1Pod[]): ClusterSnapshot => ({
  pods,
  deployments: [],
  statefulSets: [
    {
      metadata: { name: 'elasticsearch-master', namespace: 'elastic', labels },
      spec: { replicas: 2 } as any,
      status: { replicas: 2, readyReplicas: 1, availableReplicas: 1 },
    },
  ],
  daemonSets: [],
  persistentVolumeClaims: [],
  events: [],
  nodes: [
    {
      metadata: { name: 'node-a' },
      status: { allocatable: { cpu: '8', memory: '32Gi' } },
    },
  ],
  podMetrics: pods.map(p => ({
    namespace: 'elastic',
    name: p.metadata!.name!,
    containers: [
      { name: 'elasticsearch', usage: { cpu: '250000000n', memory: '3Gi' } },
    ],
  })),
  volumeUsage: Object.fromEntries(
    pods.map(p => [
      `elastic/data-${p.metadata!.name}`,
      { usedBytes: 30 * 2 ** 30, capacityBytes: 100 * 2 ** 30 },
    ]),
  ),
});

describe('componentStatusOf', () => {
  const sizing = sizePreset('small');
  const plan = plannedComponents(sizing).find(p => p.id === 'elasticsearch')!;
  const build = (s: ClusterSnapshot) =>
    componentStatusOf(plan, {
      index: indexSnapshot(s),
      snapshot: s,
      now: NOW,
      classify: DEFAULT_CLASSIFY_OPTIONS,
    });

  it('sums live pods: usage from metrics, requests and limits from the specs, volumes from the kubelets', () => {
    const status = build(snapshot([pod('es-0', true), pod('es-1', true)]));
    expect(status.enabled).toBe(true);
    expect(status.namespace).toBe('elastic');
    expect(status.pods).toMatchObject({
      desired: 2,
      ready: 2,
      available: 1,
      restarts: 4,
    });
    expect(status.cpu).toMatchObject({
      usage: 500,
      requests: 3000,
      limits: 6000,
    });
    expect(status.memory).toMatchObject({
      usage: 6144,
      requests: 8192,
      limits: 8192,
    });
    expect(status.storage).toMatchObject({ capacityGiB: 200, usedGiB: 60 });
    expect(status.podRows.map(r => r.zone)).toEqual([undefined, undefined]);
  });

  it('lists the not-ready pod first and reports the component degraded', () => {
    const status = build(snapshot([pod('es-0', true), pod('es-1', false)]));
    expect(status.podRows.map(r => [r.name, r.ready])).toEqual([
      ['es-1', false],
      ['es-0', true],
    ]);
    expect(status.health).not.toBe('ok');
  });

  it('leaves usage out when metrics.k8s.io did not answer', () => {
    const s = { ...snapshot([pod('es-0', true)]), podMetrics: undefined };
    const status = build(s);
    expect(status.cpu.usage).toBeUndefined();
    expect(status.podRows[0].cpu.usage).toBeUndefined();
  });
});
