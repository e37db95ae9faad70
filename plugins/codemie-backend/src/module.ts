import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { codemieStoreServiceRef } from './database/codemieStoreServiceRef';
import { readCodemieConfig } from './config/readCodemieConfig';
import { GoogleClients } from './gcp/GoogleClients';
import { createCodemieActions } from './actions';

/**
 * Registers the CodeMie scaffolder actions (`codemie:plan`, `codemie:gcp:provision`,
 * `codemie:deploy`, `codemie:environment:register`, `codemie:gcp:destroy`) with the scaffolder.
 * They authorize with the task's user credentials (`codemie.environment.*` permissions).
 *
 * @public
 */
export const codemieScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'codemie',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolderActions: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        store: codemieStoreServiceRef,
        permissions: coreServices.permissions,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolderActions,
        config,
        store,
        permissions,
        auth,
        catalog,
      }) {
        readCodemieConfig(config);
        const google = GoogleClients.fromConfig(config);
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
