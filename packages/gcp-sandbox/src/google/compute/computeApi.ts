import schemaJson from './computeSchema.generated.json';
import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { errors, GoogleApiError } from '../errors';
import { lazy, schemaFromJson } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import { deferred, isRegion, isZone, regionOf, zonesOf } from '../context';
import zoneTable from '../data/regionsAndZones.json';
import type { ComputeRecord, Json, OperationRecord } from '../../state';
import { machineShape } from '../machineTypes';
import { addressAt, overlaps, parseCidr } from './cidr';
import { OperationFailure } from '../operationFailure';
import type { IamPolicies } from '../extra/iamPolicies';

const ORIGIN = 'https://compute.googleapis.com';
const LINK = 'https://www.googleapis.com/compute/v1';
const NAME_RE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

type Kind = ComputeRecord['kind'];

const HTTP_REASON: Record<number, string> = {
  400: 'BAD REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT FOUND',
  409: 'CONFLICT',
};

interface KindSpec {
  kind: Kind;
  /** Collection path segment, e.g. `networks`. */
  collection: string;
  scope: 'global' | 'regions' | 'zones';
  /** Message type in the Compute protos. */
  type: string;
  /** `kind` field of the resource. */
  resourceKind: string;
  duration: (ctx: EmulationContext) => number;
}

const KINDS: KindSpec[] = [
  {
    kind: 'network',
    collection: 'networks',
    scope: 'global',
    type: 'Network',
    resourceKind: 'compute#network',
    duration: c => c.durations.network,
  },
  {
    kind: 'subnetwork',
    collection: 'subnetworks',
    scope: 'regions',
    type: 'Subnetwork',
    resourceKind: 'compute#subnetwork',
    duration: c => c.durations.subnetwork,
  },
  {
    kind: 'router',
    collection: 'routers',
    scope: 'regions',
    type: 'Router',
    resourceKind: 'compute#router',
    duration: c => c.durations.router,
  },
  {
    kind: 'firewall',
    collection: 'firewalls',
    scope: 'global',
    type: 'Firewall',
    resourceKind: 'compute#firewall',
    duration: c => c.durations.firewall,
  },
  {
    kind: 'address',
    collection: 'addresses',
    scope: 'regions',
    type: 'Address',
    resourceKind: 'compute#address',
    duration: c => c.durations.address,
  },
  {
    kind: 'globalAddress',
    collection: 'addresses',
    scope: 'global',
    type: 'Address',
    resourceKind: 'compute#address',
    duration: c => c.durations.address,
  },
  {
    kind: 'instance',
    collection: 'instances',
    scope: 'zones',
    type: 'Instance',
    resourceKind: 'compute#instance',
    duration: c => c.durations.instance,
  },
];

