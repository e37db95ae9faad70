import type { ClusterApiServer } from '../kubernetesBridge';

/**
 * A JSON object as an API returns it (enum values stored by name).
 *
 * @public
 */
export type Json = Record<string, any>;

/**
 * A GKE cluster in the store.
 *
 * @public
 */
export interface ClusterRecord {
  /** The cluster's project. */
  project: string;
  /** The cluster's location (region or zone). */
  location: string;
  /** The `Cluster` resource. */
  resource: Json;
  /** Name of the operation running on the cluster (GKE allows one at a time). */
  runningOperation?: string;
  /** The cluster's Kubernetes API server, once it has started. */
  server?: ClusterApiServer;
}

/**
 * A long-running operation of any API, in that API's own shape.
 *
 * @public
 */
export interface OperationRecord {
  /** The operation's project. */
  project: string;
  /** GKE location, Compute scope (`global`, `regions/r`, `zones/z`), or '' */
  scope: string;
  /** The operation resource, as its API shapes it. */
  resource: Json;
  /** Resolves when the operation is DONE (Compute's `wait`). */
  done: Promise<void>;
}

/**
 * A Compute Engine resource.
 *
 * @public
 */
export interface ComputeRecord {
  /** What kind of Compute resource. */
  kind:
    | 'network'
    | 'subnetwork'
    | 'router'
    | 'firewall'
    | 'address'
    | 'globalAddress'
    | 'instance';
  /** The resource's project. */
  project: string;
  /** `global`, `regions/<r>` or `zones/<z>`. */
  scope: string;
  /** The resource, as Compute shapes it. */
  resource: Json;
  /** False while its insert operation runs: other resources may not use it yet. */
  ready: boolean;
}

/**
 * A Cloud SQL instance with its databases and users.
 *
 * @public
 */
export interface SqlInstanceRecord {
  /** The instance's project. */
  project: string;
  /** The `DatabaseInstance` resource. */
  resource: Json;
  /** Databases by name. */
  databases: Map<string, Json>;
  /** Users by name, with their passwords. */
  users: Map<string, Json & { password?: string }>;
  /** Name of the operation running on the instance. */
  runningOperation?: string;
}

/**
 * A Cloud DNS managed zone with its record sets and changes.
 *
 * @public
 */
export interface DnsZoneRecord {
  /** The zone's project. */
  project: string;
  /** The `ManagedZone` resource. */
  resource: Json;
  /** Key: `<name> <type>`. */
  rrsets: Map<string, Json>;
  /** The zone's changes, oldest first. */
  changes: Json[];
}

/**
 * A Secret Manager secret and its versions.
 *
 * @public
 */
export interface SecretRecord {
  /** The secret's project. */
  project: string;
  /** The `Secret` resource. */
  resource: Json;
  /** The secret's versions, oldest first. */
  versions: Json[];
}

/**
 * One resource as the inventory helpers list it.
 *
 * @public
 */
export interface ResourceRef {
  /** The API, e.g. `container`. */
  service: string;
  /** The resource's kind, e.g. `cluster`. */
  kind: string;
  /** Full resource name, e.g. `projects/p/locations/l/clusters/c`. */
  name: string;
  /** The resource's labels. */
  labels?: Record<string, string>;
}

/**
 * The one in-memory store behind every emulated API. Keys are full resource names
 * (`projects/p/locations/l/clusters/c`, `projects/p/global/networks/n`, …). Inspect it in tests;
 * change it only through the APIs.
 *
 * @public
 */
