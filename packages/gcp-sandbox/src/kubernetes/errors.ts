/**
 * Kubernetes `Status` errors. Every failure the emulated API server returns is one of these,
 * serialized the way a real API server does, so clients (and their error handling) see what
 * they would see against GKE.
 */

/** The `reason` values the sandbox uses (a subset of metav1.StatusReason). */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'ServiceUnavailable'
  | 'InternalError'
  | 'Timeout'
  | 'Unknown';

/** `details` of a Status. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: Array<{
    reason?: string;
    message: string;
    field?: string;
    type?: string;
  }>;
}

/** A Kubernetes `Status` object (kind Status, apiVersion v1). */
export interface KubernetesStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message?: string;
  reason?: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error the API server answers with a Status body and HTTP `code`. */
export class KubeError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'KubeError';
  }

  toStatus(): KubernetesStatus {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** The Status reason a real API server uses for an HTTP code (for injected faults). */
export function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 409:
      return 'Conflict';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'Timeout';
    default:
      return code >= 500 ? 'InternalError' : 'Unknown';
  }
}

/** `deployments.apps` style qualified resource name used in messages. */
export function qualified(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export function notFound(
  plural: string,
  group: string,
  name: string,
): KubeError {
  return new KubeError(
    404,
    'NotFound',
    `${qualified(plural, group)} "${name}" not found`,
    {
      name,
      group,
      kind: plural,
    },
  );
}

export function alreadyExists(
  plural: string,
  group: string,
  name: string,
): KubeError {
  return new KubeError(
    409,
    'AlreadyExists',
    `${qualified(plural, group)} "${name}" already exists`,
    {
      name,
      group,
      kind: plural,
    },
  );
}

export function conflict(
  plural: string,
  group: string,
  name: string,
  message?: string,
): KubeError {
  return new KubeError(
    409,
    'Conflict',
    message ??
      `Operation cannot be fulfilled on ${qualified(plural, group)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: plural },
  );
}

/** A 422 Invalid, with one cause per field error, in the API server's message format. */
export function invalid(
  kind: string,
  group: string,
  name: string,
  causes: Array<{ field: string; message: string; reason?: string }>,
): KubeError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = causes.map(c => `${c.field}: ${c.message}`);
  const message =
    list.length === 1
      ? `${qualifiedKind} "${name}" is invalid: ${list[0]}`
      : `${qualifiedKind} "${name}" is invalid: [${list.join(', ')}]`;
  return new KubeError(422, 'Invalid', message, {
    name,
    group,
    kind,
    causes: causes.map(c => ({
      reason: c.reason ?? 'FieldValueInvalid',
      message: c.message,
      field: c.field,
    })),
  });
}

export function badRequest(message: string): KubeError {
  return new KubeError(400, 'BadRequest', message);
}
