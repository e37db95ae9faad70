/**
 * Sizing tiers: from what a platform engineer knows (concurrent users, vector datasource volume,
 * log retention, LLM proxy type) to the pods, volumes and database of an environment.
 *
 * Each preset's users pick the size class of the same name in the component catalog, whose
 * sizes carry their public sources; between two presets every request grows linearly with
 * users, so the bill has no cliff at a preset boundary. Above the production preset the
 * components the architecture page's "Scaling Considerations" name scale out: API replicas with
 * users, Elasticsearch data nodes with data (out before up). Every formula is non-decreasing in
 * every input; with the `production` preset's inputs they give the architecture page's table.
 * Inputs beyond what one environment is planned for are refused with a {@link SizingLimitError}
 * (bounded work and memory whatever the input).
 */
import { Resources } from '../gke/allocatable';
import {
  COMPONENT_CATALOG,
  CatalogWorkload,
  ComponentId,
  ComponentSize,
  SIZE_CLASSES,
  SizeClass,
  WorkloadKind,
  catalogRow,
  limitsForRequests,
} from './components';
import { SizingInputError, SizingLimitError } from './errors';

/**
 * In-cluster LLM proxy: `litellm` is the seed's single LiteLLM pod; `litellm-ha` follows
 * CodeMie's own LiteLLM guide (2 replicas); `external` runs no proxy in the cluster.
 *
 * @public
 */
export type LlmProxyType = 'litellm' | 'litellm-ha' | 'external';

/**
 * Every LLM proxy choice, in the order the form offers them.
 *
 * @public
 */
export const LLM_PROXY_TYPES: readonly LlmProxyType[] = [
  'litellm',
  'litellm-ha',
  'external',
];

/**
 * What a platform engineer knows about the environment to size.
 *
 * @public
 */
export interface SizingInputs {
  /** Expected concurrent users: a positive integer. */
  concurrentUsers: number;
  /** Size of the indexed vector datasources (primary shards), GiB: a number ≥ 0. */
  vectorDatasourceGiB: number;
  /** Days of container logs kept in Elasticsearch: a positive integer. */
  logRetentionDays: number;
  /** See {@link LlmProxyType}. */
  llmProxyType: LlmProxyType;
  /** Deploy NATS and its auth callout (deprecated upstream). Default: false. */
  includeNats?: boolean;
}

/**
 * A workload of a sized environment.
 *
 * @public
 */
export interface SizedWorkload {
  /** The component's id. */
  id: ComponentId;
  /** The component's name as the catalog shows it. */
  displayName: string;
  /** Deployment, StatefulSet or DaemonSet. */
  kind: Exclude<WorkloadKind, 'ManagedService'>;
  /** Kubernetes namespace. */
  namespace: string;
  /** Helm release name. */
  release: string;
  /** Pod count. For a DaemonSet: 1 (one per node). */
  replicas: number;
  /** CPU and memory requests per pod. */
  requests: Resources;
  /** CPU and memory limits per pod. */
  limits: Resources;
  /** Persistent volume per pod, GiB (0 when none). */
  storageGiBPerPod: number;
  /** Replicas must land on different nodes (and zones when regional). */
  spreadReplicas: boolean;
  /** The main workload this one accompanies (e.g. nats-auth-callout → nats). */
  companionOf?: ComponentId;
  /** Where the size comes from (the catalog's source, or the rule that derived it). */
  source: string;
}

/**
 * The managed PostgreSQL (Cloud SQL Enterprise, custom machine) of a sized environment.
 *
 * @public
 */
export interface ManagedPostgresSizing {
  /** Always `postgresql`. */
  id: 'postgresql';
  /** vCPUs of the Cloud SQL instance. */
  vcpu: number;
  /** Memory of the Cloud SQL instance, MiB. */
  memoryMiB: number;
  /** Provisioned SSD, GiB: CodeMie's (and LiteLLM's) data plus Keycloak's database. */
  storageGiB: number;
  /** Of `storageGiB`: Keycloak's database (the architecture page's "Keycloak + DB" 1 GB). */
  keycloakStorageGiB: number;
  /** Cloud SQL tier name, e.g. `db-custom-4-15360`. */
  tier: string;
}

