/*
 * Reading the errors of Google's clients by their structured fields only: the HTTP status, the
 * google.rpc code, the canonical status name, `google.rpc.ErrorInfo` details (reason, metadata),
 * the older APIs' `errors[].reason`, and the codes of failed operations. Never by searching the
 * message, which quotes user-chosen names (an environment called "fquota" once turned an IAM
 * propagation error into "quota exceeded"). Google's error model:
 * https://cloud.google.com/apis/design/errors, https://google.aip.dev/193.
 *
 * Dialects: gax clients (GKE, Cloud SQL, Compute, Secret Manager…) carry the gRPC `code`, the
 * `httpStatusCode` and ErrorInfo as `reason`/`domain`/`errorInfoMetadata`; googleapis/gaxios
 * (IAM, plain REST) carry `response.status` and the JSON body; @google-cloud/dns carries the HTTP
 * status in `code` and `errors[]`; resource-manager/service-usage (gax 5) put the body in
 * `response.data` as a string.
 */

/**
 * The structured facts of a Google error.
 *
 * @public
 */
export interface GoogleErrorFacts {
  /** HTTP status. */
  http?: number;
  /** google.rpc.Code. */
  grpc?: number;
  /** Canonical status name, e.g. RESOURCE_EXHAUSTED (ESF APIs). */
  status?: string;
  /** ErrorInfo reasons, legacy `errors[].reason`, failed operations' error codes. */
  reasons: string[];
  /** ErrorInfo metadata merged (e.g. quota_metric, service). */
  metadata: Record<string, string>;
  /** The error message. */
  message: string;
}

