import { ApiHost } from '../router';
import type { RouteRequest } from '../router';
import { errors, GoogleApiError } from '../errors';
import { lazy, schemaOf } from '../schema/ProtoSchema';
import type { EmulationContext } from '../context';
import { deferred, isLocation } from '../context';
import type { Json, SqlInstanceRecord } from '../../state';
import { resolveProject } from '../serviceGate';
import { OperationFailure } from '../operationFailure';

const ORIGIN = 'https://sqladmin.googleapis.com';
const PKG = 'google.cloud.sql.v1';
const WEEK_MS = 7 * 24 * 3600 * 1000;

type Engine = 'postgres' | 'mysql' | 'sqlserver';
/** The database and user a new instance of each engine has. */
const ENGINE_DEFAULTS: Record<Engine, { database?: string; user: string }> = {
  postgres: { database: 'postgres', user: 'postgres' },
  mysql: { user: 'root' },
  sqlserver: { database: 'master', user: 'sqlserver' },
};

function engineOf(databaseVersion: string): Engine {
  if (databaseVersion.startsWith('POSTGRES')) return 'postgres';
  if (databaseVersion.startsWith('MYSQL')) return 'mysql';
  return 'sqlserver';
}

const INSTALLED: Record<string, string> = {
  POSTGRES_14: 'POSTGRES_14_19',
  POSTGRES_15: 'POSTGRES_15_14',
  POSTGRES_16: 'POSTGRES_16_10',
  POSTGRES_17: 'POSTGRES_17_6',
  MYSQL_8_0: 'MYSQL_8_0_41',
  MYSQL_8_4: 'MYSQL_8_4_5',
};

/**
 * Cloud SQL Admin (`sqladmin.googleapis.com/v1`): instances insert/get/list/delete, databases and
 * users insert/get/list/delete, operations get/list. Bodies are validated against the protobuf
 * definitions shipped in `@google-cloud/sql`. Faithful details: one operation at a time per
 * instance (409 `operationInProgress`), instance names stay taken for a week after deletion,
 * private IP needs a Service Networking connection on the network, deletion protection.
 */
