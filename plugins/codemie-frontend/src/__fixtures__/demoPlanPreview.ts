import type { PlanPreview } from '../api';

/** A plan preview as `POST /api/codemie/v1/plan/preview` answers for 100 users in europe-west1. */
export const demoPlanPreview: PlanPreview = {
  tier: 'medium',
  components: [
    {
      id: 'codemie-api',
      name: 'CodeMie API',
      pods: 2,
      cpu: '1',
      memory: '4Gi',
      storage: '',
    },
    {
      id: 'codemie-ui',
      name: 'CodeMie UI',
      pods: 2,
      cpu: '100m',
      memory: '256Mi',
      storage: '',
    },
    {
      id: 'elasticsearch',
      name: 'Elasticsearch',
      pods: 3,
      cpu: '1',
      memory: '4Gi',
      storage: '40Gi',
    },
    {
      id: 'keycloak',
      name: 'Keycloak',
      pods: 1,
      cpu: '500m',
      memory: '1Gi',
      storage: '',
    },
    {
      id: 'litellm',
      name: 'LiteLLM proxy',
      pods: 1,
      cpu: '500m',
      memory: '1Gi',
      storage: '',
    },
    {
      id: 'fluent-bit',
      name: 'Fluent Bit',
      pods: 3,
      cpu: '100m',
      memory: '128Mi',
      storage: '',
    },
    {
      id: 'postgresql',
      name: 'PostgreSQL (Cloud SQL db-custom-2-7680)',
      pods: 0,
      cpu: '2',
      memory: '7.5Gi',
      storage: '20Gi',
    },
  ],
  nodePool: {
    machineType: 'n2-standard-8',
    minNodes: 3,
    maxNodes: 6,
    zones: 3,
  },
  monthlyCostUsd: 1187.42,
  costLines: [
    {
      item: 'GKE nodes',
      monthlyUsd: 842.1,
      detail: '3 × n2-standard-8 on-demand, 730 h',
    },
    {
      item: 'GKE cluster management',
      monthlyUsd: 73,
      detail: 'regional cluster fee',
    },
    {
      item: 'Cloud SQL',
      monthlyUsd: 221.32,
      detail: 'db-custom-2-7680, 20 GiB SSD',
    },
    {
      item: 'Persistent disks',
      monthlyUsd: 51,
      detail: '3 × 40 GiB pd-balanced + boot disks',
    },
  ],
  alternatives: [
    { pricing: 'spot', totalMonthlyUsd: 612.9 },
    { pricing: 'committed-1y', totalMonthlyUsd: 942.77 },
    { pricing: 'committed-3y', totalMonthlyUsd: 766.2 },
  ],
  pricesDate: '2025-11-01',
};
