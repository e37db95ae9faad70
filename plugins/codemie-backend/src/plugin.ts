import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { codemiePermissions } from '@codemie-gcp/plugin-codemie-common';
import { createRouter } from './service/router';
import {
  codemieStoreServiceRef,
  googleClientsServiceRef,
  pricesFromConfig,
  validateCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { ClusterReader } from './status/ClusterReader';
import { StatusService } from './status/StatusService';
import { UsageSampler } from './history/UsageSampler';
import { readStatusConfig } from './status/config';
import { PlanPreviewPool } from './service/PlanPreviewPool';

/**
 * The CodeMie backend plugin: serves `/api/codemie` — health, and the status API of CodeMie
 * environments (`/v1/entities/{kind}/{namespace}/{name}/status` and `…/history`) — and samples
 * every environment's usage into its history.
 *
 * @public
 */
export const codemiePlugin = createBackendPlugin({
  pluginId: 'codemie',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        cache: coreServices.cache,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        store: codemieStoreServiceRef,
        google: googleClientsServiceRef,
      },
      async init(deps) {
        const { logger, config, httpRouter, store, lifecycle } = deps;
        // Every codemie.* setting is checked before anything starts (a bad one stops the backend).
        validateCodemieConfig(config);
        const settings = readStatusConfig(config);
        deps.permissionsRegistry.addPermissions(codemiePermissions);

        const history = store.usageHistory();
        const status = new StatusService({
          catalog: deps.catalog,
          permissions: deps.permissions,
          cache: deps.cache,
          records: store,
          externalProjects:
            config.getOptionalStringArray('codemie.status.externalProjects') ??
            [],
          reader: new ClusterReader(deps.google, {
            timeoutMs: settings.timeoutSeconds * 1000,
          }),
          history,
          logger,
          cacheSeconds: settings.cacheSeconds,
          adviceWindowHours: settings.adviceWindowDays * 24,
          adviceOptions: { minHistoryHours: settings.adviceMinHistoryHours },
          maxHistoryHours: settings.historyRetentionDays * 24,
        });
        await new UsageSampler({
          catalog: deps.catalog,
          auth: deps.auth,
          status,
          store: history,
          logger,
          retentionDays: settings.historyRetentionDays,
        }).schedule(
          deps.scheduler,
          settings.sampleIntervalMinutes,
          settings.sampleInitialDelaySeconds,
        );

        const prices = pricesFromConfig(config);
        const previews = new PlanPreviewPool({ prices });
        lifecycle.addShutdownHook(() => previews.close());
        httpRouter.use(
          await createRouter({
            logger,
            store,
            status,
            httpAuth: deps.httpAuth,
            prices,
            previews,
          }),
        );
        // The health route is what load balancers and the portal's smoke test poll.
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
