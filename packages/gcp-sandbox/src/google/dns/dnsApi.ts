import { ApiHost } from '../router';
import { GoogleApiError } from '../errors';
import { lazy, schemaFromJson } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import type { DnsZoneRecord, Json } from '../../state';
import { DNS_SCHEMA } from './dnsSchema';

const ORIGIN = 'https://dns.googleapis.com';
const NAME_RE = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

const invalid = (field: string, value: unknown) =>
  new GoogleApiError({
    httpStatus: 400,
    reason: 'invalid',
    message: `Invalid value for '${field}': '${value ?? ''}'`,
  });
const required = (field: string) =>
  new GoogleApiError({
    httpStatus: 400,
    reason: 'required',
    message: `Required field '${field}' not specified`,
  });

/**
 * Cloud DNS (`dns.googleapis.com/dns/v1`): managed zones (public and private) create/get/list/
 * delete, record-set changes create/get/list, record sets list. New zones get their SOA and NS
 * records; a zone with other records cannot be deleted (`containerNotEmpty`); additions of an
 * existing record set are 409, deletions must match exactly (412).
 */
export function dnsApi(ctx: EmulationContext): ApiHost {
  const schema = lazy(() => schemaFromJson('dns', DNS_SCHEMA));
  const host = new ApiHost('dns', ORIGIN, 'apiary', ctx);
  const { state, clock, ids, scheduler, durations } = ctx;

  const zoneKey = (project: string, zone: string) =>
    `projects/${project}/managedZones/${zone}`;
  const getZone = (project: string, zone: string): DnsZoneRecord => {
    const record = state.dnsZones.get(zoneKey(project, zone));
    if (!record) {
      throw new GoogleApiError({
        httpStatus: 404,
        reason: 'notFound',
        message: `The 'parameters.managedZone' resource named '${zone}' does not exist.`,
      });
    }
    return record;
  };
  const rrKey = (rr: Json) => `${rr.name} ${rr.type}`;
  const rrset = (rr: Json): Json => ({
    kind: 'dns#resourceRecordSet',
    name: rr.name,
    type: rr.type,
    ttl: rr.ttl,
    rrdatas: rr.rrdatas ?? [],
    ...(rr.signatureRrdatas ? { signatureRrdatas: rr.signatureRrdatas } : {}),
    ...(rr.routingPolicy ? { routingPolicy: rr.routingPolicy } : {}),
  });

  host.route('POST', '/dns/v1/projects/{project}/managedZones', req => {
    const { project } = req.params;
    schema().validate(
      'google.dns.v1.ManagedZone',
      req.body ?? {},
      'entity.managedZone',
    );
    const body = (req.body ?? {}) as Json;
    if (!body.name) throw required('entity.managedZone.name');
    if (!NAME_RE.test(body.name))
      throw invalid('entity.managedZone.name', body.name);
    if (!body.dnsName) throw required('entity.managedZone.dnsName');
    if (!String(body.dnsName).endsWith('.'))
      throw invalid('entity.managedZone.dnsName', body.dnsName);
    if (body.description === undefined)
      throw required('entity.managedZone.description');
    const visibility = body.visibility ?? 'public';
    if (!['public', 'private'].includes(visibility))
      throw invalid('entity.managedZone.visibility', visibility);
    const key = zoneKey(project, body.name);
    if (state.dnsZones.has(key)) {
      throw new GoogleApiError({
        httpStatus: 409,
        reason: 'alreadyExists',
        message: `The resource 'entity.managedZone' named '${body.name}' already exists`,
      });
    }
    const networks: Json[] = body.privateVisibilityConfig?.networks ?? [];
    if (visibility === 'private') {
      networks.forEach((n, i) => {
        const networkKey = String(n.networkUrl ?? '').replace(
          /^https:\/\/(www|compute)\.googleapis\.com\/compute\/v1\//,
          '',
        );
        if (!state.compute.has(networkKey)) {
          throw invalid(
            `entity.managedZone.privateVisibilityConfig.networks[${i}].networkUrl`,
            n.networkUrl,
          );
        }
      });
    }
    const resource: Json = {
      kind: 'dns#managedZone',
      ...body,
      id: ids.numeric(19),
      visibility,
      creationTime: clock.nowIso(),
      labels: body.labels ?? {},
      cloudLoggingConfig: body.cloudLoggingConfig ?? {
        kind: 'dns#managedZoneCloudLoggingConfig',
      },
    };
    if (visibility === 'private') {
      resource.privateVisibilityConfig = {
        kind: 'dns#managedZonePrivateVisibilityConfig',
        ...body.privateVisibilityConfig,
        networks: networks.map(n => ({
          kind: 'dns#managedZonePrivateVisibilityConfigNetwork',
          ...n,
        })),
      };
      resource.nameServers = ['ns-gcp-private.googledomains.com.'];
    } else {
      const set = ids
        .hex(2)
        .replace(/[^0-9]/g, '1')
        .slice(0, 1);
      resource.nameServers = ['a', 'b', 'c', 'd'].map(
        l => `ns-cloud-${l}${set}.googledomains.com.`,
      );
    }
    const record: DnsZoneRecord = {
      project,
      resource,
      rrsets: new Map(),
      changes: [],
    };
    const soa = rrset({
      name: body.dnsName,
      type: 'SOA',
      ttl: 21600,
      rrdatas: [
        `${resource.nameServers[0]} cloud-dns-hostmaster.google.com. 1 21600 3600 259200 300`,
      ],
    });
    const ns = rrset({
      name: body.dnsName,
      type: 'NS',
      ttl: 21600,
      rrdatas: resource.nameServers,
    });
    record.rrsets.set(rrKey(soa), soa);
    record.rrsets.set(rrKey(ns), ns);
    record.changes.push({
      kind: 'dns#change',
      additions: [soa, ns],
      deletions: [],
      startTime: clock.nowIso(),
      id: '0',
      status: 'done',
      isServing: true,
    });
    state.dnsZones.set(key, record);
    return { body: resource };
  });

  host.route('GET', '/dns/v1/projects/{project}/managedZones', req => {
    const dnsName = req.query.get('dnsName');
    const managedZones = [...state.dnsZones.values()]
      .filter(
        z =>
          z.project === req.params.project &&
          (!dnsName || z.resource.dnsName === dnsName),
      )
      .map(z => z.resource);
    return { body: { kind: 'dns#managedZonesListResponse', managedZones } };
  });

  host.route('GET', '/dns/v1/projects/{project}/managedZones/{zone}', req => ({
    body: getZone(req.params.project, req.params.zone).resource,
  }));

  host.route(
    'DELETE',
    '/dns/v1/projects/{project}/managedZones/{zone}',
    req => {
      const { project, zone } = req.params;
      const record = getZone(project, zone);
      const apex = record.resource.dnsName;
      const userRecords = [...record.rrsets.values()].filter(
        r => !(r.name === apex && (r.type === 'SOA' || r.type === 'NS')),
      );
      if (userRecords.length) {
        throw new GoogleApiError({
          httpStatus: 400,
          reason: 'containerNotEmpty',
          message: `The resource named '${zone}' cannot be deleted because it is not empty`,
        });
      }
      state.dnsZones.delete(zoneKey(project, zone));
      return { status: 204, body: undefined };
    },
  );

  host.route(
    'POST',
    '/dns/v1/projects/{project}/managedZones/{zone}/changes',
    req => {
      const { project, zone } = req.params;
      schema().validate(
        'google.dns.v1.Change',
        req.body ?? {},
        'entity.change',
      );
      const record = getZone(project, zone);
      const body = (req.body ?? {}) as Json;
      const additions: Json[] = body.additions ?? [];
      const deletions: Json[] = body.deletions ?? [];
      if (!additions.length && !deletions.length)
        throw required('entity.change');
      const apex: string = record.resource.dnsName;
      const next = new Map(record.rrsets);
      deletions.forEach((rr, i) => {
        const field = `entity.change.deletions[${i}]`;
        const existing = next.get(rrKey(rr));
        if (!existing) {
          throw new GoogleApiError({
            httpStatus: 404,
            reason: 'notFound',
            message: `The '${field}' resource named '${rr.name} (${rr.type})' does not exist.`,
          });
        }
        if (
          (rr.ttl !== undefined && rr.ttl !== existing.ttl) ||
          JSON.stringify([...(rr.rrdatas ?? [])].sort()) !==
            JSON.stringify([...existing.rrdatas].sort())
        ) {
          throw new GoogleApiError({
            httpStatus: 412,
            reason: 'conditionNotMet',
            message: `Precondition not met for '${field}'`,
          });
        }
        next.delete(rrKey(rr));
      });
      additions.forEach((rr, i) => {
        const field = `entity.change.additions[${i}]`;
        if (!rr.name) throw required(`${field}.name`);
        if (!rr.type) throw required(`${field}.type`);
        if (
          !String(rr.name).endsWith('.') ||
          !(rr.name === apex || String(rr.name).endsWith(`.${apex}`))
        ) {
          throw invalid(`${field}.name`, rr.name);
        }
        if (!rr.rrdatas?.length) throw required(`${field}.rrdata`);
        if (next.has(rrKey(rr))) {
          throw new GoogleApiError({
            httpStatus: 409,
            reason: 'alreadyExists',
            message: `The resource '${field}' named '${rr.name} (${rr.type})' already exists`,
          });
        }
        next.set(rrKey(rr), rrset({ ttl: 300, ...rr }));
      });
      record.rrsets.clear();
      for (const [k, v] of next) record.rrsets.set(k, v);
      const change: Json = {
        kind: 'dns#change',
        additions: additions.map(rr => rrset({ ttl: 300, ...rr })),
        deletions: deletions.map(rrset),
        startTime: clock.nowIso(),
        id: String(record.changes.length),
        status: 'pending',
        isServing: false,
      };
      record.changes.push(change);
      scheduler
        .after(durations.dnsChange, () => {
          change.status = 'done';
          change.isServing = true;
        })
        .catch(() => undefined);
      return { body: change };
    },
  );

  host.route(
    'GET',
    '/dns/v1/projects/{project}/managedZones/{zone}/changes',
    req => ({
      body: {
        kind: 'dns#changesListResponse',
        changes: getZone(req.params.project, req.params.zone).changes,
      },
    }),
  );

  host.route(
    'GET',
    '/dns/v1/projects/{project}/managedZones/{zone}/changes/{change}',
    req => {
      const change = getZone(req.params.project, req.params.zone).changes.find(
        c => c.id === req.params.change,
      );
      if (!change) {
        throw new GoogleApiError({
          httpStatus: 404,
          reason: 'notFound',
          message: `The 'parameters.changeId' resource named '${req.params.change}' does not exist.`,
        });
      }
      return { body: change };
    },
  );

  host.route(
    'GET',
    '/dns/v1/projects/{project}/managedZones/{zone}/rrsets',
    req => {
      const name = req.query.get('name');
      const type = req.query.get('type');
      const rrsets = [
        ...getZone(req.params.project, req.params.zone).rrsets.values(),
      ].filter(r => (!name || r.name === name) && (!type || r.type === type));
      return { body: { kind: 'dns#resourceRecordSetsListResponse', rrsets } };
    },
  );

  return host;
}
