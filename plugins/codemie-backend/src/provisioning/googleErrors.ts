/*
 * Reading the errors of Google's clients. gax clients (container, sql, secret manager…) carry a
 * gRPC `code`; Compute carries code 10 with `httpStatusCode` 409 for "already exists"; the DNS and
 * REST calls carry HTTP numbers in `code`.
 */

type GoogleLikeError = {
  code?: number | string;
  status?: number | string;
  httpStatusCode?: number;
  statusDetails?: { httpStatusCode?: number };
  response?: { status?: number };
  message?: string;
  reason?: string;
  errors?: Array<{ reason?: string; message?: string }>;
};

function fields(e: unknown): GoogleLikeError {
  return (e ?? {}) as GoogleLikeError;
}

/** The HTTP status behind an error, when the client kept it. */
export function httpStatusOf(e: unknown): number | undefined {
  const f = fields(e);
  const candidates = [
    f.httpStatusCode,
    f.statusDetails?.httpStatusCode,
    f.response?.status,
    typeof f.status === 'number' ? f.status : undefined,
    typeof f.code === 'number' && f.code >= 100 ? f.code : undefined,
  ];
  return candidates.find(c => typeof c === 'number');
}

function grpcCodeOf(e: unknown): number | undefined {
  const code = fields(e).code;
  return typeof code === 'number' && code < 100 ? code : undefined;
}

function messageOf(e: unknown): string {
  return String(fields(e).message ?? e);
}

/** 409 ALREADY_EXISTS in any client's dialect. */
export function isAlreadyExists(e: unknown): boolean {
  const grpc = grpcCodeOf(e);
  return (
    grpc === 6 ||
    httpStatusOf(e) === 409 ||
    (grpc === 10 && /already exists/i.test(messageOf(e)))
  );
}

/** 404 NOT_FOUND in any client's dialect. */
export function isNotFound(e: unknown): boolean {
  return grpcCodeOf(e) === 5 || httpStatusOf(e) === 404;
}

/** A quota error: 403 with a quota message, RESOURCE_EXHAUSTED quota, or a failed operation naming a quota. */
export function isQuotaError(e: unknown): boolean {
  const message = messageOf(e);
  return /quota/i.test(message) && !/rate ?limit/i.test(message);
}

/** A permission error. */
export function isPermissionError(e: unknown): boolean {
  return (
    !isQuotaError(e) &&
    (grpcCodeOf(e) === 7 ||
      httpStatusOf(e) === 403 ||
      /permission/i.test(messageOf(e))) &&
    !/SERVICE_DISABLED|has not been used|is disabled/i.test(messageOf(e))
  );
}

/**
 * Errors worth retrying: 429, 503, UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, rate limits, and
 * "an operation is already running on this resource" (code 9 / 400 "currently …").
 */
export function isTransient(e: unknown): boolean {
  if (isQuotaError(e)) return false;
  const grpc = grpcCodeOf(e);
  const http = httpStatusOf(e);
  const message = messageOf(e);
  if (
    grpc === 14 ||
    grpc === 4 ||
    (grpc === 10 && !/already exists/i.test(message))
  )
    return true;
  if (http === 429 || http === 503 || http === 502 || http === 504) return true;
  if (grpc === 8 && /rate/i.test(message)) return true;
  if (
    (grpc === 9 || http === 400) &&
    /currently|operation .* in progress|is not ready/i.test(message)
  ) {
    return true;
  }
  // A service account just created is not visible to IAM policies for a few seconds.
  if (/Service account .* does not exist/i.test(message) && (http === 400 || grpc === 3)) {
    return true;
  }
  // IAM policy read-modify-write raced another writer: the whole cycle is retried.
  if (
    /concurrent policy changes|etag/i.test(message) &&
    (http === 409 || grpc === 10 || fields(e).status === 'ABORTED')
  ) {
    return true;
  }
  return /ECONNRESET|ETIMEDOUT|socket hang up/i.test(message);
}

/**
 * A message for the task log that names what failed and how to fix it, for the errors that a
 * platform engineer can act on (quota, permission, disabled API).
 */
export function explainGoogleError(
  what: string,
  e: unknown,
  projectId: string,
): string {
  const message = messageOf(e);
  if (isQuotaError(e)) {
    const quota =
      /Quota '([A-Z0-9_]+)'/.exec(message)?.[1] ??
      /resource "([A-Z0-9_]+)"/.exec(message)?.[1] ??
      /quota(?: metric)? '?([A-Z][A-Z0-9_]{2,})'?/.exec(message)?.[1];
    return (
      `${what}: quota exceeded${quota ? ` (${quota})` : ''}: ${message}. ` +
      `Request more at https://console.cloud.google.com/iam-admin/quotas?project=${projectId}` +
      `${quota ? `&metric=${encodeURIComponent(quota)}` : ''}, or choose a smaller tier or another region, then retry the task.`
    );
  }
  if (/SERVICE_DISABLED|has not been used|is disabled/i.test(message)) {
    return `${what}: an API is not enabled in ${projectId}: ${message}. Enable it (the provisioning enables the APIs it needs when its credentials may) and retry.`;
  }
  if (isPermissionError(e)) {
    return (
      `${what}: permission denied: ${message}. The portal's Google credentials need roles/owner on ${projectId}, ` +
      `or roles/container.admin, roles/compute.admin, roles/cloudsql.admin, roles/dns.admin, roles/secretmanager.admin, ` +
      `roles/iam.serviceAccountAdmin, roles/resourcemanager.projectIamAdmin, roles/servicenetworking.networksAdmin and roles/serviceusage.serviceUsageAdmin.`
    );
  }
  return `${what}: ${message}`;
}
