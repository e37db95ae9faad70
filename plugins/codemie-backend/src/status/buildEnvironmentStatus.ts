/**
 * Builds the status response from what was read: the tier's sizing, the listed Kubernetes
 * objects, live metrics, volume stats, the GKE cluster and the Cloud SQL instance. Pure: no
 * I/O, the clock is an argument.
 */
import type {
  CoreV1Event as V1Event,
  V1Container,
  V1Pod,
} from '@kubernetes/client-node';
import {
  COMPONENT_CATALOG,
  ComponentId,
  ComponentStatus,
  DetectedProblem,
  EnvironmentAccess,
  EnvironmentStatus,
  GKE_SYSTEM_PODS_PER_NODE,
  HealthLevel,
  PodStatus,
  ResourceComparison,
  SizedWorkload,
  SizingAdvice,
  catalogRow,
  NodeFree,
  diagnosePod,
  parseCpuMillis as cpuMillis,
  parseMemoryMiB as memoryMiB,
  roundTo as round,
  parseStorageGiB as storageGiB,
} from '@codemie-gcp/plugin-codemie-common';
import { componentOfLabels, rowOf } from './componentOfPod';
import {
  ClassifiedPod,
  ClassifyOptions,
  DEFAULT_CLASSIFY_OPTIONS,
  PodHealth,
  classifyComponent,
  classifyPod,
  severity,
  toMs,
  worse,
} from './classifyHealth';
import type {
  ClusterSnapshot,
  DnsRead,
  DatabaseRead,
  EnvironmentDescriptor,
  GkeClusterInfo,
} from './types';
import { detectDnsProblems } from './detectDnsProblems';

/** Inputs of {@link buildEnvironmentStatus}. @internal */
export interface BuildStatusInput {
  environment: EnvironmentDescriptor;
  cluster: GkeClusterInfo;
  snapshot: ClusterSnapshot;
  database?: DatabaseRead;
  /** The hosts' records in Cloud DNS (see detectDnsProblems). */
  dns?: DnsRead;
  /** When the data was read (epoch ms). */
  readAt: number;
  monthlyCostUsd?: number;
  advice?: SizingAdvice[];
  adviceNote?: string;
  classify?: ClassifyOptions;
}

/** Volumes fuller than this are reported as a problem (Elasticsearch's low disk watermark). */
const STORAGE_WARNING_FRACTION = 0.85;

const podKey = (namespace: string | undefined, name: string | undefined) =>
  `${namespace ?? ''}/${name ?? ''}`;

function containerResources(containers: V1Container[] | undefined) {
  let cpuReq = 0;
  let memReq = 0;
  let cpuLim: number | undefined = 0;
  let memLim: number | undefined = 0;
  for (const c of containers ?? []) {
    const r = c.resources ?? {};
    cpuReq += cpuMillis(r.requests?.cpu);
    memReq += memoryMiB(r.requests?.memory);
    // A limit counts only when every container sets one (otherwise the pod is unbounded).
    cpuLim =
      r.limits?.cpu !== undefined && cpuLim !== undefined
        ? cpuLim + cpuMillis(r.limits.cpu)
        : undefined;
    memLim =
      r.limits?.memory !== undefined && memLim !== undefined
        ? memLim + memoryMiB(r.limits.memory)
        : undefined;
  }
  return { cpuReq, memReq, cpuLim, memLim };
}

function sumOptional(values: Array<number | undefined>): number | undefined {
  if (values.some(v => v === undefined)) return undefined;
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.conditions?.some(
      c => c.type === 'Ready' && c.status === 'True',
    ) ?? false
  );
}

function regionOfZone(zone: string | undefined): string | undefined {
  return zone?.replace(/-[a-z]$/, '');
}

interface RowPlan {
  id: ComponentId;
  displayName: string;
  kind: ComponentStatus['workloadKind'];
  namespace?: string;
  workloads: SizedWorkload[];
}

