import type { PlanPreview } from '../api';

/**
 * A plan preview as `POST /api/codemie/v1/plan/preview` answers for the template's defaults
 * (100 users, 20 GiB, 14 days, LiteLLM) in europe-west1, regional, public: the backend's own
 * output, recorded.
 */
export const demoPlanPreview: PlanPreview = {
  tier: 'medium',
  tierLabel: 'medium',
  components: [
    {
      id: 'codemie-api',
      name: 'CodeMie API',
      pods: 1,
      cpu: '2',
      memory: '6Gi',
      storage: '',
    },
    {
      id: 'codemie-ui',
      name: 'CodeMie UI',
      pods: 1,
      cpu: '100m',
      memory: '128Mi',
      storage: '',
    },
    {
      id: 'elasticsearch',
      name: 'Elasticsearch',
      pods: 2,
      cpu: '1',
      memory: '3Gi',
      storage: '50Gi',
    },
    {
      id: 'kibana',
      name: 'Kibana',
      pods: 1,
      cpu: '500m',
      memory: '1Gi',
      storage: '',
    },
    {
      id: 'mermaid-server',
      name: 'Mermaid server',
      pods: 1,
      cpu: '500m',
      memory: '512Mi',
      storage: '',
    },
    {
      id: 'keycloak',
      name: 'Keycloak',
      pods: 1,
      cpu: '1',
      memory: '1280Mi',
      storage: '',
    },
    {
      id: 'oauth2-proxy',
      name: 'OAuth2 Proxy',
      pods: 1,
      cpu: '100m',
      memory: '128Mi',
      storage: '',
    },
    {
      id: 'mcp-connect',
      name: 'MCP Connect',
      pods: 1,
      cpu: '100m',
      memory: '1Gi',
      storage: '',
    },
    {
      id: 'llm-proxy',
      name: 'LLM Proxy (LiteLLM)',
      pods: 1,
      cpu: '500m',
      memory: '1Gi',
      storage: '',
    },
    {
      id: 'ingress-nginx',
      name: 'Ingress controller (ingress-nginx)',
      pods: 1,
      cpu: '100m',
      memory: '128Mi',
      storage: '',
    },
    {
      id: 'fluent-bit',
      name: 'Fluent Bit',
      pods: 9,
      cpu: '100m',
      memory: '128Mi',
      storage: '',
    },
    {
      id: 'postgresql',
      name: 'PostgreSQL (Cloud SQL db-custom-1-3840)',
      pods: 0,
      cpu: '1',
      memory: '3840Mi',
      storage: '35Gi',
    },
  ],
  nodePool: {
    machineType: 'e2-standard-4',
    minNodes: 9,
    maxNodes: 12,
    zones: 3,
    survival: {
      runs: 216,
      survived: 216,
      orders: 24,
      drains: true,
    },
  },
  monthlyCostUsd: 1351,
  monthlyCostRangeUsd: {
    min: 1351,
    max: 1703.87,
  },
  costLines: [
    {
      item: 'GKE nodes (9 \u00d7 e2-standard-4, on-demand)',
      monthlyUsd: 968.62,
      detail:
        '9 \u00d7 $0.14743092/h \u00d7 730 h at the autoscaling minimum; up to 12 nodes ($1291.49) when the autoscaler scales out',
    },
    {
      item: 'Node boot disks',
      monthlyUsd: 90,
      detail: "9 nodes' boot disks (planner's boot disk)",
    },
    {
      item: 'Elasticsearch volumes (pd-balanced)',
      monthlyUsd: 10,
      detail: '2 \u00d7 50 GiB \u00d7 $0.1/GiB-month',
    },
    {
      item: 'Cloud SQL for PostgreSQL instance (db-custom-1-3840, high availability)',
      monthlyUsd: 108.49,
      detail:
        '2 \u00d7 (1 vCPU \u00d7 $0.0454/h + 3.75 GiB \u00d7 $0.0077/h) \u00d7 730 h; estimated: us-central1 list prices \u00d7 1.100 (compute) / \u00d7 1.000 (storage) for europe-west1; a standby in a second zone, because the cluster is regional',
      estimate: true,
    },
    {
      item: 'Cloud SQL storage (35 GB SSD, replicated)',
      monthlyUsd: 11.9,
      detail: "2 \u00d7 35 GB \u00d7 $0.17/GB-month (includes Keycloak's 1 GB)",
      estimate: true,
    },
    {
      item: 'Cloud SQL backups (daily, 7 kept)',
      monthlyUsd: 2.8,
      detail:
        'estimate: about 35 GB of backups (incremental after the first full one) \u00d7 $0.08/GB-month',
      estimate: true,
    },
    {
      item: 'GKE cluster management fee',
      monthlyUsd: 73,
      detail: '$0.1/cluster-hour \u00d7 730 h',
    },
    {
      item: 'Cloud NAT',
      monthlyUsd: 37.2,
      detail:
        'gateway $0.0448/h \u00d7 730 h + 100 GiB \u00d7 $0.045/GiB (image pulls, outbound API calls: estimate)',
    },
    {
      item: 'Load balancing (1 forwarding rule)',
      monthlyUsd: 19.85,
      detail:
        '1 \u00d7 $0.025/h \u00d7 730 h + 200 GiB \u00d7 $0.008/GiB; us-central1 list prices (no europe-west1 figures in the price table)',
      estimate: true,
    },
    {
      item: 'Network egress (estimate)',
      monthlyUsd: 28,
      detail:
        'estimate: 200 GiB to users (2 GiB per concurrent user) \u00d7 $0.12/GiB + 400 GiB between zones (4 GiB per user: API, Elasticsearch and database traffic across zones) \u00d7 $0.01/GiB',
      estimate: true,
    },
    {
      item: 'Cloud DNS (1 managed zone)',
      monthlyUsd: 0.6,
      detail:
        '1 \u00d7 $0.2/zone-month; queries (about 1 million) \u00d7 $0.4/million: estimate',
    },
    {
      item: 'Secret Manager (3 secrets)',
      monthlyUsd: 0.18,
      detail:
        '3 active versions (database passwords) \u00d7 $0.06/month; reads only at deploy (negligible)',
    },
    {
      item: 'Cloud KMS (1 key)',
      monthlyUsd: 0.36,
      detail:
        "1 key version (CodeMie's ENCRYPTION_TYPE=gcp) \u00d7 $0.06/month + 100,000 operations (estimate: 1000 per user) \u00d7 $0.03/10,000",
    },
    {
      item: 'Cloud Logging (beyond the free tier)',
      monthlyUsd: 0,
      detail:
        'estimate: GKE sends about 36 GiB of container and system logs a month; the first 50 GiB are free, 0 GiB \u00d7 $0.5/GiB',
      estimate: true,
    },
  ],
  alternatives: [
    {
      pricing: 'spot',
      totalMonthlyUsd: 851.53,
    },
    {
      pricing: 'committed-1y',
      totalMonthlyUsd: 992.61,
    },
    {
      pricing: 'committed-3y',
      totalMonthlyUsd: 818.26,
    },
  ],
  pricesDate: '2026-07-30',
  nextStep: {
    concurrentUsers: 191,
    machineType: 'e2-standard-8',
    minNodes: 6,
    monthlyCostUsd: 1781.61,
  },
};
