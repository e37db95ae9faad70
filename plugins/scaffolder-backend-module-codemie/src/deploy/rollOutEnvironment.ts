/**
 * Applies a rendered environment with its secret values and waits for the rollout: what
 * `codemie:deploy` does for a create or a re-deploy and `codemie:resize` for a new sizing or
 * image version. Secret values are read (Secret Manager, the cluster) only here and go only into
 * the applied Secrets.
 */
import crypto from 'node:crypto';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  GoogleClients,
  ClusterConnector,
} from '@codemie-gcp/plugin-codemie-node';
import type { Clock } from '@codemie-gcp/plugin-codemie-node';
import { DEPLOY_FIELD_MANAGER, applyComponents } from './applyComponents';
import { loadOrGenerateCredentials } from './credentials';
import type { DeployInput } from './deployInput';
import {
  CODEMIE_DEFAULT_REGISTRY,
  RenderedComponent,
  allObjects,
  renderEnvironment,
  summarizeRender,
} from './render';
import { accessSecret, dockerConfigJson } from './secretSources';
import { deploySettings } from './settings';
import { ComponentRollout, waitForRollout } from './waitForRollout';

/** The part of an action context the rollout uses. */
export interface RollOutContext {
  logger: { info(line: string): void; warn(line: string): void };
  secrets?: Record<string, string>;
  signal?: AbortSignal;
  checkpoint: ActionContext<any, any, any>['checkpoint'];
}

/** Options of {@link rollOutEnvironment}. */
export interface RollOutOptions {
  google: GoogleClients;
  /** Between rollout polls (default 2000 ms). */
  pollIntervalMs?: number;
  /** The clock the rollout wait runs on; default the real one. */
  clock?: Clock;
  /** A definitive pod problem lasting this long fails the wait early (default 120 s). */
  failFastSeconds?: number;
  /**
   * The registry pull secret is recorded but no task secret gives its value (a resize): keep the
   * value the cluster has.
   */
  keepClusterPullSecret?: boolean;
  /** Names the apply checkpoint (default `codemie-deploy-apply`). */
  checkpointPrefix?: string;
}

/** A short digest of what will be applied, without secret values (names the apply checkpoint). */
export function renderFingerprint(components: RenderedComponent[]): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify(allObjects(components)))
    .digest('hex')
    .slice(0, 16);
}

/** The `.dockerconfigjson` of the pull secret the cluster has, if any. */
async function clusterPullSecret(
  core: CoreV1Api,
  name: string,
): Promise<string | undefined> {
  try {
    const secret = await core.readNamespacedSecret({
      name,
      namespace: 'codemie',
    });
    const value = secret.data?.['.dockerconfigjson'];
    return value ? Buffer.from(value, 'base64').toString('utf8') : undefined;
  } catch (e) {
    if ((e as { code?: number }).code === 404) return undefined;
    throw e;
  }
}

/**
 * Applies `plain`'s rendering of `input` with every secret value (kept from the cluster,
 * generated once, or read from Secret Manager) and waits until every component has rolled out,
 * logging each component's ready count as it changes. Applying the same rendering again is
 * skipped within one task (checkpoint) and changes nothing on the server otherwise.
 *
 * @throws RolloutError when the rollout times out or cannot finish.
 */
export async function rollOutEnvironment(
  ctx: RollOutContext,
  options: RollOutOptions,
  input: DeployInput,
  plain: RenderedComponent[],
  kubeConfig?: KubeConfig,
): Promise<ComponentRollout[]> {
  const { google } = options;
  const summary = summarizeRender(plain);
  const kc =
    kubeConfig ??
    (await new ClusterConnector(google).kubeConfig(input.cluster));
  const core = kc.makeApiClient(CoreV1Api);
  let pullConfig: string | undefined;
  if (input.imagePullSecret) {
    pullConfig =
      options.keepClusterPullSecret &&
      !ctx.secrets?.[input.imagePullSecret.secret]
        ? await clusterPullSecret(core, input.imagePullSecret.name)
        : dockerConfigJson(
            ctx.secrets,
            input.imagePullSecret.secret,
            (input.images.registry ?? CODEMIE_DEFAULT_REGISTRY).split('/')[0],
          );
  }
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
    key: `${options.checkpointPrefix ?? 'codemie-deploy-apply'}-${input.environment}-${renderFingerprint(plain)}`,
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
  return waitForRollout(kc, {
    environment: input.environment,
    workloads: rendered.flatMap(c =>
      c.workloads.map(w => ({ ...w, componentId: c.componentId })),
    ),
    timeoutMs: input.timeoutSeconds * 1000,
    pollIntervalMs: options.pollIntervalMs,
    clock: options.clock,
    failFastMs:
      options.failFastSeconds !== undefined
        ? options.failFastSeconds * 1000
        : undefined,
    signal: ctx.signal,
    onProgress: line => ctx.logger.info(line),
  });
}
