import {
  ScmAuth,
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import {
  AnyApiFactory,
  configApiRef,
  createApiFactory,
  discoveryApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import { scaffolderApiRef } from '@backstage/plugin-scaffolder-react';
import { UserFacingScaffolderClient } from './scaffolder/UserFacingScaffolderClient';

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
  // The scaffolder plugin's own client, built the same way, but task logs without stack frames.
  createApiFactory({
    api: scaffolderApiRef,
    deps: {
      discoveryApi: discoveryApiRef,
      scmIntegrationsApi: scmIntegrationsApiRef,
      fetchApi: fetchApiRef,
      identityApi: identityApiRef,
    },
    factory: deps => new UserFacingScaffolderClient(deps),
  }),
];
