/**
 * Builds the status response from what was read: the tier's sizing, the listed Kubernetes
 * objects, live metrics, volume stats, the GKE cluster and the Cloud SQL instance. Pure: no
 * I/O, the clock is an argument. The steps, each in its own module:
 *
 * 1. `indexSnapshot` — the snapshot indexed by pod, component and node;
 * 2. `podRowsOf` — one row per pod, with the shared diagnosis of pods that are not fine;
 * 3. `componentStatusOf` / `databaseComponentOf` — pod rows aggregated per component;
 * 4. `summarizeCluster` / `totalsOf` — the node pool, allocatable against requested;
 * 5. `detectProblems` — the list of problem detectors (`./detectors`);
 * 6. `decideVerdict` — the worst component, the cluster, missing metrics.
 */
import type {
  EnvironmentStatus,
  SizingAdvice,
} from '@codemie-gcp/plugin-codemie-common';
import { ClassifyOptions, DEFAULT_CLASSIFY_OPTIONS } from './classifyHealth';
import type {
  ClusterSnapshot,
  DnsRead,
  DatabaseRead,
  EnvironmentDescriptor,
  GkeClusterInfo,
} from './types';
import { indexSnapshot } from './steps/indexSnapshot';
import { componentStatusOf, plannedComponents } from './steps/componentStatus';
import { databaseComponentOf } from './steps/databaseComponent';
import { summarizeCluster, totalsOf } from './steps/clusterSummary';
import { decideVerdict } from './steps/verdict';
import { accessOf } from './steps/access';
import { detectProblems } from './detectors';

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

/** The database part of the status: the instance, or its name with state UNKNOWN. */
function databaseOf(database: DatabaseRead | undefined) {
  if (!database) return {};
  return database.ok
    ? { database: database.status }
    : { database: { instance: database.instance, state: 'UNKNOWN' } };
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
  const index = indexSnapshot(snapshot);
  const ctx = {
    index,
    snapshot,
    now: input.readAt,
    classify: input.classify ?? DEFAULT_CLASSIFY_OPTIONS,
  };
  const components = plannedComponents(env.sizing).map(plan =>
    plan.kind === 'Managed'
      ? databaseComponentOf(plan, env.sizing, input.database)
      : componentStatusOf(plan, ctx),
  );
  const clusterStatus = summarizeCluster(cluster, snapshot.nodes, components);
  const problems = detectProblems({
    environment: env,
    components,
    cluster: clusterStatus,
    database: input.database,
    services: snapshot.services,
    dns: input.dns,
  });
  return {
    entityRef: env.entityRef,
    readAt: new Date(input.readAt).toISOString(),
    environment: {
      name: env.name,
      projectId: env.projectId,
      option: env.option,
      tier: env.tier,
      region: env.region,
      ...(env.domain ? { domain: env.domain } : {}),
    },
    verdict: decideVerdict(components, cluster.status, index.metricsAvailable),
    components,
    totals: totalsOf(components, index.metricsAvailable),
    cluster: clusterStatus,
    ...databaseOf(input.database),
    ...(input.monthlyCostUsd !== undefined
      ? { monthlyCostUsd: input.monthlyCostUsd }
      : {}),
    access: accessOf(env, cluster),
    problems,
    advice: input.advice ?? [],
    ...(input.adviceNote ? { adviceNote: input.adviceNote } : {}),
    metricsAvailable: index.metricsAvailable,
  };
}
