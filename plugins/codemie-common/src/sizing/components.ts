/**
 * The CodeMie component catalog: the twelve rows of the architecture page's resource table
 * (`shared/seed/000_5570d0ff35621d21.txt`, "500+ concurrent users"), as data. Each entry keeps
 * where its numbers come from. The sizing tiers start from these figures.
 */
import { Resources } from '../gke/allocatable';

/**
 * Stable component ids; used as the `app.kubernetes.io/component` label of rendered manifests.
 *
 * @public
 */
export type ComponentId =
  | 'codemie-api'
  | 'codemie-ui'
  | 'elasticsearch'
  | 'kibana'
  | 'mermaid-server'
  | 'postgresql'
  | 'keycloak'
  | 'keycloak-db'
  | 'oauth2-proxy'
  | 'nats'
  | 'nats-auth-callout'
  | 'mcp-connect'
  | 'fluent-bit'
  | 'llm-proxy';

/**
 * How a component runs: a Kubernetes workload kind, or a managed Google Cloud service.
 *
 * @public
 */
export type WorkloadKind =
  'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ManagedService';

/**
 * One workload (main or companion) of a catalog row, at the seed's production size.
 *
 * @public
 */
export interface CatalogWorkload {
  id: ComponentId;
  displayName: string;
  kind: WorkloadKind;
  /** Kubernetes namespace (codemie-facts.md); absent for managed services. */
  namespace?: string;
  /** Helm release name (codemie-facts.md); absent for managed services. */
  release?: string;
  /** Pods at the seed's size. DaemonSets: 1, meaning one per node. Managed services: 0. */
  pods: number;
  /** Requests of each pod (CPU millicores, memory MiB). */
  requests: Resources;
  /** Persistent volume per pod, GiB (0 when none). */
  storageGiBPerPod: number;
  /** Replicas must land on different nodes (and zones when regional). */
  spreadReplicas: boolean;
  /** Why the size was chosen, where the seed does not give it (companion pods). */
  reason?: string;
}

/**
 * One row of the seed's resource table.
 *
 * @public
 */
export interface CatalogRow extends CatalogWorkload {
  /** The row's name in the seed table. */
  seedName: string;
  /** The row may be left out of an environment. */
  optional: boolean;
  /** Why it is optional. */
  optionalReason?: string;
  /** The second pod of a "1 + 1" row. */
  companion?: CatalogWorkload;
  /** Where the row's figures come from. */
  source: string;
}

const SEED =
  'CodeMie deployment architecture (GCP), "Container Resource Requirements" table, 500+ concurrent users (shared/seed/000_5570d0ff35621d21.txt)';
const FACTS = 'shared/reference/codemie-facts.md';

const gi = (n: number) => n * 1024;

/**
 * The seed's table, one entry per row, in the seed's order. Each row's RAM and vCPU are the
 * requests of each pod of the main workload.
 *
 * @public
 */
