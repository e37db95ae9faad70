import {
  coreServices,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { CodemieStore } from './CodemieStore';

/**
 * The codemie plugin's tables, shared by the plugin itself, its scaffolder module (which would
 * otherwise get the scaffolder's database) and its catalog module (the catalog's). The store
 * always lives in the `codemie` plugin database (`backend.database.plugin.codemie` config
 * applies), so every part reads and writes the same rows, also across backend replicas.
 *
 * @public
 */
export const codemieStoreServiceRef = createServiceRef<CodemieStore>({
  id: 'codemie.store',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        rootLogger: coreServices.rootLogger,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, rootLogger, rootLifecycle }) {
        const database = DatabaseManager.fromConfig(config, {
          rootLogger,
          rootLifecycle,
        }).forPlugin('codemie', {
          logger: rootLogger.child({ plugin: 'codemie' }),
          lifecycle: rootLifecycle,
        });
        return CodemieStore.create({ database });
      },
    }),
});
