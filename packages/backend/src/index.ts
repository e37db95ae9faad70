/*
 * The local and production backend of the CodeMie portal.
 *
 * Plugins are added with the new backend system; everything CodeMie-specific lives in
 * @codemie-gcp/plugin-codemie-backend (the plugin and its scaffolder module).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider is enough for the local portal; production config adds a real provider.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));

// CodeMie: the backend plugin (router under /api/codemie) and its scaffolder actions.
backend.add(import('@codemie-gcp/plugin-codemie-backend'));
backend.add(
  import('@codemie-gcp/plugin-codemie-backend').then(
    m => ({ default: m.codemieScaffolderModule }),
  ),
);

backend.start();
