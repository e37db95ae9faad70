import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { CodemieStore } from '../database/CodemieStore';
import type { StatusService } from '../status/StatusService';
import { PriceTable } from '@codemie-gcp/plugin-codemie-common';
import { previewPlan } from './previewPlan';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  store: CodemieStore;
  /** The status API; without it only /health is served. */
  status?: StatusService;
  httpAuth?: HttpAuthService;
  /** Prices with app-config overrides, for the sizing preview. */
  prices?: PriceTable;
}

/**
 * Builds the plugin's HTTP router.
 *
 * - `GET /health`
 * - `GET /v1/entities/:kind/:namespace/:name/status` → `EnvironmentStatus`
 * - `GET /v1/entities/:kind/:namespace/:name/history?window=7d` → `UsageHistory`
 * - `POST /v1/plan/preview` → `PlanPreview` (the template's sizing and cost preview)
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, store, status, httpAuth, prices } = options;

  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    // Touch the database so "healthy" means the plugin can reach its own tables.
    await store.ping();
    res.json({ status: 'ok' });
  });

  if (prices && httpAuth) {
    router.post('/v1/plan/preview', async (req, res) => {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
      res.json(previewPlan(req.body, prices));
    });
  }

  if (status && httpAuth) {
    const environmentOf = async (req: express.Request) => {
      // Users and other backends (service tokens) alike; none → 401.
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { kind, namespace, name } = req.params;
      return status.authorizedEnvironment(
        { kind, namespace, name },
        credentials,
      );
    };

    router.get(
      '/v1/entities/:kind/:namespace/:name/status',
      async (req, res) => {
        const { environment } = await environmentOf(req);
        // Serialised once per cluster read, not per request.
        res
          .type('application/json')
          .send(await status.statusJsonOf(environment));
      },
    );

    router.get(
      '/v1/entities/:kind/:namespace/:name/history',
      async (req, res) => {
        const window = req.query.window ?? '7d';
        if (typeof window !== 'string')
          throw new InputError('window must be given once, e.g. ?window=7d');
        const { environment } = await environmentOf(req);
        res.json(await status.historyOf(environment, window));
      },
    );
  }

  logger.info('CodeMie router ready');
  return router;
}
