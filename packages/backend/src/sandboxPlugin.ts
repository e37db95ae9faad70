/*
 * The local portal's GCP sandbox: when `codemie.sandbox.enabled` is true (app-config.yaml),
 * Google Cloud and cluster calls of this backend process go to an in-memory emulation instead
 * of Google, and a ready demo environment exists from the start. Never enabled in production
 * configuration (app-config.production.yaml sets it false).
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  Durations,
  FaultRule,
  GcpSandbox,
} from '@codemie-gcp/gcp-sandbox';
import {
  codemieStoreServiceRef,
  renderCodemieObjects,
} from '@codemie-gcp/plugin-codemie-backend';
import {
  SIZING_PRESETS,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';

/** The demo environment's inputs: what the "Create CodeMie environment" template would send. */
const DEMO = {
  name: 'codemie-demo',
  projectId: 'codemie-sandbox',
  region: 'europe-west3',
  option: 'private',
  bastionMembers: ['group:platform-engineering@example.com'],
  domain: 'demo.codemie.example.com',
  sizing: { ...SIZING_PRESETS.small },
};

/** Which component the demo shows restarting, so the entity page has a true problem to show. */
const DEMO_RESTARTING_COMPONENT = 'mcp-connect';

export const codemieSandboxPlugin = createBackendPlugin({
  pluginId: 'codemie-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
        store: codemieStoreServiceRef,
      },
      async init({ config, logger, lifecycle, store }) {
        if (!config.getOptionalBoolean('codemie.sandbox.enabled')) return;
        // Real milliseconds per simulated second: a 7-minute GKE creation takes ~8 s locally.
        const timeScale =
          config.getOptionalNumber('codemie.sandbox.timeScale') ?? 20;
        // Durations in simulated seconds may be shortened for rehearsals (e.g. the browser test
        // lets Google release a peering in a minute rather than days).
        const durations =
          config.getOptional<Partial<Durations>>('codemie.sandbox.durations') ??
          {};
        const sandbox = await GcpSandbox.create({ timeScale, durations });
        // Faults to rehearse failures in the local portal (e.g. the browser test's Retry):
        // `codemie.sandbox.faults`, each a FaultRule of the sandbox.
        for (const rule of config.getOptional<FaultRule[]>(
          'codemie.sandbox.faults',
        ) ?? []) {
          sandbox.faults.add(rule);
        }
        sandbox.listen();
        lifecycle.addShutdownHook(() => sandbox.close());

        const input = validateEnvironmentInput(DEMO);
        const cluster = `projects/${DEMO.projectId}/locations/${DEMO.region}/clusters/${DEMO.name}-gke`;
        const outputs = {
          clusterName: cluster,
          googleServiceAccount: `${DEMO.name}-codemie@${DEMO.projectId}.iam.gserviceaccount.com`,
          sqlPrivateIp: '10.100.0.3',
          sqlConnectionName: `${DEMO.projectId}:${DEMO.region}:${DEMO.name}-pg`,
          databaseSecrets: {
            codemie: `${DEMO.name}-codemie-db-password`,
            keycloak: `${DEMO.name}-keycloak-db-password`,
            litellm: `${DEMO.name}-litellm-db-password`,
          },
        };
        const objects = renderCodemieObjects({ input, outputs });
        const demo = await sandbox.seedDemo({
          projectId: DEMO.projectId,
          name: DEMO.name,
          region: DEMO.region,
          domain: DEMO.domain,
          option: DEMO.option as 'public' | 'private',
          preset: 'small',
          objects: objects as any,
          crashLoop: { component: DEMO_RESTARTING_COMPONENT },
        });
        await store.upsertEnvironment({
          projectId: DEMO.projectId,
          name: DEMO.name,
          owner: 'group:default/platform-engineering',
          state: 'ready',
          spec: {
            input,
            tier: 'small',
            description:
              'Demo environment of the built-in GCP sandbox: all workloads running, one restarting.',
            system: 'codemie-on-gcp',
          },
          outputs: { ...outputs, clusterName: demo.cluster },
        });
        logger.info(
          `GCP sandbox on: Google Cloud and cluster calls are emulated in memory; demo environment ${DEMO.name} seeded (${demo.machineType} × ${demo.nodesPerZone} per zone)`,
        );
      },
    });
  },
});
