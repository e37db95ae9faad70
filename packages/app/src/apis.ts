import {
  ScmAuth,
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import {
  AnyApiFactory,
  configApiRef,
  createApiFactory,
} from '@backstage/core-plugin-api';

/**
 * The app's own API factories, as Backstage's create-app registers them
 * (packages/create-app/templates/default-app/packages/app/src/apis.ts).
 */
export const apis: AnyApiFactory[] = [
  // Catalog import and the scaffolder need to know the configured SCM integrations (none locally).
  createApiFactory({
    api: scmIntegrationsApiRef,
    deps: { configApi: configApiRef },
    factory: ({ configApi }) => ScmIntegrationsApi.fromConfig(configApi),
  }),
  // Catalog import (Register) asks for SCM credentials through scmAuthApiRef; without a factory
  // the page crashes with "No API factory available for dependency apiRef{core.scmauth}".
  ScmAuth.createDefaultApiFactory(),
];
