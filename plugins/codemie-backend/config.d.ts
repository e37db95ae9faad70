import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';
import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the CodeMie plugins. */
  codemie?: {
    /**
     * The built-in GCP sandbox: an in-memory emulation of the Google Cloud and Kubernetes APIs.
     * Only for the local portal and tests; never enable it in production.
     */
    sandbox?: {
      /** Route Google Cloud and cluster calls to the sandbox instead of Google. Default false. */
      enabled?: boolean;
      /** Real milliseconds per simulated second in the sandbox (local portal default 20). */
      timeScale?: number;
      /**
       * Simulated durations of the sandbox's long operations, overriding Google-like defaults
       * (e.g. `peeringRelease: 1m` instead of four days, for rehearsals).
       */
      durations?: { [operation: string]: HumanDuration | string };
      /**
       * Faults the sandbox answers with, to rehearse failures in the local portal (the browser
       * test fails one cluster create to exercise Retry). Each rule matches calls by service
       * (container, compute, sqladmin…), HTTP method and a substring of the path.
       */
      faults?: Array<{
        service?: string;
        method?: string;
        path?: string;
        /** HTTP status answered, 400–599. */
        status: number;
        /** Google's `error.status`, e.g. RESOURCE_EXHAUSTED. */
        grpcStatus?: string;
        message?: string;
        /** Fail only the Nth matching call. */
        nth?: number;
        /** Stop after failing this many calls. */
        times?: number;
      }>;
    };
    /** The catalog entities of the environments the portal provisioned. */
    catalog?: {
      /** System the environment entities belong to unless the template names one. */
      defaultSystem?: string;
      /**
       * The full refresh of the environment entities (changes show at once through events;
       * this is the fallback). Default every minute, timeout one minute; at least 10 seconds.
       */
      schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
    /** How the backend talks to Google Cloud. */
    gcp?: {
      /**
       * `rest` (default: HTTP/1.1 JSON, the transport the tests and sandbox exercise) or `grpc`.
       */
      transport?: 'rest' | 'grpc';
      /**
       * A short-lived OAuth access token to use instead of Application Default Credentials.
       * @visibility secret
       */
      accessToken?: string;
      /**
       * How the portal reaches a private-option cluster's control plane. `vpc` (default, secure):
       * no endpoint takes traffic from outside the VPC — run the portal in the environment's VPC
       * or a network connected to it; operators use the bastion. `dns-endpoint`: the DNS-based
       * endpoint takes external traffic authorized by IAM (`container.clusters.connect`).
       */
      privateClusterAccess?: 'vpc' | 'dns-endpoint';
      /**
       * The portal's own egress CIDRs, added to every cluster's authorized networks (labelled
       * `backstage-portal-N`) so deploy and the status page reach the control plane.
       */
      portalEgressCidrs?: string[];
      /** Retries of transient errors (429, 503, operation in progress) and polling of long operations. */
      retry?: {
        /** Tries per call, the first included, 2–20. Default 6. */
        attempts?: number;
        /** First backoff, doubling. Default 1s. */
        baseDelay?: HumanDuration | string;
        /** Longest backoff. Default 30s. */
        maxDelay?: HumanDuration | string;
        /** First poll interval of long operations, growing to maxPoll. Default 2s. */
        poll?: HumanDuration | string;
        /** Longest poll interval. Default 15s. */
        maxPoll?: HumanDuration | string;
      };
    };
    /**
     * Overrides of the bundled price table (USD), merged deeply: e.g. negotiated discounts,
     * `machineTypes: { e2-standard-8: { price: { europe-west1: { hour: 0.25 } } } }`. Used by
     * the form's preview, the plan, provisioning and the entity page's cost alike.
     */
    prices?: {
      /** Where the overriding figures come from (shown beside costs), e.g. a contract. */
      source?: string;
      /** The date of the overriding figures (YYYY-MM-DD). */
      date?: string;
      /** Hours billed per month (Google bills 730). */
      hoursPerMonth?: number;
      /** Machine types: vCPU, memory and per-region prices (`hour`, `hour_spot`). */
      machineTypes?: {
        [machineType: string]: {
          vcpu?: number;
          memoryGiB?: number;
          /** Per region: on-demand and spot per hour, committed use per month. */
          price?: {
            [region: string]: {
              hour?: number;
              hour_spot?: number;
              month_1y?: number;
              month_3y?: number;
            };
          };
        };
      };
      /** Persistent disk prices per GiB-month by disk type and region. */
      disks?: { [diskType: string]: { [region: string]: number } };
      /** Other services' prices (Cloud SQL, load balancing, NAT…), as in the bundled table. */
      [service: string]: unknown;
    };
    /** The installation status API (`/api/codemie/v1/entities/…/status`) and its usage history. */
    status?: {
      /** How long a cluster read is served from the cache (Backstage cache). Default 30s. */
      cacheTtl?: HumanDuration | string;
      /** A read of GKE, the cluster and Cloud SQL taking longer fails with 502. Default 20s. */
      timeout?: HumanDuration | string;
      /**
       * The usage sampler's schedule: every environment's usage into its history. Default every
       * 5 minutes, first after 1 minute, timeout 5 minutes; at least a minute apart (each
       * sample reads every cluster). Runs on one replica at a time.
       */
      sampling?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** How long usage samples are kept; also the longest history window served. Default 30d. */
      historyRetention?: HumanDuration | string;
      /** How much history the sizing advice looks at (at most the retention). Default 7d. */
      adviceWindow?: HumanDuration | string;
      /** No sizing advice until the history spans this long. Default 24h. */
      adviceMinHistory?: HumanDuration | string;
      /**
       * Google Cloud projects whose CodeMie environments were created elsewhere (not by this
       * portal): their entities' annotations are trusted to name the cluster and database.
       * Environments this portal created are always read from their records. Default none.
       */
      externalProjects?: string[];
    };
  };
}
