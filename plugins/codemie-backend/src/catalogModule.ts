import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { codemieStoreServiceRef } from './database/codemieStoreServiceRef';
import { readCodemieConfig } from './config/readCodemieConfig';
import { CodemieEnvironmentProvider } from './catalog/CodemieEnvironmentProvider';

/**
 * Adds the CodeMie environments the portal provisioned to the catalog.
 *
 * @public
 */
export const codemieCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'codemie-environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        store: codemieStoreServiceRef,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ catalog, store, scheduler, config, logger }) {
        const settings = readCodemieConfig(config).catalog;
        const provider = new CodemieEnvironmentProvider(store, logger, {
          defaultSystem: settings.defaultSystem,
        });
        catalog.addEntityProvider(provider);
        await scheduler.scheduleTask({
          id: 'codemie-environments-refresh',
          ...settings.schedule,
          fn: () => provider.refresh(),
        });
      },
    });
  },
});
