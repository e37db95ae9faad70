/*
 * The local and production backend of the CodeMie portal.
 *
 * Plugins are added with the new backend system; everything CodeMie-specific lives in
 * the @codemie-gcp/plugin-codemie-* packages (the plugin and its scaffolder and catalog modules).
 */
// First: a production backend with a required setting missing would fall back to app-config.yaml's
// local values (localhost URLs, guest sign-in); it exits instead, naming everything missing.
import './productionCheck';
import { createBackend } from '@backstage/backend-defaults';
import { codemieSandboxModule, googleClientsFactory } from './sandboxPlugin';
import { codemiePermissionPolicyModule } from './permissionPolicy';
import { rootHttpRouter } from './rootHttpRouter';

const backend = createBackend();

// Error responses without stack traces, also under `npm start` (the traces go to the backend log).
backend.add(rootHttpRouter);

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for the local portal (it refuses unless NODE_ENV=development); Google in
// production (app-config.production.yaml), signing in the catalog user with the same email.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-google-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// Owners change and destroy their CodeMie environments; see permissionPolicy.ts to replace it.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(codemiePermissionPolicyModule);

backend.add(import('@backstage/plugin-scaffolder-backend'));

// CodeMie: the backend plugin (router under /api/codemie) and its scaffolder actions.
backend.add(import('@codemie-gcp/plugin-codemie-backend'));
backend.add(import('@codemie-gcp/plugin-scaffolder-backend-module-codemie'));
// The environments the portal provisioned, as catalog entities.
backend.add(import('@codemie-gcp/plugin-catalog-backend-module-codemie'));

// Backstage's Kubernetes plugin (the Kubernetes tab of an environment's entity page), with every
// CodeMie environment's GKE cluster found from the codemie plugin's records.
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@codemie-gcp/plugin-kubernetes-backend-module-codemie'));

// The built-in GCP sandbox for the local portal (inactive unless codemie.sandbox.enabled): the
// Google clients talk to it, and it starts with seeded demo environments. The sandbox package
// is loaded only when enabled.
backend.add(googleClientsFactory);
backend.add(codemieSandboxModule);

// A plugin that fails to start (e.g. an invalid codemie.* setting) must stop the process: a
// backend that keeps running without it answers liveness probes and is never restarted.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend failed to start:', error);
  process.exit(1);
});
