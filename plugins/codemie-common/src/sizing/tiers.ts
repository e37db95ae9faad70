/**
 * Sizing tiers: from what a platform engineer knows (concurrent users, vector datasource volume,
 * log retention, LLM proxy type) to the pods, volumes and database of an environment.
 *
 * The formulas follow the seed's "Scaling Considerations" and are written down in the package
 * README. Every formula is non-decreasing in every input and bounded below by what the
 * component needs to start; with the `production` preset's inputs they give the seed's table.
 */
import { Resources } from '../gke/allocatable';
import {
  COMPONENT_CATALOG,
  CatalogWorkload,
  catalogRow,
  ComponentId,
  WorkloadKind,
  limitsForRequests,
} from './components';
import { SizingInputError } from './errors';

/**
 * In-cluster LLM proxy: `litellm` is the seed's single LiteLLM pod; `litellm-ha` follows
 * CodeMie's own LiteLLM guide (2 replicas); `external` runs no proxy in the cluster.
 *
 * @public
 */
export type LlmProxyType = 'litellm' | 'litellm-ha' | 'external';

/** @public */
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
  id: ComponentId;
  displayName: string;
  kind: Exclude<WorkloadKind, 'ManagedService'>;
  namespace: string;
  release: string;
  /** Pod count. For a DaemonSet: 1 (one per node). */
  replicas: number;
  requests: Resources;
  limits: Resources;
  /** Persistent volume per pod, GiB (0 when none). */
  storageGiBPerPod: number;
  /** Replicas must land on different nodes (and zones when regional). */
  spreadReplicas: boolean;
  /** The main workload this one accompanies (e.g. keycloak-db → keycloak). */
  companionOf?: ComponentId;
}

/**
 * The managed PostgreSQL (Cloud SQL Enterprise, custom machine) of a sized environment.
 *
 * @public
 */
export interface ManagedPostgresSizing {
  id: 'postgresql';
  vcpu: number;
  memoryMiB: number;
  storageGiB: number;
  /** Cloud SQL tier name, e.g. `db-custom-4-15360`. */
  tier: string;
}

/**
 * A sized environment.
 *
 * @public
 */
export interface TierSizing {
  /** Preset name, or `custom`. */
  tier: string;
  inputs: Required<SizingInputs>;
  /** Deployments and StatefulSets: the pods the node-pool planner places. */
  workloads: SizedWorkload[];
  /** DaemonSets: one pod on every node. */
  daemonSets: SizedWorkload[];
  postgresql: ManagedPostgresSizing;
}

/**
 * Named presets. `production` is the seed's "500+ concurrent users" table.
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
    vectorDatasourceGiB: 40,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
  large: {
    concurrentUsers: 250,
    vectorDatasourceGiB: 80,
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
} as const satisfies Record<string, SizingInputs>;

/** @public */
export type SizingPresetName = keyof typeof SIZING_PRESETS;

// ---- formulas (README "Tier formulas"); constants are named, never inlined ----

/** Concurrent users one API replica serves (the seed: 2 replicas for 500). */
export const USERS_PER_API_REPLICA = 250;

/** API pod size by concurrent users: first band whose `upToUsers` covers them. */
const API_POD_BANDS: ReadonlyArray<{ upToUsers: number; requests: Resources }> =
  [
    // AWS Marketplace small-team example: 1-2 CPU / 2Gi (above the chart default 100m / 1Gi).
    { upToUsers: 50, requests: { cpuMillis: 1000, memoryMiB: 2048 } },
    { upToUsers: 200, requests: { cpuMillis: 2000, memoryMiB: 4096 } },
    // The seed's 4 vCPU / 8Gi.
    { upToUsers: Infinity, requests: catalogRow('codemie-api').requests },
  ];

