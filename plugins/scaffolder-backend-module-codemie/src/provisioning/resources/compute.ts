import {
  PlannedResource,
  bastionSshCommand,
} from '@codemie-gcp/plugin-codemie-common';
import ipaddr from 'ipaddr.js';
import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
  operationErrorOf,
  sleep,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  clockOf,
  ResourceHandler,
  ResourceOutputs,
  differs,
  requireMatch,
  retrying,
  retryingCreate,
} from '../ProvisionContext';

/** Google's range for IAP TCP forwarding: the only source allowed to SSH to the bastion. */
export const IAP_SOURCE_RANGE = '35.235.240.0/20';
/** Network tag of the bastion VM; the IAP firewall rule targets it alone. */
export const BASTION_TAG = 'codemie-bastion';
/** The longest a Compute operation is waited for (networks and VMs take seconds to minutes). */
export const COMPUTE_OPERATION_TIMEOUT_MILLIS = 30 * 60 * 1000;
/** The bastion's machine type: it only forwards kubectl and SSH sessions. */
export const BASTION_MACHINE_TYPE = 'e2-small';

type Scope =
  | { kind: 'global' }
  | { kind: 'region'; region: string }
  | { kind: 'zone'; zone: string };

/** One Compute resource kind: how to get, insert, delete it, and what "matches" means. */
interface ComputeKind {
  label: string;
  scope: (ctx: ProvisionContext) => Scope;
  get: (ctx: ProvisionContext, name: string) => Promise<any>;
  insert: (ctx: ProvisionContext, body: any) => Promise<any>;
  delete: (ctx: ProvisionContext, name: string) => Promise<any>;
  body: (ctx: ProvisionContext, resource: PlannedResource) => any;
  diffs: (existing: any, planned: any) => Array<string | undefined>;
  outputs?: (existing: any, ctx: ProvisionContext) => ResourceOutputs;
}

const networkLink = (ctx: ProvisionContext) =>
  `projects/${ctx.plan.input.projectId}/global/networks/${ctx.plan.names.network}`;
const subnetLink = (ctx: ProvisionContext) =>
  `projects/${ctx.plan.input.projectId}/regions/${ctx.plan.input.region}/subnetworks/${ctx.plan.names.subnetwork}`;
const describe = (ctx: ProvisionContext, what: string) =>
  `${what} of CodeMie environment ${ctx.plan.input.name} (codemie-environment=${ctx.plan.input.name}), managed by Backstage`;
const lastSegment = (link: unknown) =>
  String(link ?? '')
    .split('/')
    .pop();

function projectRegion(ctx: ProvisionContext) {
  return { project: ctx.plan.input.projectId, region: ctx.plan.input.region };
}

