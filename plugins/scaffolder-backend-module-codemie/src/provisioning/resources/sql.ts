import {
  explainGoogleError,
  isAlreadyExists,
  isNotFound,
  operationErrorOf,
} from '@codemie-gcp/plugin-codemie-node';
import {
  NO_CLIENT_RETRY,
  ProvisionContext,
  ResourceHandler,
  differs,
  pollUntil,
  requireMatch,
  retrying,
  retryingCreate,
} from '../ProvisionContext';
import { readSecret } from './secrets';
import { randomBytes } from 'node:crypto';
import { ENVIRONMENT_LABEL } from '@codemie-gcp/plugin-codemie-common';

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
const SQL_OPERATION_TYPE = [
  'SQL_OPERATION_TYPE_UNSPECIFIED',
  'IMPORT',
  'EXPORT',
  'CREATE',
]; // only CREATE is read here
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
  onFailure?: () => string,
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
    const explained = explainGoogleError(
      what,
      operationErrorOf(errors),
      ctx.plan.input.projectId,
    );
    throw new Error(onFailure ? `${explained}. ${onFailure()}` : explained);
  }
}

/**
 * The environment's instance name, as chosen when it was created: `<name>-pg-<random>`.
 * A Cloud SQL name cannot be reused for up to a week after its instance is deleted
 * (https://cloud.google.com/sql/docs/postgres/delete-instance), so each instance gets a random
 * suffix (as Terraform's Cloud SQL examples do with `random_id`) and is found again by its label.
 */
export function sqlInstanceName(ctx: ProvisionContext): string {
  const chosen = ctx.outputs.get('sql-instance')?.sqlInstance;
  if (typeof chosen !== 'string' || !chosen) {
    throw new Error(
      'the Cloud SQL instance is not known yet (sql-instance has not finished)',
    );
  }
  return chosen;
}

function newInstanceName(ctx: ProvisionContext): string {
  return `${ctx.plan.names.sqlInstance}-${randomBytes(3).toString('hex')}`;
}

/** Instances carrying the environment's label and name prefix, in any state. */
async function labelledInstances(ctx: ProvisionContext): Promise<any[]> {
  const what = `Cloud SQL instances of ${ctx.plan.input.name}`;
  const found: any[] = [];
  let pageToken: string | undefined;
  try {
    do {
      const token = pageToken;
      const [page] = await retrying(ctx, what, () =>
        ctx.google
          .sqlInstances()
          .list(
            { project: ctx.plan.input.projectId, pageToken: token } as any,
            NO_CLIENT_RETRY,
          ),
      );
      found.push(...((page as any).items ?? []));
      pageToken = (page as any).nextPageToken || undefined;
    } while (pageToken);
  } catch (e) {
    throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
  }
  return found.filter(
    i =>
      i.settings?.userLabels?.[ENVIRONMENT_LABEL] === ctx.plan.input.name &&
      (i.name === ctx.plan.names.sqlInstance ||
        String(i.name).startsWith(`${ctx.plan.names.sqlInstance}-`)),
  );
}

async function getInstance(
  ctx: ProvisionContext,
  instanceName: string,
): Promise<any | undefined> {
  const what = `Cloud SQL instance ${instanceName}`;
  try {
    const [instance] = await retrying(ctx, what, () =>
      ctx.google
        .sqlInstances()
        .get(
          { project: ctx.plan.input.projectId, instance: instanceName },
          NO_CLIENT_RETRY,
        ),
    );
    return instance;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
  }
}

/** The error of the instance's CREATE operation, if that operation failed ('' if it did not). */
async function failedCreation(
  ctx: ProvisionContext,
  instanceName: string,
): Promise<string> {
  const [page] = await retrying(ctx, `operations of ${instanceName}`, () =>
    ctx.google
      .sqlOperations()
      .list(
        { project: ctx.plan.input.projectId, instance: instanceName } as any,
        NO_CLIENT_RETRY,
      ),
  );
  const create = ((page as any).items ?? []).find(
    (op: any) => name(op.operationType, SQL_OPERATION_TYPE) === 'CREATE',
  );
  const errors = create?.error?.errors ?? [];
  return errors.map((e: any) => `${e.code}: ${e.message}`).join('; ');
}

/** Lifts deletion protection (when on) and deletes the instance, waiting for both. */
async function deleteInstance(
  ctx: ProvisionContext,
  instance: any,
): Promise<'deleted' | 'absent'> {
  const instanceName = String(instance.name);
  const what = `Cloud SQL instance ${instanceName}`;
  const ids = { project: ctx.plan.input.projectId, instance: instanceName };
  if (wrapped(instance.settings?.deletionProtectionEnabled)) {
    ctx.log(`${what}: turning deletion protection off`);
    const [op] = await retrying(ctx, what, () =>
      ctx.google.sqlInstances().patch(
        {
          ...ids,
          body: { settings: { deletionProtectionEnabled: { value: false } } },
        } as any,
        NO_CLIENT_RETRY,
      ),
    );
    await waitSqlOperation(ctx, what, op);
  }
  try {
    const [op] = await retrying(ctx, what, () =>
      ctx.google.sqlInstances().delete(ids, NO_CLIENT_RETRY),
    );
    await waitSqlOperation(ctx, `deleting ${what}`, op);
  } catch (e) {
    if (isNotFound(e)) return 'absent';
    throw e;
  }
  return 'deleted';
}

