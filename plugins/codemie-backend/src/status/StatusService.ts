/**
 * The status of a CodeMie environment: entity → annotations → reads → build, cached for a short
 * window with concurrent requests for the same environment coalesced into one read.
 */
import { createHash } from 'node:crypto';
import {
  BackstageCredentials,
  CacheService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ANNOTATION_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CODEMIE_ANNOTATIONS,
  ClusterLocation,
  EnvironmentStatus,
  PriceTable,
  UsageHistory,
  codemieEnvironmentReadPermission,
  environmentLocationRef,
} from '@codemie-gcp/plugin-codemie-common';
import { adviseSizing, AdviceOptions } from './adviseSizing';
import { buildEnvironmentStatus } from './buildEnvironmentStatus';
import { ClassifyOptions, worse } from './classifyHealth';
import { ClusterReader } from './ClusterReader';
import { CostContext, environmentCostOf } from './costModel';
import {
  environmentFromEntity,
  isCodemieEnvironment,
} from './environmentFromEntity';
import { environmentFromRecord } from './environmentFromRecord';
import { lifecycleHealth, lifecycleProblems } from './lifecycleProblems';
import type { EnvironmentDescriptor, GkeClusterInfo } from './types';
import type { UsageHistoryStore } from '../database/UsageHistoryStore';
import type { CodemieStore } from '../database/CodemieStore';
import type { EnvironmentRecord } from '@codemie-gcp/plugin-codemie-node';

/** Options of {@link StatusService}. @internal */
export interface StatusServiceOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  cache: CacheService;
  /** The environment records: the source of what the status reads. */
  records: Pick<CodemieStore, 'getEnvironmentByEntityRef'>;
  /**
   * Projects whose environments were created elsewhere (not by this portal) and may be read
   * from their entities' annotations (`codemie.status.externalProjects`).
   */
  externalProjects?: string[];
  reader: Pick<ClusterReader, 'read'>;
  history?: UsageHistoryStore;
  logger: LoggerService;
  /** How long a read is served from the cache. */
  cacheSeconds: number;
  /**
   * How long one caller's access to one environment — the entity the catalog gave them and the
   * `codemie.environment.read` decision — is reused before it is checked again (default {@link ACCESS_CACHE_SECONDS}; 0 checks on every request).
   * Only granted access is kept: a refusal is never cached.
   */
  accessCacheSeconds?: number;
  /**
   * How long an environment record read is reused when nothing says it changed (default
   * {@link RECORD_CACHE_SECONDS}; 0 reads it on every request). Every record change of this
   * plugin calls {@link StatusService.forgetRecords}.
   */
  recordCacheSeconds?: number;
  /** The advice looks at this much history. */
  adviceWindowHours: number;
  adviceOptions?: Partial<AdviceOptions>;
  classify?: ClassifyOptions;
  /** The longest history window served (the retention). */
  maxHistoryHours: number;
  /** Prices of the cost and the advice (`codemie.prices` over the bundled table). */
  prices?: PriceTable;
  now?: () => number;
}

const WINDOW = /^(\d+)(h|d)$/;

/**
 * How long a caller's granted access to an environment is reused (seconds). A caller who loses
 * access — removed from the owning group, the entity deleted or hidden, the permission policy
 * changed — can read the status for at most this long after the last check.
 *
 * @internal
 */
export const ACCESS_CACHE_SECONDS = 10;

/**
 * How long an environment record read is reused (seconds) unless a change is announced first:
 * the bound for a change made on another replica whose announcement does not reach this one.
 *
 * @internal
 */
export const RECORD_CACHE_SECONDS = 5;

interface CacheEntry {
  status: EnvironmentStatus;
  /** The HTTP body: serialised once per read, not per request. */
  json: string;
  /** A strong ETag of `json` (a quoted hash), for `If-None-Match`. */
  etag: string;
  expiresAt: number;
}

/** The status as the HTTP route answers it. @internal */
export interface StatusBody {
  json: string;
  etag: string;
}

/** A caller's granted access to one environment's entity: the entity as they read it. */
interface AccessEntry {
  entity: Entity;
  expiresAt: number;
}

