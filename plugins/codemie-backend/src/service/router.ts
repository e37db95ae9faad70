import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  CommonValidatorFunctions,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { rateLimit } from 'express-rate-limit';
import {
  ENVIRONMENT_INPUT_PATTERNS,
  EnvironmentInputError,
  PlanningError,
  PriceTable,
  parseEnvironmentReference,
  planResize,
  resolveResize,
  validatePlanPreviewRequest,
} from '@codemie-gcp/plugin-codemie-common';
import { recordedImageVersion } from '@codemie-gcp/plugin-codemie-node';
import type { CodemieStore } from '../database/CodemieStore';
import type { StatusService } from '../status/StatusService';
import { PlanPreviewPool } from './PlanPreviewPool';
import { createEnvironmentsRouter } from './createEnvironmentsRouter';

/** @internal */
export interface RouterOptions {
  logger: LoggerService;
  store: CodemieStore;
  /** The status API; without it only /health is served. */
  status?: StatusService;
  httpAuth?: HttpAuthService;
  /** Prices with app-config overrides, for the sizing preview. */
  prices?: PriceTable;
  /** Sizing previews one user may ask for per minute (default 60: the form asks on every change). */
  previewsPerMinute?: number;
  /** Where previews are planned, off the event loop (default: a worker thread of its own). */
  previews?: Pick<PlanPreviewPool, 'preview'>;
}

/**
 * The entity the path names, checked before anything is looked up: a malformed kind, namespace
 * or name (encoded slashes, NUL, CR/LF, non-ASCII) is a 400 that says what is allowed.
 */
function entityPathOf(params: Record<string, string>) {
  const { kind, namespace, name } = params;
  if (!KubernetesValidatorFunctions.isValidObjectName(kind)) {
    throw new InputError(
      `'${printable(kind)}' is not an entity kind; CodeMie environments are /v1/entities/resource/<namespace>/<name>/…`,
    );
  }
  if (!CommonValidatorFunctions.isValidDnsLabel(namespace)) {
    throw new InputError(
      `'${printable(namespace)}' is not an entity namespace (lower-case letters, digits and dashes, at most 63)`,
    );
  }
  if (!KubernetesValidatorFunctions.isValidObjectName(name)) {
    throw new InputError(
      `'${printable(name)}' is not an entity name (letters, digits, '-', '_' and '.', at most 63)`,
    );
  }
  return { kind, namespace, name };
}