/**
 * A sized environment.
 *
 * @public
 */
export interface TierSizing {
  /** Preset name, or `custom` (the value recorded on the catalog entity). */
  tier: string;
  /** What to show a person: the preset name, or e.g. `custom (between small and medium)`. */
  tierLabel: string;
  /** The size class the component sizes start from (between it and the next, they interpolate). */
  sizeClass: SizeClass;
  /** The sizing inputs, defaults filled in. */
  inputs: Required<SizingInputs>;
  /** Deployments and StatefulSets: the pods the node-pool planner places. */
  workloads: SizedWorkload[];
  /** DaemonSets: one pod on every node. */
  daemonSets: SizedWorkload[];
  /** The managed PostgreSQL. */
  postgresql: ManagedPostgresSizing;
}

/**
 * Named presets, smallest first; each names the catalog's size class of the same name.
 * `medium` is the template's default (100 users, 20 GiB, 14 days); `production` is the
 * architecture page's "500+ concurrent users" table.
 *
 * @public
 */
export const SIZING_PRESETS = {
  small: {
    concurrentUsers: 25,
    vectorDatasourceGiB: 10,
    logRetentionDays: 7,
    llmProxyType: 'litellm',
  },
  medium: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 20,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
  large: {
    concurrentUsers: 250,
    vectorDatasourceGiB: 50,
    logRetentionDays: 30,
    llmProxyType: 'litellm',
  },
  production: {
    concurrentUsers: 500,
    vectorDatasourceGiB: 100,
    logRetentionDays: 30,
    llmProxyType: 'litellm',
    includeNats: true,
  },
} as const satisfies Record<SizeClass, SizingInputs>;

/**
 * The name of a sizing preset (a key of `SIZING_PRESETS`).
 *
 * @public
 */
export type SizingPresetName = keyof typeof SIZING_PRESETS;

// ---- limits: what one environment is planned for (beyond: several environments) ----

/**
 * Most concurrent users one environment is planned for. Beyond, the API alone would need more
 * than 80 replicas of the architecture page's 4 vCPU / 8Gi; such a deployment is split into
 * several environments (or sized with CodeMie's team).
 *
 * @public
 */
export const MAX_CONCURRENT_USERS = 20_000;

/**
 * Most Elasticsearch data nodes: scale out to this many before scaling each node up.
 *
 * @public
 */
export const MAX_ELASTICSEARCH_DATA_NODES = 24;

/**
 * Longest log retention, days (ten years); more is refused before any arithmetic.
 *
 * @public
 */
export const MAX_LOG_RETENTION_DAYS = 3650;

// ---- formulas (constants are named, never inlined) ----

/** The architecture page's API: 8 vCPU / 16Gi for 500 users, in replicas of at most 4 vCPU / 8Gi. */
const API_MILLICORES_PER_USER = 8000 / 500;
const API_MAX_REPLICA_CPU_MILLIS = catalogSize('codemie-api', 'production')
  .requests.cpuMillis;
const API_MIB_PER_MILLICORE =
  catalogSize('codemie-api', 'production').requests.memoryMiB /
  API_MAX_REPLICA_CPU_MILLIS;
/** Replica sizes are rounded up to this many millicores. */
const API_CPU_STEP_MILLIS = 500;
/** Users above which the API runs two replicas at least (the page's HA pair). */
const API_HA_ABOVE_USERS = SIZING_PRESETS.large.concurrentUsers;

/** Between presets, requests are rounded up to these steps. */
const CPU_STEP_MILLIS = 50;
const MEMORY_STEP_MIB = 64;

