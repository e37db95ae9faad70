/**
 * Test helpers for resizes: a ready CodeMie environment seeded in the GCP sandbox the way the
 * local portal seeds its demo (network, GKE with the planner's pool, Cloud SQL, secrets, the
 * rendered workloads running) and recorded as a finished create would record it; and a monitor
 * that watches, throughout a resize, that no PodDisruptionBudget and no Deployment ever has
 * fewer ready pods than it allows.
 */
import type { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import {
  SIZING_PRESETS,
  SizingPresetName,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { renderCodemieObjects } from '../../renderCodemieObjects';

export const PROJECT = 'codemie-sandbox';
export const REGION = 'europe-west3';

/**
 * The Kubernetes half of a seeded cluster, as these tests inspect it.
 *
 * @public
 */
export interface SeededCluster {
  /** The cluster's objects of a kind, in a namespace or all namespaces. */
  objects(kind: string, namespace?: string): any[];
  /** Calls `listener` with the cluster's objects on every change; returns the unsubscribe. */
  observe(
    listener: (view: { objects(kind: string): readonly any[] }) => void,
  ): () => void;
  /** Makes pods slower to pull, start and become ready. */
  behaviour: {
    durations(
      target: object,
      d: { pullSeconds?: number; startSeconds?: number; readySeconds?: number },
    ): () => void;
  };
}

/**
 * Seeds environment `name` at `preset` and records it ready, owned by `owner`.
 *
 * @public
 */
export async function seededEnvironment(
  sandbox: GcpSandbox,
  store: CodemieStore,
  options: {
    name: string;
    preset: SizingPresetName;
    owner?: string;
    llmProxyType?: 'litellm' | 'litellm-ha' | 'external';
  },
): Promise<{
  environment: string;
  cluster: SeededCluster;
  clusterName: string;
}> {
  const input = validateEnvironmentInput({
    name: options.name,
    projectId: PROJECT,
    region: REGION,
    option: 'private',
    bastionMembers: ['group:platform-engineering@example.com'],
    domain: `${options.name}.codemie.example.com`,
    sizing: {
      ...SIZING_PRESETS[options.preset],
      ...(options.llmProxyType ? { llmProxyType: options.llmProxyType } : {}),
    },
  });
  const outputs = {
    clusterName: `projects/${PROJECT}/locations/${REGION}/clusters/${options.name}-gke`,
    googleServiceAccount: `${options.name}-codemie@${PROJECT}.iam.gserviceaccount.com`,
    sqlPrivateIp: '10.100.0.3',
    sqlConnectionName: `${PROJECT}:${REGION}:${options.name}-pg`,
    databaseSecrets: {
      codemie: `${options.name}-codemie-db-password`,
      keycloak: `${options.name}-keycloak-db-password`,
      litellm: `${options.name}-litellm-db-password`,
    },
  };
  const demo = await sandbox.seedDemo({
    projectId: PROJECT,
    name: options.name,
    region: REGION,
    domain: input.domain,
    preset: options.preset,
    objects: renderCodemieObjects({ input, outputs }) as any,
    crashLoop: null,
  });
  await store.upsertEnvironment({
    projectId: PROJECT,
    name: options.name,
    owner: options.owner ?? 'group:default/platform-engineering',
    createdBy: 'user:default/ana',
    taskId: 'the-create-task',
    state: 'ready',
    spec: { input, tier: options.preset },
    outputs,
  });
  const record = sandbox.state.clusters.get(demo.cluster) as any;
  return {
    environment: `${PROJECT}/${options.name}`,
    cluster: record.server as SeededCluster,
    clusterName: demo.cluster,
  };
}

const isReady = (pod: any) =>
  pod.status?.conditions?.some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );

const selects = (selector: any, pod: any) =>
  Object.entries(selector?.matchLabels ?? {}).every(
    ([k, v]) => pod.metadata?.labels?.[k] === v,
  );

/**
 * One moment where fewer pods were ready than allowed.
 *
 * @public
 */
export interface Shortfall {
  /** What was short, e.g. a component's name. */
  what: string;
  /** Pods ready at that moment. */
  ready: number;
  /** Pods that had to be ready. */
  needed: number;
}

/**
 * Watches every state the cluster passes through (the sandbox calls back after each controller
 * pass, so no moment is skipped) and records each one where a PodDisruptionBudget had fewer
 * ready pods than its workload's replicas minus `maxUnavailable` (or `minAvailable`), or a
 * Deployment fewer ready pods than its replicas.
 *
 * @public
 */
export function watchReadiness(cluster: SeededCluster, environment: string) {
  const shortfalls: Shortfall[] = [];
  let states = 0;
  const ours = (o: any) =>
    o.metadata?.labels?.['codemie.ai/environment'] === environment;
  const check = (view: { objects(kind: string): readonly any[] }) => {
    const pods = view.objects('Pod').filter(ours);
    const deployments = view.objects('apps/v1/Deployment').filter(ours);
    const workloads = [
      ...deployments,
      ...view.objects('apps/v1/StatefulSet').filter(ours),
    ];
    const readyFor = (namespace: string, selector: any) =>
      pods.filter(
        p =>
          p.metadata?.namespace === namespace &&
          selects(selector, p) &&
          isReady(p),
      ).length;
    for (const pdb of view.objects('PodDisruptionBudget').filter(ours)) {
      const owner = workloads.find(
        w =>
          w.metadata?.namespace === pdb.metadata?.namespace &&
          JSON.stringify(w.spec?.selector) ===
            JSON.stringify(pdb.spec?.selector),
      );
      const replicas = owner?.spec?.replicas ?? 0;
      const needed =
        pdb.spec?.minAvailable !== undefined
          ? Number(pdb.spec.minAvailable)
          : replicas - Number(pdb.spec?.maxUnavailable ?? 0);
      const ready = readyFor(pdb.metadata.namespace, pdb.spec?.selector);
      if (ready < needed) {
        shortfalls.push({
          what: `PodDisruptionBudget ${pdb.metadata.namespace}/${pdb.metadata.name}`,
          ready,
          needed,
        });
      }
    }
    for (const d of deployments) {
      const needed = d.spec?.replicas ?? 1;
      const ready = readyFor(d.metadata.namespace, d.spec?.selector);
      if (ready < needed) {
        shortfalls.push({
          what: `Deployment ${d.metadata.namespace}/${d.metadata.name}`,
          ready,
          needed,
        });
      }
    }
    states += 1;
  };
  const stop = cluster.observe(check);
  return {
    shortfalls,
    /** How many states were checked. */
    get states() {
      return states;
    },
    stop,
  };
}
