/**
 * What the CodeMie actions depend on, for tests: a store on a test database, a catalog with the
 * owners the examples use, and a permission service that follows the portal's policy (owners
 * change and destroy; everyone else reads) — or allows/denies everything.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import type { Knex } from 'knex';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';

/** Owners the catalog knows in these tests. */
export const TEST_OWNERS = [
  'group:default/platform-engineering',
  'group:default/data-team',
  'user:default/mock',
];

function ownerEntity(ref: string): Entity {
  const { kind, namespace, name } = parseEntityRef(ref);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'group' ? 'Group' : 'User',
    metadata: { name, namespace },
    spec: kind === 'group' ? { type: 'team', children: [] } : {},
  };
}

/** A store on a fresh test database. */
export async function testStore(knex: Knex): Promise<CodemieStore> {
  return CodemieStore.create({
    database: mockServices.database.mock({ getClient: async () => knex }),
  });
}

/**
 * The services the actions take. `owners` maps a user ref to the owner refs it holds (its
 * groups): update and delete are allowed on environments whose owner it holds, as the portal's
 * policy decides through the catalog's isEntityOwner rule.
 */
export function actionServices(
  store: CodemieStore,
  options: {
    allow?: 'all' | 'none' | 'owners';
    owners?: Record<string, string[]>;
  } = {},
) {
  const allow = options.allow ?? 'owners';
  const permissions = mockServices.permissions.mock({
    authorize: async (requests: any[], opts: any) => {
      const principal = opts?.credentials?.principal;
      const userRef: string | undefined = principal?.userEntityRef;
      // By default the mock user is a member of the owner the tests record.
      const owners = options.owners ?? {
        'user:default/mock': ['group:default/platform-engineering'],
      };
      const held = new Set([
        ...(userRef ? [userRef] : []),
        ...(owners[userRef ?? ''] ?? []),
      ]);
      return Promise.all(
        requests.map(async request => {
          if (allow === 'all') return { result: AuthorizeResult.ALLOW };
          if (allow === 'none') return { result: AuthorizeResult.DENY };
          if (!isResourcePermission(request.permission, 'catalog-entity'))
            return { result: AuthorizeResult.ALLOW };
          if (request.permission.attributes.action === 'read')
            return { result: AuthorizeResult.ALLOW };
          const record = await store.getEnvironmentByEntityRef(
            request.resourceRef,
          );
          return {
            result:
              record && held.has(record.owner)
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        }),
      );
    },
  });
  return {
    store,
    permissions,
    auth: mockServices.auth(),
    catalog: catalogServiceMock({ entities: TEST_OWNERS.map(ownerEntity) }),
  };
}
