/**
 * The CodeMie component catalog: the twelve rows of CodeMie's GCP architecture page
 * ("AI/Run CodeMie Deployment Architecture", resource table for 500+ concurrent users,
 * codemie-ai.github.io/docs, pages under docs/admin/deployment/gcp), plus the ingress controller
 * the deploy action installs, as data. Every component has a size for each size class, and
 * every size says where it comes from.
 *
 * Units: the architecture page writes storage in "GB". On Google Cloud, disk sizes are binary
 * ("For Compute Engine, disk size … [is] calculated in JEDEC binary gigabytes (GB), or IEC
 * gibibytes (GiB)", cloud.google.com/compute/disks-image-pricing), so the page's "200 GB" disk
 * is a 200 GiB Persistent Disk, and the model keeps storage in GiB; a claim of `200Gi` gives
 * exactly that disk (a decimal `200G` claim would be rounded to a 187 GiB disk).
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
  | 'llm-proxy'
  | 'ingress-nginx';

/**
 * How a component runs: a Kubernetes workload kind, or a managed Google Cloud service.
 *
 * @public
 */
export type WorkloadKind =
  'Deployment' | 'StatefulSet' | 'DaemonSet' | 'ManagedService';

/**
 * The size classes of the catalog, smallest first. A sizing takes its component sizes from the
 * smallest class whose preset has at least its concurrent users (see `tiers.ts`).
 *
 * @public
 */
export type SizeClass = 'small' | 'medium' | 'large' | 'production';

/**
 * Every size class, smallest first.
 *
 * @public
 */
export const SIZE_CLASSES: readonly SizeClass[] = [
  'small',
  'medium',
  'large',
  'production',
];

/**
 * One component's pods in one size class.
 *
 * @public
 */
export interface ComponentSize {
  /** Pods (a DaemonSet: 1, meaning one per node). */
  replicas: number;
  /** Requests of each pod (CPU millicores, memory MiB). */
  requests: Resources;
  /** Where the figures come from (a public source, or the rule that derives them from one). */
  source: string;
}

/**
 * One workload (main or companion) of a catalog row.
 *
 * @public
 */
export interface CatalogWorkload {
  /** The component's id. */
  id: ComponentId;
  /** The component's name as the catalog shows it. */
  displayName: string;
  /** Deployment, StatefulSet, DaemonSet or managed service. */
  kind: WorkloadKind;
  /** Kubernetes namespace; absent for managed services. */
  namespace?: string;
  /** Helm release name; absent for managed services. */
  release?: string;
  /**
   * Size per size class; `production` is the architecture page's row. Absent for managed
   * services and for workloads that are never planned (see `notPlanned`).
   */
  sizes?: Record<SizeClass, ComponentSize>;
  /** Persistent volume per pod at the production size, GiB (0 when none). */
  storageGiBPerPod: number;
  /** Replicas must land on different nodes (and spread over zones when regional). */
  spreadReplicas: boolean;
  /**
   * Set when the workload is recognised in a cluster (the status page reports its pods) but is
   * never planned nor deployed; says why.
   */
  notPlanned?: string;
}

/**
 * One row of the catalog.
 *
 * @public
 */
export interface CatalogRow extends CatalogWorkload {
  /** The row's name in the architecture page's table; absent for components it does not list. */
  seedName?: string;
  /** The row may be left out of an environment. */
  optional: boolean;
  /** Why it is optional. */
  optionalReason?: string;
  /** The second workload of a "1 + 1" row. */
  companion?: CatalogWorkload;
  /** Where the row's production figures and its namespace/kind come from. */
  source: string;
}

/** The architecture page: the production size of every row. */
const SEED =
  'CodeMie GCP deployment architecture, "Container Resource Requirements" (500+ concurrent users), codemie-ai.github.io/docs';
/** Chart defaults: codemie-ai/codemie, codemie-ai/codemie-ui, codemie-ai/codemie-mcp-connect-service (deploy-templates). */
const CODEMIE_CHARTS = 'codemie-ai/codemie deploy-templates chart defaults';
const AWS_EXAMPLE =
  'codemie-ai/codemie-aws-marketplace worked example (small team)';
const ELASTIC_CHART =
  'elastic/helm-charts elasticsearch chart 8.5.1 defaults (requests 1000m / 2Gi, 30Gi volume)';
const KEYCLOAK_SIZING =
  'keycloak.org/high-availability/concepts-memory-and-cpu-sizing (1250 MB base per pod; 1 vCPU per 15 logins/s)';

const gi = (n: number) => n * 1024;
const size = (
  replicas: number,
  cpuMillis: number,
  memoryMiB: number,
  source: string,
): ComponentSize => ({ replicas, requests: { cpuMillis, memoryMiB }, source });
const sameForAll = (s: ComponentSize): Record<SizeClass, ComponentSize> => ({
  small: s,
  medium: s,
  large: s,
  production: s,
});