/**
 * Whether an `If-None-Match` header names `etag`: `*`, or a list of (possibly weak) tags, compared
 * weakly as RFC 9110 §13.1.2 asks (https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2).
 */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some(tag => tag.trim().replace(/^W\//, '') === etag);
}

/** A user-supplied value safe to echo: control characters escaped, at most 80 characters. */
function printable(value: string): string {
  const escaped = JSON.stringify(String(value)).slice(1, -1);
  return escaped.length > 80 ? `${escaped.slice(0, 80)}…` : escaped;
}

/**
 * Builds the plugin's HTTP router.
 *
 * - `GET /health`
 * - `GET /v1/entities/:kind/:namespace/:name/status` → `EnvironmentStatus`
 * - `GET /v1/entities/:kind/:namespace/:name/history?window=7d` → `UsageHistory`
 * - `POST /v1/plan/preview` → `PlanPreview` (the template's sizing and cost preview)
 * - `POST /v1/resize/preview` → `ResizePlan` (the resize form's plan diff of a recorded
 *   environment: components, node pool, cost before → after)
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
    const previews = options.previews ?? new PlanPreviewPool({ prices });
    // Planning is bounded by the input contract; the limit keeps one user (or a script) from
    // taking the backend's CPU with a stream of previews.
    const previewLimit = rateLimit({
      windowMs: 60_000,
      limit: options.previewsPerMinute ?? 60,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: req => String((req as any).codemieCaller),
      handler: (_req, res) => {
        res.status(429).json({
          error: {
            name: 'TooManyRequestsError',
            message: `Too many sizing previews: at most ${options.previewsPerMinute ?? 60} a minute per user; wait a moment and try again`,
          },
        });
      },
    });
    router.post(
      '/v1/plan/preview',
      async (req, _res, next) => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user', 'service'],
        });
        (req as any).codemieCaller =
          'userEntityRef' in credentials.principal
            ? credentials.principal.userEntityRef
            : credentials.principal.subject;
        next();
      },
      previewLimit,
      async (req, res) => {
        let request;
        try {
          request = validatePlanPreviewRequest(req.body);
        } catch (e) {
          if (e instanceof EnvironmentInputError)
            throw new InputError(e.message);
          throw e;
        }
        res.json(await previews.preview(request));
      },
    );
    // The resize form's diff against the record, as codemie:resize will log it (pure planning:
    // no cluster is read; volumes larger than the record says are found by the action).
    router.post(
      '/v1/resize/preview',
      async (req, _res, next) => {
        const credentials = await httpAuth.credentials(req, {
          allow: ['user', 'service'],
        });
        (req as any).codemieCaller =
          'userEntityRef' in credentials.principal
            ? credentials.principal.userEntityRef
            : credentials.principal.subject;
        next();
      },
      previewLimit,
      async (req, res) => {
        const { environment, ...request } = (req.body ?? {}) as Record<
          string,
          unknown
        >;
        const parsed =
          typeof environment === 'string'
            ? parseEnvironmentReference(environment)
            : undefined;
        if (!parsed) {
          throw new InputError(
            `environment: '${printable(String(environment))}' is not an environment reference; give '<project id>/<name>' or 'resource:<project id>/<name>'`,
          );
        }
        const record = await store.getEnvironment(
          `${parsed.projectId}/${parsed.name}`,
        );
        if (!record || record.state === 'gone') {
          throw new NotFoundError(
            `No CodeMie environment ${parsed.name} in project ${parsed.projectId}`,
          );
        }
        const recorded = (record.spec as { input: any }).input;
        try {
          res.json(
            planResize(recorded, resolveResize(recorded, request), {
              prices,
              currentImageVersion: recordedImageVersion(record.outputs),
            }),
          );
        } catch (e) {
          if (e instanceof EnvironmentInputError || e instanceof PlanningError)
            throw new InputError(e.message);
          throw e;
        }
      },
    );
  }

  if (httpAuth) {
    // The records for the plugin's modules (service tokens only): see createEnvironmentsRouter.
    router.use(
      '/internal/environments',
      createEnvironmentsRouter({ store, httpAuth }),
    );

    // Whether a name is free in a project: the create form asks before the user goes on.
    router.get('/v1/environments/:projectId/:name', async (req, res) => {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
      const { projectId, name } = req.params;
      for (const [field, value] of [
        ['projectId', projectId],
        ['name', name],
      ] as const) {
        const rule = ENVIRONMENT_INPUT_PATTERNS[field];
        if (!new RegExp(rule.pattern).test(value) || value.length > 30) {
          throw new InputError(
            `${field}: '${printable(value)}' is not allowed: ${rule.message}`,
          );
        }
      }
      // Always 200: "free" is an answer, not an error (the form asks on every "Next").
      const record = await store.getEnvironment(`${projectId}/${name}`);
      if (!record || record.state === 'gone') {
        res.json({ projectId, name, exists: false });
        return;
      }
      res.json({
        projectId,
        name,
        exists: true,
        entityRef: record.entityRef,
        owner: record.owner,
        ...(record.createdBy ? { createdBy: record.createdBy } : {}),
        state: record.state,
        updatedAt: record.updatedAt.toISOString(),
      });
    });
  }

  if (status && httpAuth) {
    const environmentOf = async (req: express.Request) => {
      // Users and other backends (service tokens) alike; none → 401.
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      // Access is checked before anything is answered — a 304 included — and a granted access
      // is reused for a few seconds (StatusService.environmentFor).
      return status.environmentFor(entityPathOf(req.params), credentials);
    };

    router.get(
      '/v1/entities/:kind/:namespace/:name/status',
      async (req, res) => {
        const environment = await environmentOf(req);
        // Serialised and hashed once per cluster read, not per request; Express does not hash
        // a body whose ETag is set.
        const body = await status.statusBodyOf(environment);
        // Revalidated on every poll, and never kept by a shared cache.
        res.set('Cache-Control', 'private, no-cache');
        res.set('ETag', body.etag);
        if (matchesEtag(req.get('if-none-match'), body.etag)) {
          res.status(304).end();
          return;
        }
        res.type('application/json').send(body.json);
      },
    );

    router.get(
      '/v1/entities/:kind/:namespace/:name/history',
      async (req, res) => {
        const window = req.query.window ?? '7d';
        if (typeof window !== 'string')
          throw new InputError('window must be given once, e.g. ?window=7d');
        const environment = await environmentOf(req);
        res.json(await status.historyOf(environment, window));
      },
    );
  }

  // A path that cannot be decoded (`%E0%A4%A`) is the caller's mistake, not a server error.
  router.use(
    (
      err: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if ((err as { type?: string })?.type === 'entity.parse.failed') {
        next(
          new InputError(
            '(body): is not a JSON object; send the request as application/json, e.g. {"region":"europe-west1","sizing":{…}}',
          ),
        );
      } else if (err instanceof URIError) {
        next(
          new InputError(
            'The request path is not valid percent-encoding; encode entity names with encodeURIComponent',
          ),
        );
      } else {
        next(err);
      }
    },
  );

  logger.info('CodeMie router ready');
  return router;
}
