/*
 * A realistic CodeMie environment for tests and the dev page: the twelve components of the
 * production tier on a 3 × n2-standard-8 node pool, with
 *
 * - `mcp-connect` crash-looping (CrashLoopBackOff, 7 restarts, OOMKilled at its 1 GiB limit),
 * - the second `codemie-api` replica Pending (FailedScheduling: Insufficient cpu),
 * - `kibana` still starting (ContainerCreating),
 * - everything else healthy.
 *
 * Units follow the status contract: CPU millicores, memory MiB, storage GiB, USD per month.
 */
import { Entity } from '@backstage/catalog-model';
import {
  CODEMIE_ANNOTATIONS,
  CODEMIE_ENVIRONMENT_TYPE,
  ComponentStatus,
  EnvironmentStatus,
  PodStatus,
  SizingAdvice,
  UsageHistory,
} from '@codemie-gcp/plugin-codemie-common';

const PROJECT = 'codemie-demo';
const REGION = 'europe-west4';
const CLUSTER = `projects/${PROJECT}/locations/${REGION}/clusters/codemie-demo`;
const NODES = [
  {
    name: 'gke-codemie-demo-codemie-pool-3f9a2c1e-7k2p',
    zone: 'europe-west4-a',
  },
  {
    name: 'gke-codemie-demo-codemie-pool-8b41d0aa-q9xm',
    zone: 'europe-west4-b',
  },
  {
    name: 'gke-codemie-demo-codemie-pool-c27e95f3-h4tz',
    zone: 'europe-west4-c',
  },
];
const READ_AT = '2026-08-03T09:41:27Z';

/** The catalog entity of the demo environment. */
export const demoEntity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'codemie-demo',
    namespace: 'default',
    title: 'CodeMie demo',
    description: 'Demo CodeMie environment (production tier, private option)',
    annotations: {
      [CODEMIE_ANNOTATIONS.gcpProject]: PROJECT,
      [CODEMIE_ANNOTATIONS.gkeCluster]: CLUSTER,
      [CODEMIE_ANNOTATIONS.cloudSqlInstance]: `${PROJECT}:${REGION}:codemie-postgresql`,
      [CODEMIE_ANNOTATIONS.tier]: 'production',
      [CODEMIE_ANNOTATIONS.option]: 'private',
      [CODEMIE_ANNOTATIONS.kubernetesId]: 'codemie-demo',
    },
  },
  spec: {
    type: CODEMIE_ENVIRONMENT_TYPE,
    owner: 'group:default/platform',
    lifecycle: 'production',
  },
};

interface PodInput {
  name: string;
  namespace: string;
  node?: number;
  cpu: PodStatus['cpu'];
  memory: PodStatus['memory'];
  restarts?: number;
  phase?: string;
  ready?: boolean;
  state?: string;
  health?: PodStatus['health'];
  message?: string;
  startedAt?: string;
}

function pod(p: PodInput): PodStatus {
  const node = p.node === undefined ? undefined : NODES[p.node];
  return {
    name: p.name,
    namespace: p.namespace,
    node: node?.name,
    zone: node?.zone,
    phase: p.phase ?? 'Running',
    ready: p.ready ?? true,
    restarts: p.restarts ?? 0,
    state: p.state ?? 'Running',
    health: p.health ?? 'ok',
    message: p.message,
    cpu: p.cpu,
    memory: p.memory,
    startedAt: p.startedAt ?? (node ? '2026-08-01T07:12:40Z' : undefined),
  };
}

