import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
  codemieEnvironmentStoreServiceRef,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieEnvironmentProvider } from './catalog/CodemieEnvironmentProvider';

/**
 * Adds the CodeMie environments the portal provisioned to the catalog.
 *
 * @public
 */
export const catalogModuleCodemieEnvironments = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'codemie-environments',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        store: codemieEnvironmentStoreServiceRef,
        events: eventsServiceRef,
        scheduler: coreServices.scheduler,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async init({
        catalog,
        store,
        events,
        scheduler,
        config,
        logger,
        rootLifecycle,
      }) {
        const settings = readCodemieConfig(config).catalog;
        const provider = new CodemieEnvironmentProvider(store, logger, {
          defaultSystem: settings.defaultSystem,
        });
        catalog.addEntityProvider(provider);
        // The plugin announces changes (a registered environment shows at once); the scheduled
        // refresh below catches up with anything missed.
        await events.subscribe({
          id: 'codemie-environments-provider',
          topics: [CODEMIE_ENVIRONMENTS_CHANGED_TOPIC],
          onEvent: () => provider.onEnvironmentsChanged(),
        });
        // While the backend starts, no plugin's routes answer until every plugin has started
        // (Backstage answers 503), so the reads at connect and at the schedule's first run can
        // miss the records; once the whole backend has started, read them again.
        rootLifecycle.addStartupHook(() => provider.onEnvironmentsChanged());
        await scheduler.scheduleTask({
          id: 'codemie-environments-refresh',
          ...settings.schedule,
          fn: () => provider.refresh(),
        });
      },
    });
  },
});
