import {
  explainGoogleError,
  isAlreadyExists,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  clockOf,
  ResourceBlockedError,
  ResourceHandler,
  pollUntil,
  retrying,
} from '../ProvisionContext';

/** google.rpc.Code FAILED_PRECONDITION. */
const FAILED_PRECONDITION = 9;
/** How long Cloud SQL may keep the peering after its instance is deleted: 4 days. */
export const PEERING_RELEASE_MILLIS = 4 * 24 * 3600 * 1000;

const BASE = 'https://servicenetworking.googleapis.com/v1';
const SERVICE = 'services/servicenetworking.googleapis.com';

/** Service Networking names consumer networks by project number. */
async function networkByNumber(ctx: ProvisionContext): Promise<string> {
  const [project] = await retrying(
    ctx,
    `project ${ctx.plan.input.projectId}`,
    () =>
      ctx.google
        .projects()
        .getProject(
          { name: `projects/${ctx.plan.input.projectId}` },
          NO_CLIENT_RETRY,
        ),
  );
  const number = String(project.name ?? '').split('/')[1];
  return `projects/${number}/global/networks/${ctx.plan.names.network}`;
}

async function listConnections(
  ctx: ProvisionContext,
  network: string,
): Promise<any[]> {
  const res = await retrying(ctx, 'private service access', () =>
    ctx.google.request<{ connections?: any[] }>({
      url: `${BASE}/${SERVICE}/connections?network=${encodeURIComponent(network)}`,
    }),
  );
  return res.connections ?? [];
}

/**
 * Private service access: the VPC peering that gives Cloud SQL a private IP in the VPC.
 * Called over REST: Service Networking's only official Node client is the whole googleapis bundle.
 */
export const privateServicesConnectionHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const what = 'private service access';
    const range = ctx.plan.names.privateServicesRange;
    try {
      const network = await networkByNumber(ctx);
      const existing = (await listConnections(ctx, network)).find(c =>
        (c.reservedPeeringRanges ?? []).includes(range),
      );
      if (existing) {
        ctx.log(
          `${what}: peering ${existing.peering ?? 'servicenetworking-googleapis-com'} exists`,
        );
        return {
          peering: String(
            existing.peering ?? 'servicenetworking-googleapis-com',
          ),
        };
      }
      ctx.log(
        `${what}: connecting ${ctx.plan.names.network} to Google services through ${range}`,
      );
      let operation: any;
      try {
        operation = await retrying(ctx, what, () =>
          ctx.google.request<any>({
            url: `${BASE}/${SERVICE}/connections`,
            method: 'POST',
            data: { network, reservedPeeringRanges: [range] },
          }),
        );
      } catch (e) {
        if (!isAlreadyExists(e)) throw e;
      }
      if (operation && !operation.done) {
        const done = await pollUntil(
          ctx,
          what,
          () => ctx.google.request<any>({ url: `${BASE}/${operation.name}` }),
          op => op.done === true,
          () => 'connecting',
        );
        if (done.error)
          throw new Error(done.error.message ?? JSON.stringify(done.error));
      }
      return { peering: 'servicenetworking-googleapis-com' };
    } catch (e) {
      throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
  },
  async remove(_resource, ctx) {
    const what = 'deleting private service access';
    const network = await networkByNumber(ctx);
    const existing = (await listConnections(ctx, network)).find(c =>
      (c.reservedPeeringRanges ?? []).includes(
        ctx.plan.names.privateServicesRange,
      ),
    );
    if (!existing) return 'absent';
    let operation = await retrying(ctx, what, () =>
      ctx.google.request<any>({
        url: `${BASE}/${SERVICE}/connections/${existing.peering ?? 'servicenetworking-googleapis-com'}:deleteConnection`,
        method: 'POST',
        data: { consumerNetwork: network },
      }),
    );
    if (operation && !operation.done) {
      operation = await pollUntil(
        ctx,
        what,
        () => ctx.google.request<any>({ url: `${BASE}/${operation.name}` }),
        op => op.done === true,
        () => 'disconnecting',
      );
    }
    // A DONE operation can carry an error: the connection is then still there.
    const error = operation?.error;
    if (error) {
      if (error.code === FAILED_PRECONDITION) {
        // Cloud SQL keeps its side of the peering for up to 4 days after its instance is
        // deleted (https://github.com/GoogleCloudPlatform/ai-on-gke/issues/550,
        // hashicorp/terraform-provider-google#16275); until then Google refuses with code 9.
        throw new ResourceBlockedError(
          `Google has not released the private services peering of ${ctx.plan.names.network} yet ("${error.message}"); ` +
            'Cloud SQL keeps it for up to 4 days after its instance is deleted',
          new Date(clockOf(ctx).now() + PEERING_RELEASE_MILLIS),
        );
      }
      throw new Error(
        explainGoogleError(what, error, ctx.plan.input.projectId),
      );
    }
    return 'deleted';
  },
};
