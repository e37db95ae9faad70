import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
} from '../googleErrors';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  ResourceHandler,
  differs,
  pollUntil,
  requireMatch,
  retrying,
} from '../ProvisionContext';
import { readSecret } from './secrets';

/** PostgreSQL major version of the managed database. */
export const POSTGRES_VERSION = 'POSTGRES_16';

const SQL_STATE = [
  'SQL_INSTANCE_STATE_UNSPECIFIED',
  'RUNNABLE',
  'SUSPENDED',
  'PENDING_DELETE',
  'PENDING_CREATE',
  'MAINTENANCE',
  'FAILED',
  'ONLINE_MAINTENANCE',
  'REPAIRING',
];
const OP_STATUS = [
  'SQL_OPERATION_STATUS_UNSPECIFIED',
  'PENDING',
  'RUNNING',
  'DONE',
];

function name(value: unknown, names: string[]) {
  return typeof value === 'number'
    ? (names[value] ?? String(value))
    : String(value ?? '');
}

/** Cloud SQL's wrapper numbers may arrive as `{ value }`, strings or numbers. */
function wrapped(value: unknown): number | undefined {
  const v =
    value && typeof value === 'object' && 'value' in (value as any)
      ? (value as any).value
      : value;
  return v === undefined || v === null ? undefined : Number(v);
}

/** The instance as Cloud SQL Admin takes it. */
export function sqlInstanceBody(ctx: ProvisionContext) {
  const { input, names, labels, sizing } = ctx.plan;
  return {
    name: names.sqlInstance,
    project: input.projectId,
    region: input.region,
    databaseVersion: POSTGRES_VERSION,
    settings: {
      tier: sizing.postgresql.tier,
      edition: 'ENTERPRISE',
      // The plan prices a standby in a second zone for regional clusters.
      availabilityType: ctx.plan.database?.highAvailability
        ? 'REGIONAL'
        : 'ZONAL',
      dataDiskType: 'PD_SSD',
      dataDiskSizeGb: { value: sizing.postgresql.storageGiB },
      storageAutoResize: { value: true },
      userLabels: labels,
      deletionProtectionEnabled: { value: true },
      backupConfiguration: {
        enabled: { value: true },
        startTime: '02:00',
        pointInTimeRecoveryEnabled: { value: true },
      },
      ipConfiguration: {
        ipv4Enabled: { value: false },
        privateNetwork: `projects/${input.projectId}/global/networks/${names.network}`,
        sslMode: 'ENCRYPTED_ONLY',
      },
    },
  };
}

async function waitSqlOperation(
  ctx: ProvisionContext,
  what: string,
  operation: any,
) {
  const done = await pollUntil(
    ctx,
    what,
    async () =>
      (
        await ctx.google
          .sqlOperations()
          .get(
            { project: ctx.plan.input.projectId, operation: operation.name },
            NO_CLIENT_RETRY,
          )
      )[0],
    op => name(op.status, OP_STATUS) === 'DONE',
    op => name(op.status, OP_STATUS),
  );
  const errors = (done as any).error?.errors ?? [];
  if (errors.length > 0) {
    throw new Error(
      explainGoogleError(
        what,
        new Error(errors.map((e: any) => `${e.code}: ${e.message}`).join('; ')),
        ctx.plan.input.projectId,
      ),
    );
  }
}

async function getInstance(ctx: ProvisionContext): Promise<any | undefined> {
  try {
    const [instance] = await retrying(
      ctx,
      `Cloud SQL instance ${ctx.plan.names.sqlInstance}`,
      () =>
        ctx.google.sqlInstances().get(
          {
            project: ctx.plan.input.projectId,
            instance: ctx.plan.names.sqlInstance,
          },
          NO_CLIENT_RETRY,
        ),
    );
    return instance;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(
      explainGoogleError(
        `Cloud SQL instance ${ctx.plan.names.sqlInstance}`,
        e,
        ctx.plan.input.projectId,
      ),
    );
  }
}

