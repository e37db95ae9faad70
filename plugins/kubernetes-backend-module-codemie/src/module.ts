import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import {
  CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
  codemieEnvironmentStoreServiceRef,
  googleClientsServiceRef,
} from '@codemie-gcp/plugin-codemie-node';
import {
  CodemieClusterAuth,
  CodemieClusterSupplier,
} from './CodemieClusterSupplier';

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
        const auth = (config.getOptionalString('codemie.kubernetes.auth') ??
          'portal') as CodemieClusterAuth;
        if (auth !== 'portal' && auth !== 'google') {
          throw new Error(
            `codemie.kubernetes.auth must be 'portal' or 'google', not '${auth}'`,
          );
        }
        const refreshKey = 'codemie.kubernetes.refreshInterval';
        const supplier = new CodemieClusterSupplier({
          store,
          google,
          logger,
          auth,
          ...(config.has(refreshKey)
            ? {
                refreshIntervalMs: durationToMilliseconds(
                  readDurationFromConfig(config, { key: refreshKey }),
                ),
              }
            : {}),
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
