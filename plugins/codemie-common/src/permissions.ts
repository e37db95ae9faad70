import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read a CodeMie environment's status and usage history (`GET …/status`, `GET …/history`).
 *
 * A resource permission on the environment's catalog entity (`resourceType: catalog-entity`),
 * so a policy can allow it conditionally with the catalog's rules (owner, annotations…). The
 * status API also reads the entity with the caller's credentials: whoever cannot read the
 * entity cannot read its status either.
 *
 * @public
 */
export const codemieEnvironmentReadPermission = createPermission({
  name: 'codemie.environment.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Create a CodeMie environment (the "Create CodeMie environment" template's `codemie:plan`).
 * A basic permission: no entity exists yet.
 *
 * @public
 */
export const codemieEnvironmentCreatePermission = createPermission({
  name: 'codemie.environment.create',
  attributes: { action: 'create' },
});

/**
 * Change a CodeMie environment: deploy or re-deploy its workloads, resume its failed create.
 * A resource permission on its catalog entity, so a policy can grant it to the entity's owners
 * with the catalog's `isEntityOwner` rule.
 *
 * @public
 */
export const codemieEnvironmentUpdatePermission = createPermission({
  name: 'codemie.environment.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/**
 * Destroy a CodeMie environment: delete every Google Cloud resource it has. A resource
 * permission on its catalog entity, like {@link codemieEnvironmentUpdatePermission}.
 *
 * @public
 */
export const codemieEnvironmentDeletePermission = createPermission({
  name: 'codemie.environment.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Every permission the CodeMie plugins define.
 *
 * @public
 */
export const codemiePermissions = [
  codemieEnvironmentReadPermission,
  codemieEnvironmentCreatePermission,
  codemieEnvironmentUpdatePermission,
  codemieEnvironmentDeletePermission,
];
