import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { codemieStoreServiceRef } from './database/codemieStoreServiceRef';
import { GoogleClients } from './gcp/GoogleClients';
import { createCodemieActions } from './actions';

/**
 * Registers the CodeMie scaffolder actions (`codemie:plan`, `codemie:gcp:provision`,
 * `codemie:gcp:destroy`, `codemie:deploy`) with the scaffolder.
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
      },
      async init({ scaffolderActions, config, store }) {
        const google = GoogleClients.fromConfig(config);
        scaffolderActions.addActions(
          ...createCodemieActions({ config, google, store }),
        );
      },
    });
  },
});
