import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import {
  CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
  codemieEnvironmentStoreServiceRef,
  googleClientsServiceRef,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieClusterSupplier } from './CodemieClusterSupplier';

/**
 * Gives Backstage's Kubernetes plugin the GKE cluster of every CodeMie environment (from the
 * codemie plugin's records), so the environment's entity page has the standard Kubernetes tab
 * without any cluster in app-config.
 *
 * @public
 */
export const kubernetesModuleCodemieClusters = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'codemie-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        store: codemieEnvironmentStoreServiceRef,
        google: googleClientsServiceRef,
        events: eventsServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ clusterSupplier, store, google, events, config, logger }) {
        // Checked at start-up with the rest of the codemie block.
        const settings = readCodemieConfig(config).kubernetes;
        const supplier = new CodemieClusterSupplier({
          store,
          google,
          logger,
          auth: settings.auth,
          refreshIntervalMs: settings.refreshIntervalMillis,
        });
        clusterSupplier.addClusterSupplier(supplier);
        // A new, resized or destroyed environment shows on its next request.
        await events.subscribe({
          id: 'codemie-kubernetes-clusters',
          topics: [CODEMIE_ENVIRONMENTS_CHANGED_TOPIC],
          onEvent: async () => supplier.invalidate(),
        });
      },
    });
  },
});
