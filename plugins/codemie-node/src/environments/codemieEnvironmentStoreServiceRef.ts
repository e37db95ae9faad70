import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import type { CodemieEnvironmentStore } from './CodemieEnvironmentStore';
import { CodemieEnvironmentsClient } from './CodemieEnvironmentsClient';

/**
 * The codemie plugin's environment records, for the plugin's modules in other plugins (the
 * scaffolder's actions, the catalog's provider). The default is a
 * {@link CodemieEnvironmentsClient} of the plugin's internal HTTP API with this plugin's service
 * token: a module never opens the codemie plugin's database.
 *
 * @public
 */
export const codemieEnvironmentStoreServiceRef =
  createServiceRef<CodemieEnvironmentStore>({
    id: 'codemie.environment-store',
    scope: 'plugin',
    defaultFactory: async service =>
      createServiceFactory({
        service,
        deps: {
          discovery: coreServices.discovery,
          auth: coreServices.auth,
          lifecycle: coreServices.rootLifecycle,
          logger: coreServices.logger,
        },
        factory: ({ discovery, auth, lifecycle, logger }) =>
          new CodemieEnvironmentsClient({ discovery, auth, lifecycle, logger }),
      }),
  });
