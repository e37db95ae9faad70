import type { V1Node } from '@kubernetes/client-node';
import { GKE_SYSTEM_PODS_PER_NODE } from '@codemie-gcp/plugin-codemie-common';
import { summarizeCluster, totalsOf } from './clusterSummary';
import { component, podRow } from '../__testUtils__/statusFixtures';
import type { GkeClusterInfo } from '../types';

const node = (name: string, pool: string): V1Node => ({
  metadata: { name, labels: { 'cloud.google.com/gke-nodepool': pool } },
  status: { allocatable: { cpu: '7910m', memory: '30Gi' } },
});

const gke: GkeClusterInfo = {
  name: 'projects/p/locations/europe-west3-a/clusters/demo',
  location: 'europe-west3-a',
  status: 'RUNNING',
  version: '1.33.5-gke.100',
  locations: ['europe-west3-a'],
  nodePools: [
    { name: 'system', machineType: 'e2-small', autoscaling: false },
    {
      name: 'codemie',
      machineType: 'e2-standard-8',
      minNodes: 1,
      maxNodes: 4,
      autoscaling: true,
    },
  ],
};

describe('summarizeCluster', () => {
  const nodes = [
    node('a', 'codemie'),
    node('b', 'codemie'),
    node('c', 'system'),
  ];

  it('picks the pool with most nodes as the environment’s and sums allocatable', () => {
    const summary = summarizeCluster(gke, nodes, []);
    expect(summary.nodePool).toEqual({
      name: 'codemie',
      machineType: 'e2-standard-8',
      nodes: 2,
      minNodes: 1,
      maxNodes: 4,
    });
    expect(summary.allocatable).toEqual({ cpu: 3 * 7910, memory: 3 * 30720 });
    expect(summary.version).toBe('1.33.5-gke.100');
  });

  it("requests: the scheduled, unfinished pods plus GKE's system share on every node", () => {
    const summary = summarizeCluster(gke, nodes, [
      component({
        podRows: [
          podRow({ cpu: { requests: 1000 }, memory: { requests: 2048 } }),
          podRow({
            node: undefined,
            state: 'Unschedulable',
            cpu: { requests: 500 },
            memory: { requests: 512 },
          }),
          podRow({
            state: 'Completed',
            cpu: { requests: 250 },
            memory: { requests: 256 },
          }),
        ],
      }),
    ]);
    expect(summary.requested).toEqual({
      cpu: 1000 + 3 * GKE_SYSTEM_PODS_PER_NODE.cpuMillis,
      memory: 2048 + 3 * GKE_SYSTEM_PODS_PER_NODE.memoryMiB,
    });
  });
});

describe('totalsOf', () => {
  it('sums the in-cluster components, leaving Cloud SQL out, usage only with metrics', () => {
    const components = [
      component({ cpu: { usage: 300, requests: 1000, baseline: 1000 } }),
      component({
        workloadKind: 'Managed',
        cpu: { requests: 0, baseline: 2000 },
      }),
    ];
    expect(totalsOf(components, true).cpu).toEqual({
      usage: 300,
      requests: 1000,
      baseline: 1000,
    });
    expect(totalsOf(components, false).cpu).toEqual({
      requests: 1000,
      baseline: 1000,
    });
  });
});
