import crypto from 'node:crypto';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { LLM_PROXY_TYPES } from '@codemie-gcp/plugin-codemie-common';
import type { z as zod } from 'zod/v3';
import { GoogleClients } from '../gcp/GoogleClients';
import { ClusterConnector } from '../kubernetes/ClusterConnector';
import {
  CODEMIE_DEFAULT_REGISTRY,
  DEFAULT_TIMEOUT_SECONDS,
  DEPLOY_FIELD_MANAGER,
  IMAGE_KEYS,
  RenderedComponent,
  RolloutError,
  allObjects,
  applyComponents,
  deploySettings,
  loadOrGenerateCredentials,
  parseDeployInput,
  renderEnvironment,
  summarizeRender,
  waitForRollout,
  writeManifests,
} from '../deploy';
import { accessSecret, dockerConfigJson } from '../deploy/secretSources';
import { examples } from './codemieDeploy.examples';

type Z = typeof zod;

/** Options of {@link createCodemieDeployAction}. */
export interface CodemieDeployActionOptions {
  google: GoogleClients;
  /** Between rollout polls (default 2000 ms); tests poll faster. */
  pollIntervalMs?: number;
  /** A definitive pod problem (image pull, unschedulable, crash loop) lasting this long fails early (default 120 s). */
  failFastSeconds?: number;
}

const summaryShape = (z: Z) =>
  z.object({
    objects: z.number(),
    components: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        objects: z.number(),
        kinds: z.record(z.number()),
        pods: z.number(),
        perNode: z.boolean(),
        requests: z.object({ cpuMillis: z.number(), memoryMiB: z.number() }),
        storageGiB: z.number(),
      }),
    ),
    totalRequests: z.object({
      cpuMillis: z.number(),
      memoryMiB: z.number(),
      cpu: z.string(),
      memory: z.string(),
    }),
    perNodeRequests: z.object({
      cpuMillis: z.number(),
      memoryMiB: z.number(),
      cpu: z.string(),
      memory: z.string(),
    }),
    storageGiB: z.number(),
    ingressHosts: z.array(z.string()),
  });