const KINDS: Record<string, ComputeKind> = {
  network: {
    label: 'VPC network',
    scope: () => ({ kind: 'global' }),
    get: (ctx, network) =>
      ctx.google
        .networks()
        .get({ project: ctx.plan.input.projectId, network }, NO_CLIENT_RETRY),
    insert: (ctx, networkResource) =>
      ctx.google
        .networks()
        .insert({ project: ctx.plan.input.projectId, networkResource }),
    delete: (ctx, network) =>
      ctx.google
        .networks()
        .delete({ project: ctx.plan.input.projectId, network }),
    body: (ctx, r) => ({
      name: r.name,
      description: describe(ctx, 'VPC network'),
      autoCreateSubnetworks: false,
      routingConfig: { routingMode: 'REGIONAL' },
    }),
    diffs: (e, p) => [
      differs(
        'autoCreateSubnetworks',
        e.autoCreateSubnetworks ?? false,
        p.autoCreateSubnetworks,
      ),
    ],
    outputs: e => ({ network: String(e.selfLink ?? e.name) }),
  },
  subnetwork: {
    label: 'subnet',
    scope: ctx => ({ kind: 'region', region: ctx.plan.input.region }),
    get: (ctx, subnetwork) =>
      ctx.google
        .subnetworks()
        .get({ ...projectRegion(ctx), subnetwork }, NO_CLIENT_RETRY),
    insert: (ctx, subnetworkResource) =>
      ctx.google
        .subnetworks()
        .insert({ ...projectRegion(ctx), subnetworkResource }),
    delete: (ctx, subnetwork) =>
      ctx.google.subnetworks().delete({ ...projectRegion(ctx), subnetwork }),
    body: (ctx, r) => ({
      name: r.name,
      description: describe(ctx, 'subnet'),
      network: networkLink(ctx),
      ipCidrRange: ctx.plan.input.network.subnet,
      privateIpGoogleAccess: true,
      secondaryIpRanges: [
        { rangeName: 'pods', ipCidrRange: ctx.plan.input.network.pods },
        { rangeName: 'services', ipCidrRange: ctx.plan.input.network.services },
      ],
    }),
    diffs: (e, p) => [
      differs('network', lastSegment(e.network), lastSegment(p.network)),
      differs('ipCidrRange', e.ipCidrRange, p.ipCidrRange),
      differs(
        'secondaryIpRanges',
        (e.secondaryIpRanges ?? [])
          .map((s: any) => `${s.rangeName}=${s.ipCidrRange}`)
          .sort(),
        p.secondaryIpRanges
          .map((s: any) => `${s.rangeName}=${s.ipCidrRange}`)
          .sort(),
      ),
    ],
    outputs: e => ({ subnetwork: String(e.selfLink ?? e.name) }),
  },
  router: {
    label: 'Cloud Router with Cloud NAT',
    scope: ctx => ({ kind: 'region', region: ctx.plan.input.region }),
    get: (ctx, router) =>
      ctx.google
        .routers()
        .get({ ...projectRegion(ctx), router }, NO_CLIENT_RETRY),
    insert: (ctx, routerResource) =>
      ctx.google.routers().insert({ ...projectRegion(ctx), routerResource }),
    delete: (ctx, router) =>
      ctx.google.routers().delete({ ...projectRegion(ctx), router }),
    body: (ctx, r) => ({
      name: r.name,
      description: describe(ctx, 'Cloud Router'),
      network: networkLink(ctx),
      nats: [
        {
          name: ctx.plan.names.nat,
          natIpAllocateOption: 'AUTO_ONLY',
          sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
          logConfig: { enable: true, filter: 'ERRORS_ONLY' },
        },
      ],
    }),
    diffs: (e, p) => [
      differs('network', lastSegment(e.network), lastSegment(p.network)),
      differs(
        'nats',
        (e.nats ?? []).map((n: any) => n.name),
        p.nats.map((n: any) => n.name),
      ),
    ],
    outputs: (_e, ctx) => ({
      router: ctx.plan.names.router,
      nat: ctx.plan.names.nat,
    }),
  },
  firewall: {
    label: 'firewall rule',
    scope: () => ({ kind: 'global' }),
    get: (ctx, firewall) =>
      ctx.google
        .firewalls()
        .get({ project: ctx.plan.input.projectId, firewall }, NO_CLIENT_RETRY),
    insert: (ctx, firewallResource) =>
      ctx.google
        .firewalls()
        .insert({ project: ctx.plan.input.projectId, firewallResource }),
    delete: (ctx, firewall) =>
      ctx.google
        .firewalls()
        .delete({ project: ctx.plan.input.projectId, firewall }),
    body: (ctx, r) =>
      r.id === 'firewall-iap-ssh'
        ? {
            name: r.name,
            description: describe(
              ctx,
              'SSH from Identity-Aware Proxy to the bastion only',
            ),
            network: networkLink(ctx),
            direction: 'INGRESS',
            priority: 1000,
            sourceRanges: [IAP_SOURCE_RANGE],
            targetTags: [BASTION_TAG],
            allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
          }
        : {
            name: r.name,
            description: describe(ctx, 'traffic inside the VPC ranges'),
            network: networkLink(ctx),
            direction: 'INGRESS',
            priority: 1000,
            sourceRanges: [
              ctx.plan.input.network.subnet,
              ctx.plan.input.network.pods,
              ctx.plan.input.network.services,
              ...(ctx.plan.input.option === 'private'
                ? [ctx.plan.input.network.master]
                : []),
            ],
            allowed: [
              { IPProtocol: 'tcp' },
              { IPProtocol: 'udp' },
              { IPProtocol: 'icmp' },
            ],
          },
    diffs: (e, p) => [
      differs('network', lastSegment(e.network), lastSegment(p.network)),
      differs(
        'sourceRanges',
        [...(e.sourceRanges ?? [])].sort(),
        [...p.sourceRanges].sort(),
      ),
      differs('targetTags', e.targetTags ?? [], p.targetTags ?? []),
    ],
  },
  'private-services-range': {
    label: 'private service access range',
    scope: () => ({ kind: 'global' }),
    get: (ctx, address) =>
      ctx.google
        .globalAddresses()
        .get({ project: ctx.plan.input.projectId, address }, NO_CLIENT_RETRY),
    insert: (ctx, addressResource) =>
      ctx.google
        .globalAddresses()
        .insert({ project: ctx.plan.input.projectId, addressResource }),
    delete: (ctx, address) =>
      ctx.google
        .globalAddresses()
        .delete({ project: ctx.plan.input.projectId, address }),
    body: (ctx, r) => {
      const [address, prefix] = ipaddr.IPv4.parseCIDR(
        ctx.plan.input.network.privateServices,
      );
      return {
        name: r.name,
        description: describe(ctx, 'range for Cloud SQL private IP'),
        purpose: 'VPC_PEERING',
        addressType: 'INTERNAL',
        address: address.toString(),
        prefixLength: prefix,
        network: networkLink(ctx),
        labels: ctx.plan.labels,
      };
    },
    diffs: (e, p) => [
      differs('address', e.address, p.address),
      differs('prefixLength', e.prefixLength, p.prefixLength),
      differs('purpose', e.purpose, p.purpose),
    ],
    outputs: e => ({ range: `${e.address}/${e.prefixLength}` }),
  },
  'ingress-address': {
    label: 'ingress address',
    scope: ctx => ({ kind: 'region', region: ctx.plan.input.region }),
    get: (ctx, address) =>
      ctx.google
        .addresses()
        .get({ ...projectRegion(ctx), address }, NO_CLIENT_RETRY),
    insert: (ctx, addressResource) =>
      ctx.google.addresses().insert({ ...projectRegion(ctx), addressResource }),
    delete: (ctx, address) =>
      ctx.google.addresses().delete({ ...projectRegion(ctx), address }),
    // Public option: a regional external address for the ingress' network load balancer;
    // private: an internal address in the subnet for the internal load balancer
    // (https://cloud.google.com/kubernetes-engine/docs/concepts/service-load-balancer-parameters#static-ip).
    body: (ctx, r) =>
      ctx.plan.input.option === 'private'
        ? {
            name: r.name,
            description: describe(ctx, 'internal address of the ingress'),
            addressType: 'INTERNAL',
            subnetwork: subnetLink(ctx),
            labels: ctx.plan.labels,
          }
        : {
            name: r.name,
            description: describe(ctx, 'external address of the ingress'),
            addressType: 'EXTERNAL',
            networkTier: 'PREMIUM',
            labels: ctx.plan.labels,
          },
    diffs: (e, p) => [
      differs('addressType', e.addressType ?? 'EXTERNAL', p.addressType),
    ],
    outputs: e => ({ ingressAddress: String(e.address ?? '') }),
  },
  bastion: {
    label: 'bastion VM',
    scope: ctx => ({ kind: 'zone', zone: ctx.placement.zones[0] }),
    get: (ctx, instance) =>
      ctx.google.instances().get(
        {
          project: ctx.plan.input.projectId,
          zone: ctx.placement.zones[0],
          instance,
        },
        NO_CLIENT_RETRY,
      ),
    insert: (ctx, instanceResource) =>
      ctx.google.instances().insert({
        project: ctx.plan.input.projectId,
        zone: ctx.placement.zones[0],
        instanceResource,
      }),
    delete: (ctx, instance) =>
      ctx.google.instances().delete({
        project: ctx.plan.input.projectId,
        zone: ctx.placement.zones[0],
        instance,
      }),
    body: (ctx, r) => {
      const zone = ctx.placement.zones[0];
      return {
        name: r.name,
        description: describe(ctx, 'bastion host (IAP SSH only)'),
        machineType: `zones/${zone}/machineTypes/${BASTION_MACHINE_TYPE}`,
        labels: ctx.plan.labels,
        tags: { items: [BASTION_TAG] },
        // Protects the bastion from accidental deletion; destroy lifts it after the name is confirmed.
        deletionProtection: true,
        shieldedInstanceConfig: {
          enableSecureBoot: true,
          enableVtpm: true,
          enableIntegrityMonitoring: true,
        },
        metadata: {
          items: [
            { key: 'enable-oslogin', value: 'TRUE' },
            { key: 'block-project-ssh-keys', value: 'TRUE' },
          ],
        },
        disks: [
          {
            boot: true,
            autoDelete: true,
            initializeParams: {
              sourceImage:
                'projects/debian-cloud/global/images/family/debian-12',
              diskSizeGb: '20',
              diskType: `zones/${zone}/diskTypes/pd-balanced`,
            },
          },
        ],
        // No accessConfigs: no external IP. Reached only through IAP.
        networkInterfaces: [{ subnetwork: subnetLink(ctx) }],
      };
    },
    diffs: (e, p) => [
      differs(
        'machineType',
        lastSegment(e.machineType),
        lastSegment(p.machineType),
      ),
      (e.networkInterfaces ?? []).some(
        (n: any) => (n.accessConfigs ?? []).length > 0,
      )
        ? 'it has an external IP; the plan allows none'
        : undefined,
    ],
    outputs: (e, ctx) => ({
      bastion: String(e.name),
      bastionZone: ctx.placement.zones[0],
      bastionSshCommand: bastionSshCommand(ctx.plan, ctx.placement.zones[0]),
    }),
  },
};

