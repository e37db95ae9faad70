import { EnvironmentPlan } from '@codemie-gcp/plugin-codemie-common';
import {
  explainGoogleError,
  isNotFound,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  retrying,
} from './ProvisionContext';

/**
 * Where an environment lives inside its region: the zones its nodes use and the cluster's
 * location. Resolved from Google (compute zones.list) because zone names differ per region —
 * europe-west1 and us-east1 have b, c, d; us-central1 has a, b, c, f — and a zone may be DOWN.
 */
export interface Placement {
  /** Zones of the node pool (regional) or the one zone of a zonal cluster; the bastion uses the first. */
  zones: string[];
  /** The region (regional cluster) or the zone (zonal cluster). */
  clusterLocation: string;
}

/** The zones of `region` with their status, sorted by name. */
export async function zonesOfRegion(
  ctx: Pick<ProvisionContext, 'google' | 'policy' | 'signal' | 'log'> & {
    plan: EnvironmentPlan;
  },
): Promise<Array<{ name: string; up: boolean }>> {
  const { projectId, region } = ctx.plan.input;
  const what = `zones of ${region}`;
  try {
    // One page holds every zone (about 130); the client follows nextPageToken if there are more.
    const [zones] = await retrying(ctx as ProvisionContext, what, () =>
      ctx.google.zones().list({ project: projectId }, NO_CLIENT_RETRY),
    );
    return zones
      .filter(z => String(z.region ?? '').endsWith(`/regions/${region}`))
      .map(z => ({ name: String(z.name), up: String(z.status) === 'UP' }))
      .sort((a, b) => a.name.localeCompare(b.name));
  } catch (e) {
    throw new Error(explainGoogleError(what, e, projectId));
  }
}

/**
 * Chooses the zones for a new environment: the first `plan.zoneCount` zones of the region that
 * are UP. Fails before anything is created when the region has fewer.
 */
export async function choosePlacement(
  ctx: ProvisionContext,
): Promise<Placement> {
  const { region, regional } = ctx.plan.input;
  const zones = await zonesOfRegion(ctx);
  const up = zones.filter(z => z.up).map(z => z.name);
  if (up.length < ctx.plan.zoneCount) {
    throw new Error(
      `Region ${region} has ${up.length} zone(s) UP (${up.join(', ') || 'none'}; all: ${zones.map(z => z.name).join(', ') || 'none'}), ` +
        `the plan needs ${ctx.plan.zoneCount}. Nothing was created. Retry later, choose another region, or a zonal cluster.`,
    );
  }
  const chosen = up.slice(0, ctx.plan.zoneCount);
  ctx.log(
    `placement: ${regional ? `regional cluster in ${region}, nodes in` : 'zonal cluster in'} ${chosen.join(', ')}`,
  );
  return { zones: chosen, clusterLocation: regional ? region : chosen[0] };
}

/**
 * Finds where an existing environment was placed, for destroy: every zone of the region (UP or
 * not, since a resource can sit in a zone that is down now) and, for a zonal cluster, the zone
 * its cluster is in ('' when there is no cluster).
 */
export async function findPlacement(ctx: ProvisionContext): Promise<Placement> {
  const { projectId, region, regional } = ctx.plan.input;
  const zones = (await zonesOfRegion(ctx)).map(z => z.name);
  if (regional) return { zones, clusterLocation: region };
  for (const zone of zones) {
    try {
      await retrying(ctx, `GKE cluster ${ctx.plan.names.cluster}`, () =>
        ctx.google.container().getCluster(
          {
            name: `projects/${projectId}/locations/${zone}/clusters/${ctx.plan.names.cluster}`,
          },
          NO_CLIENT_RETRY,
        ),
      );
      return {
        zones: [zone, ...zones.filter(z => z !== zone)],
        clusterLocation: zone,
      };
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
  return { zones, clusterLocation: '' };
}
