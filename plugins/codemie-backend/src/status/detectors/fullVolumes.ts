import type { ComponentProblemDetector } from './types';

/**
 * Volumes fuller than this are reported (Elasticsearch's low disk watermark):
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/modules-cluster.html#disk-based-shard-allocation
 */
export const STORAGE_WARNING_FRACTION = 0.85;
/** Volumes fuller than this are an error. */
const STORAGE_ERROR_FRACTION = 0.95;

/**
 * A component's volumes nearly full (from the kubelets' or Cloud SQL's figures): grow them or
 * keep less.
 *
 * @internal
 */
export const fullVolumes: ComponentProblemDetector = ({ component: c }) => {
  if (c.storage?.usedGiB === undefined || c.storage.capacityGiB <= 0) return [];
  const fraction = c.storage.usedGiB / c.storage.capacityGiB;
  if (fraction < STORAGE_WARNING_FRACTION) return [];
  return [
    {
      severity: fraction >= STORAGE_ERROR_FRACTION ? 'error' : 'warning',
      component: c.id,
      title: `${c.displayName} storage ${Math.round(fraction * 100)}% full`,
      detail: `${c.storage.usedGiB} of ${c.storage.capacityGiB} GiB used${c.id === 'elasticsearch' ? '; above 85% Elasticsearch stops allocating shards to the node (low disk watermark)' : ''}.`,
      fix: 'Grow the volumes (the storage class allows expansion: raise the PVC size and redeploy), or shorten the log retention.',
    },
  ];
};
