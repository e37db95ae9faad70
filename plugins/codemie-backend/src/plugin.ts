import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createRouter } from './service/router';
import { codemieStoreServiceRef } from './database/codemieStoreServiceRef';

/**
 * The CodeMie backend plugin: serves `/api/codemie`.
 *
 * @public
 */
export const codemiePlugin = createBackendPlugin({
  pluginId: 'codemie',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        store: codemieStoreServiceRef,
      },
      async init({ logger, httpRouter, store }) {
        httpRouter.use(await createRouter({ logger, store }));
        // The health route is what load balancers and the portal's smoke test poll.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