function sum(
  pods: PodStatus[],
  key: 'cpu' | 'memory',
  field: 'usage' | 'requests',
) {
  const values = pods.map(p => p[key][field]);
  if (field === 'usage' && values.every(v => v === undefined)) return undefined;
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

function limitsOf(pods: PodStatus[], key: 'cpu' | 'memory') {
  if (pods.some(p => p[key].limits === undefined)) return undefined;
  return pods.reduce((a, p) => a + (p[key].limits ?? 0), 0);
}

interface ComponentInput extends Omit<
  ComponentStatus,
  'pods' | 'cpu' | 'memory' | 'enabled' | 'reasons'
> {
  expected: number;
  baseline: { cpu: number; memory: number };
  reasons?: string[];
  enabled?: boolean;
}

function component(c: ComponentInput): ComponentStatus {
  const { expected, baseline, podRows, ...rest } = c;
  const ready = podRows.filter(p => p.ready).length;
  return {
    ...rest,
    enabled: c.enabled ?? true,
    reasons: c.reasons ?? [],
    pods: {
      expected,
      desired: c.workloadKind === 'Managed' ? 0 : expected,
      ready,
      available: ready,
      restarts: podRows.reduce((a, p) => a + p.restarts, 0),
    },
    cpu: {
      usage: sum(podRows, 'cpu', 'usage'),
      requests: sum(podRows, 'cpu', 'requests') ?? 0,
      limits: limitsOf(podRows, 'cpu'),
      baseline: baseline.cpu,
    },
    memory: {
      usage: sum(podRows, 'memory', 'usage'),
      requests: sum(podRows, 'memory', 'requests') ?? 0,
      limits: limitsOf(podRows, 'memory'),
      baseline: baseline.memory,
    },
    podRows,
  };
}

const CRASH_MESSAGE =
  'Back-off 5m0s restarting failed container mcp-connect in pod codemie-mcp-connect-service-0; last state: Terminated (OOMKilled, exit code 137) at 09:38:02';
const UNSCHEDULABLE_MESSAGE =
  '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';

const components: ComponentStatus[] = [
  component({
    id: 'codemie-api',
    displayName: 'CodeMie API',
    workloadKind: 'Deployment',
    namespace: 'codemie',
    health: 'warning',
    reasons: ['1 of 2 pods Pending: FailedScheduling (Insufficient cpu)'],
    expected: 2,
    baseline: { cpu: 8000, memory: 16384 },
    podRows: [
      pod({
        name: 'codemie-api-7c9d8f6b5d-2xq7n',
        namespace: 'codemie',
        node: 0,
        cpu: { usage: 2850, requests: 4000, limits: 8000 },
        memory: { usage: 5320, requests: 8192, limits: 8192 },
      }),
      pod({
        name: 'codemie-api-7c9d8f6b5d-m4w8k',
        namespace: 'codemie',
        phase: 'Pending',
        ready: false,
        state: 'Unschedulable',
        health: 'error',
        message: UNSCHEDULABLE_MESSAGE,
        cpu: { requests: 4000, limits: 8000 },
        memory: { requests: 8192, limits: 8192 },
      }),
    ],
  }),
  component({
    id: 'codemie-ui',
    displayName: 'CodeMie UI',
    workloadKind: 'Deployment',
    namespace: 'codemie',
    health: 'ok',
    expected: 1,
    baseline: { cpu: 100, memory: 128 },
    podRows: [
      pod({
        name: 'codemie-ui-5f7b9c8d44-kq2rt',
        namespace: 'codemie',
        node: 1,
        cpu: { usage: 4, requests: 100, limits: 200 },
        memory: { usage: 41, requests: 128, limits: 128 },
      }),
    ],
  }),
  component({
    id: 'elasticsearch',
    displayName: 'Elasticsearch',
    workloadKind: 'StatefulSet',
    namespace: 'elastic',
    health: 'ok',
    expected: 2,
    baseline: { cpu: 8000, memory: 32768 },
    storage: { capacityGiB: 400, usedGiB: 262.5, baselineGiB: 400 },
    podRows: [
      pod({
        name: 'elasticsearch-master-0',
        namespace: 'elastic',
        node: 1,
        cpu: { usage: 2410, requests: 4000, limits: 8000 },
        memory: { usage: 15210, requests: 16384, limits: 16384 },
      }),
      pod({
        name: 'elasticsearch-master-1',
        namespace: 'elastic',
        node: 2,
        cpu: { usage: 2790, requests: 4000, limits: 8000 },
        memory: { usage: 14890, requests: 16384, limits: 16384 },
      }),
    ],
  }),
  component({
    id: 'kibana',
    displayName: 'Kibana',
    workloadKind: 'Deployment',
    namespace: 'elastic',
    health: 'pending',
    reasons: ['Pod starting: ContainerCreating (pulling image)'],
    expected: 1,
    baseline: { cpu: 1000, memory: 1024 },
    podRows: [
      pod({
        name: 'kibana-kibana-6d5c7b9f8-tz5vw',
        namespace: 'elastic',
        node: 2,
        phase: 'Pending',
        ready: false,
        state: 'ContainerCreating',
        health: 'pending',
        message:
          'Pulling image "docker.elastic.co/kibana/kibana:8.15.2" (started 40 s ago)',
        cpu: { requests: 1000, limits: 2000 },
        memory: { requests: 1024, limits: 1024 },
        startedAt: '2026-08-03T09:40:47Z',
      }),
    ],
  }),
  component({
    id: 'mermaid-server',
    displayName: 'Mermaid server',
    workloadKind: 'Deployment',
    namespace: 'codemie',
    health: 'ok',
    expected: 1,
    baseline: { cpu: 1000, memory: 512 },
    podRows: [
      pod({
        name: 'mermaid-server-84f6d7c9b-8lx2d',
        namespace: 'codemie',
        node: 0,
        cpu: { usage: 38, requests: 1000, limits: 2000 },
        memory: { usage: 196, requests: 512, limits: 512 },
      }),
    ],
  }),
  {
    id: 'postgresql',
    displayName: 'PostgreSQL (Cloud SQL)',
    workloadKind: 'Managed',
    enabled: true,
    health: 'ok',
    reasons: [],
    pods: { expected: 0, desired: 0, ready: 0, available: 0, restarts: 0 },
    cpu: { usage: 310, requests: 2000, baseline: 2000 },
    memory: { usage: 3180, requests: 8192, baseline: 8192 },
    storage: { capacityGiB: 50, usedGiB: 6.4, baselineGiB: 50 },
    podRows: [],
  },
  component({
    id: 'keycloak',
    displayName: 'Keycloak',
    workloadKind: 'StatefulSet',
    namespace: 'security',
    health: 'ok',
    expected: 2,
    baseline: { cpu: 2500, memory: 4608 },
    storage: { capacityGiB: 1, usedGiB: 0.2, baselineGiB: 1 },
    podRows: [
      pod({
        name: 'keycloak-0',
        namespace: 'security',
        node: 2,
        cpu: { usage: 122, requests: 2000, limits: 4000 },
        memory: { usage: 1480, requests: 4096, limits: 4096 },
      }),
      pod({
        name: 'keycloak-postgresql-0',
        namespace: 'security',
        node: 2,
        cpu: { usage: 11, requests: 500, limits: 1000 },
        memory: { usage: 88, requests: 512, limits: 512 },
      }),
    ],
  }),
  component({
    id: 'oauth2-proxy',
    displayName: 'OAuth2 Proxy',
    workloadKind: 'Deployment',
    namespace: 'oauth2-proxy',
    health: 'ok',
    expected: 1,
    baseline: { cpu: 100, memory: 128 },
    podRows: [
      pod({
        name: 'oauth2-proxy-6b8c9d7f5-wp6jn',
        namespace: 'oauth2-proxy',
        node: 0,
        cpu: { usage: 3, requests: 100, limits: 200 },
        memory: { usage: 24, requests: 128, limits: 128 },
      }),
    ],
  }),
  component({
    id: 'nats',
    displayName: 'NATS',
    workloadKind: 'StatefulSet',
    namespace: 'codemie',
    health: 'ok',
    expected: 2,
    baseline: { cpu: 1100, memory: 640 },
    podRows: [
      pod({
        name: 'codemie-nats-0',
        namespace: 'codemie',
        node: 1,
        cpu: { usage: 9, requests: 1000, limits: 2000 },
        memory: { usage: 31, requests: 512, limits: 512 },
      }),
      pod({
        name: 'codemie-nats-auth-callout-7d9f8b6c5-r2v4s',
        namespace: 'codemie',
        node: 1,
        cpu: { usage: 1, requests: 100, limits: 200 },
        memory: { usage: 18, requests: 128, limits: 128 },
      }),
    ],
  }),
  component({
    id: 'mcp-connect',
    displayName: 'MCP Connect',
    workloadKind: 'StatefulSet',
    namespace: 'codemie',
    health: 'error',
    reasons: [
      'CrashLoopBackOff: 7 restarts in 25 min',
      'Last exit OOMKilled at the 1 GiB memory limit',
    ],
    expected: 1,
    baseline: { cpu: 500, memory: 1024 },
    podRows: [
      pod({
        name: 'codemie-mcp-connect-service-0',
        namespace: 'codemie',
        node: 0,
        ready: false,
        restarts: 7,
        state: 'CrashLoopBackOff',
        health: 'error',
        message: CRASH_MESSAGE,
        cpu: { usage: 412, requests: 500, limits: 1000 },
        memory: { usage: 1019, requests: 1024, limits: 1024 },
        startedAt: '2026-08-03T09:16:31Z',
      }),
    ],
  }),
  component({
    id: 'fluent-bit',
    displayName: 'Fluent Bit',
    workloadKind: 'DaemonSet',
    namespace: 'fluentbit',
    health: 'ok',
    expected: 3,
    baseline: { cpu: 300, memory: 384 },
    podRows: NODES.map((_, i) =>
      pod({
        name: `fluent-bit-${['9zq4x', 'bm7kd', 'tq2lc'][i]}`,
        namespace: 'fluentbit',
        node: i,
        cpu: { usage: [21, 18, 24][i], requests: 100, limits: 200 },
        memory: { usage: [46, 44, 51][i], requests: 128, limits: 128 },
      }),
    ),
  }),
  component({
    id: 'llm-proxy',
    displayName: 'LLM Proxy (LiteLLM)',
    workloadKind: 'Deployment',
    namespace: 'litellm',
    health: 'ok',
    expected: 1,
    baseline: { cpu: 1000, memory: 1024 },
    podRows: [
      pod({
        name: 'litellm-5c8d7b6f9-hx3qp',
        namespace: 'litellm',
        node: 1,
        cpu: { usage: 265, requests: 1000, limits: 2000 },
        memory: { usage: 702, requests: 1024, limits: 1024 },
      }),
    ],
  }),
];

function totalOf(key: 'cpu' | 'memory') {
  const inCluster = components.filter(c => c.workloadKind !== 'Managed');
  return {
    usage: inCluster.reduce((a, c) => a + (c[key].usage ?? 0), 0),
    requests: inCluster.reduce((a, c) => a + c[key].requests, 0),
    baseline: inCluster.reduce((a, c) => a + c[key].baseline, 0),
  };
}

/** The demo environment's status, as `GET …/status` returns it. */
export const demoStatus: EnvironmentStatus = {
  entityRef: 'resource:default/codemie-demo',
  readAt: READ_AT,
  environment: {
    name: 'codemie-demo',
    projectId: PROJECT,
    option: 'private',
    tier: 'production',
    region: REGION,
    domain: 'codemie.demo.example.com',
  },
  verdict: {
    health: 'error',
    reasons: [
      'MCP Connect is crash-looping (CrashLoopBackOff, 7 restarts): OOMKilled at its 1 GiB limit',
      'CodeMie API runs 1 of 2 replicas: the second cannot be scheduled (Insufficient cpu)',
      'Kibana is starting (ContainerCreating)',
    ],
    healthyComponents: 9,
    enabledComponents: 12,
  },
  components,
  totals: { cpu: totalOf('cpu'), memory: totalOf('memory') },
  cluster: {
    name: CLUSTER,
    location: REGION,
    status: 'RUNNING',
    version: '1.33.2-gke.1240000',
    nodePool: {
      name: 'codemie-pool',
      machineType: 'n2-standard-8',
      nodes: 3,
      minNodes: 3,
      maxNodes: 3,
    },
    allocatable: { cpu: 23730, memory: 87852 },
    requested: { cpu: 20950, memory: 52864 },
  },
  database: {
    instance: `${PROJECT}:${REGION}:codemie-postgresql`,
    state: 'RUNNABLE',
    tier: 'db-custom-2-8192',
    diskSizeGiB: 50,
    diskUsedGiB: 6.4,
  },
  monthlyCostUsd: 1187.42,
  access: {
    codemieUrl: 'https://codemie.demo.example.com',
    kibanaUrl: 'https://kibana.codemie.demo.example.com',
    keycloakAdminUrl: 'https://keycloak.codemie.demo.example.com/admin',
    getCredentialsCommand: `gcloud container clusters get-credentials codemie-demo --location ${REGION} --project ${PROJECT} --internal-ip`,
    bastionSshCommand: `gcloud compute ssh codemie-demo-bastion --zone ${REGION}-a --project ${PROJECT} --tunnel-through-iap -- -L 8888:127.0.0.1:8888`,
  },
  problems: [
    {
      severity: 'warning',
      component: 'codemie-api',
      title: 'A CodeMie API replica cannot be scheduled',
      detail: `Pod codemie-api-7c9d8f6b5d-m4w8k Pending for 14 min: ${UNSCHEDULABLE_MESSAGE} The node pool is at its maximum of 3 nodes; 2.78 of 23.73 allocatable cores are free and the pod requests 4.`,
      fix: 'Raise the node pool maximum from 3 to 4 nodes (or choose n2-standard-16); the cluster autoscaler then places the replica.',
    },
    {
      severity: 'error',
      component: 'mcp-connect',
      title: 'MCP Connect is crash-looping',
      detail: `Pod codemie-mcp-connect-service-0: CrashLoopBackOff, 7 restarts in 25 min. ${CRASH_MESSAGE}. Memory before the kill: 1019 of 1024 MiB.`,
      fix: 'Raise mcp-connect memory request and limit from 1Gi to 2Gi (Helm values resources.requests.memory and resources.limits.memory) and redeploy.',
    },
  ],
  advice: [
    {
      component: 'mcp-connect',
      change: 'raise-memory',
      summary: 'MCP Connect memory at its limit, OOMKilled 7 times → 2 GiB',
      evidence:
        'p95 memory 1012 of 1024 MiB over 72 h (864 samples); 7 OOM kills',
      from: 1024,
      to: 2048,
      monthlyCostDeltaUsd: 3.62,
    },
    {
      component: 'elasticsearch',
      change: 'grow-storage',
      summary:
        'Elasticsearch volumes 66% full, growing 4.1 GiB/day → 300 GiB per pod',
      evidence:
        '262.5 of 400 GiB used; at the 7-day growth rate the 85% watermark is reached in 19 days',
      from: 200,
      to: 300,
      monthlyCostDeltaUsd: 20.0,
    },
    {
      component: 'mermaid-server',
      change: 'lower-cpu',
      summary: 'Mermaid server uses under 5% of its CPU request → 250m',
      evidence: 'p95 CPU 46m of 1000m over 7 d (2016 samples)',
      from: 1000,
      to: 250,
      monthlyCostDeltaUsd: -15.07,
    },
  ],
  metricsAvailable: true,
};

/** The demo environment's status before metrics-server has reported anything. */
export const demoStatusWithoutMetrics: EnvironmentStatus = {
  ...demoStatus,
  metricsAvailable: false,
  components: demoStatus.components.map(c => ({
    ...c,
    cpu: { ...c.cpu, usage: undefined },
    memory: { ...c.memory, usage: undefined },
    podRows: c.podRows.map(p => ({
      ...p,
      cpu: { ...p.cpu, usage: undefined },
      memory: { ...p.memory, usage: undefined },
    })),
  })),
  totals: {
    cpu: { ...demoStatus.totals.cpu, usage: undefined },
    memory: { ...demoStatus.totals.memory, usage: undefined },
  },
  advice: [],
  adviceNote: 'No usage history yet; advice needs 24 h of samples.',
};

/** A healthy variant: every component ok, no problems. */
export const healthyStatus: EnvironmentStatus = {
  ...demoStatus,
  verdict: {
    health: 'ok',
    reasons: [],
    healthyComponents: 12,
    enabledComponents: 12,
  },
  components: demoStatus.components.map(c => ({
    ...c,
    health: 'ok',
    reasons: [],
    pods: {
      ...c.pods,
      ready: c.pods.expected,
      available: c.pods.expected,
      restarts: 0,
    },
    podRows: c.podRows.map(p => ({
      ...p,
      phase: 'Running',
      ready: true,
      restarts: 0,
      state: 'Running',
      health: 'ok' as const,
      message: undefined,
    })),
  })),
  problems: [],
};

/**
 * Deterministic usage history: hourly samples over the window, with a daily cycle per
 * component around its current use.
 */
export function demoHistory(window: '24h' | '7d' = '7d'): UsageHistory {
  const hours = window === '24h' ? 24 : 7 * 24;
  const end = Date.parse(READ_AT);
  const points: UsageHistory['points'] = [];
  for (let i = hours; i >= 0; i--) {
    const at = new Date(end - i * 3600_000);
    const hourOfDay = at.getUTCHours();
    // Working hours (07-19 UTC) are busier.
    const daily =
      0.6 + 0.4 * Math.max(0, Math.sin(((hourOfDay - 7) / 12) * Math.PI));
    const entry: Record<string, { cpu: number; memory: number }> = {};
    components.forEach((c, index) => {
      if (c.workloadKind === 'Managed') return;
      const wobble = 1 + 0.08 * Math.sin(i * 0.7 + index);
      const cpu = (c.cpu.usage ?? c.cpu.requests * 0.3) * daily * wobble;
      const memory =
        (c.memory.usage ?? c.memory.requests * 0.5) * (0.85 + 0.15 * daily);
      entry[c.id] = { cpu: Math.round(cpu), memory: Math.round(memory) };
    });
    points.push({ at: at.toISOString(), components: entry });
  }
  return { entityRef: demoStatus.entityRef, window, points };
}

const medium = {
  tier: 'medium',
  summary: 'medium tier',
  monthlyCostDeltaUsd: 442.78,
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 20,
    logRetentionDays: 14,
    llmProxyType: 'litellm' as const,
    includeNats: false,
  },
};

