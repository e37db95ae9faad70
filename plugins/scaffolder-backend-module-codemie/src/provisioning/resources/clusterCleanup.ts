import { CoreV1Api } from '@kubernetes/client-node';
import { ClusterConnector, sleep } from '@codemie-gcp/plugin-codemie-node';
import { ProvisionContext, clockOf } from '../ProvisionContext';

/** How long destroy waits for Kubernetes to release load balancers and disks. */
export const CLEANUP_TIMEOUT_MILLIS = 10 * 60 * 1000;

/** Kubernetes' and GKE's own namespaces: never deleted whole. */
const SYSTEM_NAMESPACE = /^(default|kube-.*|gke-.*|gmp-.*)$/;

/** pd-balanced, USD per GB-month (https://cloud.google.com/compute/disks-image-pricing). */
const PD_BALANCED_USD_PER_GB_MONTH = 0.1;

/**
 * What deleting a GKE cluster leaves behind in the project, because Kubernetes (not GKE)
 * created it (https://cloud.google.com/kubernetes-engine/docs/how-to/deleting-a-cluster):
 * the forwarding rules, target pools and `k8s-fw-*` firewall rules of LoadBalancer Services
 * (which then block deleting the network), and the persistent disks of volumes whose reclaim
 * policy is Retain (CodeMie's StorageClass keeps them, so data survives a mistaken delete).
 *
 * Before the cluster goes, destroy therefore deletes the LoadBalancer Services, switches every
 * PersistentVolume to reclaim policy Delete, deletes every claim and waits until Kubernetes has
 * released the load balancers and disks. When the cluster cannot be reached (e.g. a private
 * cluster seen from outside its VPC), it says what will be left and what it costs.
 */
export async function releaseKubernetesCloudResources(
  ctx: ProvisionContext,
  clusterName: string,
): Promise<void> {
  const what = `GKE cluster ${ctx.plan.names.cluster}`;
  let core: CoreV1Api;
  try {
    const kc = await new ClusterConnector(ctx.google).kubeConfig(clusterName);
    core = kc.makeApiClient(CoreV1Api);
    await core.listNamespace({ limit: 1 });
  } catch (e) {
    ctx.log(
      `${what}: cannot reach its Kubernetes API to delete its load balancers and volumes first ` +
        `(${e instanceof Error ? e.message : String(e)}). ${keptAfterDelete(ctx)}`,
    );
    return;
  }

  const services = (await core.listServiceForAllNamespaces()).items.filter(
    s => s.spec?.type === 'LoadBalancer',
  );
  const volumes = (await core.listPersistentVolume()).items;
  const claims = (await core.listPersistentVolumeClaimForAllNamespaces()).items;
  // Disks are deleted with their claims once reclaimed on delete.
  for (const pv of volumes) {
    if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') continue;
    await core
      .patchPersistentVolume({
        name: pv.metadata!.name!,
        body: [
          {
            op: 'replace',
            path: '/spec/persistentVolumeReclaimPolicy',
            value: 'Delete',
          },
        ],
      })
      .catch(ignoreNotFound);
  }
  // A claim goes only once no pod uses it, and a StatefulSet re-creates its pods' claims: the
  // namespaces holding them are deleted whole (CodeMie's own; the cluster is going anyway).
  // Objects in Kubernetes' and GKE's system namespaces are deleted one by one.
  const namespaces = new Set(
    [...services, ...claims].map(o => o.metadata!.namespace!),
  );
  for (const namespace of namespaces) {
    if (SYSTEM_NAMESPACE.test(namespace)) {
      for (const s of services.filter(x => x.metadata?.namespace === namespace))
        await core
          .deleteNamespacedService({ name: s.metadata!.name!, namespace })
          .catch(ignoreNotFound);
      for (const c of claims.filter(x => x.metadata?.namespace === namespace))
        await core
          .deleteNamespacedPersistentVolumeClaim({
            name: c.metadata!.name!,
            namespace,
          })
          .catch(ignoreNotFound);
    } else {
      await core.deleteNamespace({ name: namespace }).catch(ignoreNotFound);
    }
  }
  if (namespaces.size > 0) {
    ctx.log(
      `${what}: deleting ${services.length} load balancer Service(s) and ${claims.length} volume claim(s) ` +
        `(${volumes.length} disk(s), now reclaimed on delete) before the cluster: namespaces ${[...namespaces].join(', ')}`,
    );
  }

  const started = clockOf(ctx).now();
  let interval = ctx.policy.pollMillis;
  for (;;) {
    const leftServices = (
      await core.listServiceForAllNamespaces()
    ).items.filter(s => s.spec?.type === 'LoadBalancer');
    const leftVolumes = (await core.listPersistentVolume()).items;
    if (leftServices.length === 0 && leftVolumes.length === 0) return;
    if (clockOf(ctx).now() - started > CLEANUP_TIMEOUT_MILLIS) {
      ctx.log(
        `${what}: still releasing ${leftServices.length} load balancer(s) and ${leftVolumes.length} disk(s) after ` +
          `${Math.round(CLEANUP_TIMEOUT_MILLIS / 60000)} min; deleting the cluster anyway. ${keptAfterDelete(ctx)}`,
      );
      return;
    }
    await sleep(interval, ctx.signal, what, ctx.clock);
    interval = Math.min(ctx.policy.maxPollMillis, Math.round(interval * 1.5));
  }
}

function ignoreNotFound(e: unknown): void {
  if ((e as { code?: number })?.code === 404) return;
  throw e;
}

/** What may outlive the cluster, with the disks' monthly cost from the environment's sizing. */
function keptAfterDelete(ctx: ProvisionContext): string {
  const disks = ctx.plan.sizing.workloads
    .filter(w => w.storageGiBPerPod > 0)
    .map(w => ({
      id: w.id,
      count: w.replicas,
      gib: w.storageGiBPerPod,
    }));
  const totalGiB = disks.reduce((sum, d) => sum + d.count * d.gib, 0);
  const listed = disks.map(d => `${d.id} ${d.count}×${d.gib} GiB`).join(', ');
  return (
    'After the cluster is deleted these may remain in the project: the forwarding rules and ' +
    'k8s-fw-* firewall rules of its load balancers (they keep the network from being deleted), and the Retain disks ' +
    `of its volumes (${listed || 'none'}: ${totalGiB} GiB pd-balanced, about $${(totalGiB * PD_BALANCED_USD_PER_GB_MONTH).toFixed(2)}/month). ` +
    `Delete them in the Cloud Console (Compute Engine → Disks, VPC network → Firewall, Network services → Load balancing) ` +
    `filtered on ${ctx.plan.input.name}, then run destroy again.`
  );
}
