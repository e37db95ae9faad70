import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
} from '@codemie-gcp/plugin-codemie-node';
import {
  ProvisionContext,
  ResourceHandler,
  differs,
  requireMatch,
  retrying,
  retryingCreate,
} from '../ProvisionContext';

function zoneBody(ctx: ProvisionContext) {
  const { input, names, labels } = ctx.plan;
  const isPrivate = input.option === 'private';
  return {
    dnsName: `${input.domain}.`,
    description: `CodeMie environment ${input.name}, managed by Backstage`,
    labels,
    visibility: isPrivate ? 'private' : 'public',
    ...(isPrivate
      ? {
          privateVisibilityConfig: {
            networks: [
              {
                networkUrl: `https://www.googleapis.com/compute/v1/projects/${input.projectId}/global/networks/${names.network}`,
              },
            ],
          },
        }
      : {}),
  };
}

async function getZone(ctx: ProvisionContext): Promise<any | undefined> {
  const zone = ctx.google
    .dns(ctx.plan.input.projectId)
    .zone(ctx.plan.names.dnsZone);
  try {
    const [metadata] = await retrying(
      ctx,
      `DNS zone ${ctx.plan.names.dnsZone}`,
      () => zone.getMetadata(),
    );
    return metadata;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(
      explainGoogleError(
        `DNS zone ${ctx.plan.names.dnsZone}`,
        e,
        ctx.plan.input.projectId,
      ),
    );
  }
}

/** A public zone (public option) or a private zone bound to the VPC (private option). */
export const dnsZoneHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const what = `DNS zone ${ctx.plan.names.dnsZone}`;
    const planned = zoneBody(ctx);
    let zone = await getZone(ctx);
    if (!zone) {
      ctx.log(
        `${what}: creating ${planned.visibility} zone for ${ctx.plan.input.domain}`,
      );
      try {
        await retryingCreate(ctx, what, () =>
          ctx.google
            .dns(ctx.plan.input.projectId)
            .createZone(ctx.plan.names.dnsZone, planned as any),
        );
      } catch (e) {
        if (!isAlreadyExists(e))
          throw new Error(
            explainGoogleError(what, e, ctx.plan.input.projectId),
          );
      }
      zone = await getZone(ctx);
    }
    requireMatch(what, [
      differs('dnsName', zone.dnsName, planned.dnsName),
      differs('visibility', zone.visibility ?? 'public', planned.visibility),
    ]);
    return {
      dnsZone: ctx.plan.names.dnsZone,
      dnsName: String(zone.dnsName),
      nameServers: (zone.nameServers ?? []) as string[],
    };
  },
  async remove(_resource, ctx) {
    const zone = await getZone(ctx);
    if (!zone) return 'absent';
    const handle = ctx.google
      .dns(ctx.plan.input.projectId)
      .zone(ctx.plan.names.dnsZone);
    // A zone with records other than its own NS/SOA cannot be deleted: `force` removes them first.
    await retrying(ctx, `deleting DNS zone ${ctx.plan.names.dnsZone}`, () =>
      handle.delete({ force: true }),
    );
    return 'deleted';
  },
};
