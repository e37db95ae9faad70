import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { GoogleClients } from './GoogleClients';

/**
 * The one set of Google Cloud clients of a backend, shared by the codemie plugin and its
 * scaffolder module. The default factory builds real clients from `codemie.gcp` config
 * (Application Default Credentials, or `codemie.gcp.accessToken`); a backend may replace it, as
 * the local portal does with clients of its GCP sandbox.
 *
 * @public
 */
export const googleClientsServiceRef = createServiceRef<GoogleClients>({
  id: 'codemie.google-clients',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        rootLifecycle: coreServices.rootLifecycle,
      },
      factory({ config, rootLifecycle }) {
        const google = GoogleClients.fromConfig(config);
        rootLifecycle.addShutdownHook(() => google.close());
        return google;
      },
    }),
});
