/**
 * Thrown inside a long-running operation's work to make the operation end DONE with an error
 * (not an HTTP error: the call that started the operation has already succeeded).
 */
export class OperationFailure extends Error {
  constructor(
    message: string,
    /** API-specific code: google.rpc code (GKE, LROs), `errors[].code` string (Compute, Cloud SQL). */
    readonly code: number | string,
    /** Compute's `httpErrorStatusCode`. */
    readonly httpStatus?: number,
    /** GKE `clusterConditions[].code`, e.g. GCE_QUOTA_EXCEEDED. */
    readonly condition?: string,
  ) {
    super(message);
    this.name = 'OperationFailure';
  }
}
