import {
  explainGoogleError,
  isNotFound,
} from '@codemie-gcp/plugin-codemie-node';
import {
  ProvisionContext,
  ResourceHandler,
  retrying,
} from '../ProvisionContext';

/** The hosts CodeMie serves under the environment's domain (ingress rules of codemie:deploy). */
export const CODEMIE_HOSTS = ['codemie', 'keycloak', 'kibana'];

/** TTL of the records: short, so a re-created ingress address is picked up within minutes. */
export const RECORD_TTL_SECONDS = 300;

function hostNames(ctx: ProvisionContext): string[] {
  return CODEMIE_HOSTS.map(h => `${h}.${ctx.plan.input.domain}.`);
}

function ingressAddress(ctx: ProvisionContext): string {
  const address = ctx.outputs.get('ingress-address')?.ingressAddress;
  if (typeof address !== 'string' || !address) {
    throw new Error('the ingress address is not known yet');
  }
  return address;
}

async function currentRecords(ctx: ProvisionContext, what: string) {
  const zone = ctx.google
    .dns(ctx.plan.input.projectId)
    .zone(ctx.plan.names.dnsZone);
  const [records] = await retrying(ctx, what, () =>
    zone.getRecords({ type: 'A' }),
  );
  const ours = new Set(hostNames(ctx));
  return {
    zone,
    records: records.filter(r => ours.has(String(r.metadata.name))),
  };
}

/**
 * A records `codemie.`, `keycloak.` and `kibana.<domain>` in the environment's zone (public or
 * private), pointing at the reserved ingress address. One Cloud DNS change adds the missing
 * ones and replaces those pointing elsewhere; nothing changes when they are right.
 */
export const dnsRecordsHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const what = `DNS records of ${ctx.plan.input.domain}`;
    const address = ingressAddress(ctx);
    try {
      const { zone, records } = await currentRecords(ctx, what);
      const wrong = records.filter(
        r =>
          JSON.stringify(r.data) !== JSON.stringify([address]) ||
          r.metadata.ttl !== RECORD_TTL_SECONDS,
      );
      const present = new Set(
        records.filter(r => !wrong.includes(r)).map(r => r.metadata.name),
      );
      const add = hostNames(ctx)
        .filter(name => !present.has(name))
        .map(name =>
          zone.record('a', { name, ttl: RECORD_TTL_SECONDS, data: [address] }),
        );
      if (add.length > 0) {
        ctx.log(
          `${what}: ${add.map(r => r.metadata.name).join(', ')} → ${address}`,
        );
        await retrying(ctx, what, () =>
          zone.createChange({ add, delete: wrong }),
        );
      }
    } catch (e) {
      throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    return {
      hosts: hostNames(ctx).map(h => h.slice(0, -1)),
      ingressAddress: address,
    };
  },
  async remove(_resource, ctx) {
    const what = `deleting DNS records of ${ctx.plan.input.domain}`;
    try {
      const { zone, records } = await currentRecords(ctx, what);
      if (records.length === 0) return 'absent';
      await retrying(ctx, what, () => zone.createChange({ delete: records }));
      return 'deleted';
    } catch (e) {
      // The zone itself is gone: so are its records.
      if (isNotFound(e)) return 'absent';
      throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
  },
};
