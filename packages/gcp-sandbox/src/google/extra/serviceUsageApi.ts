import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { GoogleApiError } from '../errors';
import { lazy, schemaOf } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import { projectNumber } from '../context';
import { startLongRunning } from '../longrunning';
import { resolveProject } from '../serviceGate';
import type { Json } from '../../state';

const ORIGIN = 'https://serviceusage.googleapis.com';
const PKG = 'google.api.serviceusage.v1';
const SERVICE_RE = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*\.googleapis\.com$/;

/**
 * Service Usage (`serviceusage.googleapis.com/v1`): `services:batchEnable`, `services/*:enable`,
 * get and list services, and the operations they return (`GET /v1/operations/*`). Enabling takes
 * simulated time; a service is ENABLED when its operation is done.
 */
export function serviceUsageApi(ctx: EmulationContext): ApiHost {
  const schema = lazy(() => schemaOf('@google-cloud/service-usage'));
  const host = new ApiHost('serviceusage', ORIGIN, 'esf', ctx);
  const { state, ids, durations } = ctx;

  const validate = (type: string, body: unknown) =>
    schema()?.validate(`${PKG}.${type}`, body ?? {});
  const enabled = (project: string) => {
    let set = state.enabledServices.get(project);
    if (!set) {
      set = new Set();
      state.enabledServices.set(project, set);
    }
    return set;
  };
  const serviceResource = (project: string, service: string): Json => {
    const number = projectNumber(project);
    return {
      name: `projects/${number}/services/${service}`,
      parent: `projects/${number}`,
      config: { name: service, title: service },
      state: state.enabledServices.get(project)?.has(service)
        ? 'ENABLED'
        : 'DISABLED',
    };
  };
  const out = (req: RouteRequest, type: string, value: Json) => ({
    body:
      req.enumsAsNumbers && schema()
        ? schema()!.convertEnums(`${PKG}.${type}`, value, 'number')
        : value,
  });
  const checkIds = (ids_: string[]) => {
    const unknown = ids_.filter(s => !SERVICE_RE.test(s));
    if (unknown.length) {
      throw new GoogleApiError({
        httpStatus: 403,
        status: 'PERMISSION_DENIED',
        message: `Not found or permission denied for service(s): ${unknown.join(', ')}.`,
      });
    }
  };
  const enable = (project: string, services: string[]) =>
    startLongRunning(ctx, state.serviceUsageOperations, {
      project,
      name: `operations/acat.p2-${projectNumber(project)}-${ids.uuid()}`,
      service: 'serviceusage',
      operationType: 'ENABLE',
      target: services.join(','),
      seconds: durations.serviceEnable,
      metadata: {
        '@type': `type.googleapis.com/${PKG}.OperationMetadata`,
        resourceNames: [],
      },
      work: () => {
        services.forEach(s => enabled(project).add(s));
        return {
          '@type': `type.googleapis.com/${PKG}.BatchEnableServicesResponse`,
          services: services.map(s => serviceResource(project, s)),
        };
      },
    });

  host.route('POST', '/v1/projects/{project}/services:batchEnable', req => {
    validate('BatchEnableServicesRequest', req.body);
    const project = resolveProject(state, req.params.project);
    const serviceIds: string[] = (req.body as Json)?.serviceIds ?? [];
    if (!serviceIds.length || serviceIds.length > 20) {
      throw new GoogleApiError({
        httpStatus: 400,
        message: 'Between 1 and 20 service ids must be given.',
      });
    }
    checkIds(serviceIds);
    return { body: enable(project, serviceIds) };
  });

  host.route(
    'POST',
    '/v1/projects/{project}/services/{service}:enable',
    req => {
      validate('EnableServiceRequest', req.body);
      const project = resolveProject(state, req.params.project);
      checkIds([req.params.service]);
      return { body: enable(project, [req.params.service]) };
    },
  );

  host.route('GET', '/v1/projects/{project}/services/{service}', req =>
    out(
      req,
      'Service',
      serviceResource(
        resolveProject(state, req.params.project),
        req.params.service,
      ),
    ),
  );

  host.route('GET', '/v1/projects/{project}/services', req => {
    const project = resolveProject(state, req.params.project);
    const services = [...(state.enabledServices.get(project) ?? [])].map(s =>
      serviceResource(project, s),
    );
    return out(req, 'ListServicesResponse', { services });
  });

  host.route('GET', '/v1/operations/{operation}', req => {
    const op = state.serviceUsageOperations.get(
      `operations/${req.params.operation}`,
    );
    if (!op)
      throw new GoogleApiError({
        httpStatus: 404,
        message: `Operation 'operations/${req.params.operation}' not found.`,
      });
    return { body: op.resource };
  });

  return host;
}