export function sqlApi(ctx: EmulationContext): ApiHost {
  const schema = lazy(() => schemaOf('@google-cloud/sql'));
  const host = new ApiHost('sqladmin', ORIGIN, 'apiary', ctx);
  const { state, clock, ids, scheduler, domainFaults, durations } = ctx;

  const out = (req: RouteRequest, type: string, value: Json) => ({
    body: req.enumsAsNumbers
      ? schema().convertEnums(`${PKG}.${type}`, value, 'number')
      : value,
  });
  const parse = (type: string, body: unknown): Json => {
    schema().validate(`${PKG}.${type}`, body ?? {}, 'body');
    return schema().convertEnums(
      `${PKG}.${type}`,
      (body ?? {}) as Json,
      'name',
    );
  };
  const instanceKey = (project: string, instance: string) =>
    `projects/${project}/instances/${instance}`;
  const getInstance = (
    project: string,
    instance: string,
  ): SqlInstanceRecord => {
    const record = state.sqlInstances.get(instanceKey(project, instance));
    if (!record) {
      throw new GoogleApiError({
        httpStatus: 404,
        reason: 'instanceDoesNotExist',
        message: 'The Cloud SQL instance does not exist.',
      });
    }
    return record;
  };
  const ensureIdle = (record: SqlInstanceRecord) => {
    if (record.runningOperation) {
      throw new GoogleApiError({
        httpStatus: 409,
        reason: 'operationInProgress',
        message:
          'Operation failed because another operation was already in progress.',
      });
    }
  };

  const startOperation = (
    project: string,
    record: SqlInstanceRecord,
    operationType: string,
    seconds: number,
    work: () => void,
    onFailure?: () => void,
  ): Json => {
    const name = ids.uuid();
    const now = clock.nowIso();
    const instanceName = record.resource.name;
    const resource: Json = {
      kind: 'sql#operation',
      targetLink: `${ORIGIN}/v1/projects/${project}/instances/${instanceName}`,
      status: 'PENDING',
      user: `sandbox@${project}.iam.gserviceaccount.com`,
      insertTime: now,
      operationType,
      name,
      targetId: instanceName,
      selfLink: `${ORIGIN}/v1/projects/${project}/operations/${name}`,
      targetProject: project,
    };
    const { promise, resolve } = deferred();
    state.sqlOperations.set(`projects/${project}/operations/${name}`, {
      project,
      scope: instanceName,
      resource,
      done: promise,
    });
    record.runningOperation = name;
    const fault = domainFaults.takeOperationFault(
      'sqladmin',
      operationType,
      instanceName,
    );
    const quota =
      operationType === 'CREATE'
        ? domainFaults.takeQuota(
            'sqladmin',
            record.resource.region,
            'operation',
          )
        : undefined;
    scheduler
      .after(Math.min(1, seconds / 10), () => {
        if (resource.status === 'PENDING') {
          resource.status = 'RUNNING';
          resource.startTime = clock.nowIso();
        }
      })
      .catch(() => undefined);
    scheduler
      .after(seconds, () => {
        try {
          if (quota) {
            throw new OperationFailure(
              `Quota '${quota.metric}' exceeded. Limit: ${quota.limit} in region ${quota.region}.`,
              'QUOTA_EXCEEDED',
            );
          }
          if (fault)
            throw new OperationFailure(
              fault.message ?? 'An internal error has occurred.',
              String(fault.code ?? 'INTERNAL_ERROR'),
            );
          work();
        } catch (e) {
          const err =
            e instanceof OperationFailure
              ? e
              : new OperationFailure(String(e), 'INTERNAL_ERROR');
          resource.error = {
            kind: 'sql#operationErrors',
            errors: [
              {
                kind: 'sql#operationError',
                code: String(err.code),
                message: err.message,
              },
            ],
          };
          onFailure?.();
        } finally {
          resource.startTime = resource.startTime ?? resource.insertTime;
          resource.status = 'DONE';
          resource.endTime = clock.nowIso();
          if (record.runningOperation === name)
            record.runningOperation = undefined;
          resolve();
        }
      })
      .catch(() => undefined);
    return resource;
  };

  // --- instances ------------------------------------------------------------------------------
  host.route('POST', '/v1/projects/{project}/instances', req => {
    const { project } = req.params;
    const body = parse('DatabaseInstance', req.body);
    const name: string = body.name;
    if (!name)
      throw errors.invalid('Invalid request: instance name is required.');
    if (!/^[a-z]([-a-z0-9]{0,96}[a-z0-9])?$/.test(name)) {
      throw errors.invalid(`Invalid request: Invalid instance name "${name}".`);
    }
    if (!body.settings?.tier)
      throw errors.invalid('Invalid request: tier is required.');
    const key = instanceKey(project, name);
    const deletedAt = state.sqlDeletedNames.get(key);
    if (
      state.sqlInstances.has(key) ||
      (deletedAt !== undefined && clock.now() - deletedAt < WEEK_MS)
    ) {
      throw new GoogleApiError({
        httpStatus: 409,
        reason: 'instanceAlreadyExists',
        message:
          "The Cloud SQL instance already exists. When you delete an instance, you can't reuse the name of the deleted instance until one week from the deletion date.",
      });
    }
    const region: string = body.region ?? 'us-central1';
    if (!isLocation(region))
      throw errors.invalid(`Invalid request: region (${region}) is not valid.`);
    const ip = body.settings.ipConfiguration ?? {};
    if (ip.privateNetwork) {
      const networkKey = String(ip.privateNetwork)
        .replace(/^https:\/\/(www|compute)\.googleapis\.com\/compute\/v1\//, '')
        .replace(
          /^projects\/(\d+)\//,
          (_m, n) => `projects/${resolveProject(state, n)}/`,
        );
      if (!state.compute.has(networkKey)) {
        throw errors.invalid(
          `Invalid request: Incorrect Service Networking config for instance: ${project}:${name}:NETWORK_NOT_FOUND.`,
        );
      }
      if (!state.peerings.has(networkKey)) {
        throw errors.invalid(
          'Invalid request: Incorrect Service Networking config for instance: ' +
            `${project}:${name}:SERVICE_NETWORKING_NOT_ENABLED. The network doesn't have at least 1 private services connection.`,
        );
      }
    }
    const quota = domainFaults.takeQuota('sqladmin', region, 'request');
    if (quota) {
      throw new GoogleApiError({
        httpStatus: 403,
        reason: 'quotaExceeded',
        domain: 'usageLimits',
        message: `Quota '${quota.metric}' exceeded. Limit: ${quota.limit} in region ${quota.region}.`,
      });
    }
    const databaseVersion: string = body.databaseVersion ?? 'MYSQL_8_0';
    const settings: Json = {
      kind: 'sql#settings',
      settingsVersion: '1',
      availabilityType: 'ZONAL',
      pricingPlan: 'PER_USE',
      replicationType: 'SYNCHRONOUS',
      activationPolicy: 'ALWAYS',
      dataDiskType: 'PD_SSD',
      dataDiskSizeGb: '10',
      storageAutoResize: true,
      userLabels: {},
      ...body.settings,
      ipConfiguration: { ipv4Enabled: true, ...ip },
      backupConfiguration: {
        kind: 'sql#backupConfiguration',
        enabled: false,
        ...(body.settings.backupConfiguration ?? {}),
      },
    };
    const { rootPassword: _root, ...rest } = body;
    void _root;
    const resource: Json = {
      ...rest,
      kind: 'sql#instance',
      name,
      project,
      region,
      databaseVersion,
      settings,
      state: 'PENDING_CREATE',
      gceZone: settings.locationPreference?.zone ?? `${region}-a`,
      connectionName: `${project}:${region}:${name}`,
      selfLink: `${ORIGIN}/v1/projects/${project}/instances/${name}`,
      instanceType: 'CLOUD_SQL_INSTANCE',
      backendType: 'SECOND_GEN',
      serviceAccountEmailAddress: `p${ids.numeric(12)}-${ids.hex(6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com`,
      databaseInstalledVersion: INSTALLED[databaseVersion] ?? databaseVersion,
      createTime: clock.nowIso(),
      etag: ids.hex(64),
      ipAddresses: [],
    };
    const record: SqlInstanceRecord = {
      project,
      resource,
      databases: new Map(),
      users: new Map(),
    };
    state.sqlInstances.set(key, record);
    const op = startOperation(
      project,
      record,
      'CREATE',
      durations.sqlInstanceCreate,
      () => {
        resource.state = 'RUNNABLE';
        const addresses: Json[] = [];
        if (settings.ipConfiguration.ipv4Enabled)
          addresses.push({
            type: 'PRIMARY',
            ipAddress: `34.${40 + (state.sqlInstances.size % 50)}.10.${10 + (state.sqlInstances.size % 200)}`,
          });
        if (settings.ipConfiguration.privateNetwork)
          addresses.push({
            type: 'PRIVATE',
            ipAddress: `10.100.0.${3 + (state.sqlInstances.size % 200)}`,
          });
        resource.ipAddresses = addresses;
        const engine = engineOf(databaseVersion);
        const defaults = ENGINE_DEFAULTS[engine];
        if (defaults.database)
          record.databases.set(
            defaults.database,
            databaseResource(
              project,
              name,
              { name: defaults.database },
              engine,
            ),
          );
        record.users.set(
          defaults.user,
          userResource(project, name, {
            name: defaults.user,
            host: engine === 'mysql' ? '%' : undefined,
          }),
        );
      },
      () => {
        resource.state = 'FAILED';
      },
    );
    return out(req, 'Operation', op);
  });

  function databaseResource(
    project: string,
    instance: string,
    db: Json,
    engine = 'postgres',
  ): Json {
    return {
      kind: 'sql#database',
      charset: db.charset ?? (engine === 'postgres' ? 'UTF8' : 'utf8mb4'),
      collation:
        db.collation ??
        (engine === 'postgres' ? 'en_US.UTF8' : 'utf8mb4_0900_ai_ci'),
      etag: ids.hex(64),
      name: db.name,
      instance,
      selfLink: `${ORIGIN}/v1/projects/${project}/instances/${instance}/databases/${db.name}`,
      project,
    };
  }
  function userResource(project: string, instance: string, user: Json): Json {
    const r: Json = {
      kind: 'sql#user',
      etag: ids.hex(64),
      name: user.name,
      instance,
      project,
    };
    if (user.host) r.host = user.host;
    if (user.type) r.type = user.type;
    if (user.password) r.password = user.password;
    return r;
  }
  const withoutPassword = ({ password: _p, ...user }: Json) => user;

  host.route('GET', '/v1/projects/{project}/instances/{instance}', req =>
    out(
      req,
      'DatabaseInstance',
      getInstance(req.params.project, req.params.instance).resource,
    ),
  );

  host.route('GET', '/v1/projects/{project}/instances', req => {
    const items = [...state.sqlInstances.values()]
      .filter(i => i.project === req.params.project)
      .map(i => i.resource);
    return out(req, 'InstancesListResponse', {
      kind: 'sql#instancesList',
      items,
    });
  });

  // PATCH: partial update of an instance's settings (used to lift deletion protection, resize).
  host.route('PATCH', '/v1/projects/{project}/instances/{instance}', req => {
    const { project, instance } = req.params;
    const record = getInstance(project, instance);
    ensureIdle(record);
    const body = (req.body ?? {}) as Json;
    // The client sends a whole DatabaseInstance with defaults filled; like Cloud SQL, only the
    // fields given are changed. The sandbox applies `settings` (the only part the plugins patch).
    const patch = (body.settings ?? {}) as Json;
    const op = startOperation(project, record, 'UPDATE', 5, () => {
      record.resource.settings = {
        ...record.resource.settings,
        ...patch,
        settingsVersion: String(
          Number(record.resource.settings?.settingsVersion ?? '1') + 1,
        ),
      };
    });
    return out(req, 'Operation', op);
  });

  host.route('DELETE', '/v1/projects/{project}/instances/{instance}', req => {
    const { project, instance } = req.params;
    const record = getInstance(project, instance);
    ensureIdle(record);
    if (record.resource.settings?.deletionProtectionEnabled) {
      throw new GoogleApiError({
        httpStatus: 400,
        reason: 'invalidRequest',
        message:
          'The instance is protected from deletion. Please disable deletion protection and try again.',
      });
    }
    record.resource.state = 'PENDING_DELETE';
    const op = startOperation(
      project,
      record,
      'DELETE',
      durations.sqlInstanceDelete,
      () => {
        state.sqlInstances.delete(instanceKey(project, instance));
        state.sqlDeletedNames.set(instanceKey(project, instance), clock.now());
        // Its side of the private services peering stays a while (see serviceNetworkingApi).
        const network =
          record.resource.settings?.ipConfiguration?.privateNetwork;
        if (network)
          state.peeringReleasedAt.set(
            String(network)
              .replace(
                /^https:\/\/(www|compute)\.googleapis\.com\/compute\/v1\//,
                '',
              )
              .replace(
                /^projects\/(\d+)\//,
                (_m, n) => `projects/${resolveProject(state, n)}/`,
              ),
            clock.now(),
          );
      },
      () => {
        record.resource.state = 'RUNNABLE';
      },
    );
    return out(req, 'Operation', op);
  });

  // --- databases ------------------------------------------------------------------------------
  const runnable = (record: SqlInstanceRecord) => {
    ensureIdle(record);
    if (record.resource.state !== 'RUNNABLE') {
      throw errors.invalid('Invalid request since instance is not running.', {
        reason: 'invalidState',
      });
    }
  };

  host.route(
    'POST',
    '/v1/projects/{project}/instances/{instance}/databases',
    req => {
      const { project, instance } = req.params;
      const body = parse('Database', req.body);
      const record = getInstance(project, instance);
      if (!body.name)
        throw errors.invalid('Invalid request: database name is required.');
      runnable(record);
      const engine = String(record.resource.databaseVersion).startsWith(
        'POSTGRES',
      )
        ? 'postgres'
        : 'mysql';
      const op = startOperation(
        project,
        record,
        'CREATE_DATABASE',
        durations.sqlDatabase,
        () => {
          if (record.databases.has(body.name)) {
            throw new OperationFailure(
              engine === 'postgres'
                ? `pq: database "${body.name}" already exists`
                : `Can't create database '${body.name}'; database exists`,
              'ERROR_RDBMS',
            );
          }
          record.databases.set(
            body.name,
            databaseResource(project, instance, body, engine),
          );
        },
      );
      return out(req, 'Operation', op);
    },
  );

  const getDatabase = (record: SqlInstanceRecord, name: string) => {
    const db = record.databases.get(name);
    if (!db)
      throw new GoogleApiError({
        httpStatus: 404,
        reason: 'notFound',
        message: 'Not Found',
      });
    return db;
  };

  host.route(
    'GET',
    '/v1/projects/{project}/instances/{instance}/databases',
    req => {
      const record = getInstance(req.params.project, req.params.instance);
      return out(req, 'DatabasesListResponse', {
        kind: 'sql#databasesList',
        items: [...record.databases.values()],
      });
    },
  );
  host.route(
    'GET',
    '/v1/projects/{project}/instances/{instance}/databases/{database}',
    req =>
      out(
        req,
        'Database',
        getDatabase(
          getInstance(req.params.project, req.params.instance),
          req.params.database,
        ),
      ),
  );
  host.route(
    'DELETE',
    '/v1/projects/{project}/instances/{instance}/databases/{database}',
    req => {
      const { project, instance, database } = req.params;
      const record = getInstance(project, instance);
      getDatabase(record, database);
      runnable(record);
      const op = startOperation(
        project,
        record,
        'DELETE_DATABASE',
        durations.sqlDatabase,
        () => {
          record.databases.delete(database);
        },
      );
      return out(req, 'Operation', op);
    },
  );

  // --- users ----------------------------------------------------------------------------------
  host.route(
    'POST',
    '/v1/projects/{project}/instances/{instance}/users',
    req => {
      const { project, instance } = req.params;
      const body = parse('User', req.body);
      const record = getInstance(project, instance);
      if (!body.name)
        throw errors.invalid('Invalid request: user name is required.');
      runnable(record);
      if (record.users.has(body.name)) {
        throw new GoogleApiError({
          httpStatus: 409,
          reason: 'alreadyExists',
          message: `User '${body.name}' already exists.`,
        });
      }
      const op = startOperation(
        project,
        record,
        'CREATE_USER',
        durations.sqlUser,
        () => {
          record.users.set(body.name, userResource(project, instance, body));
        },
      );
      return out(req, 'Operation', op);
    },
  );

  host.route(
    'GET',
    '/v1/projects/{project}/instances/{instance}/users',
    req => {
      const record = getInstance(req.params.project, req.params.instance);
      return out(req, 'UsersListResponse', {
        kind: 'sql#usersList',
        items: [...record.users.values()].map(withoutPassword),
      });
    },
  );
  host.route(
    'GET',
    '/v1/projects/{project}/instances/{instance}/users/{name}',
    req => {
      const record = getInstance(req.params.project, req.params.instance);
      const user = record.users.get(req.params.name);
      if (!user)
        throw new GoogleApiError({
          httpStatus: 404,
          reason: 'notFound',
          message: 'Not Found',
        });
      return out(req, 'User', withoutPassword(user));
    },
  );
  host.route(
    'DELETE',
    '/v1/projects/{project}/instances/{instance}/users',
    req => {
      const { project, instance } = req.params;
      const record = getInstance(project, instance);
      const name = req.query.get('name') ?? '';
      if (!record.users.has(name))
        throw new GoogleApiError({
          httpStatus: 404,
          reason: 'notFound',
          message: 'Not Found',
        });
      runnable(record);
      const op = startOperation(
        project,
        record,
        'DELETE_USER',
        durations.sqlUser,
        () => {
          record.users.delete(name);
        },
      );
      return out(req, 'Operation', op);
    },
  );

  // --- operations -----------------------------------------------------------------------------
  host.route('GET', '/v1/projects/{project}/operations/{operation}', req => {
    const op = state.sqlOperations.get(
      `projects/${req.params.project}/operations/${req.params.operation}`,
    );
    if (!op) {
      throw new GoogleApiError({
        httpStatus: 404,
        reason: 'operationDoesNotExist',
        message: `The Cloud SQL operation does not exist.`,
      });
    }
    return out(req, 'Operation', op.resource);
  });
  host.route('GET', '/v1/projects/{project}/operations', req => {
    const instance = req.query.get('instance');
    const items = [...state.sqlOperations.values()]
      .filter(
        o =>
          o.project === req.params.project &&
          (!instance || o.scope === instance),
      )
      .map(o => o.resource)
      .reverse();
    return out(req, 'OperationsListResponse', {
      kind: 'sql#operationsList',
      items,
    });
  });

  return host;
}
