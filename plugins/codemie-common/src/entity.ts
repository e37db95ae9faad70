import { ANNOTATION_LOCATION, Entity } from '@backstage/catalog-model';

/**
 * `spec.type` of the catalog `Resource` entities that describe a CodeMie environment.
 *
 * @public
 */
export const CODEMIE_ENVIRONMENT_TYPE = 'codemie-environment';

/**
 * Annotations a CodeMie environment entity carries; the status API reads them.
 *
 * @public
 */
export const CODEMIE_ANNOTATIONS = {
  /** The Google Cloud project id. */
  gcpProject: 'codemie.ai/gcp-project',
  /** The GKE cluster: `projects/<p>/locations/<l>/clusters/<c>`. */
  gkeCluster: 'codemie.ai/gke-cluster',
  /** The Cloud SQL instance connection name: `<project>:<region>:<instance>`. */
  cloudSqlInstance: 'codemie.ai/cloudsql-instance',
  /** The sizing tier the environment was planned with. */
  tier: 'codemie.ai/tier',
  /** `public` or `private`. */
  option: 'codemie.ai/option',
  /** Label value put on every Kubernetes object of the environment (Backstage's standard annotation). */
  kubernetesId: 'backstage.io/kubernetes-id',
  /**
   * The cluster Backstage's Kubernetes plugin queries for the entity (its standard annotation,
   * honoured by the `singleTenant` service locator): `<project id>/<name>`, the name the CodeMie
   * cluster supplier gives the environment's GKE cluster.
   */
  kubernetesCluster: 'backstage.io/kubernetes-cluster',
  /**
   * Optional: the sizing inputs of a custom tier as JSON, e.g.
   * `{"concurrentUsers":300,"vectorDatasourceGiB":60,"logRetentionDays":14,"llmProxyType":"litellm"}`.
   * When present it wins over the preset named by `tier`.
   */
  sizing: 'codemie.ai/sizing',
  /** Optional: the Google Cloud region (default: derived from the cluster's location). */
  region: 'codemie.ai/region',
  /** Optional: the DNS domain CodeMie is served under (`codemie.<domain>`, `kibana.<domain>`…). */
  domain: 'codemie.ai/domain',
} as const;

/**
 * The annotations every CodeMie environment entity carries. The catalog provider always writes
 * them; the entity page asks for them on hand-written entities; the status API reads them only
 * for environments of allow-listed projects that this portal did not create (its own
 * environments are read from their records, never from annotations a catalog author can set).
 *
 * @public
 */
export const CODEMIE_REQUIRED_ANNOTATIONS: readonly string[] = [
  CODEMIE_ANNOTATIONS.gcpProject,
  CODEMIE_ANNOTATIONS.gkeCluster,
  CODEMIE_ANNOTATIONS.kubernetesId,
];

/**
 * Prefix of the `backstage.io/managed-by-location` of the entities the CodeMie catalog provider
 * emits: `codemie-environment:<project id>/<name>`.
 *
 * @public
 */
export const CODEMIE_LOCATION_TYPE = 'codemie-environment';

/**
 * The catalog identity of the environment `name` in Google Cloud project `projectId`: a
 * `Resource` in the namespace named after the project, so environments of the same name in two
 * projects never collide.
 *
 * @public
 */
export function environmentEntityRef(environment: {
  projectId: string;
  name: string;
}): string {
  return `resource:${environment.projectId}/${environment.name}`;
}

/**
 * The key of an environment's record: `<project id>/<name>`.
 *
 * @public
 */
export function environmentKey(environment: {
  projectId: string;
  name: string;
}): string {
  return `${environment.projectId}/${environment.name}`;
}

/**
 * Reads an environment reference as the actions and routes take it: `<project id>/<name>`, or
 * the entity ref `resource:<project id>/<name>`. Undefined when it is neither.
 *
 * @public
 */
export function parseEnvironmentReference(
  reference: string,
): { projectId: string; name: string } | undefined {
  const match =
    /^(?:resource:)?([a-z][-a-z0-9]{4,28}[a-z0-9])\/([a-z]([-a-z0-9]*[a-z0-9])?)$/i.exec(
      reference.trim(),
    );
  if (!match) return undefined;
  return { projectId: match[1].toLowerCase(), name: match[2].toLowerCase() };
}

/**
 * The `backstage.io/managed-by-location` of an environment's entity:
 * `codemie-environment:<project id>/<name>`.
 *
 * @public
 */
export function environmentLocationRef(environment: {
  projectId: string;
  name: string;
}): string {
  return `${CODEMIE_LOCATION_TYPE}:${environmentKey(environment)}`;
}

/**
 * The required annotations an environment entity lacks (empty when it has them all). Entities
 * the CodeMie catalog provider serves lack none: the status API reads their records.
 *
 * @public
 */
export function missingCodemieAnnotations(entity: Entity): string[] {
  const annotations = entity.metadata.annotations ?? {};
  if (
    annotations[ANNOTATION_LOCATION]?.startsWith(`${CODEMIE_LOCATION_TYPE}:`)
  ) {
    return [];
  }
  return CODEMIE_REQUIRED_ANNOTATIONS.filter(a => !annotations[a]?.trim());
}