/**
 * The catalog, one entry per row of the architecture page in its order, then the ingress
 * controller. `sizes.production` of every row is the page's figures, per pod.
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
    sizes: {
      small: size(1, 1000, gi(2), `${AWS_EXAMPLE}: 1 replica, 1-2 CPU / 2Gi`),
      medium: size(
        1,
        2000,
        gi(6),
        'newer CodeMie docs: API 2.0 vCPU / 6Gi per replica',
      ),
      large: size(
        1,
        4000,
        gi(8),
        `${SEED}: one of its two 4 vCPU / 8Gi replicas (250 users each)`,
      ),
      production: size(2, 4000, gi(8), SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: true,
    optional: false,
    source: `${SEED}; namespace, release and probes: ${CODEMIE_CHARTS}`,
  },
  {
    seedName: 'CodeMie UI',
    id: 'codemie-ui',
    displayName: 'CodeMie UI',
    kind: 'Deployment',
    namespace: 'codemie',
    release: 'codemie-ui',
    sizes: sameForAll(
      size(
        1,
        100,
        128,
        `${SEED}, equal to the codemie-ai/codemie-ui chart default (100m / 128Mi)`,
      ),
    ),
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; codemie-ai/codemie-ui deploy-templates`,
  },
  {
    seedName: 'Elasticsearch',
    id: 'elasticsearch',
    displayName: 'Elasticsearch',
    kind: 'StatefulSet',
    namespace: 'elastic',
    release: 'elastic',
    sizes: {
      small: size(2, 1000, gi(2), ELASTIC_CHART),
      medium: size(
        2,
        1000,
        gi(3),
        `${AWS_EXAMPLE}: 2 replicas, 2 CPU / 3Gi, 1 GiB heap (2 CPU as the limit, 1 as the request)`,
      ),
      large: size(
        2,
        2000,
        gi(8),
        `half of ${SEED}'s 4 vCPU / 16Gi per pod, for half its users`,
      ),
      production: size(2, 4000, gi(16), `${SEED} (200 GB per pod)`),
    },
    storageGiBPerPod: 200,
    spreadReplicas: true,
    optional: false,
    source: `${SEED} ("200 GB per pod": a 200 GiB Persistent Disk, see the unit note); upstream elastic chart 8.5.1`,
  },
  {
    seedName: 'Kibana',
    id: 'kibana',
    displayName: 'Kibana',
    kind: 'Deployment',
    namespace: 'elastic',
    release: 'kibana',
    sizes: {
      // Kibana serves the operators' log searches; its Node.js process needs the page's 1Gi at
      // any size, its CPU follows the log volume (users).
      small: size(1, 250, gi(1), `${SEED}'s 1Gi; a quarter of its 1 vCPU`),
      medium: size(1, 500, gi(1), `${SEED}'s 1Gi; half of its 1 vCPU`),
      large: size(1, 1000, gi(1), SEED),
      production: size(1, 1000, gi(1), SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; upstream elastic kibana chart`,
  },
  {
    seedName: 'Mermaid-server',
    id: 'mermaid-server',
    displayName: 'Mermaid server',
    kind: 'Deployment',
    namespace: 'codemie',
    release: 'mermaid-server',
    sizes: {
      // Renders diagrams on users' requests: CPU follows users, memory (a headless browser) does not.
      small: size(1, 250, 512, `${SEED}'s 512Mi; a quarter of its 1 vCPU`),
      medium: size(1, 500, 512, `${SEED}'s 512Mi; half of its 1 vCPU`),
      large: size(1, 1000, 512, SEED),
      production: size(1, 1000, 512, SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: SEED,
  },
  {
    seedName: 'PostgreSQL',
    id: 'postgresql',
    displayName: 'PostgreSQL (Cloud SQL)',
    kind: 'ManagedService',
    // The page gives 30-50 GB; the production tier uses the upper end.
    storageGiBPerPod: 50,
    spreadReplicas: false,
    optional: false,
    source: `${SEED} ("Managed service in cloud", 30-50 GB); Cloud SQL instance codemie-postgresql in CodeMie's GCP docs`,
  },
  {
    seedName: 'Keycloak + DB',
    id: 'keycloak',
    displayName: 'Keycloak',
    kind: 'StatefulSet',
    namespace: 'security',
    release: 'keycloak',
    sizes: {
      small: size(
        1,
        500,
        1280,
        `${KEYCLOAK_SIZING}: 1250 MB base memory; half a vCPU (a few logins per second)`,
      ),
      medium: size(
        1,
        1000,
        1280,
        `${KEYCLOAK_SIZING}: 1250 MB base memory; 1 vCPU (15 logins per second)`,
      ),
      large: size(
        1,
        1000,
        gi(2),
        `${KEYCLOAK_SIZING}: 1 vCPU; half of ${SEED}'s 4Gi for sessions`,
      ),
      production: size(1, 2000, gi(4), SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    companion: {
      id: 'keycloak-db',
      displayName: 'Keycloak PostgreSQL',
      kind: 'StatefulSet',
      namespace: 'security',
      release: 'keycloak',
      storageGiBPerPod: 0,
      spreadReplicas: false,
      notPlanned:
        "Keycloak's database is the `keycloak` database of the environment's Cloud SQL instance (the row's 1 GB is " +
        'added to its storage); an in-cluster keycloak-postgresql pod is only recognised, never planned or deployed.',
    },
    source: `${SEED} (row "Keycloak + DB": the RAM/vCPU are Keycloak's; its DB is the Cloud SQL keycloak database)`,
  },
  {
    seedName: 'Oauth2-proxy',
    id: 'oauth2-proxy',
    displayName: 'OAuth2 Proxy',
    kind: 'Deployment',
    namespace: 'oauth2-proxy',
    release: 'oauth2-proxy',
    sizes: sameForAll(size(1, 100, 128, SEED)),
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: SEED,
  },
  {
    seedName: 'NATS + Auth Callout',
    id: 'nats',
    displayName: 'NATS',
    kind: 'StatefulSet',
    namespace: 'codemie',
    release: 'codemie-nats',
    sizes: sameForAll(
      size(
        1,
        1000,
        512,
        `${SEED} (optional, deprecated upstream: the page's size whenever it is deployed)`,
      ),
    ),
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: true,
    optionalReason:
      'Newer CodeMie docs mark NATS and the plugin engine deprecated.',
    companion: {
      id: 'nats-auth-callout',
      displayName: 'NATS Auth Callout',
      kind: 'Deployment',
      namespace: 'codemie',
      release: 'codemie-nats-auth-callout',
      // The table gives RAM and vCPU per pod for every row ("Pods 2, 8Gi" is 8Gi each): read the
      // same way, each of the row's "1 + 1" pods gets its 512Mi / 1.0.
      sizes: sameForAll(
        size(
          1,
          1000,
          512,
          `${SEED} (row "NATS + Auth Callout", 1 + 1 pods; the RAM/vCPU columns are per pod)`,
        ),
      ),
      storageGiBPerPod: 0,
      spreadReplicas: false,
    },
    source: `${SEED} (row "NATS + Auth Callout", 1 + 1 pods)`,
  },
  {
    seedName: 'MCP Connect',
    id: 'mcp-connect',
    displayName: 'MCP Connect',
    kind: 'StatefulSet',
    namespace: 'codemie',
    release: 'codemie-mcp-connect-service',
    sizes: {
      small: size(
        1,
        100,
        gi(1),
        'codemie-ai/codemie-mcp-connect-service chart default (100m / 1Gi)',
      ),
      medium: size(
        1,
        100,
        gi(1),
        'codemie-ai/codemie-mcp-connect-service chart default (100m / 1Gi)',
      ),
      large: size(1, 500, gi(1), SEED),
      production: size(1, 500, gi(1), SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED}; codemie-ai/codemie-mcp-connect-service deploy-templates`,
  },
  {
    seedName: 'Fluent Bit',
    id: 'fluent-bit',
    displayName: 'Fluent Bit',
    kind: 'DaemonSet',
    namespace: 'fluentbit',
    release: 'fluent-bit',
    sizes: sameForAll(size(1, 100, 128, `${SEED} (one pod per node)`)),
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source: `${SEED} (DaemonSet: one pod per node)`,
  },
  {
    seedName: 'LLM Proxy',
    id: 'llm-proxy',
    displayName: 'LLM Proxy (LiteLLM)',
    kind: 'Deployment',
    namespace: 'litellm',
    release: 'litellm',
    sizes: {
      // Proxies users' LLM calls: CPU follows users; the Python process keeps the page's 1Gi.
      small: size(1, 250, gi(1), `${SEED}'s 1Gi; a quarter of its 1 vCPU`),
      medium: size(1, 500, gi(1), `${SEED}'s 1Gi; half of its 1 vCPU`),
      large: size(1, 1000, gi(1), SEED),
      production: size(1, 1000, gi(1), SEED),
    },
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: true,
    optionalReason:
      'Not deployed when the LLM proxy type is "external" (a proxy run outside the cluster).',
    source: SEED,
  },
  {
    id: 'ingress-nginx',
    displayName: 'Ingress controller (ingress-nginx)',
    kind: 'Deployment',
    namespace: 'ingress-nginx',
    release: 'ingress-nginx',
    sizes: sameForAll(
      size(
        1,
        100,
        128,
        'kubernetes/ingress-nginx chart 4.x default requests (100m / 90Mi), memory rounded up to 128Mi ' +
          'because the limit equals the request (limits policy)',
      ),
    ),
    storageGiBPerPod: 0,
    spreadReplicas: false,
    optional: false,
    source:
      'Not in the architecture page: the ingress controller behind codemie.<domain>, keycloak.<domain> and kibana.<domain>',
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