const ELASTICSEARCH_REPLICAS = catalogRow('elasticsearch').pods;
/** Container logs shipped per day: a base for the platform's own pods plus a share per user. */
const LOG_GIB_PER_DAY_BASE = 1;
const LOG_MIB_PER_USER_PER_DAY = 2;
/** CodeMie's user metrics index, per concurrent user. */
const METRICS_MIB_PER_USER = 10;
/** Keep data under Elasticsearch's default low disk watermark (85 %). */
const ELASTICSEARCH_DISK_WATERMARK = 0.85;
/** Smallest Elasticsearch volume: the AWS Marketplace example's 30Gi PVC. */
const ELASTICSEARCH_MIN_STORAGE_GIB = 30;
const ELASTICSEARCH_STORAGE_STEP_GIB = 10;
/** Elasticsearch memory by users (the seed's 16Gi from 250 up). */
const ELASTICSEARCH_MEMORY_BANDS: ReadonlyArray<{
  upToUsers: number;
  memoryGiB: number;
}> = [
  // Floor above the AWS Marketplace example's 3Gi (1 GiB heap).
  { upToUsers: 100, memoryGiB: 4 },
  { upToUsers: 250, memoryGiB: 8 },
  // The seed's 16Gi.
  {
    upToUsers: Infinity,
    memoryGiB: catalogRow('elasticsearch').requests.memoryMiB / 1024,
  },
];
/** Elastic's guidance for hot nodes: about 1 GiB of memory per 30 GiB of data. */
const ELASTICSEARCH_DISK_TO_MEMORY_RATIO = 30;
/** Above 64Gi the JVM heap (half the memory) would pass 31 GiB and lose compressed oops. */
const ELASTICSEARCH_MAX_MEMORY_GIB = 64;
/** The seed's 4 vCPU for 16Gi: one vCPU per 4 GiB, never under the example's 2 CPU. */
const ELASTICSEARCH_GIB_PER_VCPU = 4;
const ELASTICSEARCH_MIN_CPU_MILLIS = 2000;

/** Cloud SQL: base storage, the seed's lower bound, plus 1 GiB per 25 users (50 at 500). */
const POSTGRES_MIN_STORAGE_GIB = 30;
const POSTGRES_USERS_PER_GIB = 25;
const POSTGRES_USERS_PER_VCPU = 125;
const POSTGRES_MAX_VCPU = 16;
/** Cloud SQL's standard shape: 3840 MiB per vCPU. */
const POSTGRES_MIB_PER_VCPU = 3840;

/**
 * Sizes an environment from its inputs.
 *
 * @throws SizingInputError naming the invalid field.
 * @public
 */