/** Creates the instance under a fresh name; returns the name used. */
async function createInstance(ctx: ProvisionContext): Promise<string> {
  const planned = sqlInstanceBody(ctx);
  // A 409 for a name no instance has means the name was used by an instance deleted less than
  // a week ago: another random suffix is tried (a clash is unlikely; three tries are plenty).
  for (let attempt = 1; ; attempt++) {
    const instanceName = newInstanceName(ctx);
    const what = `Cloud SQL instance ${instanceName}`;
    ctx.log(
      `${what}: creating (${planned.settings.tier}, ${ctx.plan.sizing.postgresql.storageGiB} GB SSD, private IP, backups on)`,
    );
    try {
      const [operation] = await retryingCreate(ctx, what, () =>
        ctx.google.sqlInstances().insert(
          {
            project: ctx.plan.input.projectId,
            body: { ...planned, name: instanceName },
          } as any,
          NO_CLIENT_RETRY,
        ),
      );
      await waitSqlOperation(ctx, what, operation, () =>
        [
          `${what} failed to create; it is left in state FAILED and holds no data.`,
          'Run the task again: the failed instance is deleted and a new one created (or run codemie:gcp:destroy to remove everything).',
        ].join(' '),
      );
      return instanceName;
    } catch (e) {
      if (!isAlreadyExists(e)) {
        throw e instanceof Error && e.message.startsWith(what)
          ? e
          : new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
      }
      const holder = await getInstance(ctx, instanceName);
      if (
        holder?.settings?.userLabels?.[ENVIRONMENT_LABEL] ===
        ctx.plan.input.name
      ) {
        return instanceName; // our own create, whose answer was lost
      }
      if (attempt >= 3) {
        throw new Error(
          `${what}: Cloud SQL answered 409 for ${attempt} fresh names (${explainGoogleError(what, e, ctx.plan.input.projectId)}). Retry the task.`,
        );
      }
      ctx.log(
        `${what}: the name is taken ${holder ? 'by another instance' : 'by an instance deleted less than a week ago (Cloud SQL keeps names for a week)'}; trying another name`,
      );
    }
  }
}

export const sqlInstanceHandler: ResourceHandler = {
  async ensure(_resource, ctx) {
    const planned = sqlInstanceBody(ctx);
    const live = (await labelledInstances(ctx)).filter(
      i => name(i.state, SQL_STATE) !== 'PENDING_DELETE',
    );
    if (live.length > 1) {
      throw new Error(
        `Cloud SQL instances ${live.map(i => i.name).join(', ')} all belong to ${ctx.plan.input.name}; ` +
          'keep one (delete the others in the Cloud Console) and run the task again.',
      );
    }
    let instanceName: string;
    if (live.length === 1 && name(live[0].state, SQL_STATE) === 'FAILED') {
      const failed = live[0];
      const what = `Cloud SQL instance ${failed.name}`;
      const creationError = await failedCreation(ctx, failed.name);
      if (!creationError) {
        // It ran before (FAILED after maintenance or an incident): it may hold data.
        throw new Error(
          `${what} is in state FAILED. It ran before and may hold data, so it is not deleted automatically: ` +
            `restore it from a backup (https://console.cloud.google.com/sql/instances/${failed.name}/backups?project=${ctx.plan.input.projectId}) ` +
            'or delete it (codemie:gcp:destroy), then run the task again.',
        );
      }
      ctx.log(
        `${what} is in state FAILED: its creation failed (${creationError}) and it holds no data; deleting it and creating a new instance`,
      );
      await deleteInstance(ctx, failed);
      instanceName = await createInstance(ctx);
    } else if (live.length === 1) {
      instanceName = String(live[0].name);
    } else {
      instanceName = await createInstance(ctx);
    }
    const what = `Cloud SQL instance ${instanceName}`;
    let instance = await getInstance(ctx, instanceName);
    if (instance && name(instance.state, SQL_STATE) === 'PENDING_CREATE') {
      instance = await pollUntil(
        ctx,
        what,
        async () => getInstance(ctx, instanceName),
        i => name(i?.state, SQL_STATE) !== 'PENDING_CREATE',
        i => name(i?.state, SQL_STATE),
      );
    }
    const state = name(instance?.state, SQL_STATE);
    if (!instance || state !== 'RUNNABLE') {
      throw new Error(
        `${what} is ${instance ? `in state ${state}` : 'gone'} after its creation. Run the task again ` +
          '(a failed instance is deleted and created anew), or run codemie:gcp:destroy.',
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
      sqlInstance: instanceName,
      sqlConnectionName: String(
        instance.connectionName ??
          `${ctx.plan.input.projectId}:${ctx.plan.input.region}:${instanceName}`,
      ),
      sqlPrivateIp: String(privateIp ?? ''),
      sqlTier: String(instance.settings?.tier ?? planned.settings.tier),
    };
  },

  async remove(_resource, ctx) {
    const instances = (await labelledInstances(ctx)).filter(
      i => name(i.state, SQL_STATE) !== 'PENDING_DELETE',
    );
    let result: 'deleted' | 'absent' = 'absent';
    for (const instance of instances) {
      if ((await deleteInstance(ctx, instance)) === 'deleted')
        result = 'deleted';
    }
    return result;
  },
};

export const sqlDatabaseHandler: ResourceHandler = {
  async ensure(resource, ctx) {
    const what = `database ${resource.name}`;
    const ids = {
      project: ctx.plan.input.projectId,
      instance: sqlInstanceName(ctx),
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
      // A 409 is "exists" only if the database is really there (Cloud SQL also answers 409
      // while another operation runs on the instance).
      await retrying(ctx, what, () =>
        ctx.google
          .sqlDatabases()
          .get({ ...ids, database: resource.name }, NO_CLIENT_RETRY),
      ).catch(() => {
        throw new Error(explainGoogleError(what, e, ctx.plan.input.projectId));
      });
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
      instance: sqlInstanceName(ctx),
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
