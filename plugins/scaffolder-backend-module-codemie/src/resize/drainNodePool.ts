/**
 * Moving an environment's pods off a node pool without going below what their
 * PodDisruptionBudgets allow, the Kubernetes way (the steps of `kubectl drain`,
 * https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/):
 *
 * 1. cordon every node of the pool (`spec.unschedulable`), so nothing new lands there;
 * 2. restart the Deployments that still have pods there (`kubectl rollout restart`: a pod
 *    template annotation): with their RollingUpdate strategy (maxSurge 1, maxUnavailable 0) each
 *    starts its new pod on another node and stops the old one only once the new one is ready,
 *    so even a single-replica Deployment keeps serving;
 * 3. evict what is left (StatefulSet pods) one at a time through the Eviction API, which refuses
 *    with 429 while an eviction would break a budget
 *    (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/): retried until the
 *    budget allows it, then the next waits for the replacement to be ready.
 *
 * DaemonSet pods stay (they go with their nodes), as `kubectl drain --ignore-daemonsets` does.
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  V1Pod,
} from '@kubernetes/client-node';
import { apiErrorMessage } from '../deploy/applyComponents';
import { Clock, realClock, sleep } from '@codemie-gcp/plugin-codemie-node';
import { DEPLOY_LABELS } from '../deploy/render';

/** The field manager of the resize's own changes (cordons, restarts). */
export const RESIZE_FIELD_MANAGER = 'codemie-backstage-resize';

/** The annotation `kubectl rollout restart` sets on a pod template. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** Options of {@link drainNodePool}. */
export interface DrainOptions {
  /** The node pool to empty. */
  pool: string;
  /** The environment whose pods to move (label `codemie.ai/environment`). */
  environment: string;
  /** Gives up (the pods stay where they are) after this long. */
  timeoutMs: number;
  /** Between polls (default 2000 ms). */
  pollIntervalMs?: number;
  signal?: AbortSignal;
  log: (line: string) => void;
  /** The clock the polls wait on and the timeout is measured by; default the real one. */
  clock?: Clock;
  /** The time stamped on restarts (default the clock's now). */
  now?: () => Date;
}

/** What a drain did. */
export interface DrainResult {
  cordoned: string[];
  restarted: string[];
  evicted: string[];
}

const POOL_LABEL = 'cloud.google.com/gke-nodepool';

/** Waits between polls; a cancelled task stops waiting. */
const pause = (options: DrainOptions) =>
  sleep(
    options.pollIntervalMs ?? 2000,
    options.signal,
    `node pool ${options.pool}`,
    options.clock,
  );

const nowOf = (options: DrainOptions) => (options.clock ?? realClock).now();

const isReady = (pod: V1Pod) =>
  !!pod.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  );

const ownerOf = (pod: V1Pod) =>
  pod.metadata?.ownerReferences?.find(r => r.controller);

/** The nodes of `pool` (by GKE's node pool label). */
export async function poolNodes(core: CoreV1Api, pool: string) {
  return (await core.listNode({ labelSelector: `${POOL_LABEL}=${pool}` }))
    .items;
}

/** Cordons the nodes of `pool` that are not cordoned yet; returns their names. */
export async function cordonPool(
  kc: KubeConfig,
  pool: string,
): Promise<string[]> {
  const core = kc.makeApiClient(CoreV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const cordoned: string[] = [];
  for (const node of await poolNodes(core, pool)) {
    if (node.spec?.unschedulable) continue;
    await objects.patch(
      {
        apiVersion: 'v1',
        kind: 'Node',
        metadata: { name: node.metadata!.name! },
        spec: { unschedulable: true },
      },
      undefined,
      undefined,
      RESIZE_FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );
    cordoned.push(node.metadata!.name!);
  }
  return cordoned;
}

/** The environment's pods (not DaemonSet pods, not finished) on the nodes of `pool`. */
export async function podsOnPool(
  core: CoreV1Api,
  pool: string,
  environment: string,
): Promise<V1Pod[]> {
  const nodes = new Set(
    (await poolNodes(core, pool)).map(n => n.metadata!.name!),
  );
  if (nodes.size === 0) return [];
  const pods = await core.listPodForAllNamespaces({
    labelSelector: `${DEPLOY_LABELS.environment}=${environment}`,
  });
  return pods.items.filter(
    p =>
      nodes.has(p.spec?.nodeName ?? '') &&
      ownerOf(p)?.kind !== 'DaemonSet' &&
      !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''),
  );
}

