import type { PlanCostLine } from './planPreview';
import type { SizingInputs } from '../sizing';
/*
 * The status API's response shapes: `GET /api/codemie/v1/entities/{kind}/{namespace}/{name}/status`
 * and `…/history`. The backend produces them, the entity page renders them; both import them
 * from here so the contract cannot drift.
 *
 * Units: CPU in millicores, memory in MiB, storage in GiB, money in USD per month.
 */

/**
 * Health of one component, or of the environment.
 *
 * - `ok`: every expected pod is ready.
 * - `warning`: serving, but degraded (restarts, fewer ready pods than expected but at least one).
 * - `error`: not serving (no ready pod, crash-looping, image cannot be pulled, unschedulable).
 * - `pending`: still starting up (pods being created, within the expected start time).
 * - `unknown`: could not be determined (no data).
 *
 * @public
 */
export type HealthLevel = 'ok' | 'warning' | 'error' | 'pending' | 'unknown';

/**
 * One resource (CPU or memory) measured three ways: what the pods use now, what they request
 * (and are limited to), and what the sizing tier (for production: the seed table) says.
 *
 * @public
 */
export interface ResourceComparison {
  /** Live use from metrics.k8s.io; absent when the cluster has no metrics yet. */
  usage?: number;
  /** Sum of the pods' requests. */
  requests: number;
  /** Sum of the pods' limits, when every container sets one. */
  limits?: number;
  /** What the environment's tier plans for this component (all its pods). */
  baseline: number;
}

/**
 * One pod of a component.
 *
 * @public
 */
export interface PodStatus {
  /** The pod's name. */
  name: string;
  /** The pod's namespace. */
  namespace: string;
  /** The node it runs on; absent while unscheduled. */
  node?: string;
  /** The zone of its node; absent while unscheduled. */
  zone?: string;
  /** Kubernetes phase: Pending, Running, Succeeded, Failed, Unknown. */
  phase: string;
  /** True when every container is ready. */
  ready: boolean;
  /** Container restarts, all containers together. */
  restarts: number;
  /**
   * The pod's most telling state: Running, ContainerCreating, Unschedulable, ErrImagePull,
   * ImagePullBackOff, CrashLoopBackOff, OOMKilled, NotReady…
   */
  state: string;
  /** The pod's health as the classification judges it. */
  health: HealthLevel;
  /** Human-readable explanation (e.g. the FailedScheduling message). */
  message?: string;
  /** millicores */
  cpu: { usage?: number; requests: number; limits?: number };
  /** MiB */
  memory: { usage?: number; requests: number; limits?: number };
  /** When the pod started, ISO 8601. */
  startedAt?: string;
}

/**
 * Persistent storage of a component (Elasticsearch volumes, the Cloud SQL disk).
 *
 * @public
 */
export interface StorageStatus {
  /** GiB provisioned, all volumes together. */
  capacityGiB: number;
  /** GiB used, where the cluster or Cloud SQL reports it. */
  usedGiB?: number;
  /** GiB the tier plans. */
  baselineGiB: number;
}

/**
 * One of the twelve CodeMie components, or managed PostgreSQL.
 *
 * @public
 */
export interface ComponentStatus {
  /** Stable component id (the `app.kubernetes.io/component` label), e.g. `codemie-api`. */
  id: string;
  /** The component's name as the catalog shows it. */
  displayName: string;
  /** Deployment, StatefulSet, DaemonSet or Managed (Cloud SQL). */
  workloadKind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Managed';
  /** Namespace of its workload; absent for managed components. */
  namespace?: string;
  /** Optional components the environment did not choose are reported with enabled false. */
  enabled: boolean;
  /** The worst health of its pods and workload. */
  health: HealthLevel;
  /** Why the health is what it is, worst first; empty when ok. */
  reasons: string[];
  /** Pod counts: planned, desired by the workload, ready, available, and restarts. */
  pods: {
    /** What the tier plans (DaemonSets: one per node). */
    expected: number;
    desired: number;
    ready: number;
    available: number;
    restarts: number;
  };
  /** millicores, all pods together */
  cpu: ResourceComparison;
  /** MiB, all pods together */
  memory: ResourceComparison;
  /** Its persistent storage, when it has any. */
  storage?: StorageStatus;
  /** Each of its pods. */
  podRows: PodStatus[];
}

