import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  codemieEnvironmentStoreServiceRef,
  googleClientsServiceRef,
  validateCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { createCodemieActions } from './actions';

/**
 * Registers the CodeMie scaffolder actions (`codemie:plan`, `codemie:gcp:provision`,
 * `codemie:deploy`, `codemie:environment:register`, `codemie:gcp:destroy`) with the scaffolder.
 * They authorize with the task's user credentials (`codemie.environment.*` permissions).
 *
 * @public
 */
export const scaffolderModuleCodemie = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'codemie',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        store: codemieEnvironmentStoreServiceRef,
        google: googleClientsServiceRef,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolderActions,
        config,
        store,
        google,
        permissions,
        auth,
        catalog,
      }) {
        validateCodemieConfig(config);
        scaffolderActions.addActions(
          ...createCodemieActions({
            config,
            google,
            store,
            permissions,
            auth,
            catalog,
          }),
        );
      },
    });
  },
});