/** The Deployment behind a pod owned by a ReplicaSet, if any. */
async function deploymentOf(
  apps: AppsV1Api,
  pod: V1Pod,
): Promise<string | undefined> {
  const owner = ownerOf(pod);
  if (owner?.kind !== 'ReplicaSet') return undefined;
  try {
    const rs = await apps.readNamespacedReplicaSet({
      name: owner.name,
      namespace: pod.metadata!.namespace!,
    });
    const deployment = rs.metadata?.ownerReferences?.find(
      r => r.controller && r.kind === 'Deployment',
    );
    return deployment
      ? `${pod.metadata!.namespace}/${deployment.name}`
      : undefined;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/** Waits until a Deployment's restart has rolled out (every replica updated and ready). */
async function waitForDeployment(
  apps: AppsV1Api,
  ref: string,
  deadline: number,
  options: DrainOptions,
): Promise<void> {
  const [namespace, name] = ref.split('/');
  for (;;) {
    const d = await apps.readNamespacedDeployment({ name, namespace });
    const want = d.spec?.replicas ?? 1;
    const s = d.status;
    if (
      (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
      (s?.updatedReplicas ?? 0) >= want &&
      (s?.readyReplicas ?? 0) >= want &&
      (s?.replicas ?? 0) <= want
    ) {
      return;
    }
    if (nowOf(options) > deadline) {
      throw new Error(
        `Deployment ${ref} did not finish moving off node pool ${options.pool}: ${s?.updatedReplicas ?? 0} of ${want} pods updated, ${s?.readyReplicas ?? 0} ready. Its pods stay where they are; run the resize again to continue`,
      );
    }
    await pause(options);
  }
}

/** Waits until a controller has replaced evicted pod `namespace/name` with a ready pod elsewhere. */
async function waitForReplacement(
  core: CoreV1Api,
  evicted: V1Pod,
  deadline: number,
  options: DrainOptions,
): Promise<void> {
  const namespace = evicted.metadata!.namespace!;
  const owner = ownerOf(evicted);
  for (;;) {
    const pods = (
      await core.listNamespacedPod({
        namespace,
        labelSelector: `${DEPLOY_LABELS.environment}=${options.environment}`,
      })
    ).items.filter(
      p =>
        ownerOf(p)?.uid === owner?.uid &&
        p.metadata?.uid !== evicted.metadata?.uid,
    );
    // A StatefulSet makes the pod again under the same name; anything else, a new name.
    const replacement = pods.find(p =>
      owner?.kind === 'StatefulSet'
        ? p.metadata?.name === evicted.metadata?.name
        : p.metadata?.creationTimestamp &&
          new Date(p.metadata.creationTimestamp).getTime() >=
            new Date(evicted.metadata?.creationTimestamp ?? 0).getTime(),
    );
    if (!owner || (replacement && isReady(replacement))) return;
    if (nowOf(options) > deadline) {
      throw new Error(
        `pod ${namespace}/${evicted.metadata?.name} was evicted from node pool ${options.pool}, but its replacement is not ready after the timeout${
          replacement ? ` (${replacement.status?.phase})` : ''
        }; run the resize again once it is`,
      );
    }
    await pause(options);
  }
}

/**
 * Empties node pool `pool` of the environment's pods (see the module comment). Running it again
 * continues where it stopped; an empty pool is left as it is.
 *
 * @throws Error naming the pod and its budget when a budget never allows the move in time.
 */
export async function drainNodePool(
  kc: KubeConfig,
  options: DrainOptions,
): Promise<DrainResult> {
  const core = kc.makeApiClient(CoreV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const deadline = nowOf(options) + options.timeoutMs;
  const result: DrainResult = { cordoned: [], restarted: [], evicted: [] };

  result.cordoned = await cordonPool(kc, options.pool);
  if (result.cordoned.length > 0) {
    options.log(
      `Cordoned ${result.cordoned.length} node(s) of node pool ${options.pool}`,
    );
  }

  // Deployments: a restart starts each new pod elsewhere before the old one stops.
  const deployments = new Set<string>();
  for (const pod of await podsOnPool(core, options.pool, options.environment)) {
    const deployment = await deploymentOf(apps, pod);
    if (deployment) deployments.add(deployment);
  }
  const at = (options.now?.() ?? new Date(nowOf(options))).toISOString();
  for (const ref of deployments) {
    const [namespace, name] = ref.split('/');
    await objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace },
        spec: {
          template: {
            metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at } },
          },
        },
      } as any,
      undefined,
      undefined,
      RESIZE_FIELD_MANAGER,
      undefined,
      PatchStrategy.MergePatch,
    );
    options.log(
      `Deployment ${ref}: restarted off node pool ${options.pool} (new pod first)`,
    );
    result.restarted.push(ref);
  }
  for (const ref of deployments)
    await waitForDeployment(apps, ref, deadline, options);

  // The rest, one at a time within their PodDisruptionBudgets.
  for (;;) {
    const [pod] = await podsOnPool(core, options.pool, options.environment);
    if (!pod) break;
    const ref = `${pod.metadata!.namespace}/${pod.metadata!.name}`;
    let refusal = '';
    for (;;) {
      try {
        await core.createNamespacedPodEviction({
          name: pod.metadata!.name!,
          namespace: pod.metadata!.namespace!,
          body: {
            apiVersion: 'policy/v1',
            kind: 'Eviction',
            metadata: {
              name: pod.metadata!.name!,
              namespace: pod.metadata!.namespace!,
            },
          },
        });
        break;
      } catch (e) {
        const code = (e as { code?: number }).code;
        if (code === 404) break; // gone already
        if (code !== 429) {
          throw new Error(`Could not evict pod ${ref}: ${apiErrorMessage(e)}`);
        }
        const message = apiErrorMessage(e);
        if (message !== refusal) {
          options.log(
            `pod ${ref}: waiting for its PodDisruptionBudget (${message})`,
          );
          refusal = message;
        }
        if (nowOf(options) > deadline) {
          throw new Error(
            `pod ${ref} could not leave node pool ${options.pool}: its PodDisruptionBudget allowed no disruption before the timeout (${message}). Nothing was forced; run the resize again to continue`,
          );
        }
        await pause(options);
      }
    }
    options.log(`pod ${ref}: evicted from node pool ${options.pool}`);
    result.evicted.push(ref);
    await waitForReplacement(core, pod, deadline, options);
  }
  return result;
}
