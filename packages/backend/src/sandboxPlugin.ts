/*
 * The local portal's GCP sandbox: when `codemie.sandbox.enabled` is true (app-config.yaml),
 * Google Cloud and cluster calls of this backend process go to an in-memory emulation instead
 * of Google, and two ready environments exist from the start, each with a week of generated
 * usage history (labelled as sandbox data) so that their sizing advice shows at once:
 *
 * - `codemie-demo`, the platform team's: every kind of advice, one component restarting; a
 *   newcomer may look but not change it;
 * - `codemie-trial`, owned by the newcomers' group the local guest belongs to: its advice leads
 *   to a resize to the medium tier, which the guest may run from the entity page.
 *
 * Never enabled in production configuration (app-config.production.yaml sets it false).
 */
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';
// Types only: the sandbox (msw, node-forge, protobufjs) is loaded on demand (loadSandbox).
import type {
  Durations,
  FaultRule,
  GcpSandbox,
} from '@codemie-gcp/gcp-sandbox';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
  GoogleClients,
  googleClientsServiceRef,
  readCodemieConfig,
} from '@codemie-gcp/plugin-codemie-node';
import { CodemieStore } from '@codemie-gcp/plugin-codemie-backend';
import { durationToMilliseconds } from '@backstage/types';
import { renderCodemieObjects } from '@codemie-gcp/plugin-scaffolder-backend-module-codemie';
import {
  SIZING_PRESETS,
  sizeEnvironment,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';

const PROJECT = 'codemie-sandbox';
const REGION = 'europe-west3';

/** The token the portal's sandbox-backed Google clients present (the sandbox accepts any). */
const SANDBOX_ACCESS_TOKEN = 'sandbox-access-token';

/**
 * The backend's GCP sandbox, started on first use when `codemie.sandbox.enabled` is true;
 * `{ sandbox: undefined }` otherwise (a service must have a value: Backstage reports a service
 * whose factory returns nothing as missing). The sandbox package is loaded only when enabled,
 * so a production backend never loads it.
 */
export const gcpSandboxServiceRef = createServiceRef<{
  sandbox: GcpSandbox | undefined;
}>({
  id: 'codemie-portal.gcp-sandbox',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {
        config: coreServices.rootConfig,
        rootLifecycle: coreServices.rootLifecycle,
      },
      async factory({ config, rootLifecycle }) {
        const settings = readCodemieConfig(config).sandbox;
        if (!settings.enabled) {
          return { sandbox: undefined };
        }
        const { GcpSandbox } = loadSandbox();
        // Real milliseconds per simulated second: a 7-minute GKE creation takes ~8 s locally.
        const timeScale = settings.timeScale ?? 20;
        // Durations in simulated seconds may be shortened for rehearsals (e.g. the browser test
        // lets Google release a peering in a minute rather than days).
        const durations = settings.durationSeconds as Partial<Durations>;
        const sandbox = await GcpSandbox.create({ timeScale, durations });
        // Faults to rehearse failures in the local portal (e.g. the browser test's Retry):
        // `codemie.sandbox.faults`, each a FaultRule of the sandbox.
        for (const rule of settings.faults) {
          sandbox.faults.add(rule as FaultRule);
        }
        sandbox.listen();
        rootLifecycle.addShutdownHook(() => sandbox.close());
        return { sandbox };
      },
    }),
});

/**
 * The portal's Google clients: the sandbox's when `codemie.sandbox.enabled` is true, otherwise
 * the codemie plugin's default (real clients from `codemie.gcp` config).
 */
export const googleClientsFactory = createServiceFactory({
  service: googleClientsServiceRef,
  deps: {
    config: coreServices.rootConfig,
    rootLifecycle: coreServices.rootLifecycle,
    gcpSandbox: gcpSandboxServiceRef,
  },
  async factory({ config, rootLifecycle, gcpSandbox }) {
    const google = gcpSandbox.sandbox
      ? GoogleClients.fromAccessToken(SANDBOX_ACCESS_TOKEN, 'rest')
      : GoogleClients.fromConfig(config);
    rootLifecycle.addShutdownHook(() => google.close());
    return google;
  },
});

/** A seeded environment: what the "Create CodeMie environment" template would send, and more. */
interface SeededEnvironment {
  name: string;
  domain: string;
  owner: string;
  description: string;
  /** The component shown restarting, so the entity page has a true problem to show. */
  restarting?: string;
  /** Which of the sandbox's usage profiles its generated history follows. */
  profiles: 'demo' | 'trial';
}

const ENVIRONMENTS: SeededEnvironment[] = [
  {
    name: 'codemie-demo',
    domain: 'demo.codemie.example.com',
    owner: 'group:default/platform-engineering',
    description:
      'Demo environment of the built-in GCP sandbox: all workloads running, one restarting; a week of sandbox usage history with every kind of sizing advice.',
    restarting: 'mcp-connect',
    profiles: 'demo',
  },
  {
    name: 'codemie-trial',
    domain: 'trial.codemie.example.com',
    owner: 'group:default/codemie-newcomers',
    description:
      'Trial environment of the built-in GCP sandbox, owned by the newcomers: its sandbox usage history says it outgrows the small tier — resize it from its sizing advice.',
    profiles: 'trial',
  },
];

type SandboxModule = typeof import('@codemie-gcp/gcp-sandbox');

