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