export function sizeEnvironment(
  inputs: SizingInputs,
  tierName = 'custom',
): TierSizing {
  const normalised = validateSizingInputs(inputs);
  const users = normalised.concurrentUsers;

  const workloads: SizedWorkload[] = [];
  const daemonSets: SizedWorkload[] = [];
  for (const row of COMPONENT_CATALOG) {
    if (row.kind === 'ManagedService') continue;
    if (row.id === 'nats' && !normalised.includeNats) continue;
    if (row.id === 'llm-proxy' && normalised.llmProxyType === 'external')
      continue;

    const main = sizeMain(row, normalised);
    (row.kind === 'DaemonSet' ? daemonSets : workloads).push(main);
    if (row.companion) {
      workloads.push({
        ...toSized(row.companion, row.companion.pods, row.companion.requests),
        companionOf: row.id,
      });
    }
  }

  return {
    tier: tierName,
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
 * Checks and normalises sizing inputs (fills defaults).
 *
 * @throws SizingInputError naming the invalid field.
 * @public
 */
export function validateSizingInputs(
  inputs: SizingInputs,
): Required<SizingInputs> {
  const {
    concurrentUsers,
    vectorDatasourceGiB,
    logRetentionDays,
    llmProxyType,
  } = inputs;
  if (!Number.isInteger(concurrentUsers) || concurrentUsers < 1) {
    throw new SizingInputError(
      'concurrentUsers',
      `must be a positive integer, got ${String(concurrentUsers)}`,
    );
  }
  if (
    typeof vectorDatasourceGiB !== 'number' ||
    !Number.isFinite(vectorDatasourceGiB) ||
    vectorDatasourceGiB < 0
  ) {
    throw new SizingInputError(
      'vectorDatasourceGiB',
      `must be a number of GiB ≥ 0, got ${String(vectorDatasourceGiB)}`,
    );
  }
  if (!Number.isInteger(logRetentionDays) || logRetentionDays < 1) {
    throw new SizingInputError(
      'logRetentionDays',
      `must be a positive integer number of days, got ${String(logRetentionDays)}`,
    );
  }
  if (!LLM_PROXY_TYPES.includes(llmProxyType)) {
    throw new SizingInputError(
      'llmProxyType',
      `must be one of ${LLM_PROXY_TYPES.join(', ')}, got ${String(llmProxyType)}`,
    );
  }
  const includeNats = inputs.includeNats ?? false;
  if (typeof includeNats !== 'boolean') {
    throw new SizingInputError(
      'includeNats',
      `must be a boolean, got ${String(includeNats)}`,
    );
  }
  return {
    concurrentUsers,
    vectorDatasourceGiB,
    logRetentionDays,
    llmProxyType,
    includeNats,
  };
}

/** Number of API replicas for a number of concurrent users. @public */
export function apiReplicas(concurrentUsers: number): number {
  return Math.max(1, Math.ceil(concurrentUsers / USERS_PER_API_REPLICA));
}

/**
 * Elasticsearch volume per pod, GiB. With two data nodes and one replica per shard each pod
 * holds a full copy of: the vector indices, the logs of the retention window and the user
 * metrics; kept under the 85 % low watermark; rounded up to 10 GiB; at least 30 GiB.
 *
 * @public
 */
export function elasticsearchStorageGiBPerPod(
  inputs: Required<SizingInputs>,
): number {
  const users = inputs.concurrentUsers;
  const logsGiBPerDay =
    LOG_GIB_PER_DAY_BASE + (users * LOG_MIB_PER_USER_PER_DAY) / 1024;
  const dataGiB =
    inputs.vectorDatasourceGiB +
    inputs.logRetentionDays * logsGiBPerDay +
    (users * METRICS_MIB_PER_USER) / 1024;
  const withWatermark = dataGiB / ELASTICSEARCH_DISK_WATERMARK;
  const rounded =
    Math.ceil(withWatermark / ELASTICSEARCH_STORAGE_STEP_GIB) *
    ELASTICSEARCH_STORAGE_STEP_GIB;
  return Math.max(ELASTICSEARCH_MIN_STORAGE_GIB, rounded);
}

function elasticsearchRequests(users: number, storageGiB: number): Resources {
  const byUsers = ELASTICSEARCH_MEMORY_BANDS.find(
    b => users <= b.upToUsers,
  )!.memoryGiB;
  const byData = nextPowerOfTwo(
    Math.ceil(storageGiB / ELASTICSEARCH_DISK_TO_MEMORY_RATIO),
  );
  const memoryGiB = Math.min(
    ELASTICSEARCH_MAX_MEMORY_GIB,
    Math.max(byUsers, byData),
  );
  return {
    cpuMillis: Math.max(
      ELASTICSEARCH_MIN_CPU_MILLIS,
      (memoryGiB / ELASTICSEARCH_GIB_PER_VCPU) * 1000,
    ),
    memoryMiB: memoryGiB * 1024,
  };
}

function sizePostgres(users: number): ManagedPostgresSizing {
  const vcpu = Math.min(
    POSTGRES_MAX_VCPU,
    nextPowerOfTwo(Math.ceil(users / POSTGRES_USERS_PER_VCPU)),
  );
  const memoryMiB = vcpu * POSTGRES_MIB_PER_VCPU;
  return {
    id: 'postgresql',
    vcpu,
    memoryMiB,
    storageGiB:
      POSTGRES_MIN_STORAGE_GIB + Math.ceil(users / POSTGRES_USERS_PER_GIB),
    tier: `db-custom-${vcpu}-${memoryMiB}`,
  };
}

function sizeMain(
  row: CatalogWorkload,
  inputs: Required<SizingInputs>,
): SizedWorkload {
  const users = inputs.concurrentUsers;
  switch (row.id) {
    case 'codemie-api':
      return toSized(
        row,
        apiReplicas(users),
        API_POD_BANDS.find(b => users <= b.upToUsers)!.requests,
      );
    case 'elasticsearch': {
      const storage = elasticsearchStorageGiBPerPod(inputs);
      return toSized(
        row,
        ELASTICSEARCH_REPLICAS,
        elasticsearchRequests(users, storage),
        storage,
      );
    }
    case 'llm-proxy':
      return inputs.llmProxyType === 'litellm-ha'
        ? // CodeMie's LiteLLM guide: 2 replicas at 1-2 vCPU / 2-4Gi (lower end).
          {
            ...toSized(row, 2, { cpuMillis: 1000, memoryMiB: 2048 }),
            spreadReplicas: true,
          }
        : toSized(row, row.pods, row.requests);
    default:
      // The seed gives no scaling rule for the other components: they keep its size.
      return toSized(row, row.pods, row.requests);
  }
}

function toSized(
  workload: CatalogWorkload,
  replicas: number,
  requests: Resources,
  storageGiBPerPod = workload.storageGiBPerPod,
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
  };
}

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
