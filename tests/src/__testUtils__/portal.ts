/**
 * The portal's backend as packages/backend assembles it — catalog (the project's catalog-info.yaml
 * with its templates, plus test fixtures), scaffolder, permission backend with the portal's
 * policy, the codemie plugin and its modules — against the GCP sandbox, on a given database.
 * Users are mock users whose group memberships the test names.
 */
import path from 'node:path';
import request from 'supertest';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import type { Knex } from 'knex';
import { Client } from 'pg';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';
import scaffolderModuleCodemie from '@codemie-gcp/plugin-scaffolder-backend-module-codemie';
import catalogModuleCodemieEnvironments from '@codemie-gcp/plugin-catalog-backend-module-codemie';
import { googleClientsServiceRef } from '@codemie-gcp/plugin-codemie-node';
import { sandboxGoogleClients } from '@codemie-gcp/plugin-codemie-node/testUtils';
// The portal's own policy, as packages/backend installs it: these tests are about that policy.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import { codemiePermissionPolicyModule } from 'backend/src/permissionPolicy';
// The local portal's sandbox with its seeded demo environments, for the tests of the demo.
// eslint-disable-next-line @backstage/no-forbidden-package-imports
import {
  codemieSandboxModule,
  googleClientsFactory,
} from 'backend/src/sandboxPlugin';
import { repoRoot } from './repoRoot';

/** Test users and the groups each belongs to (tests/fixtures/org.yaml). */
export const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/ana': ['group:default/team-a'],
  'user:default/eve': ['group:default/team-e'],
  // The local portal's guest (examples/local-org.yaml).
  'user:development/guest': ['group:default/codemie-newcomers'],
};

/** Who owns what, for the permission backend: the user and its groups. */
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const userEntityRef = credentials.principal.userEntityRef;
      return {
        userEntityRef,
        ownershipEntityRefs: [
          userEntityRef,
          ...(MEMBERSHIPS[userEntityRef] ?? []),
        ],
      };
    },
  }),
});

/**
 * Backstage's mock HTTP auth, except that a plugin's request on behalf of a user keeps the
 * plugin as the actor — as the real auth service does. The permission backend refuses resource
 * permissions without a resourceRef from users directly, and tells the two apart by the actor.
 */
const MOCK_SERVICE_TOKEN_PREFIX = 'mock-service-token:';
const httpAuthWithActors = createServiceFactory({
  service: coreServices.httpAuth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }) {
    const inner = mockServices.httpAuth({ pluginId: plugin.getId() });
    return {
      issueUserCookie: (res: any, options?: any) =>
        inner.issueUserCookie(res, options),
      async credentials(req: any, options?: any) {
        const credentials = await inner.credentials(req, options);
        const token = /^Bearer[ ]+(\S+)$/i.exec(
          req.headers.authorization ?? '',
        )?.[1];
        if (token?.startsWith(MOCK_SERVICE_TOKEN_PREFIX)) {
          const { sub, obo } = JSON.parse(
            token.slice(MOCK_SERVICE_TOKEN_PREFIX.length),
          );
          if (obo)
            return mockCredentials.user(obo, { actor: { subject: sub } });
        }
        return credentials;
      },
    } as any;
  },
});

/** A database for the portal: in-memory SQLite, or a PostgreSQL with its own prefix. */
export function databaseConfig(
  kind: 'sqlite' | 'postgres',
  prefix: string,
): JsonObject {
  return kind === 'sqlite'
    ? { client: 'better-sqlite3', connection: ':memory:' }
    : {
        client: 'pg',
        connection:
          process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING!,
        prefix,
      };
}

/**
 * Drops the PostgreSQL databases earlier runs of a test left (names starting `<family>_`).
 * Done before a run, not after: the scaffolder's workers keep polling for a moment after the
 * backend stops, and a database dropped under them fails the suite.
 */