/** A short digest of what will be applied, without secret values (names the apply checkpoint). */
function fingerprint(components: RenderedComponent[]): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(allObjects(components)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * `codemie:deploy`: renders the sized CodeMie workloads for an environment and applies them to
 * its GKE cluster with server-side apply, then waits for the rollout.
 *
 * @public
 */
export function createCodemieDeployAction(options: CodemieDeployActionOptions) {
  const { google } = options;
  return createTemplateAction({
    id: 'codemie:deploy',
    description:
      'Renders the sized CodeMie workloads (Deployments, StatefulSets, DaemonSet, Services, Ingresses, PDBs, Secrets) ' +
      'and applies them to the GKE cluster with server-side apply, then waits until every component is ready. ' +
      'Re-running with the same inputs changes nothing. Dry run: renders and summarises without contacting a cluster.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        environment: (z: Z) =>
          z
            .string()
            .describe(
              'Environment name: value of the codemie.ai/environment label',
            ),
        kubernetesId: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              "Value of the backstage.io/kubernetes-id label (default: entityRef's name, else the environment name)",
            ),
        entityRef: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              'Entity ref of the environment resource, e.g. resource:default/codemie-dev',
            ),
        cluster: (z: Z) =>
          z
            .string()
            .describe(
              'GKE cluster: projects/<project>/locations/<location>/clusters/<cluster>',
            ),
        domain: (z: Z) =>
          z
            .string()
            .describe(
              'Domain: codemie.<domain>, keycloak.<domain>, kibana.<domain>',
            ),
        option: (z: Z) =>
          z
            .string()
            .describe(
              "'public' (external load balancer for allowed networks) or 'private' (internal load balancer)",
            ),
        allowedNetworks: (z: Z) =>
          z
            .array(z.string())
            .optional()
            .describe(
              'Public option: CIDRs allowed to reach the load balancer',
            ),
        ingressAddress: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              "The ingress load balancer's reserved address (codemie:gcp:provision's ingressAddress)",
            ),
        allowPublicInternet: (z: Z) =>
          z
            .boolean()
            .optional()
            .describe('Public option: allow 0.0.0.0/0 (off by default)'),
        sizing: (z: Z) =>
          z
            .object({
              concurrentUsers: z.number(),
              vectorDatasourceGiB: z.number(),
              logRetentionDays: z.number(),
              llmProxyType: z
                .string()
                .describe(`LLM proxy: ${LLM_PROXY_TYPES.join(', ')}`),
              includeNats: z.boolean().optional(),
            })
            .describe(
              'Sizing inputs (the sizing engine turns them into replicas, requests, limits and volumes)',
            ),
        googleServiceAccount: (z: Z) =>
          z
            .string()
            .describe(
              'Google service account of the API and LiteLLM (Workload Identity annotation iam.gke.io/gcp-service-account)',
            ),
        database: (z: Z) =>
          z
            .object({
              host: z.string().describe('Private IP of the Cloud SQL instance'),
              connectionName: z
                .string()
                .describe('<project>:<region>:<instance>'),
              secrets: z
                .object({
                  codemie: z
                    .string()
                    .describe(
                      'Secret Manager secret with the codemie user password',
                    ),
                  keycloak: z
                    .string()
                    .optional()
                    .describe(
                      'Keycloak uses Cloud SQL (else its own in-cluster PostgreSQL)',
                    ),
                  litellm: z
                    .string()
                    .optional()
                    .describe('LiteLLM keeps its state in Cloud SQL'),
                })
                .describe(
                  'Secret Manager secret ids or names (projects/<p>/secrets/<id>[/versions/<v>])',
                ),
            })
            .describe('Cloud SQL connection'),
        images: (z: Z) =>
          z
            .record(z.string())
            .optional()
            .describe(
              `Image overrides: registry (EPAM's, default ${CODEMIE_DEFAULT_REGISTRY}), version (CodeMie's tag) or a full reference per key: ${IMAGE_KEYS.join(', ')}`,
            ),
        imagePullSecret: (z: Z) =>
          z
            .object({
              name: z
                .string()
                .optional()
                .describe('Secret name (default gcp-artifact-registry)'),
              secret: z
                .string()
                .describe(
                  'Task secret holding the Docker config or the registry service-account key',
                ),
            })
            .optional()
            .describe("Pull secret for EPAM's registry"),
        apiEnv: (z: Z) =>
          z
            .record(z.string())
            .optional()
            .describe(
              'Extra environment of the CodeMie API (e.g. KMS key, bucket)',
            ),
        timeoutSeconds: (z: Z) =>
          z
            .number()
            .optional()
            .describe(`Rollout timeout (default ${DEFAULT_TIMEOUT_SECONDS})`),
        writeManifests: (z: Z) =>
          z
            .boolean()
            .optional()
            .describe(
              'Also write manifests/<component>.yaml into the workspace (without secret values)',
            ),
      },
      output: {
        components: (z: Z) =>
          z
            .array(
              z.object({
                id: z.string(),
                ready: z.number(),
                expected: z.number(),
              }),
            )
            .describe('Per component: ready and expected pods'),
        objects: (z: Z) =>
          z.number().describe('Objects rendered (and applied)'),
        ingressHosts: (z: Z) =>
          z.array(z.string()).describe('Hosts served by the ingress'),
        summary: (z: Z) =>
          summaryShape(z).describe('Objects per component and total requests'),
        manifests: (z: Z) =>
          z
            .array(z.string())
            .optional()
            .describe('Workspace paths of the written manifests'),
      },
    },
    async handler(ctx) {
      // Validate everything before reading or applying anything.
      const input = parseDeployInput(ctx.input);
      const plain = renderEnvironment(deploySettings(input));
      const summary = summarizeRender(plain);
      const tier = deploySettings(input).sizing.tier;
      ctx.logger.info(
        `CodeMie environment ${input.environment} (${tier} tier): ${summary.objects} objects in ${summary.components.length} components; ` +
          `pods request ${summary.totalRequests.cpu} CPU and ${summary.totalRequests.memory} memory, plus ` +
          `${summary.perNodeRequests.cpu} CPU and ${summary.perNodeRequests.memory} per node; volumes ${summary.storageGiB}Gi`,
      );
      if (!input.images.registry && !input.images.overrides?.['codemie-api']) {
        ctx.logger.warn(
          `images.registry is not set: CodeMie's images are taken from the placeholder ${CODEMIE_DEFAULT_REGISTRY}; set it to the Artifact Registry path EPAM issued`,
        );
      }
      ctx.output('summary', summary);
      ctx.output('objects', summary.objects);
      ctx.output('ingressHosts', summary.ingressHosts);
      if (input.writeManifests) {
        const files = await writeManifests(ctx.workspacePath, plain);
        ctx.logger.info(
          `Wrote ${files.length} manifest files to the workspace (${files[0]} …; Secrets without values)`,
        );
        ctx.output('manifests', files);
      }

      if (ctx.isDryRun) {
        for (const c of summary.components) {
          const kinds = Object.entries(c.kinds)
            .map(([k, n]) => `${n} ${k}`)
            .join(', ');
          const pods = c.pods
            ? `; ${c.pods} pod(s)${c.perNode ? ' per node' : ''} requesting ${c.requests.cpuMillis}m CPU, ${c.requests.memoryMiB}Mi`
            : '';
          ctx.logger.info(
            `[dry run] ${c.id}: ${c.objects} objects (${kinds})${pods}`,
          );
        }
        ctx.output(
          'components',
          summary.components
            .filter(c => c.pods > 0)
            .map(c => ({ id: c.id, ready: 0, expected: c.pods })),
        );
        return;
      }

      const pullConfig = input.imagePullSecret
        ? dockerConfigJson(
            ctx.secrets,
            input.imagePullSecret.secret,
            (input.images.registry ?? CODEMIE_DEFAULT_REGISTRY).split('/')[0],
          )
        : undefined;

      const kc = await new ClusterConnector(google).kubeConfig(input.cluster);
      const core = kc.makeApiClient(CoreV1Api);
      const keycloakDbInCluster = !input.database.secrets.keycloak;
      const { credentials, generated } = await loadOrGenerateCredentials(core, {
        keycloakDbInCluster,
      });
      ctx.logger.info(
        generated > 0
          ? `Generated ${generated} credential(s) for this environment; the others are kept from the cluster`
          : 'Kept every generated credential from the cluster',
      );
      const secretsInput = input.database.secrets;
      const withProxy = summary.components.some(c => c.id === 'llm-proxy');
      const [codemieDbPassword, keycloakDbPassword, litellmDbPassword] =
        await Promise.all([
          accessSecret(
            google,
            'database.secrets.codemie',
            secretsInput.codemie,
            input.projectId,
          ),
          secretsInput.keycloak
            ? accessSecret(
                google,
                'database.secrets.keycloak',
                secretsInput.keycloak,
                input.projectId,
              )
            : Promise.resolve(credentials.keycloakDbPassword!),
          secretsInput.litellm && withProxy
            ? accessSecret(
                google,
                'database.secrets.litellm',
                secretsInput.litellm,
                input.projectId,
              )
            : Promise.resolve(undefined),
        ]);
      const rendered = renderEnvironment(
        deploySettings(input, {
          ...credentials,
          keycloakDbPassword,
          codemieDbPassword,
          ...(litellmDbPassword ? { litellmDbPassword } : {}),
          ...(pullConfig ? { dockerConfigJson: pullConfig } : {}),
        }),
      );

      // The checkpoint names what was applied (without secret values), so a resumed task skips
      // straight to waiting when the same rendering was already applied.
      await ctx.checkpoint({
        key: `codemie-deploy-apply-${input.environment}-${fingerprint(plain)}`,
        fn: async () => {
          const started = Date.now();
          const result = await applyComponents(kc, rendered, {
            signal: ctx.signal,
            onNote: line => ctx.logger.info(line),
          });
          ctx.logger.info(
            `Applied ${result.applied} objects with server-side apply (field manager ${DEPLOY_FIELD_MANAGER}) in ${Date.now() - started} ms`,
          );
          return { applied: result.applied };
        },
      });

      ctx.logger.info(
        `Waiting up to ${input.timeoutSeconds} s for ${summary.components.filter(c => c.pods > 0).length} components to roll out`,
      );
      try {
        const states = await waitForRollout(kc, {
          environment: input.environment,
          workloads: rendered.flatMap(c =>
            c.workloads.map(w => ({ ...w, componentId: c.componentId })),
          ),
          timeoutMs: input.timeoutSeconds * 1000,
          pollIntervalMs: options.pollIntervalMs,
          failFastMs:
            options.failFastSeconds !== undefined
              ? options.failFastSeconds * 1000
              : undefined,
          signal: ctx.signal,
          onProgress: line => ctx.logger.info(line),
        });
        ctx.output(
          'components',
          states.map(s => ({ id: s.id, ready: s.ready, expected: s.expected })),
        );
        ctx.logger.info(
          `CodeMie environment ${input.environment} is ready: ${summary.ingressHosts.map(h => `https://${h}`).join(', ')}`,
        );
      } catch (e) {
        if (e instanceof RolloutError) {
          ctx.output(
            'components',
            e.components.map(s => ({
              id: s.id,
              ready: s.ready,
              expected: s.expected,
            })),
          );
          ctx.logger.error(e.message);
        }
        throw e;
      }
    },
  });
}