/**
 * Parses a history window such as `24h` or `7d`.
 *
 * @throws InputError for anything else or a window beyond `maxHours`.
 * @internal
 */
export function parseWindow(
  window: string,
  maxHours: number,
): { label: string; ms: number } {
  const m = WINDOW.exec(window);
  if (!m || Number(m[1]) <= 0) {
    throw new InputError(
      `window must be a number of hours or days such as 24h or 7d, got '${window}'`,
    );
  }
  const hours = Number(m[1]) * (m[2] === 'd' ? 24 : 1);
  if (hours > maxHours) {
    throw new InputError(
      `window ${window} is longer than the history kept (${maxHours / 24} days)`,
    );
  }
  return { label: window, ms: hours * 3_600_000 };
}

/**
 * Reads, caches and builds environment statuses; checks that the caller may read them.
 *
 * @internal
 */
export class StatusService {
  private readonly inflight = new Map<string, Promise<CacheEntry>>();
  private readonly local = new Map<string, CacheEntry>();
  private readonly access = new Map<string, AccessEntry>();
  private readonly records = new Map<
    string,
    { record: EnvironmentRecord | undefined; expiresAt: number }
  >();
  /** Counts record changes, so a read that raced a change is not kept. */
  private recordsGeneration = 0;
  private readonly now: () => number;

  constructor(private readonly options: StatusServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The environment `ref` names, if the caller may read its status — as
   * {@link StatusService.authorizedEntity}, but a granted access (the entity as the caller read
   * it) is reused for `accessCacheSeconds` (this process's memory, then the Backstage cache
   * service, so replicas share it). Within that window a status read costs no catalog read and
   * no permission request; after it, the caller is checked again. What the status is read from
   * comes from the environment's record, forgotten on every change (a create finishing, a
   * destroy starting), so a change shows at once.
   */
  async environmentFor(
    ref: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
  ): Promise<EnvironmentDescriptor> {
    const seconds = this.options.accessCacheSeconds ?? ACCESS_CACHE_SECONDS;
    const entityRef = stringifyEntityRef(ref);
    const caller = callerKey(credentials);
    if (seconds <= 0 || !caller) {
      return this.descriptorOf(
        await this.authorizedEntity(entityRef, credentials),
      );
    }
    const key = `access:v1:${caller}|${entityRef}`;
    const local = this.access.get(key);
    if (local && local.expiresAt > this.now())
      return this.descriptorOf(local.entity);
    const shared = (await this.options.cache
      .get(key)
      .catch(() => undefined)) as AccessEntry | undefined;
    if (shared && shared.expiresAt > this.now()) {
      this.rememberAccess(key, shared);
      return this.descriptorOf(shared.entity);
    }
    const entity = await this.authorizedEntity(entityRef, credentials);
    const entry = { entity, expiresAt: this.now() + seconds * 1000 };
    this.rememberAccess(key, entry);
    await this.options.cache
      .set(key, entry as any, { ttl: seconds * 1000 })
      .catch(e =>
        this.options.logger.warn(
          `Could not cache access to ${entityRef}: ${e}`,
        ),
      );
    return this.descriptorOf(entity);
  }

  private rememberAccess(key: string, entry: AccessEntry) {
    this.access.set(key, entry);
    // Drop expired entries now and then: one per caller and environment seen.
    if (this.access.size > 256) {
      for (const [k, v] of this.access)
        if (v.expiresAt <= this.now()) this.access.delete(k);
    }
  }