function rowsOf(input: BuildStatusInput): RowPlan[] {
  const sized = [
    ...input.environment.sizing.workloads,
    ...input.environment.sizing.daemonSets,
  ];
  return COMPONENT_CATALOG.map(row => ({
    id: row.id,
    displayName: row.displayName,
    kind: row.kind === 'ManagedService' ? 'Managed' : row.kind,
    namespace: row.namespace,
    workloads: sized.filter(w => rowOf(w.id) === row.id),
  }));
}

/**
 * Builds the {@link EnvironmentStatus} of one environment.
 *
 * @internal
 */
export function buildEnvironmentStatus(
  input: BuildStatusInput,
): EnvironmentStatus {
  const { environment: env, snapshot, cluster } = input;
  const now = input.readAt;
  const classifyOptions = input.classify ?? DEFAULT_CLASSIFY_OPTIONS;
  const metricsAvailable = snapshot.podMetrics !== undefined;

  const schedulableNodes = snapshot.nodes.filter(n => !n.spec?.unschedulable);
  const zoneOfNode = new Map(
    snapshot.nodes.map(n => [
      n.metadata?.name ?? '',
      n.metadata?.labels?.['topology.kubernetes.io/zone'],
    ]),
  );

  // Warning events about pods, by pod.
  const eventsByPod = new Map<string, V1Event[]>();
  for (const e of snapshot.events) {
    if (e.involvedObject?.kind !== 'Pod') continue;
    const key = podKey(e.involvedObject.namespace, e.involvedObject.name);
    eventsByPod.set(key, [...(eventsByPod.get(key) ?? []), e]);
  }
  const usageByPod = new Map<string, { cpu: number; memory: number }>();
  for (const m of snapshot.podMetrics ?? []) {
    usageByPod.set(podKey(m.namespace, m.name), {
      cpu: m.containers.reduce((a, c) => a + cpuMillis(c.usage.cpu), 0),
      memory: m.containers.reduce((a, c) => a + memoryMiB(c.usage.memory), 0),
    });
  }

  // Pods and workloads by row.
  const podsByRow = new Map<ComponentId, V1Pod[]>();
  for (const pod of snapshot.pods) {
    const id = componentOfLabels(pod.metadata?.labels);
    if (!id) continue;
    const row = rowOf(id);
    podsByRow.set(row, [...(podsByRow.get(row) ?? []), pod]);
  }
  // Which workloads exist in the cluster: a companion the deployment replaced with a managed
  // service (Keycloak's database on Cloud SQL) is not expected.
  const deployedWorkloadIds = new Set<ComponentId>();
  const workloadCounts = new Map<
    ComponentId,
    { desired: number; ready: number; available: number; namespace?: string }
  >();
  const addCounts = (
    labels: Record<string, string> | undefined,
    templateLabels: Record<string, string> | undefined,
    namespace: string | undefined,
    desired: number,
    ready: number,
    available: number,
  ) => {
    const id = componentOfLabels(labels) ?? componentOfLabels(templateLabels);
    if (!id) return;
    deployedWorkloadIds.add(id);
    const row = rowOf(id);
    const c = workloadCounts.get(row) ?? {
      desired: 0,
      ready: 0,
      available: 0,
      namespace,
    };
    workloadCounts.set(row, {
      desired: c.desired + desired,
      ready: c.ready + ready,
      available: c.available + available,
      namespace: c.namespace ?? namespace,
    });
  };
  for (const d of snapshot.deployments) {
    addCounts(
      d.metadata?.labels,
      d.spec?.template?.metadata?.labels,
      d.metadata?.namespace,
      d.spec?.replicas ?? 1,
      d.status?.readyReplicas ?? 0,
      d.status?.availableReplicas ?? 0,
    );
  }
  for (const s of snapshot.statefulSets) {
    addCounts(
      s.metadata?.labels,
      s.spec?.template?.metadata?.labels,
      s.metadata?.namespace,
      s.spec?.replicas ?? 1,
      s.status?.readyReplicas ?? 0,
      s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0,
    );
  }
  for (const ds of snapshot.daemonSets) {
    addCounts(
      ds.metadata?.labels,
      ds.spec?.template?.metadata?.labels,
      ds.metadata?.namespace,
      ds.status?.desiredNumberScheduled ?? 0,
      ds.status?.numberReady ?? 0,
      ds.status?.numberAvailable ?? 0,
    );
  }

  // Free capacity per node for the scheduling shortfall in diagnoses: allocatable minus GKE's
  // system share minus the environment's scheduled pods.
  const nodesFree: NodeFree[] = snapshot.nodes.map(n => {
    const name = n.metadata?.name ?? '';
    const onNode = snapshot.pods.filter(
      p =>
        p.spec?.nodeName === name &&
        !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
    );
    const used = onNode.reduce(
      (a, p) => {
        const r = containerResources(p.spec?.containers);
        return { cpu: a.cpu + r.cpuReq, memory: a.memory + r.memReq };
      },
      {
        cpu: GKE_SYSTEM_PODS_PER_NODE.cpuMillis,
        memory: GKE_SYSTEM_PODS_PER_NODE.memoryMiB,
      },
    );
    return {
      name,
      cpuMillis: Math.round(cpuMillis(n.status?.allocatable?.cpu) - used.cpu),
      memoryMiB: Math.round(
        memoryMiB(n.status?.allocatable?.memory) - used.memory,
      ),
    };
  });

  const pvcByKey = new Map(
    snapshot.persistentVolumeClaims.map(p => [
      podKey(p.metadata?.namespace, p.metadata?.name),
      p,
    ]),
  );

  const problems: DetectedProblem[] = [];
  const components: ComponentStatus[] = [];
  const podRowsByComponent = new Map<
    ComponentId,
    Array<{ pod: V1Pod; row: PodStatus }>
  >();

  for (const plan of rowsOf(input)) {
    if (plan.kind === 'Managed') {
      components.push(postgresComponent(input, plan));
      continue;
    }
    const pods = podsByRow.get(plan.id) ?? [];
    const counts = workloadCounts.get(plan.id);
    const enabled =
      plan.workloads.length > 0 || counts !== undefined || pods.length > 0;
    const perNode = (w: SizedWorkload) =>
      w.kind === 'DaemonSet' ? schedulableNodes.length : w.replicas;
    const expected = plan.workloads
      .filter(
        w =>
          !w.companionOf ||
          deployedWorkloadIds.has(w.id) ||
          deployedWorkloadIds.size === 0,
      )
      .reduce((a, w) => a + perNode(w), 0);

    const rows: Array<{ pod: V1Pod; row: PodStatus; health: PodHealth }> = pods
      .map(pod => {
        const key = podKey(pod.metadata?.namespace, pod.metadata?.name);
        const events = eventsByPod.get(key) ?? [];
        const classified = classifyPod(pod, events, now, classifyOptions);
        // The cause in the words codemie:deploy uses (shared diagnosis), for pods that are not fine.
        const diagnosis =
          classified.health === 'ok'
            ? undefined
            : diagnosePod(pod, events, nodesFree);
        const health: PodHealth =
          diagnosis && diagnosis.reason !== 'Ready'
            ? { ...classified, message: diagnosis.message }
            : classified;
        const res = containerResources(pod.spec?.containers);
        const usage = usageByPod.get(key);
        const started = toMs(pod.status?.startTime);
        const node = pod.spec?.nodeName;
        const row: PodStatus = {
          name: pod.metadata?.name ?? '',
          namespace: pod.metadata?.namespace ?? '',
          ...(node ? { node, zone: zoneOfNode.get(node) } : {}),
          phase: pod.status?.phase ?? 'Unknown',
          ready: isReady(pod),
          restarts: (pod.status?.containerStatuses ?? []).reduce(
            (a, s) => a + (s.restartCount ?? 0),
            0,
          ),
          state: health.state,
          health: health.health,
          ...(health.message ? { message: health.message } : {}),
          cpu: {
            ...(metricsAvailable ? { usage: round(usage?.cpu ?? 0) } : {}),
            requests: round(res.cpuReq),
            ...(res.cpuLim !== undefined ? { limits: round(res.cpuLim) } : {}),
          },
          memory: {
            ...(metricsAvailable ? { usage: round(usage?.memory ?? 0) } : {}),
            requests: round(res.memReq),
            ...(res.memLim !== undefined ? { limits: round(res.memLim) } : {}),
          },
          ...(started !== undefined
            ? { startedAt: new Date(started).toISOString() }
            : {}),
        };
        return { pod, row, health };
      })
      .sort(
        (a, b) =>
          severity(b.row.health) - severity(a.row.health) ||
          a.row.name.localeCompare(b.row.name),
      );
    podRowsByComponent.set(plan.id, rows);

    const classified: ClassifiedPod[] = rows.map(({ row, health }) => ({
      ...health,
      name: row.name,
      ready: row.ready,
      restarts: row.restarts,
    }));
    // Terminating and completed pods do not serve; count only live ones.
    const live = rows.filter(
      r => r.row.state !== 'Terminating' && r.row.state !== 'Completed',
    );
    const ready = live.filter(r => r.row.ready).length;
    const { health, reasons } = classifyComponent({
      enabled,
      deployed: counts !== undefined,
      expected,
      ready,
      pods: classified,
    });

    const cpu: ResourceComparison = {
      ...(metricsAvailable
        ? { usage: round(live.reduce((a, r) => a + (r.row.cpu.usage ?? 0), 0)) }
        : {}),
      requests: round(live.reduce((a, r) => a + r.row.cpu.requests, 0)),
      ...(live.length > 0 &&
      sumOptional(live.map(r => r.row.cpu.limits)) !== undefined
        ? { limits: round(sumOptional(live.map(r => r.row.cpu.limits))!) }
        : {}),
      baseline: plan.workloads.reduce(
        (a, w) => a + perNode(w) * w.requests.cpuMillis,
        0,
      ),
    };
    const memory: ResourceComparison = {
      ...(metricsAvailable
        ? {
            usage: round(
              live.reduce((a, r) => a + (r.row.memory.usage ?? 0), 0),
            ),
          }
        : {}),
      requests: round(live.reduce((a, r) => a + r.row.memory.requests, 0)),
      ...(live.length > 0 &&
      sumOptional(live.map(r => r.row.memory.limits)) !== undefined
        ? { limits: round(sumOptional(live.map(r => r.row.memory.limits))!) }
        : {}),
      baseline: plan.workloads.reduce(
        (a, w) => a + perNode(w) * w.requests.memoryMiB,
        0,
      ),
    };

    // Volumes: the claims the component's pods mount, plus claims labelled with the component.
    const claims = new Set<string>();
    for (const { pod } of rows) {
      for (const v of pod.spec?.volumes ?? []) {
        if (v.persistentVolumeClaim?.claimName) {
          claims.add(
            podKey(pod.metadata?.namespace, v.persistentVolumeClaim.claimName),
          );
        }
      }
    }
    for (const [key, pvc] of pvcByKey) {
      const id = componentOfLabels(pvc.metadata?.labels);
      if (id && rowOf(id) === plan.id) claims.add(key);
    }
    const baselineGiB = plan.workloads.reduce(
      (a, w) => a + w.replicas * w.storageGiBPerPod,
      0,
    );
    let storage: ComponentStatus['storage'];
    if (claims.size > 0 || baselineGiB > 0) {
      let capacityGiB = 0;
      let usedGiB: number | undefined;
      for (const key of claims) {
        const pvc = pvcByKey.get(key);
        const stats = snapshot.volumeUsage?.[key];
        capacityGiB += stats
          ? stats.capacityBytes / 2 ** 30
          : storageGiB(
              pvc?.status?.capacity?.storage ??
                pvc?.spec?.resources?.requests?.storage,
            );
        if (stats) usedGiB = (usedGiB ?? 0) + stats.usedBytes / 2 ** 30;
      }
      storage = {
        capacityGiB: round(capacityGiB, 1),
        ...(usedGiB !== undefined ? { usedGiB: round(usedGiB, 1) } : {}),
        baselineGiB,
      };
    }

    components.push({
      id: plan.id,
      displayName: plan.displayName,
      workloadKind: plan.kind,
      namespace: counts?.namespace ?? rows[0]?.row.namespace ?? plan.namespace,
      enabled,
      health,
      reasons,
      pods: {
        expected,
        desired: counts?.desired ?? 0,
        ready,
        available: counts?.available ?? 0,
        restarts: rows.reduce((a, r) => a + r.row.restarts, 0),
      },
      cpu,
      memory,
      ...(storage ? { storage } : {}),
      podRows: rows.map(r => r.row),
    });
  }

  const inCluster = components.filter(c => c.workloadKind !== 'Managed');
  const total = (key: 'cpu' | 'memory'): ResourceComparison => ({
    ...(metricsAvailable
      ? { usage: round(inCluster.reduce((a, c) => a + (c[key].usage ?? 0), 0)) }
      : {}),
    requests: round(inCluster.reduce((a, c) => a + c[key].requests, 0)),
    baseline: round(inCluster.reduce((a, c) => a + c[key].baseline, 0)),
  });

  const clusterStatus = describeCluster(input, podRowsByComponent);
  problems.push(
    ...detectProblems(input, components, podRowsByComponent, clusterStatus),
    ...detectDnsProblems(input.environment, input.snapshot.services, input.dns),
  );

  // Verdict: the worst enabled component, the cluster itself, the database.
  const enabledComponents = components.filter(c => c.enabled);
  let verdictHealth: HealthLevel = 'ok';
  const reasons: Array<{ h: HealthLevel; text: string }> = [];
  for (const c of enabledComponents) {
    verdictHealth = worse(verdictHealth, c.health);
    if (c.health !== 'ok' && c.reasons.length > 0) {
      reasons.push({ h: c.health, text: `${c.displayName}: ${c.reasons[0]}` });
    }
  }
  if (cluster.status !== 'RUNNING') {
    const h: HealthLevel = ['ERROR', 'DEGRADED'].includes(cluster.status)
      ? 'error'
      : 'warning';
    verdictHealth = worse(verdictHealth, h);
    reasons.push({ h, text: `GKE cluster is ${cluster.status}` });
  }
  if (!metricsAvailable)
    reasons.push({
      h: 'ok',
      text: 'metrics.k8s.io did not answer: usage figures are absent',
    });
  reasons.sort((a, b) => severity(b.h) - severity(a.h));

  const region = env.region;
  return {
    entityRef: env.entityRef,
    readAt: new Date(now).toISOString(),
    environment: {
      name: env.name,
      projectId: env.projectId,
      option: env.option,
      tier: env.tier,
      region,
      ...(env.domain ? { domain: env.domain } : {}),
    },
    verdict: {
      health: verdictHealth,
      reasons: reasons.slice(0, 5).map(r => r.text),
      healthyComponents: enabledComponents.filter(c => c.health === 'ok')
        .length,
      enabledComponents: enabledComponents.length,
    },
    components,
    totals: { cpu: total('cpu'), memory: total('memory') },
    cluster: clusterStatus,
    ...(input.database?.ok ? { database: input.database.status } : {}),
    ...(input.database && !input.database.ok
      ? { database: { instance: input.database.instance, state: 'UNKNOWN' } }
      : {}),
    ...(input.monthlyCostUsd !== undefined
      ? { monthlyCostUsd: input.monthlyCostUsd }
      : {}),
    access: accessOf(env, cluster),
    problems,
    advice: input.advice ?? [],
    ...(input.adviceNote ? { adviceNote: input.adviceNote } : {}),
    metricsAvailable,
  };
}

