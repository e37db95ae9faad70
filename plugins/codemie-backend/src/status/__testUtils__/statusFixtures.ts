/**
 * Small status fixtures for the detector and step tests: a component, a pod row and a cluster
 * with only what a test sets differing from a healthy default.
 */
import type {
  ComponentStatus,
  EnvironmentStatus,
  PodStatus,
} from '@codemie-gcp/plugin-codemie-common';

/** A ready, running API pod row on node-1, with `overrides`. */
export function podRow(overrides: Partial<PodStatus> = {}): PodStatus {
  return {
    name: 'codemie-api-0',
    namespace: 'codemie',
    node: 'node-1',
    phase: 'Running',
    ready: true,
    restarts: 0,
    state: 'Running',
    health: 'ok',
    cpu: { requests: 1000, limits: 2000 },
    memory: { requests: 2048, limits: 2048 },
    ...overrides,
  };
}

/** A healthy CodeMie API component with one pod row, with `overrides`. */
export function component(
  overrides: Partial<ComponentStatus> = {},
): ComponentStatus {
  return {
    id: 'codemie-api',
    displayName: 'CodeMie API',
    workloadKind: 'Deployment',
    namespace: 'codemie',
    enabled: true,
    health: 'ok',
    reasons: [],
    pods: { expected: 1, desired: 1, ready: 1, available: 1, restarts: 0 },
    cpu: { requests: 1000, baseline: 1000 },
    memory: { requests: 2048, baseline: 2048 },
    podRows: [podRow()],
    ...overrides,
  };
}

/** A cluster of `nodes` nodes of 8 allocatable cores / 30 GiB, half requested. */
export function cluster(
  overrides: Partial<EnvironmentStatus['cluster']> = {},
  nodes = 3,
): EnvironmentStatus['cluster'] {
  return {
    name: 'codemie',
    location: 'europe-west3-a',
    status: 'RUNNING',
    nodePool: {
      name: 'codemie-pool',
      machineType: 'e2-standard-8',
      nodes,
      minNodes: 1,
      maxNodes: nodes,
    },
    allocatable: { cpu: nodes * 8000, memory: nodes * 30720 },
    requested: { cpu: nodes * 4000, memory: nodes * 15360 },
    ...overrides,
  };
}
