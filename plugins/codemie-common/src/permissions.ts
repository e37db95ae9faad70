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
 * Every permission the CodeMie plugins define.
 *
 * @public
 */
export const codemiePermissions = [codemieEnvironmentReadPermission];
