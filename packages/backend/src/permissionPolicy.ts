/*
 * The portal's permission policy: everyone signed in may read the catalog and CodeMie
 * environments, run templates and create environments; only an environment's owners (the users
 * and groups its entity's spec.owner names, through the catalog's isEntityOwner rule) may change
 * or destroy it. Nobody may use the Kubernetes plugin's proxy (`kubernetes.proxy`): it would send
 * any Kubernetes request a user makes with the portal's own cluster credentials.
 *
 * To use your organisation's policy instead, remove `codemiePermissionPolicyModule` from
 * src/index.ts and add your own module on the `permission` plugin's policy extension point; keep
 * rules for `codemie.environment.update` and `codemie.environment.delete` (see the backend
 * plugin's README, "Permissions").
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { kubernetesProxyPermission } from '@backstage/plugin-kubernetes-common';
import {
  codemieEnvironmentDeletePermission,
  codemieEnvironmentUpdatePermission,
} from '@codemie-gcp/plugin-codemie-common';

/**
 * Owners change and destroy their environments; the Kubernetes proxy is closed; everything else
 * is open to signed-in users.
 */
export class CodemiePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isPermission(request.permission, codemieEnvironmentUpdatePermission) ||
      isPermission(request.permission, codemieEnvironmentDeletePermission)
    ) {
      // A backend's own service credentials carry no user: they never change environments.
      if (!user) return { result: AuthorizeResult.DENY };
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user.info.ownershipEntityRefs,
        }),
      );
    }
    // The Kubernetes tab reads objects through the plugin's objects endpoint (allowed). Its
    // proxy (pod logs, deleting pods) would call the cluster with the portal's own Google
    // credentials — the ones that created the cluster — on any user's behalf.
    if (isPermission(request.permission, kubernetesProxyPermission)) {
      return { result: AuthorizeResult.DENY };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

/** Installs {@link CodemiePermissionPolicy} as the permission backend's policy. */
export const codemiePermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'codemie-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new CodemiePermissionPolicy());
      },
    });
  },
});
