/**
 * Domain-level faults: quota exhaustion and operations that end in error. (Transport-level faults,
 * i.e. HTTP errors and latency per call, are in core/FaultInjector.)
 */

/**
 * Services whose long-running operations can be made to fail.
 *
 * @public
 */
export type OperationService =
  'container' | 'compute' | 'sqladmin' | 'servicenetworking' | 'serviceusage';

/**
 * Makes the next matching long-running operation end DONE with an error.
 *
 * @public
 */
export interface OperationFaultRule {
  /** The API whose operation fails. */
  service: OperationService;
  /**
   * Operation type as the API names it: GKE `CREATE_CLUSTER`, `CREATE_NODE_POOL`, `DELETE_CLUSTER`…;
   * Compute `insert`, `delete`; Cloud SQL `CREATE`, `CREATE_DATABASE`, `CREATE_USER`, `DELETE`…
   */
  operationType?: string;
  /** Substring of the target resource's name or path, e.g. the cluster name. */
  target?: string;
  /**
   * The error: for GKE a google.rpc code (number, default 13 INTERNAL) or status name; for Compute
   * the `errors[].code` string (default `RESOURCE_OPERATION_RATE_EXCEEDED`); for Cloud SQL the
   * operation error code (default `INTERNAL_ERROR`).
   */
  code?: number | string;
  /** The error message. */
  message?: string;
  /** How many operations to fail; default 1. */
  times?: number;
}

/**
 * Makes creations in a service fail for quota.
 *
 * @public
 */
export interface QuotaRule {
  /** The API whose quota is exceeded. */
  service: 'container' | 'compute' | 'sqladmin';
  /** Quota metric, e.g. `CPUS`, `IN_USE_ADDRESSES`, `SSD_TOTAL_GB`; default `CPUS`. */
  metric?: string;
  /** Only in this region (clusters and instances in its zones count). */
  region?: string;
  /**
   * `request` (default): the create call itself answers 403. `operation`: the create call is
   * accepted and its operation ends DONE with a quota error (and a GKE cluster in ERROR).
   */
  at?: 'request' | 'operation';
  /** The limit quoted in the message; default 24. */
  limit?: number;
  /** How many creations to fail; default: every one until removed. */
  times?: number;
}

interface Active<T> {
  rule: T;
  used: number;
}

function regionOf(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location)
    ? location.replace(/-[a-z]$/, '')
    : location;
}

/**
 * The registry of domain faults the emulated APIs consult.
 *
 * @public
 */
export class DomainFaults {
  private operationRules: Active<OperationFaultRule>[] = [];
  private quotaRules: Active<QuotaRule>[] = [];

  /** Adds an operation fault; returns a function that removes it. */
  failOperation(rule: OperationFaultRule): () => void {
    const active = { rule, used: 0 };
    this.operationRules.push(active);
    return () => {
      this.operationRules = this.operationRules.filter(r => r !== active);
    };
  }

  /** Adds a quota rule; returns a function that removes it. */
  exceedQuota(rule: QuotaRule): () => void {
    const active = { rule, used: 0 };
    this.quotaRules.push(active);
    return () => {
      this.quotaRules = this.quotaRules.filter(r => r !== active);
    };
  }

  /** Removes every domain fault. */
  clear(): void {
    this.operationRules = [];
    this.quotaRules = [];
  }

  /** Consumes and returns the operation fault for this operation, if any. */
  takeOperationFault(
    service: OperationService,
    operationType: string,
    target: string,
  ): OperationFaultRule | undefined {
    const active = this.operationRules.find(
      ({ rule, used }) =>
        rule.service === service &&
        (!rule.operationType || rule.operationType === operationType) &&
        (!rule.target || target.includes(rule.target)) &&
        used < (rule.times ?? 1),
    );
    if (!active) return undefined;
    active.used += 1;
    return active.rule;
  }

  /** Consumes and returns the quota rule hit by a creation at `at`, if any. */
  takeQuota(
    service: QuotaRule['service'],
    location: string,
    at: 'request' | 'operation',
  ):
    | (Required<Pick<QuotaRule, 'metric' | 'limit'>> & { region: string })
    | undefined {
    const region = regionOf(location);
    const active = this.quotaRules.find(
      ({ rule, used }) =>
        rule.service === service &&
        (rule.at ?? 'request') === at &&
        (!rule.region || rule.region === region) &&
        used < (rule.times ?? Infinity),
    );
    if (!active) return undefined;
    active.used += 1;
    return {
      metric: active.rule.metric ?? 'CPUS',
      limit: active.rule.limit ?? 24,
      region,
    };
  }
}
