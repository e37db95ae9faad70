import { ResponseError } from '@backstage/errors';

/**
 * What went wrong when reading an environment's status, in the terms the page shows.
 *
 * - `not-codemie`: 400 InputError — not a CodeMie environment, or annotations missing.
 * - `unauthorized`: 401 — the Backstage session is missing or expired.
 * - `forbidden`: 403 NotAllowedError — the user may not read this environment.
 * - `not-found`: 404 — the catalog does not know the entity (any more).
 * - `not-managed`: 409 — the entity is no environment this portal created (nor of an
 *   allow-listed project), so the backend will not read the cluster its annotations name.
 * - `unreachable`: 502/503/504 — the cluster or Google Cloud could not be reached,
 *   or the backend has no credentials for it.
 * - `other`: anything else (network errors, 500s).
 */
export type StatusErrorKind =
  | 'not-codemie'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'not-managed'
  | 'unreachable'
  | 'other';

export interface ClassifiedError {
  kind: StatusErrorKind;
  /** The server's own message (the cause), without the "Request failed with…" prefix. */
  message: string;
  statusCode?: number;
  error: Error;
}

export function classifyError(error: Error): ClassifiedError {
  if (!ResponseError.is(error)) {
    return { kind: 'other', message: error.message, error };
  }
  const statusCode = error.statusCode;
  const message = error.cause?.message || error.message;
  const name = error.cause?.name;
  let kind: StatusErrorKind = 'other';
  if (statusCode === 400 || name === 'InputError') kind = 'not-codemie';
  else if (statusCode === 401 || name === 'AuthenticationError')
    kind = 'unauthorized';
  else if (statusCode === 403 || name === 'NotAllowedError') kind = 'forbidden';
  else if (statusCode === 404 || name === 'NotFoundError') kind = 'not-found';
  else if (statusCode === 409 || name === 'ConflictError') kind = 'not-managed';
  else if (statusCode === 502 || statusCode === 503 || statusCode === 504)
    kind = 'unreachable';
  return { kind, message, statusCode, error };
}
