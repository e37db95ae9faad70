/**
 * Google's error bodies. Two families exist on the wire:
 *
 * - "ESF" APIs (GKE, Service Usage, Secret Manager, IAM, Resource Manager, Service Networking)
 *   answer `{ error: { code, message, status, details? } }`;
 * - the older "apiary" APIs (Compute, Cloud SQL Admin, Cloud DNS) answer
 *   `{ error: { code, message, errors: [{ message, domain, reason }] } }` without `status`,
 *   which is why the REST transport of the Google clients maps e.g. Compute's 409 to gRPC code 10
 *   (ABORTED, from the HTTP status) rather than 6 (ALREADY_EXISTS).
 *
 * Request-parsing failures ("Invalid JSON payload received…") come from Google's front end and
 * carry `status: INVALID_ARGUMENT` on both families.
 */

/** Canonical status names by HTTP status, as Google's front end pairs them. */
const STATUS_BY_HTTP: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  412: 'FAILED_PRECONDITION',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** gRPC canonical codes by name (google.rpc.Code). */
export const RPC_CODE: Record<string, number> = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/**
 * Which error body family an API uses.
 *
 * @public
 */
export type ErrorStyle = 'esf' | 'apiary';

/**
 * Fields of a Google error.
 *
 * @public
 */
export interface GoogleApiErrorInit {
  /** HTTP status. */
  httpStatus: number;
  /** The error message. */
  message: string;
  /** Canonical status name (ESF APIs); defaults from the HTTP status. */
  status?: string;
  /** apiary `errors[].reason`, e.g. alreadyExists, notFound, quotaExceeded, resourceNotReady. */
  reason?: string;
  /** apiary `errors[].domain`; default `global`. */
  domain?: string;
  /** `details[]` (google.rpc.* messages with `@type`). */
  details?: unknown[];
  /** Forces `status` to appear in an apiary body (front-end errors such as bad JSON). */
  withStatus?: boolean;
}

/**
 * An error the sandbox answers with, shaped like Google's. Throw it from a handler.
 *
 * @public
 */
export class GoogleApiError extends Error {
  /** HTTP status. */
  readonly httpStatus: number;
  /** Canonical status name, e.g. `NOT_FOUND`. */
  readonly status: string;
  /** apiary `errors[].reason`. */
  readonly reason?: string;
  /** apiary `errors[].domain`. */
  readonly domain: string;
  /** `details[]` (google.rpc.* messages). */
  readonly details?: unknown[];
  /** Whether `status` appears in an apiary body. */
  readonly withStatus: boolean;

  constructor(init: GoogleApiErrorInit) {
    super(init.message);
    this.name = 'GoogleApiError';
    this.httpStatus = init.httpStatus;
    this.status = init.status ?? STATUS_BY_HTTP[init.httpStatus] ?? 'UNKNOWN';
    this.reason = init.reason;
    this.domain = init.domain ?? 'global';
    this.details = init.details;
    this.withStatus = init.withStatus ?? false;
  }

  /** The JSON body in the given family's shape. */
  toBody(style: ErrorStyle): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = {
      code: this.httpStatus,
      message: this.message,
    };
    if (style === 'apiary') {
      error.errors = [
        {
          message: this.message,
          domain: this.domain,
          reason: this.reason ?? defaultReason(this.httpStatus),
        },
      ];
      if (this.withStatus) error.status = this.status;
    } else {
      error.status = this.status;
    }
    if (this.details?.length) error.details = this.details;
    return { error };
  }
}

function defaultReason(httpStatus: number): string {
  switch (httpStatus) {
    case 400:
      return 'invalid';
    case 403:
      return 'forbidden';
    case 404:
      return 'notFound';
    case 409:
      return 'conflict';
    case 412:
      return 'conditionNotMet';
    case 429:
      return 'rateLimitExceeded';
    case 503:
      return 'backendError';
    default:
      return 'backendError';
  }
}

/** Canonical status name for an HTTP status. */
export function statusForHttp(httpStatus: number): string {
  return STATUS_BY_HTTP[httpStatus] ?? 'UNKNOWN';
}

/** Shorthands for the errors the emulation raises most. */
export const errors = {
  invalid(
    message: string,
    extra?: Partial<GoogleApiErrorInit>,
  ): GoogleApiError {
    return new GoogleApiError({
      httpStatus: 400,
      message,
      reason: 'invalid',
      ...extra,
    });
  },
  notFound(
    message: string,
    extra?: Partial<GoogleApiErrorInit>,
  ): GoogleApiError {
    return new GoogleApiError({
      httpStatus: 404,
      message,
      reason: 'notFound',
      ...extra,
    });
  },
  alreadyExists(
    message: string,
    extra?: Partial<GoogleApiErrorInit>,
  ): GoogleApiError {
    return new GoogleApiError({
      httpStatus: 409,
      message,
      reason: 'alreadyExists',
      ...extra,
    });
  },
  failedPrecondition(
    message: string,
    extra?: Partial<GoogleApiErrorInit>,
  ): GoogleApiError {
    return new GoogleApiError({
      httpStatus: 400,
      status: 'FAILED_PRECONDITION',
      message,
      reason: 'failedPrecondition',
      ...extra,
    });
  },
};