async function waitOperation(
  ctx: ProvisionContext,
  what: string,
  operation: any,
  scope: Scope,
): Promise<void> {
  const project = ctx.plan.input.projectId;
  const started = clockOf(ctx).now();
  let current = operation;
  while (current?.status !== 'DONE') {
    // An overall bound: Compute's wait returns after ~2 minutes each time, forever if need be.
    if (clockOf(ctx).now() - started > COMPUTE_OPERATION_TIMEOUT_MILLIS) {
      throw new Error(
        `${what}: operation ${operation.name} still ${current?.status ?? 'RUNNING'} after ${Math.round((clockOf(ctx).now() - started) / 60000)} min; ` +
          'it continues in Google Cloud — retry the task to resume waiting',
      );
    }
    if (ctx.signal?.aborted) {
      throw new Error(
        `${what}: cancelled while waiting; the operation ${operation.name} keeps running in Google Cloud`,
      );
    }
    const name = operation.name;
    [current] = await retrying(ctx, what, () => {
      if (scope.kind === 'region') {
        return ctx.google
          .regionOperations()
          .wait(
            { project, region: scope.region, operation: name },
            NO_CLIENT_RETRY,
          );
      }
      if (scope.kind === 'zone') {
        return ctx.google
          .zoneOperations()
          .wait(
            { project, zone: scope.zone, operation: name },
            NO_CLIENT_RETRY,
          );
      }
      return ctx.google
        .globalOperations()
        .wait({ project, operation: name }, NO_CLIENT_RETRY);
    });
    if (current?.status !== 'DONE')
      await sleep(ctx.policy.pollMillis, ctx.signal, what, ctx.clock);
  }
  const errors = current.error?.errors ?? [];
  if (errors.length > 0) {
    throw new Error(
      explainGoogleError(what, operationErrorOf(errors), project),
    );
  }
}

