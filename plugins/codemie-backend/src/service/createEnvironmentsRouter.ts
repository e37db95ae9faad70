import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod/v3';
import {
  ENVIRONMENT_STATES,
  EnvironmentLockedError,
} from '@codemie-gcp/plugin-codemie-node';
import type { CodemieStore } from '../database/CodemieStore';

/** @internal */
export interface EnvironmentsRouterOptions {
  store: Pick<
    CodemieStore,
    | 'getEnvironment'
    | 'getEnvironmentByEntityRef'
    | 'listEnvironments'
    | 'claimForCreate'
    | 'updateEnvironment'
    | 'locks'
  >;
  httpAuth: HttpAuthService;
}

// Bounds keep a malformed call from writing unbounded rows; records are small JSON documents.
const ref = z.string().min(1).max(200);
const taskId = z.string().min(1).max(200);
const state = z.enum(ENVIRONMENT_STATES as [string, ...string[]]);
const spec = z
  .object({
    input: z
      .object({ projectId: z.string().min(1), name: z.string().min(1) })
      .passthrough(),
  })
  .passthrough();

const claimBody = z
  .object({
    request: z
      .object({
        taskId,
        userRef: z.string().min(1).max(300).optional(),
        input: z.record(z.unknown()),
        owner: z.string().min(1).max(300),
        resume: z.boolean(),
        mayUpdateExisting: z.boolean(),
      })
      .strict(),
    spec,
  })
  .strict();

const changeBody = z
  .object({
    environmentRef: ref,
    change: z
      .object({
        taskId,
        state,
        spec: spec.optional(),
        outputs: z.unknown().optional(),
        mergeOutputs: z.record(z.unknown()).optional(),
        lastError: z.string().max(10_000).optional(),
        takeOver: z.boolean().optional(),
      })
      .strict(),
  })
  .strict();

const leaseBody = z.object({ key: ref, holder: z.string().min(1).max(300) });
const tokenBody = z.object({ key: ref, token: z.string().min(1).max(100) });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new InputError(
      `${first.path.join('.') || '(body)'}: ${first.message}`,
    );
  }
  return result.data;
}

/**
 * The codemie plugin's internal API of environment records, for its own modules (scaffolder
 * actions, catalog provider) in whichever plugin they run: they reach the records over the wire
 * with their plugin's service token, never through the plugin's database. Users are refused.
 *
 * - `GET /internal/environments` → `EnvironmentRecord[]`
 * - `GET /internal/environments/record?environmentRef=` or `?entityRef=` → `{ record }` (null if none)
 * - `POST /internal/environments/claims` `{ request, spec }` → `EnvironmentClaim`
 * - `POST /internal/environments/changes` `{ environmentRef, change }` → record; 409
 *   (`ConflictError`) when the task does not hold it or the lifecycle refuses the move
 * - `POST /internal/environments/leases` `{ key, holder }` → `{ acquired, token, expiresAt,
 *   leaseSeconds }` or `{ acquired: false, holder, expiresAt }`
 * - `POST /internal/environments/leases/renew` `{ key, token }` → `{ renewed }`
 * - `POST /internal/environments/leases/release` `{ key, token }` → 204
 *
 * Errors are Backstage's error responses (`{ error: { name, message }, response }`), so the
 * client rethrows the same error classes.
 *
 * @internal
 */
export function createEnvironmentsRouter(
  options: EnvironmentsRouterOptions,
): express.Router {
  const { store, httpAuth } = options;
  const router = Router();
  router.use(express.json());

  // Only backend plugins of this installation (the modules' hosts); users and external callers
  // with static tokens are refused before a body is read.
  router.use(async (req, _res, next) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    if (!credentials.principal.subject.startsWith('plugin:')) {
      throw new NotAllowedError(
        'The internal environments API serves backend plugins only',
      );
    }
    next();
  });

  router.get('/', async (_req, res) => {
    res.json(await store.listEnvironments());
  });

  router.get('/record', async (req, res) => {
    const query = parse(
      z.union([
        z.object({ environmentRef: ref }).strict(),
        z.object({ entityRef: ref }).strict(),
      ]),
      req.query,
    );
    const record =
      'environmentRef' in query
        ? await store.getEnvironment(query.environmentRef)
        : await store.getEnvironmentByEntityRef(query.entityRef);
    // "No record" is an answer (as the store's `undefined`), not an error.
    res.json({ record: record ?? null });
  });

  router.post('/claims', async (req, res) => {
    const body = parse(claimBody, req.body);
    res.json(
      await store.claimForCreate({
        request: body.request as any,
        spec: body.spec as any,
      }),
    );
  });

  router.post('/changes', async (req, res) => {
    const body = parse(changeBody, req.body);
    res.json(
      await store.updateEnvironment(body.environmentRef, body.change as any),
    );
  });

  router.post('/leases', async (req, res) => {
    const { key, holder } = parse(leaseBody, req.body);
    try {
      const { token, expiresAt } = await store.locks.take(key, holder);
      res.json({
        acquired: true,
        token,
        expiresAt: expiresAt.toISOString(),
        leaseSeconds: store.locks.leaseSeconds,
      });
    } catch (e) {
      if (!(e instanceof EnvironmentLockedError)) throw e;
      // Held by another task: an answer, which the client throws as EnvironmentLockedError.
      res.json({
        acquired: false,
        holder: e.holder,
        expiresAt: e.expiresAt.toISOString(),
      });
    }
  });

  router.post('/leases/renew', async (req, res) => {
    const { key, token } = parse(tokenBody, req.body);
    res.json({ renewed: await store.locks.renew(key, token) });
  });

  router.post('/leases/release', async (req, res) => {
    const { key, token } = parse(tokenBody, req.body);
    await store.locks.release(key, token);
    res.status(204).end();
  });

  return router;
}
