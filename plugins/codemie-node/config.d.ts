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
       * Simulated seconds of the sandbox's long operations, overriding Google-like defaults
       * (e.g. `peeringRelease: 60` instead of four days, for rehearsals).
       */
      durations?: { [operation: string]: number };
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
        /** Tries per call, the first included. Default 6. */
        attempts?: number;
        /** First backoff in ms, doubling. Default 1000. */
        baseDelayMillis?: number;
        /** Longest backoff in ms. Default 30000. */
        maxDelayMillis?: number;
        /** First poll interval of long operations in ms, growing to maxPollMillis. Default 2000. */
        pollMillis?: number;
        /** Longest poll interval in ms. Default 15000. */
        maxPollMillis?: number;
      };
    };
    /**
     * Overrides of the bundled price table (USD), merged deeply: e.g. negotiated discounts,
     * `machineTypes: { e2-standard-8: { price: { europe-west1: { hour: 0.25 } } } }`.
     */
    prices?: object;
  };
}