function postgresComponent(
  input: BuildStatusInput,
  plan: RowPlan,
): ComponentStatus {
  const db = input.database;
  const planned = input.environment.sizing.postgresql;
  const zero: ResourceComparison = { requests: 0, baseline: 0 };
  let health: HealthLevel = 'unknown';
  const reasons: string[] = [];
  if (!db) {
    reasons.push(
      `no Cloud SQL instance annotated (${'codemie.ai/cloudsql-instance'})`,
    );
  } else if (!db.ok) {
    reasons.push(`Cloud SQL instance could not be read: ${db.error}`);
  } else {
    const state = db.status.state;
    if (state === 'RUNNABLE') health = 'ok';
    else if (
      ['PENDING_CREATE', 'MAINTENANCE', 'PENDING_DELETE'].includes(state)
    )
      health = 'pending';
    else if (['FAILED', 'SUSPENDED', 'ONLINE_MAINTENANCE'].includes(state))
      health = state === 'ONLINE_MAINTENANCE' ? 'warning' : 'error';
    if (health !== 'ok') reasons.push(`Cloud SQL instance is ${state}`);
  }
  const status = db?.ok ? db.status : undefined;
  return {
    id: plan.id,
    displayName: plan.displayName,
    workloadKind: 'Managed',
    enabled: true,
    health,
    reasons,
    pods: { expected: 0, desired: 0, ready: 0, available: 0, restarts: 0 },
    cpu: { ...zero, baseline: planned.vcpu * 1000 },
    memory: { ...zero, baseline: planned.memoryMiB },
    storage: {
      capacityGiB: status?.diskSizeGiB ?? 0,
      ...(status?.diskUsedGiB !== undefined
        ? { usedGiB: status.diskUsedGiB }
        : {}),
      baselineGiB: planned.storageGiB,
    },
    podRows: [],
  };
}