export const sqlInstanceHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const what = `Cloud SQL instance ${ctx.plan.names.sqlInstance}`;
    const planned = sqlInstanceBody(ctx);
    let instance = await getInstance(ctx);
    if (!instance) {
      ctx.log(
        `${what}: creating (${planned.settings.tier}, ${ctx.plan.sizing.postgresql.storageGiB} GB SSD, private IP, backups on)`,
      );
      try {
        const [operation] = await retrying(ctx, what, () =>
          ctx.google
            .sqlInstances()
            .insert(
              { project: ctx.plan.input.projectId, body: planned } as any,
              NO_CLIENT_RETRY,
            ),
        );
        await waitSqlOperation(ctx, what, operation);
      } catch (e) {
        if (!isAlreadyExists(e)) {
          throw e instanceof Error && e.message.startsWith(what)
            ? e
            : new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
        }
      }
      instance = await getInstance(ctx);
    }
    if (name(instance.state, SQL_STATE) === 'PENDING_CREATE') {
      instance = await pollUntil(
        ctx,
        what,
        async () => getInstance(ctx),
        i => name(i?.state, SQL_STATE) !== 'PENDING_CREATE',
        i => name(i?.state, SQL_STATE),
      );
    }
    requireMatch(what, [
      differs('region', instance.region, planned.region),
      differs(
        'settings.ipConfiguration.privateNetwork',
        instance.settings?.ipConfiguration?.privateNetwork,
        planned.settings.ipConfiguration.privateNetwork,
      ),
    ]);
    const privateIp = (instance.ipAddresses ?? []).find(
      (a: any) =>
        name(a.type, [
          'SQL_IP_ADDRESS_TYPE_UNSPECIFIED',
          'PRIMARY',
          'OUTGOING',
          'PRIVATE',
          'MIGRATED_1ST_GEN',
        ]) === 'PRIVATE',
    )?.ipAddress;
    return {
      sqlInstance: ctx.plan.names.sqlInstance,
      sqlConnectionName: String(
        instance.connectionName ??
          `${ctx.plan.input.projectId}:${ctx.plan.input.region}:${ctx.plan.names.sqlInstance}`,
      ),
      sqlPrivateIp: String(privateIp ?? ''),
      sqlTier: String(instance.settings?.tier ?? planned.settings.tier),
    };
  },

  async remove(_resource, ctx) {
    const what = `Cloud SQL instance ${ctx.plan.names.sqlInstance}`;
    const instance = await getInstance(ctx);
    if (!instance) return 'absent';
    if (wrapped(instance.settings?.deletionProtectionEnabled)) {
      ctx.log(`${what}: turning deletion protection off`);
      const [op] = await retrying(ctx, what, () =>
        ctx.google.sqlInstances().patch(
          {
            project: ctx.plan.input.projectId,
            instance: ctx.plan.names.sqlInstance,
            body: { settings: { deletionProtectionEnabled: { value: false } } },
          } as any,
          NO_CLIENT_RETRY,
        ),
      );
      await waitSqlOperation(ctx, what, op);
    }
    try {
      const [op] = await retrying(ctx, what, () =>
        ctx.google.sqlInstances().delete(
          {
            project: ctx.plan.input.projectId,
            instance: ctx.plan.names.sqlInstance,
          },
          NO_CLIENT_RETRY,
        ),
      );
      await waitSqlOperation(ctx, `deleting ${what}`, op);
    } catch (e) {
      if (isNotFound(e)) return 'absent';
      throw e;
    }
    return 'deleted';
  },
};

export const sqlDatabaseHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const what = `database ${resource.name}`;
    const ids = {
      project: ctx.plan.input.projectId,
      instance: ctx.plan.names.sqlInstance,
    };
    try {
      await retrying(ctx, what, () =>
        ctx.google
          .sqlDatabases()
          .get({ ...ids, database: resource.name }, NO_CLIENT_RETRY),
      );
      return { database: resource.name };
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    ctx.log(`${what}: creating`);
    try {
      const [op] = await retrying(ctx, what, () =>
        ctx.google
          .sqlDatabases()
          .insert(
            { ...ids, body: { name: resource.name, ...ids } } as any,
            NO_CLIENT_RETRY,
          ),
      );
      await waitSqlOperation(ctx, what, op);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    return { database: resource.name };
  },
  async remove() {
    return 'absent'; // deleted with the instance
  },
};

export const sqlUserHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const what = `database user ${resource.name}`;
    const ids = {
      project: ctx.plan.input.projectId,
      instance: ctx.plan.names.sqlInstance,
    };
    try {
      await retrying(ctx, what, () =>
        ctx.google
          .sqlUsers()
          .get({ ...ids, name: resource.name }, NO_CLIENT_RETRY),
      );
      // Exists: keep its password (the one in Secret Manager), change nothing.
      return { user: resource.name };
    } catch (e) {
      if (!isNotFound(e))
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
    }
    const secretId =
      ctx.plan.names.secrets[
        `${resource.name}DbPassword` as keyof typeof ctx.plan.names.secrets
      ];
    const password = await readSecret(ctx, secretId);
    ctx.log(`${what}: creating (password from secret ${secretId})`);
    try {
      const [op] = await retrying(ctx, what, () =>
        ctx.google
          .sqlUsers()
          .insert(
            { ...ids, body: { name: resource.name, password, ...ids } } as any,
            NO_CLIENT_RETRY,
          ),
      );
      await waitSqlOperation(ctx, what, op);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        // Never echo the request: it holds the password.
        throw new Error(
          explainGoogleError(
            what,
            new Error(
              String((e as Error).message ?? e).replace(password, '***'),
            ),
            ctx.plan.input.projectId,
          ),
        );
      }
    }
    return { user: resource.name };
  },
  async remove() {
    return 'absent'; // deleted with the instance
  },
};