export async function dropStaleDatabases(family: string): Promise<void> {
  const connectionString =
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (!connectionString) return;
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${family}\\_%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** The databases every portal test runs on: SQLite always, PostgreSQL when it answers. */
export const DATABASES: Array<'sqlite' | 'postgres'> = process.env
  .BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
  ? ['sqlite', 'postgres']
  : ['sqlite'];

/**
 * The database service of a portal whose process can "die": every plugin's knex client is
 * kept, so that {@link Portal.die} can cut the scaffolder's.
 */
function mortalDatabase(clients: Map<string, Knex>) {
  return createServiceFactory({
    service: coreServices.database,
    deps: {
      config: coreServices.rootConfig,
      lifecycle: coreServices.lifecycle,
      logger: coreServices.logger,
      pluginMetadata: coreServices.pluginMetadata,
    },
    // As Backstage's databaseServiceFactory, without the root lifecycle: nothing closes the
    // clients but the death.
    createRootContext: ({ config }) => DatabaseManager.fromConfig(config),
    async factory({ pluginMetadata, lifecycle, logger }, manager) {
      const database = manager.forPlugin(pluginMetadata.getId(), {
        lifecycle,
        logger,
      });
      return {
        ...database,
        getClient: async () => {
          const client = await database.getClient();
          clients.set(pluginMetadata.getId(), client);
          return client;
        },
      };
    },
  });
}

/** A started portal backend and what its users do with it. */
export class Portal {
  constructor(
    readonly backend: Awaited<ReturnType<typeof startTestBackend>>,
    private readonly databaseClients?: Map<string, Knex>,
  ) {}

  /**
   * Stops this backend as a dying process does: after the stop, its scaffolder's database
   * client never answers again, so what is left of it in this Jest process (a running task, its
   * heartbeat) writes nothing more — as in a process that no longer exists — without failing
   * into the test as errors. Needs `startPortal({ mortal: true })`.
   */
  async die(): Promise<void> {
    if (!this.databaseClients) throw new Error('not a mortal portal');
    await this.stop();
    // The scaffolder's client holds the task's heartbeat and outcome (the task reaches the
    // codemie plugin over HTTP, which has stopped). Queries already holding a connection finish,
    // so no lock stays held; new ones wait for ever.
    const scaffolder = this.databaseClients.get('scaffolder')!;
    (
      scaffolder.client as { acquireConnection(): Promise<unknown> }
    ).acquireConnection = () => new Promise(() => {});
  }

  get server() {
    return this.backend.server;
  }

  stop() {
    return this.backend.stop();
  }

  static as(user: string) {
    return { Authorization: mockCredentials.user.header(user) };
  }

  get(url: string, user = 'user:default/ana') {
    return request(this.server).get(url).set(Portal.as(user));
  }

  /** Waits until `read` gives a value (polling every 200 ms, up to 30 s). */
  async waitFor<T>(
    what: string,
    read: () => Promise<T | undefined>,
  ): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await read();
      if (value !== undefined) return value;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}`);
      await new Promise(r => setTimeout(r, 200));
    }
  }

  /** The catalog entity, once it is there (or undefined when it never came). */
  entity(ref: string, user = 'user:default/ana') {
    const [kind, namespace, name] = ref.split(/[:/]/);
    return this.get(
      `/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      user,
    );
  }

  /** Waits until the catalog serves the template `name`. */
  async template(name: string) {
    await this.waitFor(`template ${name}`, async () =>
      (await this.entity(`template:default/${name}`)).status === 200
        ? true
        : undefined,
    );
  }

  /** Starts a task of `templateRef` as `user`; its id. */
  async startTask(templateRef: string, values: object, user: string) {
    const created = await request(this.server)
      .post('/api/scaffolder/v2/tasks')
      .set(Portal.as(user))
      .send({ templateRef, values });
    if (created.status !== 201) {
      throw new Error(
        `task not created: ${created.status} ${JSON.stringify(created.body)}`,
      );
    }
    return created.body.id as string;
  }

  /** Waits for a task to end; its final state and its log as text. */
  async finishTask(id: string, user: string, timeoutMs = 200_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const task = await this.get(`/api/scaffolder/v2/tasks/${id}`, user);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await this.get(
          `/api/scaffolder/v2/tasks/${id}/events`,
          user,
        );
        const completion = (events.body as any[]).find(
          e => e.type === 'completion',
        );
        return {
          task: task.body,
          log: await this.taskLog(id, user),
          /** The template's rendered output, as the task page shows it. */
          output: completion?.body?.output as
            | {
                links?: any[];
                text?: Array<{ title: string; content?: string }>;
              }
            | undefined,
        };
      }
      if (Date.now() > deadline)
        throw new Error(`task ${id} still ${task.body.status}`);
      await new Promise(r => setTimeout(r, 250));
    }
  }

  async taskLog(id: string, user: string): Promise<string> {
    const events = await this.get(
      `/api/scaffolder/v2/tasks/${id}/events`,
      user,
    );
    return (
      (events.body as any[])
        .map(e => e.body?.message ?? '')
        .join('\n')
        // eslint-disable-next-line no-control-regex
        .replace(/\u001b\[[0-9;]*m/g, '')
    );
  }

  /** Runs a template to its end as `user`. */
  async runTask(templateRef: string, values: object, user: string) {
    return this.finishTask(
      await this.startTask(templateRef, values, user),
      user,
    );
  }
}

