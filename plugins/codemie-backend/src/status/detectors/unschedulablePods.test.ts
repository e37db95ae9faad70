import { unschedulablePods } from './unschedulablePods';
import { cluster, component, podRow } from '../__testUtils__/statusFixtures';

const pending = (name: string, message: string) =>
  podRow({
    name,
    node: undefined,
    phase: 'Pending',
    ready: false,
    state: 'Unschedulable',
    health: 'error',
    message,
    cpu: { requests: 4000 },
    memory: { requests: 8192 },
  });

describe('unschedulablePods', () => {
  it('finds nothing while every pod is placed', () => {
    expect(
      unschedulablePods({ component: component(), cluster: cluster() }),
    ).toEqual([]);
  });

  it('asks to raise the pool maximum by the nodes the pending pods need, with the free capacity', () => {
    const [problem] = unschedulablePods({
      component: component({
        health: 'error',
        podRows: [
          pending(
            'codemie-api-1',
            '0/3 nodes are available: 3 Insufficient cpu.',
          ),
          pending(
            'codemie-api-2',
            '0/3 nodes are available: 3 Insufficient cpu.',
          ),
        ],
      }),
      cluster: cluster(),
    });
    expect(problem).toEqual({
      severity: 'error',
      component: 'codemie-api',
      title: '2 CodeMie API pods cannot be scheduled',
      detail:
        'Pod codemie-api-1 Pending: 0/3 nodes are available: 3 Insufficient cpu.. ' +
        '12 of 24 allocatable cores and 45 GiB of 90 GiB are free; the pending pods request 8 cores and 16 GiB.',
      fix: 'Raise the node pool codemie-pool maximum from 3 to 4 nodes (or re-plan with a larger machine type than e2-standard-8).',
    });
  });

  it('counts on the autoscaler while the pool is below its maximum', () => {
    const [problem] = unschedulablePods({
      component: component({
        podRows: [
          pending('codemie-api-1', '0/3 nodes are available: Too many pods.'),
        ],
      }),
      cluster: cluster({
        nodePool: {
          name: 'codemie-pool',
          machineType: 'e2-standard-8',
          nodes: 3,
          maxNodes: 6,
        },
      }),
    });
    expect(problem.severity).toBe('warning');
    expect(problem.title).toBe('A CodeMie API pod cannot be scheduled');
    expect(problem.fix).toMatch(
      /^The node pool is at 3 of at most 6 nodes: the cluster autoscaler/,
    );
  });

  it('points at the constraints when capacity is not what is missing', () => {
    const [problem] = unschedulablePods({
      component: component({
        podRows: [
          pending(
            'codemie-api-1',
            "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
          ),
        ],
      }),
      cluster: cluster(),
    });
    expect(problem.fix).toBe(
      "Check the pods' node selectors, tolerations, anti-affinity and volume zones against the nodes.",
    );
  });
});