/**
 * A detected problem and the change that fixes it.
 *
 * @public
 */
export interface DetectedProblem {
  /** `error` when the environment does not work as planned; `warning` when it will not soon. */
  severity: 'error' | 'warning';
  /** Component id, when the problem belongs to one. */
  component?: string;
  /** One line naming the problem. */
  title: string;
  /** The evidence: pod states, event messages, numbers. */
  detail: string;
  /** What to change. */
  fix: string;
}

/**
 * A sizing recommendation drawn from usage history.
 *
 * @public
 */
export interface SizingAdvice {
  /** The id of the component the advice is for. */
  component: string;
  /** What kind of change. */
  change:
    | 'add-replicas'
    | 'raise-cpu'
    | 'raise-memory'
    | 'grow-storage'
    | 'lower-cpu'
    | 'lower-memory';
  /** One line, e.g. "API CPU above 80% of requests for 3 days → 3 replicas". */
  summary: string;
  /** The numbers behind it, e.g. "p95 CPU 3.6 of 4.0 cores over 72 h (864 samples)". */
  evidence: string;
  /** The value to set, in the resource's unit (replicas, millicores, MiB or GiB). */
  from: number;
  /** The value the advice recommends, in the same unit as `from`. */
  to: number;
  /** Monthly cost change in USD from the sizing engine; positive costs more. */
  monthlyCostDeltaUsd: number;
  /**
   * The resize that carries the advice out — the smallest change of the environment's sizing
   * inputs that gives the component what the advice asks — when one does. The entity page's
   * "Resize" button opens the resize template with it.
   */
  resize?: {
    /** A preset name, or `custom`. */
    tier: string;
    sizing: Required<SizingInputs>;
    /** E.g. "medium tier", "60 GiB of vector datasources (custom)". */
    summary: string;
    /**
     * The environment's monthly cost change with this resize (every component resized, not
     * only this one), from the sizing engine; positive costs more.
     */
    monthlyCostDeltaUsd?: number;
  };
}

/**
 * The environment's node pool and cluster.
 *
 * @public
 */
export interface ClusterStatus {
  /** `projects/<p>/locations/<l>/clusters/<c>` */
  name: string;
  /** The cluster's region or zone. */
  location: string;
  /** GKE status: PROVISIONING, RUNNING, RECONCILING, ERROR… */
  status: string;
  /** The GKE version of the control plane. */
  version?: string;
  /** The CodeMie node pool: machine type, node count and autoscaling bounds. */
  nodePool?: {
    name: string;
    machineType: string;
    nodes: number;
    minNodes?: number;
    maxNodes?: number;
  };
  /** Sum over nodes, millicores / MiB. */
  allocatable: { cpu: number; memory: number };
  /** Sum of pod requests on the nodes, millicores / MiB. */
  requested: { cpu: number; memory: number };
}

/**
 * The managed PostgreSQL instance.
 *
 * @public
 */
export interface DatabaseStatus {
  /** Connection name `<project>:<region>:<instance>`. */
  instance: string;
  /** Cloud SQL state: RUNNABLE, PENDING_CREATE, MAINTENANCE, FAILED… */
  state: string;
  /** The Cloud SQL machine tier, e.g. `db-custom-2-7680`. */
  tier?: string;
  /** Provisioned disk size, GiB. */
  diskSizeGiB?: number;
  /** Disk used, GiB, when Cloud Monitoring reports it. */
  diskUsedGiB?: number;
}

/**
 * Links and commands for operators.
 *
 * @public
 */
export interface EnvironmentAccess {
  /** The CodeMie web UI, once its domain is known. */
  codemieUrl?: string;
  /** Kibana (the logs), once the domain is known. */
  kibanaUrl?: string;
  /** Keycloak's admin console, once the domain is known. */
  keycloakAdminUrl?: string;
  /** `gcloud container clusters get-credentials …` */
  getCredentialsCommand?: string;
  /** Private option: `gcloud compute ssh <bastion> --tunnel-through-iap …` */
  bastionSshCommand?: string;
}