/** Container logs shipped per day: a base for the platform's own pods plus a share per user. */
const LOG_GIB_PER_DAY_BASE = 1;
const LOG_MIB_PER_USER_PER_DAY = 2;
/** CodeMie's user metrics index, per concurrent user. */
const METRICS_MIB_PER_USER = 10;
/** Each shard has one replica: the cluster stores every GiB twice. */
const ELASTICSEARCH_COPIES = 2;
/** Keep data under Elasticsearch's default low disk watermark (85 %). */
const ELASTICSEARCH_DISK_WATERMARK = 0.85;
/** Smallest Elasticsearch volume: the elastic chart's (and the AWS Marketplace example's) 30Gi. */
const ELASTICSEARCH_MIN_STORAGE_GIB = 30;
const ELASTICSEARCH_STORAGE_STEP_GIB = 10;
/** Elastic's guidance for hot nodes: about 1 GiB of memory per 30 GiB of data. */
const ELASTICSEARCH_DISK_TO_MEMORY_RATIO = 30;
/** Scale out at the page's 16Gi per data node; only past the most data nodes grow memory. */
const ELASTICSEARCH_SCALE_OUT_MEMORY_GIB =
  catalogSize('elasticsearch', 'production').requests.memoryMiB / 1024;
/** Above 64Gi the JVM heap (half the memory) would pass 31 GiB and lose compressed oops. */
const ELASTICSEARCH_MAX_MEMORY_GIB = 64;
/** The page's 4 vCPU for 16Gi: one vCPU per 4 GiB. */
const ELASTICSEARCH_GIB_PER_VCPU = 4;

/** Cloud SQL: the page's lower bound of 30 GB, plus 1 GB per 25 users (50 GB at 500). */
const POSTGRES_MIN_STORAGE_GIB = 30;
const POSTGRES_USERS_PER_GIB = 25;
/** The page's "Keycloak + DB" 1 GB, in the same instance. */
const POSTGRES_KEYCLOAK_GIB = 1;
/** One vCPU up to this many users, then an even count (Cloud SQL custom shapes) per 250. */
const POSTGRES_USERS_PER_VCPU = 125;
/** Cloud SQL Enterprise's largest custom machine. */
const POSTGRES_MAX_VCPU = 96;
/** Cloud SQL's standard shape: 3840 MiB per vCPU. */
const POSTGRES_MIB_PER_VCPU = 3840;
/** CodeMie's LiteLLM guide: 2 replicas at 1-2 vCPU / 2-4Gi (its lower end). */
const LITELLM_HA = { replicas: 2, cpuMillis: 1000, memoryMiB: 2048 };

/**
 * Sizes an environment from its inputs.
 *
 * @param tierName - the value recorded as the tier; default: the preset these inputs equal, or `custom`.
 * @throws SizingInputError naming the invalid field; {@link SizingLimitError} beyond one environment.
 * @public
 */
export function sizeEnvironment(
  inputs: SizingInputs,
  tierName?: string,
): TierSizing {
  const normalised = validateSizingInputs(inputs);
  const users = normalised.concurrentUsers;
  const presetName = presetNameOfInputs(normalised);

  const workloads: SizedWorkload[] = [];
  const daemonSets: SizedWorkload[] = [];
  for (const row of COMPONENT_CATALOG) {
    if (row.kind === 'ManagedService') continue;
    if (row.id === 'nats' && !normalised.includeNats) continue;
    if (row.id === 'llm-proxy' && normalised.llmProxyType === 'external')
      continue;

    const main = sizeMain(row, normalised);
    (row.kind === 'DaemonSet' ? daemonSets : workloads).push(main);
    if (row.companion?.sizes) {
      const s = interpolatedSize(row.companion, users);
      workloads.push({
        ...toSized(row.companion, s.replicas, s.requests, s.source),
        companionOf: row.id,
      });
    }
  }

  return {
    tier: tierName ?? presetName ?? 'custom',
    tierLabel: presetName ?? customTierLabel(users),
    sizeClass: sizeClassFor(users),
    inputs: normalised,
    workloads,
    daemonSets,
    postgresql: sizePostgres(users),
  };
}

/**
 * Sizes one of the named presets.
 *
 * @public
 */
export function sizePreset(name: SizingPresetName): TierSizing {
  return sizeEnvironment(SIZING_PRESETS[name], name);
}

/**
 * The preset whose inputs these are, or undefined.
 *
 * @public
 */
export function presetNameOfInputs(
  inputs: Required<SizingInputs>,
): SizingPresetName | undefined {
  for (const name of SIZE_CLASSES) {
    const p: SizingInputs = SIZING_PRESETS[name];
    if (
      p.concurrentUsers === inputs.concurrentUsers &&
      p.vectorDatasourceGiB === inputs.vectorDatasourceGiB &&
      p.logRetentionDays === inputs.logRetentionDays &&
      p.llmProxyType === inputs.llmProxyType &&
      (p.includeNats ?? false) === (inputs.includeNats ?? false)
    ) {
      return name;
    }
  }
  return undefined;
}