async function getOrUndefined(
  ctx: ProvisionContext,
  kind: ComputeKind,
  what: string,
  name: string,
): Promise<any> {
  try {
    const [existing] = await retrying(ctx, what, () => kind.get(ctx, name));
    return existing;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
  }
}

/** Handlers for the Compute resources of the plan (one `ComputeKind` each). */
export function computeHandler(kindName: keyof typeof KINDS): ResourceHandler {
  const kind = KINDS[kindName];
  return {
    async ensure(resource, ctx) {
      const what = `${kind.label} ${resource.name}`;
      const planned = kind.body(ctx, resource);
      let existing = await getOrUndefined(ctx, kind, what, resource.name);
      if (existing) {
        requireMatch(what, kind.diffs(existing, planned));
        ctx.log(`${what}: exists and matches the plan`);
      } else {
        ctx.log(`${what}: creating`);
        let operation: any;
        try {
          const [lro] = await retryingCreate(ctx, what, () =>
            kind.insert(ctx, planned),
          );
          operation = (lro as any).latestResponse ?? lro;
        } catch (e) {
          if (!isAlreadyExists(e))
            throw new Error(
              explainGoogleError(what, e, ctx.plan.input.projectId),
            );
          // Created meanwhile (an earlier attempt that timed out): adopt it if it matches.
          existing = await getOrUndefined(ctx, kind, what, resource.name);
          requireMatch(what, kind.diffs(existing, planned));
        }
        if (operation)
          await waitOperation(ctx, what, operation, kind.scope(ctx));
        existing = await getOrUndefined(ctx, kind, what, resource.name);
        ctx.log(`${what}: created`);
      }
      return kind.outputs?.(existing, ctx) ?? { name: resource.name };
    },

    async remove(resource, outer) {
      const what = `${kind.label} ${resource.name}`;
      // The bastion sits in one zone of the region; destroy looks in each of them.
      const candidates =
        kindName === 'bastion'
          ? outer.placement.zones.map(zone => ({
              ...outer,
              placement: { ...outer.placement, zones: [zone] },
            }))
          : [outer];
      let ctx = outer;
      let existing: any;
      for (const candidate of candidates) {
        existing = await getOrUndefined(candidate, kind, what, resource.name);
        ctx = candidate;
        if (existing) break;
      }
      if (!existing) return 'absent';
      if (kindName === 'bastion' && existing.deletionProtection) {
        const [op] = await retrying(ctx, what, () =>
          ctx.google.instances().setDeletionProtection({
            project: ctx.plan.input.projectId,
            zone: ctx.placement.zones[0],
            resource: resource.name,
            deletionProtection: false,
          }),
        );
        await waitOperation(
          ctx,
          what,
          (op as any).latestResponse ?? op,
          kind.scope(ctx),
        );
      }
      try {
        const [lro] = await retrying(ctx, what, () =>
          kind.delete(ctx, resource.name),
        );
        await waitOperation(
          ctx,
          what,
          (lro as any).latestResponse ?? lro,
          kind.scope(ctx),
        );
      } catch (e) {
        if (isNotFound(e)) return 'absent';
        throw new Error(
          explainGoogleError(`deleting ${what}`, e, ctx.plan.input.projectId),
        );
      }
      return 'deleted';
    },
  };
}