function describeCluster(
  input: BuildStatusInput,
  podRows: Map<ComponentId, Array<{ pod: V1Pod; row: PodStatus }>>,
): EnvironmentStatus['cluster'] {
  const { cluster, snapshot } = input;
  const nodesByPool = new Map<string, number>();
  for (const n of snapshot.nodes) {
    const pool = n.metadata?.labels?.['cloud.google.com/gke-nodepool'] ?? '';
    nodesByPool.set(pool, (nodesByPool.get(pool) ?? 0) + 1);
  }
  // The pool hosting the environment: the one with most nodes (system pools are small).
  const pool = [...cluster.nodePools].sort(
    (a, b) => (nodesByPool.get(b.name) ?? 0) - (nodesByPool.get(a.name) ?? 0),
  )[0];
  const allocatable = snapshot.nodes.reduce(
    (a, n) => ({
      cpu: a.cpu + cpuMillis(n.status?.allocatable?.cpu),
      memory: a.memory + memoryMiB(n.status?.allocatable?.memory),
    }),
    { cpu: 0, memory: 0 },
  );
  // Requested: the environment's scheduled pods, plus GKE's own kube-system pods on every node
  // (the planner's per-node estimate: they are not labelled as the environment's).
  const scheduled = [...podRows.values()]
    .flat()
    .filter(r => r.row.node && r.row.state !== 'Completed');
  const requested = {
    cpu: round(
      scheduled.reduce((a, r) => a + r.row.cpu.requests, 0) +
        snapshot.nodes.length * GKE_SYSTEM_PODS_PER_NODE.cpuMillis,
    ),
    memory: round(
      scheduled.reduce((a, r) => a + r.row.memory.requests, 0) +
        snapshot.nodes.length * GKE_SYSTEM_PODS_PER_NODE.memoryMiB,
    ),
  };
  return {
    name: cluster.name,
    location: cluster.location,
    status: cluster.status,
    ...(cluster.version ? { version: cluster.version } : {}),
    ...(pool
      ? {
          nodePool: {
            name: pool.name,
            machineType: pool.machineType ?? 'unknown',
            nodes: nodesByPool.get(pool.name) ?? 0,
            ...(pool.minNodes !== undefined ? { minNodes: pool.minNodes } : {}),
            ...(pool.maxNodes !== undefined ? { maxNodes: pool.maxNodes } : {}),
          },
        }
      : {}),
    allocatable: {
      cpu: round(allocatable.cpu),
      memory: round(allocatable.memory),
    },
    requested,
  };
}

