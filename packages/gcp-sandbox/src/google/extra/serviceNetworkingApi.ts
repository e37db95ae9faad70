import { ApiHost } from '../router';
import { errors, GoogleApiError, RPC_CODE } from '../errors';
import { lazy } from '../schema/ProtoSchema';
import { discoverySchema } from '../schema/discoverySchema';
import type { EmulationContext } from '../context';
import { projectNumber } from '../context';
import { startLongRunning } from '../longrunning';
import { resolveProject } from '../serviceGate';
import type { Json } from '../../state';
import { OperationFailure } from '../operationFailure';

const ORIGIN = 'https://servicenetworking.googleapis.com';
const SERVICE = 'services/servicenetworking.googleapis.com';
const PEERING = 'servicenetworking-googleapis-com';

/**
 * Service Networking (`servicenetworking.googleapis.com/v1`): private services access connections
 * (the VPC peering Cloud SQL private IP needs) create/list/`:deleteConnection`, and their
 * operations. The reserved ranges must be global addresses with purpose VPC_PEERING on the network.
 */
export function serviceNetworkingApi(ctx: EmulationContext): ApiHost {
  // Bodies parsed against the stored discovery document (data/discovery/servicenetworking-v1.json).
  const schema = lazy(() => discoverySchema('servicenetworking'));
  const host = new ApiHost('servicenetworking', ORIGIN, 'esf', ctx);
  const { state, ids, durations } = ctx;

  /** `projects/<id>/global/networks/<n>` from `projects/<number or id>/global/networks/<n>`. */
  const networkKey = (network: string): string => {
    const m = /^projects\/([^/]+)\/global\/networks\/([^/]+)$/.exec(
      network ?? '',
    );
    if (!m)
      throw errors.invalid(
        `Invalid network name: "${network}". Expected projects/{project}/global/networks/{network}.`,
      );
    return `projects/${resolveProject(state, m[1])}/global/networks/${m[2]}`;
  };
  const networkKeyOf = (ref: string) =>
    networkKey(
      String(ref).replace(
        /^https:\/\/(www|compute)\.googleapis\.com\/compute\/v1\//,
        '',
      ),
    );
  const connection = (key: string, ranges: string[]): Json => {
    const [, project, , , network] = key.split('/');
    return {
      network: `projects/${projectNumber(project)}/global/networks/${network}`,
      reservedPeeringRanges: ranges,
      peering: PEERING,
      service: SERVICE,
    };
  };

  host.route('POST', `/v1/${SERVICE}/connections`, req => {
    schema().validate('servicenetworking.Connection', req.body ?? {});
    const body = (req.body ?? {}) as Json;
    const key = networkKey(body.network);
    const project = key.split('/')[1];
    const network = state.compute.get(key);
    if (!network) throw errors.notFound(`Network ${body.network} not found.`);
    const ranges: string[] = body.reservedPeeringRanges ?? [];
    if (!ranges.length)
      throw errors.invalid(
        'At least one reserved peering range must be given.',
      );
    for (const range of ranges) {
      const address = state.compute.get(
        `projects/${project}/global/addresses/${range}`,
      );
      if (
        !address ||
        address.resource.purpose !== 'VPC_PEERING' ||
        address.resource.network !== network.resource.selfLink
      ) {
        throw errors.failedPrecondition(
          `Allocated IP range '${range}' not found in network.`,
        );
      }
    }
    return {
      body: startLongRunning(ctx, state.serviceNetworkingOperations, {
        project,
        name: `operations/pssn.p24-${projectNumber(project)}-${ids.uuid()}`,
        service: 'servicenetworking',
        operationType: 'CREATE_CONNECTION',
        target: key,
        seconds: durations.peering,
        work: () => {
          if (state.peerings.has(key)) {
            throw new OperationFailure(
              'Cannot modify allocated ranges in CreateConnection. Please use UpdateConnection.',
              RPC_CODE.FAILED_PRECONDITION,
            );
          }
          const conn = connection(key, ranges);
          state.peerings.set(key, conn);
          return {
            '@type':
              'type.googleapis.com/google.cloud.servicenetworking.v1.Connection',
            ...conn,
          };
        },
      }),
    };
  });

  host.route('GET', `/v1/${SERVICE}/connections`, req => {
    const key = networkKey(req.query.get('network') ?? '');
    const conn = state.peerings.get(key);
    return { body: conn ? { connections: [conn] } : {} };
  });

  host.route(
    'POST',
    `/v1/${SERVICE}/connections/{peering}:deleteConnection`,
    req => {
      schema().validate(
        'servicenetworking.DeleteConnectionRequest',
        req.body ?? {},
      );
      const key = networkKey((req.body as Json)?.consumerNetwork);
      if (!state.peerings.has(key) || req.params.peering !== PEERING) {
        throw errors.notFound(
          `Connection ${req.params.peering} not found for network ${(req.body as Json)?.consumerNetwork}.`,
        );
      }
      const project = key.split('/')[1];
      return {
        body: startLongRunning(ctx, state.serviceNetworkingOperations, {
          project,
          name: `operations/pssn.p24-${projectNumber(project)}-${ids.uuid()}`,
          service: 'servicenetworking',
          operationType: 'DELETE_CONNECTION',
          target: key,
          seconds: durations.peering,
          work: () => {
            const users = [...state.sqlInstances.values()].filter(
              i =>
                i.resource.settings?.ipConfiguration?.privateNetwork &&
                networkKeyOf(
                  i.resource.settings.ipConfiguration.privateNetwork,
                ) === key,
            );
            // Refused while a producer uses the peering, and for a while after the last Cloud SQL
            // instance on it was deleted: Cloud SQL keeps its side for up to 4 days
            // (https://github.com/GoogleCloudPlatform/ai-on-gke/issues/550; the error as in
            // https://github.com/hashicorp/terraform-provider-google/issues/18834).
            const releasedAt = state.peeringReleasedAt.get(key);
            const stillHeld =
              releasedAt !== undefined &&
              ctx.clock.now() - releasedAt < durations.peeringRelease * 1000;
            if (users.length || stillHeld) {
              throw new OperationFailure(
                'Failed to delete connection; Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this connection.',
                RPC_CODE.FAILED_PRECONDITION,
              );
            }
            state.peerings.delete(key);
            return { '@type': 'type.googleapis.com/google.protobuf.Empty' };
          },
        }),
      };
    },
  );

  host.route('GET', '/v1/operations/{operation}', req => {
    const op = state.serviceNetworkingOperations.get(
      `operations/${req.params.operation}`,
    );
    if (!op)
      throw new GoogleApiError({
        httpStatus: 404,
        message: `Operation operations/${req.params.operation} not found.`,
      });
    return { body: op.resource };
  });

  return host;
}