/**
 * The size class of a user count: the smallest preset with at least that many users
 * (`production` above it).
 *
 * @public
 */
export function sizeClassFor(concurrentUsers: number): SizeClass {
  return (
    SIZE_CLASSES.find(
      c => concurrentUsers <= SIZING_PRESETS[c].concurrentUsers,
    ) ?? 'production'
  );
}

/**
 * How a person reads a sizing that is no preset: where its users fall among the presets, e.g.
 * `custom (between small and medium)`.
 *
 * @public
 */
export function customTierLabel(concurrentUsers: number): string {
  const first = SIZE_CLASSES[0];
  const last = SIZE_CLASSES[SIZE_CLASSES.length - 1];
  const at = SIZE_CLASSES.find(
    c => SIZING_PRESETS[c].concurrentUsers === concurrentUsers,
  );
  if (at) return `custom (${at}-sized, other inputs)`;
  if (concurrentUsers < SIZING_PRESETS[first].concurrentUsers)
    return `custom (smaller than ${first})`;
  if (concurrentUsers > SIZING_PRESETS[last].concurrentUsers)
    return `custom (larger than ${last})`;
  const upper = sizeClassFor(concurrentUsers);
  const lower = SIZE_CLASSES[SIZE_CLASSES.indexOf(upper) - 1];
  return `custom (between ${lower} and ${upper})`;
}

/**
 * Checks and normalises sizing inputs (fills defaults).
 *
 * @throws SizingInputError naming the invalid field; {@link SizingLimitError} beyond one environment.
 * @public
 */
export function validateSizingInputs(
  inputs: SizingInputs,
): Required<SizingInputs> {
  if (typeof inputs !== 'object' || inputs === null) {
    throw new SizingInputError('sizing', 'must be an object');
  }
  const {
    concurrentUsers,
    vectorDatasourceGiB,
    logRetentionDays,
    llmProxyType,
  } = inputs;
  if (!Number.isInteger(concurrentUsers) || concurrentUsers < 1) {
    throw new SizingInputError(
      'concurrentUsers',
      `must be a positive integer, got ${describeValue(concurrentUsers)}`,
    );
  }
  if (concurrentUsers > MAX_CONCURRENT_USERS) {
    throw new SizingLimitError(
      'concurrentUsers',
      `${concurrentUsers} is more than the ${MAX_CONCURRENT_USERS.toLocaleString('en-US')} concurrent users one ` +
        'environment is planned for: split them over several environments, or contact the CodeMie team to size a larger one',
    );
  }
  if (
    typeof vectorDatasourceGiB !== 'number' ||
    !Number.isFinite(vectorDatasourceGiB) ||
    vectorDatasourceGiB < 0
  ) {
    throw new SizingInputError(
      'vectorDatasourceGiB',
      `must be a number of GiB ≥ 0, got ${describeValue(vectorDatasourceGiB)}`,
    );
  }
  if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
    throw new SizingInputError(
      'logRetentionDays',
      `must be a positive integer number of days, got ${describeValue(logRetentionDays)}`,
    );
  }
  if (logRetentionDays > MAX_LOG_RETENTION_DAYS) {
    throw new SizingLimitError(
      'logRetentionDays',
      `${logRetentionDays} days is more than the ${MAX_LOG_RETENTION_DAYS} days (ten years) of logs one environment keeps`,
    );
  }
  if (!LLM_PROXY_TYPES.includes(llmProxyType)) {
    throw new SizingInputError(
      'llmProxyType',
      `must be one of ${LLM_PROXY_TYPES.join(', ')}, got ${describeValue(llmProxyType)}`,
    );
  }
  const includeNats = inputs.includeNats ?? false;
  if (typeof includeNats !== 'boolean') {
    throw new SizingInputError(
      'includeNats',
      `must be a boolean, got ${describeValue(includeNats)}`,
    );
  }
  const normalised = {
    concurrentUsers,
    vectorDatasourceGiB,
    logRetentionDays,
    llmProxyType,
    includeNats,
  };
  // Refuses data no Elasticsearch layout of one environment holds, naming the input that fills it.
  elasticsearchLayout(normalised);
  return normalised;
}