export class SandboxState {
  /** Project ids any call has named (to map project numbers back to ids). */
  readonly knownProjects = new Set<string>();
  /** GKE clusters. */
  readonly clusters = new Map<string, ClusterRecord>();
  /** GKE operations. */
  readonly containerOperations = new Map<string, OperationRecord>();
  /** Compute resources. */
  readonly compute = new Map<string, ComputeRecord>();
  /** Compute operations. */
  readonly computeOperations = new Map<string, OperationRecord>();
  /** Cloud SQL instances. */
  readonly sqlInstances = new Map<string, SqlInstanceRecord>();
  /** Deleted Cloud SQL instance names (key) and simulated deletion time (ms): names stay taken a week. */
  readonly sqlDeletedNames = new Map<string, number>();
  /** Cloud SQL operations. */
  readonly sqlOperations = new Map<string, OperationRecord>();
  /** Cloud DNS managed zones. */
  readonly dnsZones = new Map<string, DnsZoneRecord>();
  /** Enabled services per project (e.g. `container.googleapis.com`). */
  readonly enabledServices = new Map<string, Set<string>>();
  /** Service Usage operations. */
  readonly serviceUsageOperations = new Map<string, OperationRecord>();
  /** Secret Manager secrets. */
  readonly secrets = new Map<string, SecretRecord>();
  /** IAM service accounts by `projects/p/serviceAccounts/<email>`. */
  readonly serviceAccounts = new Map<string, Json>();
  /** IAM policies by resource name (`projects/p`, `projects/p/serviceAccounts/<email>`). */
  readonly iamPolicies = new Map<string, Json>();
  /** Service Networking connections by `projects/p/global/networks/n`. */
  readonly peerings = new Map<string, Json>();
  /** Service Networking operations. */
  readonly serviceNetworkingOperations = new Map<string, OperationRecord>();
  /** Zones a test took down: compute.zones.list reports them `DOWN`. */
  readonly downZones = new Set<string>();
  /**
   * Simulated time (ms) the last Cloud SQL instance using a network's private services
   * connection was deleted, by `projects/p/global/networks/n`: Google keeps the producer side of
   * the peering for a while after, and refuses deleteConnection meanwhile.
   */
  readonly peeringReleasedAt = new Map<string, number>();

  /** Every resource the sandbox holds in `project`. */
  resourcesIn(project: string): ResourceRef[] {
    const out: ResourceRef[] = [];
    const inProject = (name: string) => name.startsWith(`projects/${project}/`);
    for (const [name, c] of this.clusters) {
      if (!inProject(name)) continue;
      out.push({
        service: 'container',
        kind: 'cluster',
        name,
        labels: c.resource.resourceLabels,
      });
      for (const np of c.resource.nodePools ?? []) {
        out.push({
          service: 'container',
          kind: 'nodePool',
          name: `${name}/nodePools/${np.name}`,
          labels: np.config?.resourceLabels,
        });
      }
    }
    for (const [name, r] of this.compute) {
      if (inProject(name))
        out.push({
          service: 'compute',
          kind: r.kind,
          name,
          labels: r.resource.labels,
        });
    }
    for (const [name, i] of this.sqlInstances) {
      if (!inProject(name)) continue;
      out.push({
        service: 'sqladmin',
        kind: 'instance',
        name,
        labels: i.resource.settings?.userLabels,
      });
      for (const db of i.databases.keys())
        out.push({
          service: 'sqladmin',
          kind: 'database',
          name: `${name}/databases/${db}`,
        });
      for (const user of i.users.keys())
        out.push({
          service: 'sqladmin',
          kind: 'user',
          name: `${name}/users/${user}`,
        });
    }
    for (const [name, z] of this.dnsZones) {
      if (inProject(name))
        out.push({
          service: 'dns',
          kind: 'managedZone',
          name,
          labels: z.resource.labels,
        });
    }
    for (const [name, s] of this.secrets) {
      if (s.project === project)
        out.push({
          service: 'secretmanager',
          kind: 'secret',
          name,
          labels: s.resource.labels,
        });
    }
    for (const name of this.serviceAccounts.keys()) {
      if (inProject(name))
        out.push({ service: 'iam', kind: 'serviceAccount', name });
    }
    for (const name of this.peerings.keys()) {
      if (inProject(name))
        out.push({ service: 'servicenetworking', kind: 'connection', name });
    }
    return out;
  }

  /**
   * Resources in `project` carrying label `key` (with `value`, if given): GKE `resourceLabels`,
   * Compute `labels` (addresses, instances; networks, subnetworks, routers and firewalls have no
   * labels in the Compute API), Cloud SQL `settings.userLabels`, DNS and Secret Manager `labels`.
   */
  resourcesLabelled(
    project: string,
    key: string,
    value?: string,
  ): ResourceRef[] {
    return this.resourcesIn(project).filter(
      r =>
        r.labels &&
        key in r.labels &&
        (value === undefined || r.labels[key] === value),
    );
  }

  /** Empties the store (servers must be stopped by the caller). */
  clear(): void {
    for (const value of Object.values(this)) {
      if (value instanceof Map || value instanceof Set) value.clear();
    }
  }
}