/**
 * Where an environment recorded by this portal is in its life: `planned`, `provisioning`,
 * `provisioned`, `deploying`, `ready`, `failed`, `destroying`.
 *
 * @public
 */
export interface EnvironmentLifecycle {
  /** The lifecycle state, e.g. `provisioning` or `ready`. */
  state: string;
  /** When it entered the state, ISO 8601. */
  since: string;
  /** Why the last step failed or stopped. */
  lastError?: string;
}

/**
 * What the status API answers for one CodeMie environment: its plan, its cluster's live state
 * and health, its cost, and advice on its size.
 *
 * @public
 */
export interface EnvironmentStatus {
  /** `resource:<namespace>/<name>` */
  entityRef: string;
  /** When the data was read from the cluster (ISO 8601). */
  readAt: string;
  /** The environment as its record or entity describes it. */
  environment: {
    name: string;
    projectId: string;
    option: 'public' | 'private';
    tier: string;
    region?: string;
    domain?: string;
  };
  /** The overall health and the reasons for it. */
  verdict: {
    health: HealthLevel;
    /** The top reasons, worst first. */
    reasons: string[];
    /** Components healthy out of enabled components, e.g. 11 of 12. */
    healthyComponents: number;
    enabledComponents: number;
  };
  /** Every component, the managed database included. */
  components: ComponentStatus[];
  /** Usage, requests and limits, all components together. */
  totals: { cpu: ResourceComparison; memory: ResourceComparison };
  /** The GKE cluster and its node pool. */
  cluster: ClusterStatus;
  /** The Cloud SQL instance; absent when it could not be read. */
  database?: DatabaseStatus;
  /** Monthly estimate from the sizing engine for the environment as planned. */
  monthlyCostUsd?: number;
  /** The same estimate line by line, as the sizing preview shows it. */
  cost?: EnvironmentCost;
  /** Links and commands for operators. */
  access: EnvironmentAccess;
  /** Detected problems, most important first. */
  problems: DetectedProblem[];
  /** Sizing advice from usage history. */
  advice: SizingAdvice[];
  /** Why there is no advice, e.g. "2 h of usage history; advice needs 24 h". */
  adviceNote?: string;
  /**
   * Where the usage history behind the advice comes from, when it is not only sampled from the
   * cluster: `sandbox` when the built-in GCP sandbox generated (part of) it for the local
   * portal's demo environments. The page labels such advice and charts as sandbox data.
   */
  historyOrigin?: 'sandbox';
  /** True when metrics.k8s.io answered; false means usage figures are absent. */
  metricsAvailable: boolean;
  /** The record's lifecycle (absent for environments of allow-listed projects created elsewhere). */
  lifecycle?: EnvironmentLifecycle;
}

/**
 * An environment's monthly bill, line by line (the preview's lines), with the range between the
 * node pool's autoscaling minimum and maximum.
 *
 * @public
 */
export interface EnvironmentCost {
  /** Monthly total, USD, at the autoscaling minimum. */
  totalMonthlyUsd: number;
  /** Monthly total, USD, at the autoscaling minimum and maximum. */
  rangeUsd: { min: number; max: number };
  /** The node pool's autoscaling minimum and maximum node counts. */
  nodes: { min: number; max: number };
  /** The bill, line by line. */
  lines: PlanCostLine[];
  /** The date of the price table (YYYY-MM-DD). */
  pricesDate: string;
}

/**
 * Usage samples over a window, for the entity page's plots.
 *
 * @public
 */
export interface UsageHistory {
  /** The environment's entity ref. */
  entityRef: string;
  /** e.g. `7d`, `24h` */
  window: string;
  /** `sandbox` when the GCP sandbox generated (part of) these samples; see EnvironmentStatus. */
  origin?: 'sandbox';
  /** The samples, oldest first. */
  points: Array<{
    /** ISO 8601 */
    at: string;
    /** Per component: millicores and MiB, all pods together. */
    components: Record<string, { cpu: number; memory: number }>;
  }>;
}

/**
 * Error body of the status API (Backstage's standard error shape).
 *
 * @public
 */
export interface StatusApiError {
  /** The error's name and message. */
  error: { name: string; message: string };
  /** The HTTP status of the response. */
  response?: { statusCode: number };
}