/** Number of API replicas for a number of concurrent users. @public */
export function apiReplicas(concurrentUsers: number): number {
  return apiSize(concurrentUsers).replicas;
}

/**
 * Container logs the environment writes a day, GiB: a base for the platform's own pods plus a
 * share per user. Fluent Bit ships them to Elasticsearch; GKE's own agent to Cloud Logging.
 *
 * @public
 */
export function containerLogGiBPerDay(concurrentUsers: number): number {
  return (
    LOG_GIB_PER_DAY_BASE + (concurrentUsers * LOG_MIB_PER_USER_PER_DAY) / 1024
  );
}

/**
 * GiB of data Elasticsearch keeps (one copy): the vector indices, the logs of the retention
 * window and the user metrics.
 *
 * @public
 */
export function elasticsearchDataGiB(inputs: Required<SizingInputs>): number {
  const users = inputs.concurrentUsers;
  const logsGiBPerDay = containerLogGiBPerDay(users);
  return (
    inputs.vectorDatasourceGiB +
    inputs.logRetentionDays * logsGiBPerDay +
    (users * METRICS_MIB_PER_USER) / 1024
  );
}

/**
 * Elasticsearch volume per pod, GiB: the data stored twice (one replica per shard) over the
 * data nodes, kept under the 85 % low watermark, rounded up to 10 GiB, at least 30 GiB.
 *
 * @public
 */
export function elasticsearchStorageGiBPerPod(
  inputs: Required<SizingInputs>,
): number {
  return elasticsearchLayout(inputs).storageGiBPerPod;
}

/**
 * The Elasticsearch data nodes of an environment: how many, and each one's volume, memory and
 * CPU. Two nodes while each can hold a full copy with at most the page's 16Gi (Elastic's 1:30
 * memory-to-disk guidance for hot nodes); then more nodes (scale out), up to
 * {@link MAX_ELASTICSEARCH_DATA_NODES}; only then more memory per node, up to 64Gi.
 *
 * @throws SizingLimitError when even the largest layout cannot hold the data.
 * @public
 */
export function elasticsearchLayout(inputs: Required<SizingInputs>): {
  nodes: number;
  storageGiBPerPod: number;
  requests: Resources;
} {
  const users = inputs.concurrentUsers;
  const byUsers = interpolatedSize(catalogRow('elasticsearch'), users);
  const minNodes = byUsers.replicas;
  const storedGiB =
    (elasticsearchDataGiB(inputs) * ELASTICSEARCH_COPIES) /
    ELASTICSEARCH_DISK_WATERMARK;
  const perPod = (nodes: number) =>
    Math.max(
      ELASTICSEARCH_MIN_STORAGE_GIB,
      Math.ceil(storedGiB / nodes / ELASTICSEARCH_STORAGE_STEP_GIB) *
        ELASTICSEARCH_STORAGE_STEP_GIB,
    );
  const holds = (memoryGiB: number) =>
    memoryGiB * ELASTICSEARCH_DISK_TO_MEMORY_RATIO;
  let nodes = minNodes;
  let memoryCapGiB = ELASTICSEARCH_SCALE_OUT_MEMORY_GIB;
  if (perPod(nodes) > holds(memoryCapGiB)) {
    // Scale out: the fewest nodes whose share fits a 16Gi node (closed form, no loop over input).
    nodes = Math.max(
      minNodes,
      Math.ceil(storedGiB / holds(memoryCapGiB) - 1e-9),
    );
    while (
      nodes <= MAX_ELASTICSEARCH_DATA_NODES &&
      perPod(nodes) > holds(memoryCapGiB)
    )
      nodes += 1;
    if (nodes > MAX_ELASTICSEARCH_DATA_NODES) {
      // Then up: the most nodes, with more memory each.
      nodes = MAX_ELASTICSEARCH_DATA_NODES;
      memoryCapGiB = ELASTICSEARCH_MAX_MEMORY_GIB;
      if (perPod(nodes) > holds(memoryCapGiB)) {
        const maxDataGiB = Math.floor(
          (holds(memoryCapGiB) * nodes * ELASTICSEARCH_DISK_WATERMARK) /
            ELASTICSEARCH_COPIES,
        );
        const field =
          inputs.vectorDatasourceGiB >= elasticsearchDataGiB(inputs) / 2
            ? 'vectorDatasourceGiB'
            : 'logRetentionDays';
        throw new SizingLimitError(
          field,
          `Elasticsearch would keep ${formatGiB(elasticsearchDataGiB(inputs))} of data; one environment holds at most ` +
            `${formatGiB(maxDataGiB)} (${MAX_ELASTICSEARCH_DATA_NODES} data nodes of ${ELASTICSEARCH_MAX_MEMORY_GIB}Gi, ` +
            `one replica per shard): lower the datasource volume or log retention, or split the data over several environments`,
        );
      }
    }
  }
  const storageGiBPerPod = perPod(nodes);
  const byDataGiB = Math.ceil(
    storageGiBPerPod / ELASTICSEARCH_DISK_TO_MEMORY_RATIO,
  );
  const memoryMiB = roundUp(
    Math.max(
      byUsers.requests.memoryMiB,
      Math.min(memoryCapGiB, byDataGiB) * 1024,
    ),
    MEMORY_STEP_MIB,
  );
  const cpuMillis = roundUp(
    Math.max(
      byUsers.requests.cpuMillis,
      (memoryMiB / 1024 / ELASTICSEARCH_GIB_PER_VCPU) * 1000,
    ),
    CPU_STEP_MILLIS,
  );
  return { nodes, storageGiBPerPod, requests: { cpuMillis, memoryMiB } };
}