const sandboxAdvice: SizingAdvice[] = [
  {
    component: 'elasticsearch',
    change: 'grow-storage',
    summary: 'Elasticsearch disk 87% full → 90 GiB per pod (+$15.86/month)',
    evidence:
      '52.2 of 60 GiB used (2 volumes), 2016 samples over 7 days; at 2.7 GiB/day the volumes are full in 2 days',
    from: 30,
    to: 90,
    monthlyCostDeltaUsd: 15.86,
    resize: {
      tier: 'custom',
      summary: '70 GiB of vector datasources (custom)',
      sizing: {
        ...medium.sizing,
        concurrentUsers: 25,
        vectorDatasourceGiB: 70,
        logRetentionDays: 7,
      },
    },
  },
  {
    component: 'codemie-api',
    change: 'raise-memory',
    summary:
      'CodeMie API memory above 90% of its limit for 7 days → 2.75 GiB per pod (+$48.18/month)',
    evidence:
      'p95 memory 1976 of 2048 MiB requested (and limit) per pod over 7 days (2016 samples)',
    from: 2048,
    to: 2816,
    monthlyCostDeltaUsd: 48.18,
    resize: medium,
  },
  {
    component: 'mermaid-server',
    change: 'lower-cpu',
    summary:
      'Mermaid server uses under 8% of its CPU request → 50m per pod (no cost change: same node count)',
    evidence:
      'p95 CPU 19m of 250m requested per pod over 7 days (2016 samples)',
    from: 250,
    to: 50,
    monthlyCostDeltaUsd: 0,
  },
];

/**
 * The demo's status with advice on the sandbox's generated history: pieces with and without a
 * resize that carries them out.
 */
export const sandboxAdviceStatus: EnvironmentStatus = {
  ...demoStatus,
  advice: sandboxAdvice,
  adviceNote: undefined,
  historyOrigin: 'sandbox',
};