  /**
   * The entity `entityRef` names, read with the caller's credentials, if the caller may read its
   * status: 404 when the caller cannot see it, 400 when it is no CodeMie environment, 403 when
   * `codemie.environment.read` is denied.
   */
  private async authorizedEntity(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<Entity> {
    // With the caller's credentials: whoever cannot read the entity cannot read its status.
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`No entity ${entityRef}`);
    if (!isCodemieEnvironment(entity)) {
      // environmentFromEntity names the expected kind and type.
      environmentFromEntity(entity);
    }
    const [decision] = await this.options.permissions.authorize(
      [
        {
          permission: codemieEnvironmentReadPermission,
          resourceRef: entityRef,
        },
      ],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed to read the status of ${entityRef} (${codemieEnvironmentReadPermission.name})`,
      );
    }
    return entity;
  }

  /**
   * What the status of a CodeMie environment entity is read from: its record, when the entity
   * is the one the codemie catalog provider serves for it; its annotations, when its project is
   * allow-listed as created elsewhere. Anything else — a hand-written entity whose annotations
   * name some cluster — is refused (409), so no catalog author can make the backend read a
   * cluster it did not create.
   */
  async descriptorOf(entity: Entity): Promise<EnvironmentDescriptor> {
    const entityRef = stringifyEntityRef(entity);
    const annotations = entity.metadata.annotations ?? {};
    const record = await this.recordOf(entityRef);
    if (record && record.state !== 'gone') {
      if (annotations[ANNOTATION_LOCATION] === environmentLocationRef(record)) {
        return environmentFromRecord(record);
      }
    } else {
      const project = annotations[CODEMIE_ANNOTATIONS.gcpProject]?.trim();
      if (project && (this.options.externalProjects ?? []).includes(project)) {
        const environment = environmentFromEntity(entity);
        // The allow-list names projects: the cluster and database must be in the same one.
        const sqlProject = environment.cloudSqlInstance?.split(':')[0];
        if (
          environment.cluster.split('/')[1] === project &&
          (sqlProject === undefined || sqlProject === project)
        ) {
          return environment;
        }
      }
    }
    throw new ConflictError(
      `${entityRef} is not managed here: no CodeMie environment created by this portal is served as this entity${
        record
          ? ` (the environment ${record.environmentRef} has its own entity)`
          : ''
      }, and its project is not among codemie.status.externalProjects. Create environments with "Create CodeMie environment", or ask an admin to allow the project`,
    );
  }

  /**
   * Forgets every environment record read: called on every record change (this process's
   * store, and `codemie.environments.changed` from the events service), so the next status read
   * sees the change.
   */
  forgetRecords(): void {
    this.recordsGeneration++;
    this.records.clear();
  }

  /** The environment record of an entity, reused for `recordCacheSeconds` unless forgotten. */
  private async recordOf(
    entityRef: string,
  ): Promise<EnvironmentRecord | undefined> {
    const seconds = this.options.recordCacheSeconds ?? RECORD_CACHE_SECONDS;
    const kept = this.records.get(entityRef);
    if (kept && kept.expiresAt > this.now()) return kept.record;
    const generation = this.recordsGeneration;
    const record =
      await this.options.records.getEnvironmentByEntityRef(entityRef);
    if (seconds > 0 && generation === this.recordsGeneration) {
      this.records.set(entityRef, {
        record,
        expiresAt: this.now() + seconds * 1000,
      });
      if (this.records.size > 256) {
        for (const [k, v] of this.records)
          if (v.expiresAt <= this.now()) this.records.delete(k);
      }
    }
    return record;
  }

  /**
   * The environment's status, from the cache when it was read in the last `cacheSeconds`;
   * concurrent calls for the same environment share one read. `fresh` skips the cache (the
   * sampler) but still joins a read in flight.
   */
  async statusOf(
    environment: EnvironmentDescriptor,
    options: { fresh?: boolean } = {},
  ): Promise<EnvironmentStatus> {
    return (await this.entryOf(environment, options)).status;
  }

  /**
   * The same as {@link StatusService.statusOf}, serialised and hashed once per read for the
   * HTTP answer: a cached read costs neither a `JSON.stringify` nor a hash per request.
   */
  async statusBodyOf(environment: EnvironmentDescriptor): Promise<StatusBody> {
    const { json, etag } = await this.entryOf(environment);
    return { json, etag };
  }

  /*
   * Two cache levels: this process's memory (no parsing, no serialising: a cached answer costs
   * microseconds) and the Backstage cache service (Redis in production), so replicas share a
   * read. Both expire `cacheSeconds` after the read (`readAt`), whichever level holds it.
   */
  private async entryOf(
    environment: EnvironmentDescriptor,
    options: { fresh?: boolean } = {},
  ): Promise<CacheEntry> {
    const key = cacheKey(environment);
    if (!options.fresh) {
      const local = this.local.get(key);
      if (local && local.expiresAt > this.now()) return local;
      const shared = (await this.options.cache
        .get(key)
        .catch(() => undefined)) as EnvironmentStatus | undefined;
      if (shared && this.expiry(shared) > this.now()) {
        return this.remember(key, shared);
      }
    }
    const running = this.inflight.get(key);
    if (running) return running;
    const read = this.readAndBuild(environment)
      .then(async status => {
        const entry = this.remember(key, status);
        await this.options.cache
          .set(key, status as any, { ttl: this.options.cacheSeconds * 1000 })
          .catch(e =>
            this.options.logger.warn(
              `Could not cache the status of ${environment.entityRef}: ${e}`,
            ),
          );
        return entry;
      })
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, read);
    return read;
  }

  private expiry(status: EnvironmentStatus): number {
    return Date.parse(status.readAt) + this.options.cacheSeconds * 1000;
  }

  private remember(key: string, status: EnvironmentStatus): CacheEntry {
    const json = JSON.stringify(status);
    const entry = {
      status,
      json,
      etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`,
      expiresAt: this.expiry(status),
    };
    this.local.set(key, entry);
    // Drop expired entries now and then so deleted environments do not stay in memory.
    if (this.local.size > 64) {
      for (const [k, v] of this.local)
        if (v.expiresAt <= this.now()) this.local.delete(k);
    }
    return entry;
  }