function accessOf(
  env: EnvironmentDescriptor,
  cluster: GkeClusterInfo,
): EnvironmentAccess {
  const access: EnvironmentAccess = {};
  if (env.domain) {
    access.codemieUrl = `https://codemie.${env.domain}`;
    access.kibanaUrl = `https://kibana.${env.domain}`;
    access.keycloakAdminUrl = `https://keycloak.${env.domain}/auth/admin`;
  }
  const privateOption = env.option === 'private';
  // A private cluster: through its DNS-based endpoint when that takes external traffic,
  // otherwise through its private IP from inside the VPC (the bastion).
  let endpointFlag = '';
  if (privateOption)
    endpointFlag = cluster.dnsEndpointExternal
      ? ' --dns-endpoint'
      : ' --internal-ip';
  access.getCredentialsCommand = `gcloud container clusters get-credentials ${env.clusterShortName} --location ${env.clusterLocation} --project ${env.projectId}${endpointFlag}`;
  if (privateOption) {
    const zone = cluster.locations[0] ?? `${env.region}-a`;
    access.bastionSshCommand = `gcloud compute ssh ${env.name}-bastion --zone ${zone} --project ${env.projectId} --tunnel-through-iap`;
  }
  return access;
}

const gib = (mib: number) => `${round(mib / 1024, 1)} GiB`;
const cores = (m: number) => `${round(m / 1000, 2)}`;

