import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { CodemieStore } from '../database/CodemieStore';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  store: CodemieStore;
}

/**
 * Builds the plugin's HTTP router.
 *
 * @internal
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, store } = options;

  const router = Router();
  router.use(express.json());

  router.get('/health', async (_req, res) => {
    // Touch the database so "healthy" means the plugin can reach its own tables.
    await store.ping();
    res.json({ status: 'ok' });
  });

  logger.info('CodeMie router ready');
  return router;
}