function sizePostgres(users: number): ManagedPostgresSizing {
  const vcpu =
    users <= POSTGRES_USERS_PER_VCPU
      ? 1
      : Math.min(
          POSTGRES_MAX_VCPU,
          2 * Math.ceil(users / (2 * POSTGRES_USERS_PER_VCPU)),
        );
  const memoryMiB = vcpu * POSTGRES_MIB_PER_VCPU;
  return {
    id: 'postgresql',
    vcpu,
    memoryMiB,
    storageGiB:
      POSTGRES_MIN_STORAGE_GIB +
      Math.ceil(users / POSTGRES_USERS_PER_GIB) +
      POSTGRES_KEYCLOAK_GIB,
    keycloakStorageGiB: POSTGRES_KEYCLOAK_GIB,
    tier: `db-custom-${vcpu}-${memoryMiB}`,
  };
}

/**
 * The API: the catalog's size up to the large preset (interpolated by users); above it at least
 * two replicas, as many as the page's 4 vCPU replicas the users need, each sized for its share
 * (8 vCPU / 16Gi per 500 users).
 */
function apiSize(users: number): ComponentSize {
  const row = catalogRow('codemie-api');
  if (users <= API_HA_ABOVE_USERS) return interpolatedSize(row, users);
  const totalMillis = users * API_MILLICORES_PER_USER;
  const replicas = Math.max(
    2,
    Math.ceil(totalMillis / API_MAX_REPLICA_CPU_MILLIS),
  );
  const cpuMillis = Math.min(
    API_MAX_REPLICA_CPU_MILLIS,
    roundUp(totalMillis / replicas, API_CPU_STEP_MILLIS),
  );
  return {
    replicas,
    requests: {
      cpuMillis,
      memoryMiB: roundUp(cpuMillis * API_MIB_PER_MILLICORE, MEMORY_STEP_MIB),
    },
    source: `${row.sizes!.production.source}: 1 vCPU and 2Gi per 62.5 users, in replicas of at most 4 vCPU / 8Gi`,
  };
}

