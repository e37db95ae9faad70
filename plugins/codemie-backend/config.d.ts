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
    };
  };
}