export const COMPONENT_CATALOG: readonly CatalogRow[] = [
  {
    seedName: 'CodeMie API',
    id: 'codemie-api',
    displayName: 'CodeMie API',
    kind: 'Deployment',
    namespace: 'codemie',
    release: 'codemie-api',
    pods: 2,
    requests: { cpuMillis: 4000, memoryMiB: gi(8) },
    storageGiBPerPod: 0,
    spreadReplicas: true,
    optional: false,
    source: `${SEED}; namespace/release/kind: ${FACTS}`,
  },
  {
    seedName: 'CodeMie UI',
    id: 'codemie-ui',
    displayName: 'CodeMie UI',
    kind: 'Deployment',
    namespace: 'codemie',
    release: 'codemie-ui',
    pods: 1,
    requests: { cpuMillis: 100, memoryMiB: 128 },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; ${FACTS}`,
  },
  {
    seedName: 'Elasticsearch',
    id: 'elasticsearch',
    displayName: 'Elasticsearch',
    kind: 'StatefulSet',
    namespace: 'elastic',
    release: 'elastic',
    pods: 2,
    requests: { cpuMillis: 4000, memoryMiB: gi(16) },
    storageGiBPerPod: 200,
    spreadReplicas: true,
    optional: false,
    source: `${SEED} ("200 GB per pod", read as a 200Gi PVC); ${FACTS}`,
  },
  {
    seedName: 'Kibana',
    id: 'kibana',
    displayName: 'Kibana',
    kind: 'Deployment',
    namespace: 'elastic',
    release: 'kibana',
    pods: 1,
    requests: { cpuMillis: 1000, memoryMiB: gi(1) },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; ${FACTS}`,
  },
  {
    seedName: 'Mermaid-server',
    id: 'mermaid-server',
    displayName: 'Mermaid server',
    kind: 'Deployment',
    namespace: 'codemie',
    release: 'mermaid-server',
    pods: 1,
    requests: { cpuMillis: 1000, memoryMiB: 512 },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; ${FACTS}`,
  },
  {
    seedName: 'PostgreSQL',
    id: 'postgresql',
    displayName: 'PostgreSQL (Cloud SQL)',
    kind: 'ManagedService',
    pods: 0,
    requests: { cpuMillis: 0, memoryMiB: 0 },
    // The seed gives 30-50 GB; the production tier uses the upper end.
    storageGiBPerPod: 50,
    spreadReplicas: false,
    optional: false,
    source: `${SEED} ("Managed service in cloud", 30-50 GB); Cloud SQL instance codemie-postgresql: ${FACTS}`,
  },
  {
    seedName: 'Keycloak + DB',
    id: 'keycloak',
    displayName: 'Keycloak',
    kind: 'StatefulSet',
    namespace: 'security',
    release: 'keycloak',
    pods: 1,
    requests: { cpuMillis: 2000, memoryMiB: gi(4) },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    companion: {
      id: 'keycloak-db',
      displayName: 'Keycloak PostgreSQL',
      kind: 'StatefulSet',
      namespace: 'security',
      release: 'keycloak',
      pods: 1,
      requests: { cpuMillis: 500, memoryMiB: 512 },
      // The row's "1 GB" is the database's volume: Keycloak itself keeps no state on disk.
      storageGiBPerPod: 1,
      spreadReplicas: false,
      reason:
        "Holds only Keycloak's realms, users and sessions (the seed gives it 1 GB of disk); " +
        "500m / 512Mi matches the Bitnami PostgreSQL chart's 'small' resources preset, enough " +
        'for the login traffic of a few hundred concurrent users.',
    },
    source: `${SEED} (row "Keycloak + DB", 1 + 1 pods; RAM/vCPU are Keycloak's, the 1 GB volume the DB's); secret keycloak-postgresql: ${FACTS}`,
  },
  {
    seedName: 'Oauth2-proxy',
    id: 'oauth2-proxy',
    displayName: 'OAuth2 Proxy',
    kind: 'Deployment',
    namespace: 'oauth2-proxy',
    release: 'oauth2-proxy',
    pods: 1,
    requests: { cpuMillis: 100, memoryMiB: 128 },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; ${FACTS}`,
  },
  {
    seedName: 'NATS + Auth Callout',
    id: 'nats',
    displayName: 'NATS',
    kind: 'StatefulSet',
    namespace: 'codemie',
    release: 'codemie-nats',
    pods: 1,
    requests: { cpuMillis: 1000, memoryMiB: 512 },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: true,
    optionalReason:
      'Newer CodeMie docs mark NATS and the plugin engine deprecated (codemie-facts.md).',
    companion: {
      id: 'nats-auth-callout',
      displayName: 'NATS Auth Callout',
      kind: 'Deployment',
      namespace: 'codemie',
      release: 'codemie-nats-auth-callout',
      pods: 1,
      requests: { cpuMillis: 100, memoryMiB: 128 },
      storageGiBPerPod: 0,
      spreadReplicas: false,
      reason:
        'A stateless callout that only answers NATS connection-authorisation requests; sized ' +
        "like the table's other small stateless proxies (UI, OAuth2 Proxy): 100m / 128Mi.",
    },
    source: `${SEED} (row "NATS + Auth Callout", 1 + 1 pods; RAM/vCPU are the NATS server's); ${FACTS}`,
  },
  {
    seedName: 'MCP Connect',
    id: 'mcp-connect',
    displayName: 'MCP Connect',
    kind: 'StatefulSet',
    namespace: 'codemie',
    release: 'codemie-mcp-connect-service',
    pods: 1,
    requests: { cpuMillis: 500, memoryMiB: gi(1) },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; ${FACTS}`,
  },
  {
    seedName: 'Fluent Bit',
    id: 'fluent-bit',
    displayName: 'Fluent Bit',
    kind: 'DaemonSet',
    namespace: 'fluentbit',
    release: 'fluent-bit',
    pods: 1,
    requests: { cpuMillis: 100, memoryMiB: 128 },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED} (DaemonSet: one pod per node); ${FACTS}`,
  },
  {
    seedName: 'LLM Proxy',
    id: 'llm-proxy',
    displayName: 'LLM Proxy (LiteLLM)',
    kind: 'Deployment',
    namespace: 'litellm',
    release: 'litellm',
    pods: 1,
    requests: { cpuMillis: 1000, memoryMiB: gi(1) },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: true,
    optionalReason:
      'Not deployed when the LLM proxy type is "external" (a proxy run outside the cluster).',
    source: `${SEED}; ${FACTS}`,
  },
];

/**
 * Limits policy. Memory limit = memory request: a pod never counts on memory the scheduler did
 * not reserve for it, so it is not OOM-killed because a neighbour grew. CPU limit = twice the
 * request: CPU is compressible, and the API's start-up (DB migrations, 60×10 s startup probe)
 * and Elasticsearch's merges burst well above their steady state.
 *
 * @public
 */
export function limitsForRequests(requests: Resources): Resources {
  return { cpuMillis: requests.cpuMillis * 2, memoryMiB: requests.memoryMiB };
}

/**
 * The catalog row of a component id (main workload or companion).
 *
 * @public
 */
export function catalogRow(id: ComponentId): CatalogRow {
  const row = COMPONENT_CATALOG.find(
    r => r.id === id || r.companion?.id === id,
  );
  if (!row) throw new Error(`No catalog row for component ${id}`);
  return row;
}