function sizeMain(
  row: CatalogWorkload,
  inputs: Required<SizingInputs>,
): SizedWorkload {
  const users = inputs.concurrentUsers;
  switch (row.id) {
    case 'codemie-api': {
      const s = apiSize(users);
      return toSized(row, s.replicas, s.requests, s.source);
    }
    case 'elasticsearch': {
      const layout = elasticsearchLayout(inputs);
      return toSized(
        row,
        layout.nodes,
        layout.requests,
        `${interpolatedSize(row, users).source}; volume and memory from the data (1 GiB of memory per 30 GiB of disk), ` +
          'scaled out before up',
        layout.storageGiBPerPod,
      );
    }
    case 'llm-proxy':
      return inputs.llmProxyType === 'litellm-ha'
        ? {
            ...toSized(
              row,
              LITELLM_HA.replicas,
              {
                cpuMillis: LITELLM_HA.cpuMillis,
                memoryMiB: LITELLM_HA.memoryMiB,
              },
              "CodeMie's LiteLLM guide: 2 replicas at 1-2 vCPU / 2-4Gi (lower end)",
            ),
            spreadReplicas: true,
          }
        : sizedFromCatalog(row, users);
    default:
      return sizedFromCatalog(row, users);
  }
}

function sizedFromCatalog(row: CatalogWorkload, users: number): SizedWorkload {
  const s = interpolatedSize(row, users);
  return toSized(row, s.replicas, s.requests, s.source);
}

/**
 * A component's size for a user count: its size class's size at a preset's users; between two
 * presets, each request linearly between the two classes' (rounded up to 50m / 64Mi, replicas
 * of the smaller class); below the smallest preset its size; above the largest, production's.
 *
 * @public
 */
export function interpolatedSize(
  row: CatalogWorkload,
  users: number,
): ComponentSize {
  const sizes = row.sizes;
  if (!sizes) throw new Error(`${row.id} has no sizes`);
  const upper = sizeClassFor(users);
  const upperUsers = SIZING_PRESETS[upper].concurrentUsers;
  const index = SIZE_CLASSES.indexOf(upper);
  if (users >= upperUsers || index === 0) return sizes[upper];
  const lower = SIZE_CLASSES[index - 1];
  const lowerUsers = SIZING_PRESETS[lower].concurrentUsers;
  if (users <= lowerUsers) return sizes[lower];
  const t = (users - lowerUsers) / (upperUsers - lowerUsers);
  const a = sizes[lower];
  const b = sizes[upper];
  if (
    a.requests.cpuMillis === b.requests.cpuMillis &&
    a.requests.memoryMiB === b.requests.memoryMiB &&
    a.replicas === b.replicas
  ) {
    return a;
  }
  const between = (x: number, y: number, step: number) =>
    Math.max(x, Math.min(Math.max(x, y), roundUp(x + (y - x) * t, step)));
  return {
    replicas: a.replicas,
    requests: {
      cpuMillis: between(
        a.requests.cpuMillis,
        b.requests.cpuMillis,
        CPU_STEP_MILLIS,
      ),
      memoryMiB: between(
        a.requests.memoryMiB,
        b.requests.memoryMiB,
        MEMORY_STEP_MIB,
      ),
    },
    source: `between ${lower} (${a.source}) and ${upper} (${b.source}), by users`,
  };
}

function catalogSize(id: ComponentId, sizeClass: SizeClass): ComponentSize {
  const sizes = catalogRow(id).sizes;
  if (!sizes) throw new Error(`${id} has no sizes`);
  return sizes[sizeClass];
}

function toSized(
  workload: CatalogWorkload,
  replicas: number,
  requests: Resources,
  source: string,
  storageGiBPerPod = 0,
): SizedWorkload {
  if (
    workload.kind === 'ManagedService' ||
    !workload.namespace ||
    !workload.release
  ) {
    throw new Error(`${workload.id} is not an in-cluster workload`);
  }
  return {
    id: workload.id,
    displayName: workload.displayName,
    kind: workload.kind,
    namespace: workload.namespace,
    release: workload.release,
    replicas,
    requests: { ...requests },
    limits: limitsForRequests(requests),
    storageGiBPerPod,
    spreadReplicas: workload.spreadReplicas,
    source,
  };
}

function roundUp(value: number, step: number): number {
  return Math.ceil(value / step - 1e-9) * step;
}

function formatGiB(gib: number): string {
  return `${Math.round(gib).toLocaleString('en-US')} GiB`;
}

/** A value as a message shows it: strings quoted, so '10' is not read as the number 10. */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  return typeof value === 'object' ? 'an object' : String(value);
}