function detectProblems(
  input: BuildStatusInput,
  components: ComponentStatus[],
  podRows: Map<ComponentId, Array<{ pod: V1Pod; row: PodStatus }>>,
  cluster: EnvironmentStatus['cluster'],
): DetectedProblem[] {
  const problems: DetectedProblem[] = [];
  const pool = cluster.nodePool;
  const nodeShare =
    pool && pool.nodes > 0
      ? {
          cpu: cluster.allocatable.cpu / pool.nodes,
          memory: cluster.allocatable.memory / pool.nodes,
        }
      : undefined;
  for (const c of components) {
    const rows = podRows.get(c.id as ComponentId) ?? [];
    const severityOf = (): DetectedProblem['severity'] =>
      c.health === 'error' ? 'error' : 'warning';
    const byState = (state: string) => rows.filter(r => r.row.state === state);

    const unschedulable = byState('Unschedulable');
    if (unschedulable.length > 0) {
      const first = unschedulable[0].row;
      const cpuReq = unschedulable.reduce((a, r) => a + r.row.cpu.requests, 0);
      const memReq = unschedulable.reduce(
        (a, r) => a + r.row.memory.requests,
        0,
      );
      const free = {
        cpu: Math.max(0, cluster.allocatable.cpu - cluster.requested.cpu),
        memory: Math.max(
          0,
          cluster.allocatable.memory - cluster.requested.memory,
        ),
      };
      const insufficient = /Insufficient (cpu|memory)|Too many pods/.test(
        first.message ?? '',
      );
      let fix: string;
      if (insufficient && pool) {
        const extra = nodeShare
          ? Math.max(
              1,
              Math.ceil(cpuReq / nodeShare.cpu),
              Math.ceil(memReq / nodeShare.memory),
            )
          : 1;
        fix =
          pool.maxNodes !== undefined && pool.nodes < pool.maxNodes
            ? `The node pool is at ${pool.nodes} of at most ${pool.maxNodes} nodes: the cluster autoscaler should add a node within minutes; if it does not, check the project's Compute Engine quota (CPUS, IN_USE_ADDRESSES).`
            : `Raise the node pool ${pool.name} maximum from ${pool.maxNodes ?? pool.nodes} to ${(pool.maxNodes ?? pool.nodes) + extra} nodes (or re-plan with a larger machine type than ${pool.machineType}).`;
      } else {
        fix =
          "Check the pods' node selectors, tolerations, anti-affinity and volume zones against the nodes.";
      }
      problems.push({
        severity: severityOf(),
        component: c.id,
        title: `${unschedulable.length === 1 ? `A ${c.displayName} pod` : `${unschedulable.length} ${c.displayName} pods`} cannot be scheduled`,
        detail:
          `Pod ${first.name} Pending: ${first.message ?? 'no node fits'}. ` +
          `${cores(free.cpu)} of ${cores(cluster.allocatable.cpu)} allocatable cores and ${gib(free.memory)} of ${gib(cluster.allocatable.memory)} are free; ` +
          `the pending pods request ${cores(cpuReq)} cores and ${gib(memReq)}.`,
        fix,
      });
    }

    const crashing = byState('CrashLoopBackOff');
    if (crashing.length > 0) {
      const first = crashing[0];
      const oom = /OOMKilled/.test(first.row.message ?? '');
      const perPodMemory = first.row.memory.limits ?? first.row.memory.requests;
      problems.push({
        severity: severityOf(),
        component: c.id,
        title: `${c.displayName} is crash-looping`,
        detail:
          `Pod ${first.row.name}: CrashLoopBackOff, ${first.row.restarts} restarts. ${first.row.message ?? ''}`.trim(),
        fix: oom
          ? `Raise ${c.id} memory request and limit from ${perPodMemory} MiB to ${perPodMemory * 2} MiB (Helm values resources.requests.memory and resources.limits.memory) and redeploy.`
          : `Read the crashed container's log (kubectl logs -n ${first.row.namespace} ${first.row.name} --previous), fix its configuration (secrets, database or Elasticsearch connection) and redeploy.`,
      });
    }

    const imageFailures = rows.filter(r => /Image/.test(r.row.state));
    if (imageFailures.length > 0) {
      const first = imageFailures[0].row;
      problems.push({
        severity: severityOf(),
        component: c.id,
        title: `${c.displayName} image cannot be pulled`,
        detail:
          `Pod ${first.name}: ${first.state}. ${first.message ?? ''}`.trim(),
        fix: 'Check the image name and tag in the deploy values, and that the pull secret (gcp-artifact-registry) grants read access to that registry; then redeploy.',
      });
    }

    const notReady = byState('NotReady');
    if (notReady.length > 0) {
      const first = notReady[0].row;
      problems.push({
        severity: severityOf(),
        component: c.id,
        title: `${c.displayName} is running but not ready`,
        detail: `Pod ${first.name}: ${first.message ?? 'readiness probe failing'}`,
        fix: `Read the log (kubectl logs -n ${first.namespace} ${first.name}); the readiness probe fails while the component cannot reach what it depends on (PostgreSQL, Elasticsearch, Keycloak).`,
      });
    }

    if (c.storage?.usedGiB !== undefined && c.storage.capacityGiB > 0) {
      const fraction = c.storage.usedGiB / c.storage.capacityGiB;
      if (fraction >= STORAGE_WARNING_FRACTION) {
        problems.push({
          severity: fraction >= 0.95 ? 'error' : 'warning',
          component: c.id,
          title: `${c.displayName} storage ${Math.round(fraction * 100)}% full`,
          detail: `${c.storage.usedGiB} of ${c.storage.capacityGiB} GiB used${c.id === 'elasticsearch' ? '; above 85% Elasticsearch stops allocating shards to the node (low disk watermark)' : ''}.`,
          fix: 'Grow the volumes (the storage class allows expansion: raise the PVC size and redeploy), or shorten the log retention.',
        });
      }
    }
  }

  const db = input.database;
  if (db && !db.ok) {
    problems.push({
      severity: 'warning',
      component: 'postgresql',
      title: 'The Cloud SQL instance could not be read',
      detail: db.error,
      fix: "Check that the instance in the codemie.ai/cloudsql-instance annotation exists and that the backend's Google identity has roles/cloudsql.viewer on the project.",
    });
  } else if (db?.ok && db.status.state !== 'RUNNABLE') {
    problems.push({
      severity:
        db.status.state === 'FAILED' || db.status.state === 'SUSPENDED'
          ? 'error'
          : 'warning',
      component: 'postgresql',
      title: `Cloud SQL instance is ${db.status.state}`,
      detail: `${db.status.instance} reports state ${db.status.state}.`,
      fix: "See the instance's operations in the Cloud SQL console; CodeMie cannot serve until the instance is RUNNABLE.",
    });
  }
  // Errors first; otherwise in component order (stable sort).
  const rank = (p: DetectedProblem) => (p.severity === 'error' ? 0 : 1);
  problems.sort((a, b) => rank(a) - rank(b));
  return problems;
}

/** Region of a cluster location (`europe-west3` or `europe-west3-a`). @internal */
export function regionOfLocation(location: string): string {
  return /-[a-z]$/.test(location) ? regionOfZone(location)! : location;
}

/** The catalog's display name of a component id. @internal */
export function displayNameOf(id: ComponentId): string {
  const row = catalogRow(id);
  return row.id === id ? row.displayName : row.companion!.displayName;
}
