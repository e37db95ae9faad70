export * from './types';
export * from './images';
export {
  DEPLOY_LABELS,
  SECRET_VALUES_OMITTED_ANNOTATION,
  INGRESS_CLASS,
  hostsOf,
} from './common';
export { STORAGE_CLASS, namespacesOf } from './platform';
export { API_SERVICE_ACCOUNT } from '@codemie-gcp/plugin-codemie-common';
export { LITELLM_SERVICE_ACCOUNT } from '@codemie-gcp/plugin-codemie-common';
export { KEYCLOAK_REALM } from './keycloak';
export * from './renderEnvironment';