/** google.rpc.Code by canonical name. */
const RPC: Record<string, number> = {
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

/** ErrorInfo / legacy reasons that mean a quota is used up: retrying does not help. */
const QUOTA_REASONS = new Set([
  'RESOURCE_QUOTA_EXCEEDED', // google.api.ErrorReason
  'quotaExceeded', // legacy APIs (Compute, Cloud SQL, DNS)
  'QUOTA_EXCEEDED', // failed Compute / Cloud SQL operations
  'GCE_QUOTA_EXCEEDED', // GKE StatusCondition.Code
]);
/** GKE StatusCondition.Code numbers (container v1 protos) read here. */
const CONDITION_CODES: Record<number, string> = {
  1: 'GCE_STOCKOUT',
  3: 'GCE_QUOTA_EXCEEDED',
};

/** Reasons that mean "too many requests for now": retried with backoff. */
const RATE_LIMIT_REASONS = new Set([
  'RATE_LIMIT_EXCEEDED',
  'rateLimitExceeded',
  'userRateLimitExceeded',
]);
const SERVICE_DISABLED_REASONS = new Set([
  'SERVICE_DISABLED',
  'accessNotConfigured',
]);

/** Node's network error codes worth a retry. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'EAI_AGAIN',
  'EPIPE',
]);

function parseJson(value: unknown): any {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isErrorInfo(detail: any): boolean {
  const type = String(detail?.['@type'] ?? detail?.type ?? '');
  return (
    type.endsWith('google.rpc.ErrorInfo') ||
    (!type && 'reason' in (detail ?? {}) && 'domain' in (detail ?? {}))
  );
}

/**
 * The structured facts of any Google client's error (or of a failed operation, see below).
 *
 * @public
 */
export function googleErrorFacts(e: unknown): GoogleErrorFacts {
  const f = (e ?? {}) as any;
  const body =
    parseJson(f.response?.data)?.error ??
    (typeof f.message === 'string' && f.message.startsWith('{')
      ? parseJson(f.message)?.error
      : undefined);
  const http = [
    f.httpStatusCode,
    f.response?.status,
    typeof f.status === 'number' ? f.status : undefined,
    typeof f.code === 'number' && f.code >= 100 ? f.code : undefined,
    typeof body?.code === 'number' ? body.code : undefined,
  ].find(c => typeof c === 'number') as number | undefined;
  let status: string | undefined;
  if (typeof body?.status === 'string') status = body.status;
  else if (typeof f.status === 'string' && f.status in RPC) status = f.status;
  let grpc: number | undefined;
  if (typeof f.code === 'number' && f.code < 100) grpc = f.code;
  else if (status) grpc = RPC[status];
  const reasons: string[] = [];
  const metadata: Record<string, string> = {};
  const addInfo = (info: any) => {
    if (info?.reason) reasons.push(String(info.reason));
    Object.assign(metadata, info?.metadata ?? info?.metadatas ?? {});
  };
  if (typeof f.reason === 'string') reasons.push(f.reason);
  Object.assign(metadata, f.errorInfoMetadata ?? {});
  for (const list of [f.errors, body?.errors]) {
    for (const item of Array.isArray(list) ? list : []) {
      if (item?.reason) reasons.push(String(item.reason));
    }
  }
  for (const list of [f.statusDetails, body?.details, f.details]) {
    for (const detail of Array.isArray(list) ? list : []) {
      if (isErrorInfo(detail)) addInfo(detail);
    }
  }
  for (const reason of Array.isArray(f.reasons) ? f.reasons : []) {
    reasons.push(String(reason));
  }
  if (typeof f.code === 'string' && NETWORK_CODES.has(f.code)) {
    reasons.push(f.code);
  }
  const message = String(body?.message ?? f.message ?? e);
  return { http, grpc, status, reasons, metadata, message };
}

/**
 * An error standing for a failed long-running operation, carrying the operation's own codes as
 * reasons (Compute `QUOTA_EXCEEDED`, Cloud SQL codes, GKE condition codes) and its rpc code.
 *
 * @public
 */
export class OperationError extends Error {
  constructor(
    message: string,
    /** The operation's error codes (e.g. `QUOTA_EXCEEDED`). */
    readonly reasons: string[],
    /** The operation's google.rpc code, when it gives one. */
    readonly code?: number,
    /** The quota metric that was exceeded, when the error names one. */
    readonly quotaMetric?: string,
  ) {
    super(message);
    this.name = 'OperationError';
  }
}

/**
 * A failed Compute or Cloud SQL operation's `error.errors[]` (each
 * `{ code, message, errorDetails? }`) as an {@link OperationError}.
 *
 * @public
 */
export function operationErrorOf(errors: any[]): OperationError {
  const quotaMetric = errors
    .flatMap((e: any) => e?.errorDetails ?? [])
    .map((d: any) => d?.quotaInfo?.metricName)
    .find(Boolean);
  const infoReasons = errors
    .flatMap((e: any) => e?.errorDetails ?? [])
    .map((d: any) => d?.errorInfo?.reason)
    .filter(Boolean);
  return new OperationError(
    errors.map((e: any) => `${e.code}: ${e.message}`).join('; '),
    [...errors.map((e: any) => String(e.code)), ...infoReasons],
    undefined,
    quotaMetric,
  );
}

/**
 * A failed GKE operation (`error` is a google.rpc.Status; `clusterConditions` and
 * `nodepoolConditions` carry codes such as GCE_QUOTA_EXCEEDED) as an {@link OperationError}.
 *
 * @public
 */
export function gkeOperationError(operation: any): OperationError {
  const conditions = [
    ...(operation.clusterConditions ?? []),
    ...(operation.nodepoolConditions ?? []),
  ];
  const codes = conditions
    .map((c: any) => c.code)
    .filter((c: unknown) => typeof c === 'string' && c !== 'UNKNOWN');
  // GKE StatusCondition.Code by number (container v1 protos): 3 = GCE_QUOTA_EXCEEDED.
  const numbered = conditions
    .map((c: any) => CONDITION_CODES[c.code as number])
    .filter(Boolean) as string[];
  const code =
    typeof operation.error?.code === 'number'
      ? operation.error.code
      : undefined;
  return new OperationError(
    operation.error?.message ?? operation.statusMessage ?? `code ${code}`,
    [...codes, ...numbered],
    code,
  );
}

/**
 * 409 ALREADY_EXISTS in any client's dialect.
 *
 * @public
 */
export function isAlreadyExists(e: unknown): boolean {
  const f = googleErrorFacts(e);
  return (
    f.grpc === 6 ||
    f.status === 'ALREADY_EXISTS' ||
    f.reasons.includes('alreadyExists') ||
    (f.http === 409 && f.status !== 'ABORTED')
  );
}

/**
 * 404 NOT_FOUND in any client's dialect.
 *
 * @public
 */
export function isNotFound(e: unknown): boolean {
  const f = googleErrorFacts(e);
  return f.grpc === 5 || f.http === 404;
}

/**
 * An API not enabled in the project (ErrorInfo reason SERVICE_DISABLED).
 *
 * @public
 */
export function isServiceDisabled(e: unknown): boolean {
  return googleErrorFacts(e).reasons.some(r => SERVICE_DISABLED_REASONS.has(r));
}

/**
 * GKE answers a request that its quota pre-check refuses with 403 PERMISSION_DENIED and no
 * structured detail, e.g. `Insufficient regional quota to satisfy request: resource "CPUS": …`
 * (seen in hashicorp/terraform-provider-google and kubeflow issue reports). Only Google's fixed
 * opening words are read — anchored at the start, before any user-chosen name.
 */
const GKE_QUOTA_PREFIX =
  /^(\(1\) )?insufficient (regional|project|zonal) quota to satisfy request/i;

/**
 * A quota is used up: fail fast and say which quota.
 *
 * @public
 */
export function isQuotaError(e: unknown): boolean {
  const f = googleErrorFacts(e);
  if (f.reasons.some(r => QUOTA_REASONS.has(r))) return true;
  // A long-running operation that ended RESOURCE_EXHAUSTED ran out of a quota (GKE).
  if (e instanceof OperationError && e.code === 8) return true;
  return (f.http === 403 || f.grpc === 7) && GKE_QUOTA_PREFIX.test(f.message);
}

/**
 * Permission denied (and not a quota or a disabled API).
 *
 * @public
 */
export function isPermissionError(e: unknown): boolean {
  const f = googleErrorFacts(e);
  return (
    (f.grpc === 7 || f.http === 403) &&
    !isQuotaError(e) &&
    !isServiceDisabled(e) &&
    !f.reasons.some(r => RATE_LIMIT_REASONS.has(r))
  );
}

/**
 * Errors worth retrying: rate limits (429 — including Google's default "Resource has been
 * exhausted (e.g. check quota)" — and rate-limit reasons), 500/502/503/504, UNAVAILABLE,
 * DEADLINE_EXCEEDED, ABORTED and 409 conflicts (etag races, Cloud SQL "another operation is in
 * progress"), GKE's FAILED_PRECONDITION "an operation is running on the cluster", and
 * connection resets. Never a used-up quota.
 *
 * @public
 */
export function isTransient(e: unknown): boolean {
  const f = googleErrorFacts(e);
  if (isQuotaError(e)) return false;
  if (f.reasons.some(r => RATE_LIMIT_REASONS.has(r) || NETWORK_CODES.has(r)))
    return true;
  if (f.http !== undefined && [429, 500, 502, 503, 504].includes(f.http))
    return true;
  if (f.grpc !== undefined && [4, 8, 10, 14].includes(f.grpc) && f.http !== 409)
    return true;
  // 409 that is not "already exists": an etag race or an operation already running.
  if (
    f.http === 409 &&
    (f.status === 'ABORTED' || !f.status) &&
    !f.reasons.includes('alreadyExists')
  )
    return true;
  return isClusterBusy(e);
}

/**
 * GKE's "an operation is already running on this cluster" (400 FAILED_PRECONDITION,
 * https://cloud.google.com/kubernetes-engine/docs/troubleshooting): wait for that operation.
 *
 * @public
 */
export function isClusterBusy(e: unknown): boolean {
  const f = googleErrorFacts(e);
  return f.grpc === 9 && (f.http === 400 || f.http === undefined);
}

/** The quota's name from structured fields, or from Google's fixed message shapes. */
function quotaName(e: unknown, f: GoogleErrorFacts): string | undefined {
  if (e instanceof OperationError && e.quotaMetric) return e.quotaMetric;
  const fromInfo = f.metadata.quota_metric ?? f.metadata.quota_limit;
  if (fromInfo) return fromInfo;
  // Google's own wording, anchored: `Quota 'CPUS' exceeded` (Compute), `resource "CPUS"` (GKE).
  return (
    /^(?:[A-Z_]+: )?Quota '([A-Z0-9_]+)' exceeded/.exec(f.message)?.[1] ??
    (GKE_QUOTA_PREFIX.test(f.message)
      ? /^[^"]*resource "([A-Z0-9_]+)"/.exec(f.message)?.[1]
      : undefined)
  );
}

/**
 * A message for the task log that names what failed and how to fix it, for the errors that a
 * platform engineer can act on (quota, permission, disabled API).
 *
 * @public
 */
export function explainGoogleError(
  what: string,
  e: unknown,
  projectId: string,
): string {
  const f = googleErrorFacts(e);
  const message = f.message;
  if (isQuotaError(e)) {
    const quota = quotaName(e, f);
    return (
      `${what}: quota exceeded${quota ? ` (${quota})` : ''}: ${message}. ` +
      `Request more at https://console.cloud.google.com/iam-admin/quotas?project=${projectId}` +
      `${quota ? `&metric=${encodeURIComponent(quota)}` : ''}, or choose a smaller tier or another region, then retry the task.`
    );
  }
  if (isServiceDisabled(e)) {
    const service = f.metadata.service ?? f.metadata.serviceName;
    return `${what}: ${service ? `the API ${service} is` : 'an API is'} not enabled in ${projectId}: ${message}. Enable it (the provisioning enables the APIs it needs when its credentials may) and retry.`;
  }
  if (isPermissionError(e)) {
    return (
      `${what}: permission denied: ${message}. The portal's Google credentials need roles/owner on ${projectId}, ` +
      `or roles/container.admin, roles/compute.admin, roles/cloudsql.admin, roles/dns.admin, roles/secretmanager.admin, ` +
      `roles/iam.serviceAccountAdmin, roles/iam.serviceAccountUser, roles/resourcemanager.projectIamAdmin, roles/iap.admin, ` +
      `roles/servicenetworking.networksAdmin and roles/serviceusage.serviceUsageAdmin.`
    );
  }
  return `${what}: ${message}`;
}