/** `projects/p/global/networks/n` from a full URL, a partial path or a bare name. */
export function computeKey(
  project: string,
  ref: string,
  scope: string,
  collection: string,
): string {
  const path = ref.replace(
    /^https:\/\/(www|compute)\.googleapis\.com\/compute\/(v1|beta)\//,
    '',
  );
  if (path.startsWith('projects/')) return path;
  if (/^(global|regions|zones)\//.test(path))
    return `projects/${project}/${path}`;
  return `projects/${project}/${scope}/${collection}/${path}`;
}

/**
 * Compute Engine (`compute.googleapis.com/compute/v1`): networks, subnetworks, routers (Cloud
 * NAT inside `nats[]`), firewalls, regional and global addresses, instances; global, region and
 * zone operations with get, list and `wait`. Bodies are validated against the Compute API's
 * documented fields (the message definitions shipped in `@google-cloud/compute`); references
 * between resources are checked (missing → 404-style 400, not yet created → `resourceNotReady`,
 * delete of a used resource → `resourceInUseByAnotherResource`).
 */
export function computeApi(
  ctx: EmulationContext,
  policies?: IamPolicies,
): ApiHost {
  const schema = lazy(() => schemaFromJson('compute', schemaJson as any));
  const host = new ApiHost('compute', ORIGIN, 'apiary', ctx);
  const { state, clock, ids, scheduler, domainFaults } = ctx;

  const selfLink = (key: string) => `${LINK}/${key}`;
  const scopeOf = (spec: KindSpec, params: Json) =>
    spec.scope === 'global' ? 'global' : `${spec.scope}/${params.scope}`;
  const notFound = (key: string) =>
    errors.notFound(`The resource '${key}' was not found`);

  /** The record a reference points at; 400-style errors as Compute raises for bad references. */
  const resolve = (
    project: string,
    ref: string,
    scope: string,
    collection: string,
    field: string,
  ): ComputeRecord => {
    const key = computeKey(project, ref, scope, collection);
    const record = state.compute.get(key);
    if (!record) {
      throw new GoogleApiError({
        httpStatus: 404,
        reason: 'notFound',
        message: `The resource '${key}' was not found`,
      });
    }
    if (!record.ready) {
      throw new GoogleApiError({
        httpStatus: 400,
        reason: 'resourceNotReady',
        message: `The resource '${key}' is not ready`,
      });
    }
    void field;
    return record;
  };

  const invalidField = (field: string, value: unknown, why: string) =>
    new GoogleApiError({
      httpStatus: 400,
      reason: 'invalid',
      message: `Invalid value for field '${field}': '${value ?? ''}'. ${why}`,
    });

  /** Records and schedules an operation; `work` may throw `{ code, message, http }` to fail it. */
  const startOperation = (
    project: string,
    scope: string,
    operationType: string,
    targetKey: string,
    targetId: string,
    seconds: number,
    work: () => void,
    onFailure?: () => void,
  ): Json => {
    const name = `operation-${Math.floor(clock.now())}-${ids.hex(13)}-${ids.hex(8)}-${ids.hex(8)}`;
    const opKey = `projects/${project}/${scope}/operations/${name}`;
    const now = clock.nowIso();
    const resource: Json = {
      kind: 'compute#operation',
      id: ids.numeric(19),
      name,
      operationType,
      targetLink: selfLink(targetKey),
      targetId,
      status: 'RUNNING',
      user: `sandbox@${project}.iam.gserviceaccount.com`,
      progress: 0,
      insertTime: now,
      startTime: now,
      selfLink: selfLink(opKey),
    };
    if (scope.startsWith('regions/'))
      resource.region = selfLink(`projects/${project}/${scope}`);
    if (scope.startsWith('zones/'))
      resource.zone = selfLink(`projects/${project}/${scope}`);
    const { promise, resolve: finish } = deferred();
    const record: OperationRecord = { project, scope, resource, done: promise };
    state.computeOperations.set(opKey, record);
    const fault = domainFaults.takeOperationFault(
      'compute',
      operationType,
      targetKey,
    );
    const quota =
      operationType === 'insert'
        ? domainFaults.takeQuota(
            'compute',
            scope.split('/')[1] ?? '',
            'operation',
          )
        : undefined;
    scheduler
      .after(seconds, () => {
        try {
          if (quota) {
            throw new OperationFailure(
              `Quota '${quota.metric}' exceeded.  Limit: ${quota.limit.toFixed(1)} in region ${quota.region}.`,
              'QUOTA_EXCEEDED',
              403,
            );
          }
          if (fault) {
            throw new OperationFailure(
              fault.message ?? 'Operation failed.',
              String(fault.code ?? 'RESOURCE_OPERATION_RATE_EXCEEDED'),
              400,
            );
          }
          work();
        } catch (e) {
          const err =
            e instanceof OperationFailure
              ? e
              : new OperationFailure(String(e), 'INTERNAL_ERROR', 500);
          resource.error = {
            errors: [{ code: String(err.code), message: err.message }],
          };
          resource.httpErrorStatusCode = err.httpStatus ?? 500;
          resource.httpErrorMessage =
            HTTP_REASON[resource.httpErrorStatusCode] ??
            'INTERNAL SERVER ERROR';
          onFailure?.();
        } finally {
          resource.status = 'DONE';
          resource.progress = 100;
          resource.endTime = clock.nowIso();
          finish();
        }
      })
      .catch(() => undefined);
    return resource;
  };

  /** Kind-specific validation and defaults on insert. */
  const prepare = (
    spec: KindSpec,
    project: string,
    scope: string,
    body: Json,
  ): Json => {
    const region = scope.split('/')[1];
    const r: Json = { ...body };
    switch (spec.kind) {
      case 'network': {
        if (r.autoCreateSubnetworks === undefined && !r.IPv4Range)
          r.autoCreateSubnetworks = true;
        r.routingConfig = {
          routingMode: 'REGIONAL',
          ...(r.routingConfig ?? {}),
        };
        r.mtu = r.mtu ?? 1460;
        r.networkFirewallPolicyEnforcementOrder =
          r.networkFirewallPolicyEnforcementOrder ?? 'AFTER_CLASSIC_FIREWALL';
        r.subnetworks = [];
        break;
      }
      case 'subnetwork': {
        if (!r.network)
          throw invalidField(
            'resource.network',
            r.network,
            'The network must be specified.',
          );
        const network = resolve(
          project,
          r.network,
          'global',
          'networks',
          'resource.network',
        );
        if (!parseCidr(r.ipCidrRange)) {
          throw invalidField(
            'resource.ipCidrRange',
            r.ipCidrRange,
            'Must be a valid IPV4 CIDR address range.',
          );
        }
        for (const range of r.secondaryIpRanges ?? []) {
          if (!parseCidr(range.ipCidrRange)) {
            throw invalidField(
              'resource.secondaryIpRanges',
              range.ipCidrRange,
              'Must be a valid IPV4 CIDR address range.',
            );
          }
        }
        const mine = [
          r.ipCidrRange,
          ...(r.secondaryIpRanges ?? []).map((x: Json) => x.ipCidrRange),
        ];
        for (const other of state.compute.values()) {
          if (
            other.kind !== 'subnetwork' ||
            other.resource.network !== network.resource.selfLink
          )
            continue;
          const theirs = [
            other.resource.ipCidrRange,
            ...(other.resource.secondaryIpRanges ?? []).map(
              (x: Json) => x.ipCidrRange,
            ),
          ];
          const clash = mine.find(a => theirs.some(b => overlaps(a, b)));
          if (clash) {
            throw invalidField(
              'resource.ipCidrRange',
              clash,
              `Invalid IPCidrRange: ${clash} conflicts with existing subnetwork '${other.resource.name}' in region '${other.scope.split('/')[1]}'.`,
            );
          }
        }
        r.network = network.resource.selfLink;
        r.region = selfLink(`projects/${project}/regions/${region}`);
        r.gatewayAddress = addressAt(r.ipCidrRange, 1);
        r.fingerprint = ids.hex(12);
        r.stackType = r.stackType ?? 'IPV4_ONLY';
        r.purpose = r.purpose ?? 'PRIVATE';
        r.privateIpGoogleAccess = r.privateIpGoogleAccess ?? false;
        break;
      }
      case 'router': {
        if (!r.network)
          throw invalidField(
            'resource.network',
            r.network,
            'The network must be specified.',
          );
        r.network = resolve(
          project,
          r.network,
          'global',
          'networks',
          'resource.network',
        ).resource.selfLink;
        r.region = selfLink(`projects/${project}/regions/${region}`);
        for (const nat of r.nats ?? []) {
          if (!nat.name)
            throw invalidField(
              'resource.nats[0].name',
              '',
              'Must be specified.',
            );
          for (const s of nat.subnetworks ?? []) {
            s.name = resolve(
              project,
              s.name,
              scope,
              'subnetworks',
              'resource.nats.subnetworks.name',
            ).resource.selfLink;
          }
          if (!nat.natIpAllocateOption)
            throw invalidField(
              'resource.nats[0].natIpAllocateOption',
              '',
              'Must be specified.',
            );
          if (!nat.sourceSubnetworkIpRangesToNat) {
            throw invalidField(
              'resource.nats[0].sourceSubnetworkIpRangesToNat',
              '',
              'Must be specified.',
            );
          }
        }
        break;
      }
      case 'firewall': {
        r.network = resolve(
          project,
          r.network ?? 'global/networks/default',
          'global',
          'networks',
          'resource.network',
        ).resource.selfLink;
        if (!!r.allowed?.length === !!r.denied?.length) {
          throw invalidField(
            'resource',
            '',
            "Exactly one of 'allowed' or 'denied' must be specified.",
          );
        }
        r.direction = r.direction ?? 'INGRESS';
        r.priority = r.priority ?? 1000;
        r.disabled = r.disabled ?? false;
        if (
          r.direction === 'INGRESS' &&
          !r.sourceRanges?.length &&
          !r.sourceTags?.length &&
          !r.sourceServiceAccounts?.length
        ) {
          r.sourceRanges = ['0.0.0.0/0'];
        }
        if (r.direction === 'EGRESS' && !r.destinationRanges?.length)
          r.destinationRanges = ['0.0.0.0/0'];
        break;
      }
      case 'address':
      case 'globalAddress': {
        r.addressType = r.addressType ?? 'EXTERNAL';
        r.networkTier =
          r.addressType === 'EXTERNAL'
            ? (r.networkTier ?? 'PREMIUM')
            : undefined;
        if (r.purpose === 'VPC_PEERING') {
          if (!r.network)
            throw invalidField(
              'resource.network',
              '',
              'Network must be specified for VPC_PEERING.',
            );
          if (!r.prefixLength)
            throw invalidField(
              'resource.prefixLength',
              '',
              'Prefix length must be specified for VPC_PEERING.',
            );
          r.network = resolve(
            project,
            r.network,
            'global',
            'networks',
            'resource.network',
          ).resource.selfLink;
          r.address = r.address ?? `10.${100 + (state.compute.size % 100)}.0.0`;
        } else if (r.subnetwork) {
          const subnet = resolve(
            project,
            r.subnetwork,
            scope,
            'subnetworks',
            'resource.subnetwork',
          );
          r.subnetwork = subnet.resource.selfLink;
          r.address =
            r.address ??
            addressAt(
              subnet.resource.ipCidrRange,
              10 + (state.compute.size % 200),
            );
        } else {
          r.address =
            r.address ??
            `34.${100 + (state.compute.size % 100)}.${state.compute.size % 250}.${10 + (state.compute.size % 240)}`;
        }
        if (r.networkTier === undefined) delete r.networkTier;
        r.status = 'RESERVED';
        r.labels = r.labels ?? {};
        r.labelFingerprint = ids.hex(12);
        if (region)
          r.region = selfLink(`projects/${project}/regions/${region}`);
        break;
      }
      case 'instance': {
        const zone = region;
        if (!r.machineType)
          throw invalidField(
            'resource.machineType',
            '',
            'Machine type must be specified.',
          );
        const mt = String(r.machineType).split('/').pop()!;
        if (!machineShape(mt)) {
          throw invalidField(
            'resource.machineType',
            r.machineType,
            `Machine type with name '${mt}' does not exist in zone '${zone}'.`,
          );
        }
        r.machineType = selfLink(
          `projects/${project}/zones/${zone}/machineTypes/${mt}`,
        );
        if (!r.disks?.length || !r.disks.some((d: Json) => d.boot)) {
          throw invalidField(
            'resource.disks',
            '',
            'At least one boot disk must be specified.',
          );
        }
        r.disks = r.disks.map((d: Json, i: number) => ({
          kind: 'compute#attachedDisk',
          type: 'PERSISTENT',
          mode: 'READ_WRITE',
          index: i,
          deviceName: d.deviceName ?? `persistent-disk-${i}`,
          autoDelete: d.autoDelete ?? true,
          interface: 'SCSI',
          ...d,
          source:
            d.source ??
            selfLink(
              `projects/${project}/zones/${zone}/disks/${i === 0 ? body.name : `${body.name}-${i}`}`,
            ),
          initializeParams: undefined,
        }));
        if (!r.networkInterfaces?.length) {
          throw invalidField(
            'resource.networkInterfaces',
            '',
            'At least one network interface must be specified.',
          );
        }
        r.networkInterfaces = r.networkInterfaces.map(
          (nic: Json, i: number) => {
            let subnet: ComputeRecord | undefined;
            if (nic.subnetwork) {
              subnet = resolve(
                project,
                nic.subnetwork,
                `regions/${regionOf(zone)}`,
                'subnetworks',
                'resource.networkInterfaces.subnetwork',
              );
            }
            // Compute takes the network from the subnetwork when only the latter is given.
            const network = resolve(
              project,
              nic.network ??
                subnet?.resource.network ??
                'global/networks/default',
              'global',
              'networks',
              'resource.networkInterfaces.network',
            );
            return {
              kind: 'compute#networkInterface',
              name: `nic${i}`,
              ...nic,
              network: network.resource.selfLink,
              ...(subnet ? { subnetwork: subnet.resource.selfLink } : {}),
              networkIP:
                nic.networkIP ??
                (subnet
                  ? addressAt(
                      subnet.resource.ipCidrRange,
                      2 + (state.compute.size % 200),
                    )
                  : '10.128.0.2'),
              fingerprint: ids.hex(12),
            };
          },
        );
        r.zone = selfLink(`projects/${project}/zones/${zone}`);
        r.status = 'PROVISIONING';
        r.cpuPlatform = 'Unknown CPU Platform';
        r.labels = r.labels ?? {};
        r.labelFingerprint = ids.hex(12);
        r.fingerprint = ids.hex(12);
        r.canIpForward = r.canIpForward ?? false;
        r.deletionProtection = r.deletionProtection ?? false;
        break;
      }
      default:
        break;
    }
    return r;
  };

  /** Full keys of the resources that use `record` (Compute refuses to delete a used resource). */
  const usersOf = (record: ComputeRecord): string[] => {
    const link = record.resource.selfLink;
    const users: string[] = [];
    for (const [key, other] of state.compute) {
      const r = other.resource;
      const uses =
        r.network === link ||
        r.subnetwork === link ||
        (r.networkInterfaces ?? []).some(
          (n: Json) => n.network === link || n.subnetwork === link,
        ) ||
        (r.nats ?? []).some((n: Json) =>
          (n.subnetworks ?? []).some((s: Json) => s.name === link),
        );
      if (uses && other !== record) users.push(key);
    }
    for (const [key, cluster] of state.clusters) {
      const net = cluster.resource.networkConfig ?? {};
      if (
        link.endsWith(`/${net.network}`) ||
        link.endsWith(`/${net.subnetwork}`)
      )
        users.push(key);
    }
    if (
      record.kind === 'network' &&
      state.peerings.has(record.resource.selfLink.replace(`${LINK}/`, ''))
    ) {
      users.push(
        `${record.resource.selfLink.replace(`${LINK}/`, '')}/peerings/servicenetworking-googleapis-com`,
      );
    }
    return users;
  };

  for (const spec of KINDS) {
    const base =
      spec.scope === 'global'
        ? `/compute/v1/projects/{project}/global/${spec.collection}`
        : `/compute/v1/projects/{project}/${spec.scope}/{scope}/${spec.collection}`;

    host.route('POST', base, req => {
      const { project } = req.params;
      // An unknown region or zone (e.g. europe-west1-a, which does not exist) is not found.
      if (
        spec.scope !== 'global' &&
        !(spec.scope === 'zones' ? isZone : isRegion)(req.params.scope)
      )
        throw notFound(`projects/${project}/${spec.scope}/${req.params.scope}`);
      const scope = scopeOf(spec, req.params);
      schema().validate(
        `google.cloud.compute.v1.${spec.type}`,
        req.body ?? {},
        'resource',
      );
      const body = (req.body ?? {}) as Json;
      if (!body.name || !NAME_RE.test(body.name)) {
        throw invalidField(
          'resource.name',
          body.name,
          `Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
        );
      }
      const key = `projects/${project}/${scope}/${spec.collection}/${body.name}`;
      if (state.compute.has(key)) {
        throw new GoogleApiError({
          httpStatus: 409,
          reason: 'alreadyExists',
          message: `The resource '${key}' already exists`,
        });
      }
      if (spec.kind === 'instance') {
        const quota = domainFaults.takeQuota(
          'compute',
          req.params.scope,
          'request',
        );
        if (quota) {
          throw new GoogleApiError({
            httpStatus: 403,
            reason: 'quotaExceeded',
            domain: 'usageLimits',
            message: `Quota '${quota.metric}' exceeded.  Limit: ${quota.limit.toFixed(1)} in region ${quota.region}.`,
          });
        }
      }
      const resource = prepare(spec, project, scope, body);
      const id = ids.numeric(19);
      Object.assign(resource, {
        kind: spec.resourceKind,
        id,
        creationTimestamp: clock.nowIso(),
        selfLink: selfLink(key),
        selfLinkWithId: selfLink(
          `projects/${project}/${scope}/${spec.collection}/${id}`,
        ),
      });
      const record: ComputeRecord = {
        kind: spec.kind,
        project,
        scope,
        resource,
        ready: false,
      };
      state.compute.set(key, record);
      const op = startOperation(
        project,
        scope,
        'insert',
        key,
        id,
        spec.duration(ctx),
        () => {
          record.ready = true;
          if (spec.kind === 'instance') resource.status = 'RUNNING';
          if (spec.kind === 'subnetwork') {
            const net = [...state.compute.values()].find(
              n => n.resource.selfLink === resource.network,
            );
            if (net)
              net.resource.subnetworks = [
                ...(net.resource.subnetworks ?? []),
                resource.selfLink,
              ];
          }
        },
        () => {
          state.compute.delete(key);
        },
      );
      return { body: op };
    });

    host.route('GET', base, req => {
      const scope = scopeOf(spec, req.params);
      const prefix = `projects/${req.params.project}/${scope}/${spec.collection}/`;
      const items = [...state.compute.entries()]
        .filter(
          ([key]) =>
            key.startsWith(prefix) && !key.slice(prefix.length).includes('/'),
        )
        .map(([, r]) => r.resource);
      return {
        body: {
          kind: `${spec.resourceKind}List`,
          id: prefix.replace(/\/$/, ''),
          items,
          selfLink: selfLink(prefix.replace(/\/$/, '')),
        },
      };
    });

    host.route('GET', `${base}/{name}`, req => {
      const key = `projects/${req.params.project}/${scopeOf(spec, req.params)}/${spec.collection}/${req.params.name}`;
      const record = state.compute.get(key);
      if (!record) throw notFound(key);
      return { body: record.resource };
    });

    host.route('DELETE', `${base}/{name}`, req => {
      const { project } = req.params;
      const scope = scopeOf(spec, req.params);
      const key = `projects/${project}/${scope}/${spec.collection}/${req.params.name}`;
      const record = state.compute.get(key);
      if (!record) throw notFound(key);
      if (!record.ready) {
        throw new GoogleApiError({
          httpStatus: 400,
          reason: 'resourceNotReady',
          message: `The resource '${key}' is not ready`,
        });
      }
      if (record.resource.deletionProtection) {
        throw new GoogleApiError({
          httpStatus: 400,
          reason: 'resourceInUseByAnotherResource',
          message: `Invalid resource usage: 'Resource cannot be deleted if it's protected against deletion.'.`,
        });
      }
      const users = usersOf(record);
      if (users.length) {
        throw new GoogleApiError({
          httpStatus: 400,
          reason: 'resourceInUseByAnotherResource',
          message: `The ${spec.kind === 'globalAddress' ? 'address' : spec.kind} resource '${key}' is already being used by '${users[0]}'`,
        });
      }
      record.ready = false;
      if (spec.kind === 'instance') record.resource.status = 'STOPPING';
      const op = startOperation(
        project,
        scope,
        'delete',
        key,
        record.resource.id,
        ctx.durations.computeDelete,
        () => {
          state.compute.delete(key);
          if (spec.kind === 'instance') {
            // The VM's own IAM policy and its IAP tunnel resource's go with it.
            state.iamPolicies.delete(key);
            state.iamPolicies.delete(
              key.replace('/zones/', '/iap_tunnel/zones/'),
            );
          }
          if (spec.kind === 'subnetwork') {
            for (const net of state.compute.values()) {
              if (net.kind === 'network') {
                net.resource.subnetworks = (
                  net.resource.subnetworks ?? []
                ).filter((s: string) => s !== record.resource.selfLink);
              }
            }
          }
        },
        () => {
          record.ready = true;
        },
      );
      return { body: op };
    });
  }

  // Instances: setDeletionProtection (a custom method; the protection blocks DELETE above).
  host.route(
    'POST',
    '/compute/v1/projects/{project}/zones/{scope}/instances/{name}/setDeletionProtection',
    req => {
      const { project, scope: zone, name } = req.params;
      const key = `projects/${project}/zones/${zone}/instances/${name}`;
      const record = state.compute.get(key);
      if (!record) throw notFound(key);
      const value =
        String(req.query.get('deletionProtection') ?? 'true') !== 'false';
      const op = startOperation(
        project,
        `zones/${zone}`,
        'setDeletionProtection',
        key,
        record.resource.id,
        1,
        () => {
          record.resource.deletionProtection = value;
        },
      );
      return { body: op };
    },
  );

  // Instances: IAM policy of one VM (https://cloud.google.com/compute/docs/reference/rest/v1/instances/setIamPolicy):
  // roles such as roles/compute.osLogin granted on the instance alone, not project-wide. The
  // policy goes with the instance.
  if (policies) {
    const instanceKey = (p: Json) =>
      `projects/${p.project}/zones/${p.scope}/instances/${p.name}`;
    host.route(
      'GET',
      '/compute/v1/projects/{project}/zones/{scope}/instances/{name}/getIamPolicy',
      req => {
        const key = instanceKey(req.params);
        if (!state.compute.has(key)) throw notFound(key);
        return {
          body: policies.read(
            key,
            Number(req.query.get('optionsRequestedPolicyVersion') ?? 0),
          ),
        };
      },
    );
    host.route(
      'POST',
      '/compute/v1/projects/{project}/zones/{scope}/instances/{name}/setIamPolicy',
      req => {
        const key = instanceKey(req.params);
        if (!state.compute.has(key)) throw notFound(key);
        schema().validate(
          'google.cloud.compute.v1.ZoneSetPolicyRequest',
          req.body ?? {},
          'resource',
        );
        const body = (req.body ?? {}) as Json;
        const policy = {
          ...(body.policy ?? {}),
          ...(body.bindings ? { bindings: body.bindings } : {}),
          ...(body.etag ? { etag: body.etag } : {}),
        };
        return { body: policies.set(key, policy) };
      },
    );
  }

  // --- zones ------------------------------------------------------------------------------------
  // compute.zones.list / get (https://cloud.google.com/compute/docs/reference/rest/v1/zones/list):
  // every zone of the sandbox's zone table (Google's "Regions and zones" page, see
  // data/regionsAndZones.json), status UP unless a test took it down (`state.downZones`).
  const zoneResource = (project: string, zone: string): Json => {
    const region = regionOf(zone);
    return {
      kind: 'compute#zone',
      id: String(
        2000 +
          Object.keys(zoneTable.regions).indexOf(region) * 10 +
          zone.charCodeAt(zone.length - 1) -
          96,
      ),
      creationTimestamp: '1969-12-31T16:00:00.000-08:00',
      name: zone,
      description: zone,
      status: state.downZones.has(zone) ? 'DOWN' : 'UP',
      region: selfLink(`projects/${project}/regions/${region}`),
      selfLink: selfLink(`projects/${project}/zones/${zone}`),
      supportsPzs: false,
    };
  };
  host.route('GET', '/compute/v1/projects/{project}/zones', req => ({
    body: {
      kind: 'compute#zoneList',
      id: `projects/${req.params.project}/zones`,
      items: Object.keys(zoneTable.regions).flatMap(region =>
        zonesOf(region).map(zone => zoneResource(req.params.project, zone)),
      ),
      selfLink: selfLink(`projects/${req.params.project}/zones`),
    },
  }));
  host.route('GET', '/compute/v1/projects/{project}/zones/{zone}', req => {
    if (!isZone(req.params.zone))
      throw notFound(`projects/${req.params.project}/zones/${req.params.zone}`);
    return { body: zoneResource(req.params.project, req.params.zone) };
  });

  // --- operations -----------------------------------------------------------------------------
  const opRoutes: Array<[string, (p: Json) => string]> = [
    ['/compute/v1/projects/{project}/global/operations', () => 'global'],
    [
      '/compute/v1/projects/{project}/regions/{scope}/operations',
      p => `regions/${p.scope}`,
    ],
    [
      '/compute/v1/projects/{project}/zones/{scope}/operations',
      p => `zones/${p.scope}`,
    ],
  ];
  const findOp = (
    req: RouteRequest,
    scopeFn: (p: Json) => string,
  ): OperationRecord => {
    const key = `projects/${req.params.project}/${scopeFn(req.params)}/operations/${req.params.operation}`;
    const op = state.computeOperations.get(key);
    if (!op) throw notFound(key);
    return op;
  };
  for (const [base, scopeFn] of opRoutes) {
    host.route('GET', `${base}/{operation}`, req => ({
      body: findOp(req, scopeFn).resource,
    }));
    host.route('POST', `${base}/{operation}/wait`, async req => {
      const op = findOp(req, scopeFn);
      // Google waits up to 2 minutes and then answers with the operation as it is.
      const waited = new AbortController();
      await Promise.race([
        op.done,
        clock.sleep(120_000, waited.signal).catch(() => undefined),
      ]);
      waited.abort();
      return { body: op.resource };
    });
    host.route('DELETE', `${base}/{operation}`, req => {
      const op = findOp(req, scopeFn);
      state.computeOperations.delete(
        `projects/${req.params.project}/${scopeFn(req.params)}/operations/${op.resource.name}`,
      );
      return { body: {} };
    });
    host.route('GET', base, req => {
      const scope = scopeFn(req.params);
      const items = [...state.computeOperations.values()]
        .filter(o => o.project === req.params.project && o.scope === scope)
        .map(o => o.resource);
      return {
        body: {
          kind: 'compute#operationList',
          id: `projects/${req.params.project}/${scope}/operations`,
          items,
        },
      };
    });
  }

  return host;
}