  /** The usage history of an environment over a window such as `7d`. */
  async historyOf(
    environment: EnvironmentDescriptor,
    window: string,
  ): Promise<UsageHistory> {
    const parsed = parseWindow(window, this.options.maxHistoryHours);
    if (!this.options.history)
      return { entityRef: environment.entityRef, window, points: [] };
    return this.options.history.history(
      environment.entityRef,
      parsed,
      this.now(),
    );
  }

  private async readAndBuild(
    env: EnvironmentDescriptor,
  ): Promise<EnvironmentStatus> {
    // Nothing to read while the cluster is being created or destroyed: the lifecycle says why.
    const read =
      env.lifecycle && !env.lifecycle.clusterReadable
        ? unreadCluster(env)
        : await this.options.reader.read(env);
    const readAt = this.now();
    const built = buildEnvironmentStatus({
      environment: env,
      cluster: read.cluster,
      snapshot: read.snapshot,
      database: read.database,
      ...(read.dns ? { dns: read.dns } : {}),
      readAt,
      ...(this.options.classify ? { classify: this.options.classify } : {}),
    });
    const status = env.lifecycle ? withLifecycle(built, env) : built;
    const zonal = /-[a-z]$/.test(read.cluster.location);
    const location: ClusterLocation = zonal
      ? { kind: 'zonal' }
      : {
          kind: 'regional',
          zones: Math.max(1, read.cluster.locations.length || 3),
        };
    const cost: CostContext = {
      region: env.region,
      ...(status.cluster.nodePool?.machineType
        ? { machineType: status.cluster.nodePool.machineType }
        : {}),
      location,
      option: env.option,
      ...(this.options.prices ? { prices: this.options.prices } : {}),
    };
    const bill = environmentCostOf(env.sizing, cost);
    const monthlyCostUsd = bill?.totalMonthlyUsd;

    let advice: EnvironmentStatus['advice'] = [];
    let adviceNote: string | undefined;
    let historyOrigin: 'sandbox' | undefined;
    if (this.options.history) {
      try {
        const samples = await this.options.history.samples(
          env.entityRef,
          readAt - this.options.adviceWindowHours * 3_600_000,
        );
        const result = adviseSizing({
          samples,
          now: readAt,
          sizing: env.sizing,
          cost,
          options: this.options.adviceOptions,
          ...(env.lifecycle?.resized ? { resized: env.lifecycle.resized } : {}),
        });
        advice = result.advice;
        adviceNote = result.note;
        historyOrigin = await this.options.history.originOf(
          env.entityRef,
          readAt - this.options.adviceWindowHours * 3_600_000,
        );
      } catch (e) {
        this.options.logger.warn(
          `Could not compute sizing advice for ${env.entityRef}: ${e}`,
        );
        adviceNote = 'The usage history could not be read; no advice.';
      }
    } else {
      adviceNote = 'Usage history is not recorded; no advice.';
    }
    return {
      ...status,
      ...(monthlyCostUsd !== undefined ? { monthlyCostUsd } : {}),
      ...(bill ? { cost: bill } : {}),
      advice,
      ...(adviceNote ? { adviceNote } : {}),
      ...(historyOrigin ? { historyOrigin } : {}),
    };
  }
}