/** Starts the portal backend on `database`, with `extraConfig` merged into codemie/scaffolder. */
export async function startPortal(options: {
  database: JsonObject;
  scaffolder?: JsonObject;
  codemie?: JsonObject;
  /** Also run the local portal's sandbox module: its GCP sandbox and seeded environments. */
  sandboxDemo?: boolean;
  /** More plugins and modules, e.g. the Kubernetes plugin. */
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** Config of the Kubernetes plugin (`kubernetes`), when `features` adds it. */
  kubernetes?: JsonObject;
  /** A portal that can {@link Portal.die}. */
  mortal?: boolean;
}) {
  const databaseClients = options.mortal ? new Map<string, Knex>() : undefined;
  const backend = await startTestBackend({
    features: [
      ...(databaseClients ? [mortalDatabase(databaseClients)] : []),
      // The sandbox demo starts its own GCP sandbox, as the local portal does; other tests start
      // one themselves, and the portal's Google clients talk to whichever listens.
      ...(options.sandboxDemo
        ? [codemieSandboxModule, googleClientsFactory]
        : [
            createServiceFactory({
              service: googleClientsServiceRef,
              deps: {},
              factory: () => sandboxGoogleClients(),
            }),
          ]),
      catalogPlugin,
      catalogModuleScaffolderEntityModel,
      scaffolderPlugin,
      permissionPlugin,
      codemiePermissionPolicyModule,
      codemiePlugin,
      scaffolderModuleCodemie,
      catalogModuleCodemieEnvironments,
      ...(options.features ?? []),
      // One in-memory events service for every plugin, as createBackend's in-process one: the
      // codemie plugin announces record changes to the catalog module on it (the test default
      // gives each plugin its own).
      createServiceFactory({
        service: eventsServiceRef,
        deps: {},
        createRootContext: () => mockServices.events(),
        factory: (_deps, shared) => shared,
      }),
      userInfo,
      httpAuthWithActors,
      mockServices.rootConfig.factory({
        data: {
          backend: { database: options.database },
          permission: { enabled: true },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'Resource',
                  'Location',
                  'Template',
                  'Group',
                  'User',
                ],
              },
            ],
            processingInterval: { seconds: 1 },
            locations: [
              {
                type: 'file',
                target: path.join(repoRoot, 'catalog-info.yaml'),
              },
              {
                type: 'file',
                target: path.join(repoRoot, 'tests/fixtures/catalog.yaml'),
              },
            ],
          },
          ...(options.scaffolder ? { scaffolder: options.scaffolder } : {}),
          ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}),
          codemie: {
            sandbox: { enabled: true },
            gcp: {
              retry: {
                attempts: 6,
                baseDelay: { milliseconds: 1 },
                maxDelay: { milliseconds: 5 },
                poll: { milliseconds: 5 },
                maxPoll: { milliseconds: 20 },
              },
            },
            status: {
              cacheTtl: { seconds: 1 },
              sampling: {
                frequency: { minutes: 5 },
                initialDelay: { hours: 1 },
              },
            },
            ...options.codemie,
          },
        },
      }),
    ],
  });
  return new Portal(backend, databaseClients);
}