/**
 * The sandbox package, loaded only when the sandbox is enabled. The production build leaves it
 * out (a devDependency of this package), so enabling it there fails with this message.
 *
 * `require` rather than `import()`: both load it lazily, but Jest runs `import()` only under
 * --experimental-vm-modules, and Node's `import()` of the CLI-transformed TypeScript of
 * `npm start` sees its exports only as `default`.
 */
function loadSandbox(): SandboxModule {
  try {
    // eslint-disable-next-line @backstage/no-undeclared-imports -- a devDependency on purpose, see above
    return require('@codemie-gcp/gcp-sandbox');
  } catch (error) {
    if ((error as { code?: unknown })?.code !== 'MODULE_NOT_FOUND') {
      throw error;
    }
    throw new Error(
      'codemie.sandbox.enabled is true, but the GCP sandbox (@codemie-gcp/gcp-sandbox) is not installed; it is for the local portal only and the production build leaves it out. Set codemie.sandbox.enabled to false.',
      { cause: error },
    );
  }
}

/**
 * Seeds the sandbox's demo environments. A module of the codemie plugin rather than a plugin of
 * its own: the seeds are records and usage history in the codemie plugin's database, which only
 * the plugin and its own modules open (`coreServices.database` here is that database). Going
 * through the plugin's internal API instead would mean service-only write routes (upsert, usage
 * history) that exist for the sandbox alone.
 */
export const codemieSandboxModule = createBackendModule({
  pluginId: 'codemie',
  moduleId: 'gcp-sandbox',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        events: eventsServiceRef,
        gcpSandbox: gcpSandboxServiceRef,
      },
      async init({ config, logger, database, events, gcpSandbox }) {
        const { sandbox } = gcpSandbox;
        if (!sandbox) return;
        const store = await CodemieStore.create({ database });
        const {
          DEMO_USAGE_PROFILES,
          TRIAL_USAGE_PROFILES,
          demoComponentSizes,
          demoUsageHistory,
        } = loadSandbox();
        // The generated history is sampled as the sampler samples (every 5 minutes when the
        // frequency is a cron expression); readCodemieConfig refuses less than a minute.
        const frequency = readCodemieConfig(config).status.sampling.frequency;
        const sampleMinutes =
          'cron' in frequency || 'trigger' in frequency
            ? 5
            : Math.max(1, durationToMilliseconds(frequency) / 60_000);
        const profilesOf = (seeded: SeededEnvironment) =>
          seeded.profiles === 'trial'
            ? TRIAL_USAGE_PROFILES
            : DEMO_USAGE_PROFILES;

        for (const seeded of ENVIRONMENTS) {
          const input = validateEnvironmentInput({
            name: seeded.name,
            projectId: PROJECT,
            region: REGION,
            option: 'private',
            bastionMembers: ['group:platform-engineering@example.com'],
            domain: seeded.domain,
            sizing: { ...SIZING_PRESETS.small },
          });
          const outputs = {
            clusterName: `projects/${PROJECT}/locations/${REGION}/clusters/${seeded.name}-gke`,
            googleServiceAccount: `${seeded.name}-codemie@${PROJECT}.iam.gserviceaccount.com`,
            sqlPrivateIp: '10.100.0.3',
            sqlConnectionName: `${PROJECT}:${REGION}:${seeded.name}-pg`,
            databaseSecrets: {
              codemie: `${seeded.name}-codemie-db-password`,
              keycloak: `${seeded.name}-keycloak-db-password`,
              litellm: `${seeded.name}-litellm-db-password`,
            },
          };
          const objects = renderCodemieObjects({ input, outputs });
          const installed = await sandbox.seedDemo({
            projectId: PROJECT,
            name: seeded.name,
            region: REGION,
            domain: seeded.domain,
            option: 'private',
            preset: 'small',
            objects: objects as any,
            crashLoop: seeded.restarting
              ? { component: seeded.restarting }
              : null,
            usageProfiles: profilesOf(seeded),
          });
          const record = await store.upsertEnvironment({
            projectId: PROJECT,
            name: seeded.name,
            owner: seeded.owner,
            state: 'ready',
            spec: {
              input,
              tier: 'small',
              description: seeded.description,
              system: 'codemie-on-gcp',
            },
            outputs: { ...outputs, clusterName: installed.cluster },
          });

          // A week of usage, written through the store the sampler uses and marked as the
          // sandbox's. A database kept across restarts already has its history: left as it is.
          const history = store.usageHistory();
          const now = Date.now();
          if (
            (await history.samples(record.entityRef, now - 7 * 86_400_000))
              .length === 0
          ) {
            const samples = demoUsageHistory({
              now,
              components: demoComponentSizes(
                sizeEnvironment(input.sizing),
                installed.nodesPerZone * 3,
              ),
              profiles: profilesOf(seeded),
              intervalMinutes: sampleMinutes,
            });
            await history.record(record.entityRef, samples, {
              origin: 'sandbox',
            });
          }
          logger.info(
            `GCP sandbox: ${record.entityRef} seeded (${installed.machineType} × ${installed.nodesPerZone} per zone, owned by ${seeded.owner}) with a week of sandbox usage history`,
          );
        }
        // The catalog module may have listed the records before the seeds were written.
        await events.publish({
          topic: CODEMIE_ENVIRONMENTS_CHANGED_TOPIC,
          eventPayload: {},
        });
        logger.info(
          'GCP sandbox on: Google Cloud and cluster calls are emulated in memory',
        );
      },
    });
  },
});
