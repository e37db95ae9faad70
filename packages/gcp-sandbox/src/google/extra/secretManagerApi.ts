import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { errors, GoogleApiError } from '../errors';
import { lazy, schemaOf } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import { projectNumber } from '../context';
import { resolveProject } from '../serviceGate';
import type { Json, SecretRecord } from '../../state';

const ORIGIN = 'https://secretmanager.googleapis.com';
const PKG = 'google.cloud.secretmanager.v1';

/**
 * Secret Manager (`secretmanager.googleapis.com/v1`): secrets create/get/delete, `:addVersion`,
 * versions get and `:access` (`latest` too). Names in responses use the project number, as Google
 * returns them; requests may use the id or the number.
 */
export function secretManagerApi(ctx: EmulationContext): ApiHost {
  const schema = lazy(() => schemaOf('@google-cloud/secret-manager'));
  const host = new ApiHost('secretmanager', ORIGIN, 'esf', ctx);
  const { state, clock, ids } = ctx;

  const out = (req: RouteRequest, type: string, value: Json) => ({
    body:
      req.enumsAsNumbers && schema()
        ? schema()!.convertEnums(`${PKG}.${type}`, value, 'number')
        : value,
  });
  const key = (project: string, secret: string) =>
    `projects/${projectNumber(resolveProject(state, project))}/secrets/${secret}`;
  const get = (project: string, secret: string): SecretRecord => {
    const record = state.secrets.get(key(project, secret));
    if (!record)
      throw errors.notFound(`Secret [${key(project, secret)}] not found.`);
    return record;
  };
  const version = (record: SecretRecord, id: string): Json => {
    const v =
      id === 'latest'
        ? [...record.versions].reverse().find(x => x.state === 'ENABLED')
        : record.versions[Number(id) - 1];
    if (!v)
      throw errors.notFound(
        `Secret Version [${record.resource.name}/versions/${id}] not found.`,
      );
    return v;
  };

  host.route('POST', '/v1/projects/{project}/secrets', req => {
    schema()?.validate(`${PKG}.Secret`, req.body ?? {}, 'secret');
    const secretId = req.query.get('secretId') ?? '';
    if (!/^[a-zA-Z0-9_-]{1,255}$/.test(secretId)) {
      throw errors.invalid(
        `The provided Secret ID [${secretId}] does not match the expected format [[a-zA-Z_0-9]+]`,
      );
    }
    const body = (req.body ?? {}) as Json;
    if (!body.replication?.automatic && !body.replication?.userManaged) {
      throw errors.invalid('Secret.replication must be specified.');
    }
    const name = key(req.params.project, secretId);
    if (state.secrets.has(name))
      throw errors.alreadyExists(`Secret [${name}] already exists.`);
    const resource: Json = {
      ...body,
      name,
      createTime: clock.nowIso(),
      labels: body.labels ?? {},
      etag: `"${ids.hex(13)}"`,
    };
    state.secrets.set(name, {
      project: resolveProject(state, req.params.project),
      resource,
      versions: [],
    });
    return out(req, 'Secret', resource);
  });

  host.route('GET', '/v1/projects/{project}/secrets/{secret}', req =>
    out(req, 'Secret', get(req.params.project, req.params.secret).resource),
  );

  host.route('DELETE', '/v1/projects/{project}/secrets/{secret}', req => {
    const record = get(req.params.project, req.params.secret);
    state.secrets.delete(record.resource.name);
    return { body: {} };
  });

  host.route(
    'POST',
    '/v1/projects/{project}/secrets/{secret}:addVersion',
    req => {
      schema()?.validate(`${PKG}.AddSecretVersionRequest`, req.body ?? {});
      const record = get(req.params.project, req.params.secret);
      const payload = (req.body as Json)?.payload;
      if (!payload?.data) throw errors.invalid('Payload must be specified.');
      if (Buffer.from(payload.data, 'base64').length > 65536) {
        throw errors.invalid(
          'Secret Version payload must be no larger than 64 KiB.',
        );
      }
      const v: Json = {
        name: `${record.resource.name}/versions/${record.versions.length + 1}`,
        createTime: clock.nowIso(),
        state: 'ENABLED',
        replicationStatus: { automatic: {} },
        etag: `"${ids.hex(13)}"`,
        clientSpecifiedPayloadChecksum: payload.dataCrc32c !== undefined,
      };
      record.versions.push({ ...v, payload });
      const { payload: _p, ...shown } =
        record.versions[record.versions.length - 1];
      void _p;
      return out(req, 'SecretVersion', shown);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/secrets/{secret}/versions/{version}',
    req => {
      const { payload: _p, ...shown } = version(
        get(req.params.project, req.params.secret),
        req.params.version,
      );
      void _p;
      return out(req, 'SecretVersion', shown);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/secrets/{secret}/versions/{version}:access',
    req => {
      const v = version(
        get(req.params.project, req.params.secret),
        req.params.version,
      );
      if (v.state !== 'ENABLED') {
        throw new GoogleApiError({
          httpStatus: 400,
          status: 'FAILED_PRECONDITION',
          message: `${v.name} is in ${v.state} state.`,
        });
      }
      return out(req, 'AccessSecretVersionResponse', {
        name: v.name,
        payload: v.payload,
      });
    },
  );

  return host;
}
