/** The Kubernetes service accounts of CodeMie that Workload Identity binds to Google service accounts: provisioning grants the binding, deploy renders the account. */

/** Kubernetes service account of the API, bound to the Google service account. @public */
export const API_SERVICE_ACCOUNT = {
  namespace: 'codemie',
  name: 'codemie-api',
};

/** Kubernetes service account of LiteLLM, bound to the Google service account. @public */
export const LITELLM_SERVICE_ACCOUNT = {
  namespace: 'litellm',
  name: 'litellm',
};
