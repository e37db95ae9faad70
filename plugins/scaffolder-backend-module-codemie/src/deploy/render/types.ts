import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  ComponentId,
  DeploymentOption,
  TierSizing,
} from '@codemie-gcp/plugin-codemie-common';
import type { ImageKey } from './images';

/**
 * Ids of what `codemie:deploy` renders: the sizing catalog's components plus two the seed's
 * table does not size: `platform` (namespaces, StorageClass, registry pull secret) and
 * `ingress-nginx` (the ingress controller behind `codemie.<domain>`, `keycloak.<domain>`,
 * `kibana.<domain>`).
 *
 * @public
 */
export type DeployComponentId =
  Exclude<ComponentId, 'postgresql'> | 'platform' | 'ingress-nginx';

/**
 * Secret values the rendered Secrets carry. Absent when rendering for a dry run or for
 * manifests written to the workspace: Secrets are then rendered without `data`.
 *
 * @public
 */
export interface DeploySecretValues {
  /** Password of the `elastic` user. */
  elasticPassword: string;
  /** Keycloak's bootstrap admin password (user `admin`). */
  keycloakAdminPassword: string;
  /** Password of Keycloak's database user (in-cluster keycloak-db, or Cloud SQL). */
  keycloakDbPassword: string;
  /** Kibana's saved-object encryption key (32+ characters, as are the reporting and security keys). */
  kibanaEncryptionKey: string;
  /** Kibana's reporting encryption key. */
  kibanaReportingKey: string;
  /** Kibana's security encryption key. */
  kibanaSecurityKey: string;
  /** OAuth2 Proxy's cookie secret (32 bytes, base64). */
  oauth2CookieSecret: string;
  /** OAuth2 Proxy's Keycloak client secret. */
  oauth2ClientSecret: string;
  /** The NATS auth-callout user's password. */
  natsCalloutPassword: string;
  /** NATS issuer account nkey seed. */
  natsIssuerSeed: string;
  /** NATS issuer account public key. */
  natsIssuerPublicKey: string;
  /** LiteLLM's master key (`sk-…`). */
  litellmMasterKey: string;
  /** Password of the `codemie` database user (Secret Manager). */
  codemieDbPassword: string;
  /** Password of the `litellm` database user (Secret Manager), when LiteLLM uses Cloud SQL. */
  litellmDbPassword?: string;
  /** Elasticsearch transport TLS: a self-signed certificate (PEM), generated once. */
  elasticTransportCert: string;
  /** Elasticsearch transport TLS key (PEM). */
  elasticTransportKey: string;
  /** `.dockerconfigjson` of the registry pull secret, when one is configured. */
  dockerConfigJson?: string;
}

/**
 * Everything the renderer needs: the environment's identity and network settings, its sizing,
 * images and, for applying, the secret values.
 *
 * @public
 */
export interface DeploySettings {
  /** Environment name: value of the `codemie.ai/environment` label. */
  environment: string;
  /** Value of the `backstage.io/kubernetes-id` label (the entity's annotation). */
  kubernetesId: string;
  /** Google Cloud project of the cluster (the API's `GOOGLE_PROJECT_ID`). */
  projectId: string;
  /** Region of the cluster (the API's `GOOGLE_REGION`). */
  region: string;
  /** The domain CodeMie is served under. */
  domain: string;
  /** `public` or `private`. */
  option: DeploymentOption;
  /** Public option: CIDRs allowed to reach the ingress load balancer. */
  allowedNetworks: string[];
  /** The reserved address the ingress load balancer takes (DNS records point at it). */
  ingressAddress?: string;
  /** The sized workloads. */
  sizing: TierSizing;
  /** Google service account the API and LiteLLM act as (Workload Identity). */
  googleServiceAccount: string;
  /** The Cloud SQL instance and which components keep their data in it. */
  database: {
    /** Private IP of the Cloud SQL instance. */
    host: string;
    /** `project:region:instance`, recorded on the database Secrets. */
    connectionName: string;
    /** Keycloak uses Cloud SQL's `keycloak` database instead of the in-cluster keycloak-db. */
    keycloakOnCloudSql: boolean;
    /** LiteLLM keeps its state in Cloud SQL's `litellm` database. */
    litellmOnCloudSql: boolean;
  };
  /** Extra environment of the CodeMie API (KMS key, bucket… — names CodeMie's chart documents). */
  apiEnv?: Record<string, string>;
  /** Resolved image of every image key. */
  images: Record<ImageKey, string>;
  /** Name of the registry pull secret (namespace `codemie`), when one is configured. */
  imagePullSecretName?: string;
  /** Secret values; absent → Secrets without `data`. */
  secrets?: DeploySecretValues;
}

/**
 * A workload whose rollout `codemie:deploy` waits for.
 *
 * @public
 */
export interface RenderedWorkload {
  /** The workload's kind. */
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  /** The workload's namespace. */
  namespace: string;
  /** The workload's name. */
  name: string;
  /** Pods expected (DaemonSets: 0 — one per node, known only in the cluster). */
  replicas: number;
  /** Requests of each pod, CPU millicores and memory MiB (all containers). */
  requests: { cpuMillis: number; memoryMiB: number };
  /** Persistent volume per pod, GiB. */
  storageGiBPerPod: number;
}

/**
 * The objects of one component, in the order they are listed (apply order is decided by kind).
 *
 * @public
 */
export interface RenderedComponent {
  /** The component the objects belong to. */
  componentId: DeployComponentId;
  /** The component's name as the catalog shows it. */
  displayName: string;
  /** The component's Kubernetes objects. */
  objects: KubernetesObject[];
  /** Its workloads, whose rollouts the deploy waits for. */
  workloads: RenderedWorkload[];
}
