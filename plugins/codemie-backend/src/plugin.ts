import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { codemiePermissions } from '@codemie-gcp/plugin-codemie-common';
import { createRouter } from './service/router';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
  googleClientsServiceRef,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from './database/CodemieStore';
import { ClusterReader } from './status/ClusterReader';
import { StatusService } from './status/StatusService';
import { UsageSampler } from './history/UsageSampler';
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
        database: coreServices.database,
        events: eventsServiceRef,
        google: googleClientsServiceRef,
      },
      async init(deps) {
        const { logger, config, httpRouter, lifecycle } = deps;
        // Every codemie.* setting is checked before anything starts (a bad one stops the backend).
        const settings = readCodemieConfig(config);
        // The plugin's own database; its modules reach the records through its internal API.
        const store = await CodemieStore.create({ database: deps.database });
        // Tell the catalog module (and any other subscriber) that records changed, so a new
        // environment shows at once; its scheduled refresh covers a missed event.
        store.onEnvironmentsChanged(() => {
          deps.events
            .publish({
              topic: CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
              eventPayload: {},
            })
            .catch(e =>
              logger.warn(`Could not announce an environment change: ${e}`),
            );
        });
        const { status: statusSettings, prices } = settings;
        deps.permissionsRegistry.addPermissions(codemiePermissions);

        const history = store.usageHistory();
        const status = new StatusService({
          catalog: deps.catalog,
          permissions: deps.permissions,
          cache: deps.cache,
          records: store,
          externalProjects: statusSettings.externalProjects,
          reader: new ClusterReader(deps.google, {
            timeoutMs: statusSettings.timeoutMillis,
          }),
          history,
          logger,
          cacheSeconds: statusSettings.cacheTtlMillis / 1000,
          adviceWindowHours: statusSettings.adviceWindowMillis / 3_600_000,
          adviceOptions: {
            minHistoryHours: statusSettings.adviceMinHistoryMillis / 3_600_000,
          },
          maxHistoryHours: statusSettings.historyRetentionMillis / 3_600_000,
          // The entity page's cost is priced as the form's preview and the plan are.
          prices,
        });
        // A record change shows in the next status read: this process's writes at once, other
        // replicas' when their announcement arrives (else within RECORD_CACHE_SECONDS).
        store.onEnvironmentsChanged(() => status.forgetRecords());
        await deps.events.subscribe({
          id: 'codemie-status-records',
          topics: [CODEMIE_ENVIRONMENTS_CHANGED_TOPIC],
          onEvent: async () => status.forgetRecords(),
        });
        await new UsageSampler({
          catalog: deps.catalog,
          auth: deps.auth,
          status,
          store: history,
          logger,
          retentionDays: statusSettings.historyRetentionMillis / 86_400_000,
        }).schedule(deps.scheduler, statusSettings.sampling);

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