/**
 * Who is asking, as far as access is decided: the user (and the plugin acting for them), or the
 * service. Undefined for anything else, which is then checked on every request.
 */
function callerKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
    actor?: { subject?: string };
  };
  const actor = principal.actor?.subject ? `<${principal.actor.subject}` : '';
  if (principal.type === 'user' && principal.userEntityRef)
    return `user:${principal.userEntityRef}${actor}`;
  if (principal.type === 'service' && principal.subject)
    return `service:${principal.subject}`;
  return undefined;
}

/**
 * Cache key: the entity and everything of it the status depends on, so an edited annotation
 * (another cluster, tier) is not answered from the old entry.
 */
function cacheKey(env: EnvironmentDescriptor): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        env.lifecycle?.state,
        env.lifecycle?.since,
        env.cluster,
        env.kubernetesId,
        env.tier,
        env.sizing.inputs,
        env.cloudSqlInstance,
        env.option,
        env.domain,
        env.region,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return `status:v1:${env.entityRef}:${digest}`;
}

/** The status read of an environment whose cluster does not exist (yet, or any more). */
function unreadCluster(env: EnvironmentDescriptor): {
  cluster: GkeClusterInfo;
  snapshot: Parameters<typeof buildEnvironmentStatus>[0]['snapshot'];
  database?: undefined;
  dns?: undefined;
} {
  return {
    cluster: {
      name: env.clusterShortName,
      location: env.clusterLocation,
      status:
        env.lifecycle?.state === 'destroying' ? 'STOPPING' : 'NOT_CREATED',
      locations: [],
      nodePools: [],
    },
    snapshot: {
      pods: [],
      deployments: [],
      statefulSets: [],
      daemonSets: [],
      persistentVolumeClaims: [],
      events: [],
      nodes: [],
    },
  };
}

/** Adds the record's lifecycle: its state, and what to do about a failure or a change in progress. */
function withLifecycle(
  status: EnvironmentStatus,
  env: EnvironmentDescriptor,
): EnvironmentStatus {
  const lifecycle = env.lifecycle!;
  const problems = lifecycleProblems(lifecycle, env.name);
  const floor = lifecycleHealth(lifecycle);
  const lifecycleOut = {
    state: lifecycle.state,
    since: lifecycle.since,
    ...(lifecycle.lastError ? { lastError: lifecycle.lastError } : {}),
  };
  if (!lifecycle.clusterReadable) {
    // No cluster was read: what the page can say is the lifecycle, and what will be deployed.
    const notYet =
      lifecycle.state === 'destroying' ? 'Being removed' : 'Not deployed yet';
    return {
      ...status,
      verdict: {
        ...status.verdict,
        health: floor ?? 'unknown',
        reasons: problems.map(p => `${p.title}: ${p.detail}`),
        healthyComponents: 0,
      },
      components: status.components.map(c =>
        c.enabled ? { ...c, health: 'pending', reasons: [notYet] } : c,
      ),
      problems,
      lifecycle: lifecycleOut,
    };
  }
  return {
    ...status,
    verdict: floor
      ? {
          ...status.verdict,
          health: worse(status.verdict.health, floor),
          reasons: [
            ...problems.map(p => `${p.title}: ${p.detail}`),
            ...status.verdict.reasons,
          ].slice(0, 5),
        }
      : status.verdict,
    problems: [...problems, ...status.problems],
    lifecycle: lifecycleOut,
  };
}
