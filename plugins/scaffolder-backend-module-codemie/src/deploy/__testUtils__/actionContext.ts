import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { SandboxClusterServer } from './sandbox';

/** A context whose log lines (every level) are captured as text. */
export function context(
  input: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (...args: unknown[]) => {
      lines.push(
        `${level} ${args.map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`,
      );
    };
  const logger: any = {
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    debug: record('debug'),
  };
  logger.child = () => logger;
  const base = createMockActionContext({
    input: input as any,
    logger,
    ...extra,
  });
  // createMockActionContext drops isDryRun and signal: put them back.
  const ctx = { ...base, logger, ...extra } as any;
  const outputs = (): Record<string, any> =>
    Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]: [string, unknown]) => [
        k,
        v,
      ]),
    );
  return { ctx, lines, outputs };
}

/** resourceVersion of every object of the environment (and its PVCs and pods). */
export function snapshot(server: SandboxClusterServer): Map<string, string> {
  const kinds = [
    'Namespace',
    'StorageClass',
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
    'Service',
    'apps/v1/Deployment',
    'apps/v1/StatefulSet',
    'apps/v1/DaemonSet',
    'apps/v1/ReplicaSet',
    'PodDisruptionBudget',
    'Ingress',
    'IngressClass',
    'PersistentVolumeClaim',
    'Pod',
  ];
  const out = new Map<string, string>();
  for (const kind of kinds) {
    for (const o of server.objects(kind)) {
      if (o.metadata?.labels?.['codemie.ai/environment'] !== 'codemie-dev')
        continue;
      out.set(
        `${o.kind ?? kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`,
        o.metadata.resourceVersion,
      );
    }
  }
  return out;
}

export function changed(
  before: Map<string, string>,
  after: Map<string, string>,
): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter(k => before.get(k) !== after.get(k)).sort();
}

/** Every secret value stored in the cluster's Secrets, decoded. */
export function secretValuesIn(server: SandboxClusterServer): string[] {
  return (
    server
      .objects('Secret')
      .filter(
        s => s.metadata?.labels?.['codemie.ai/environment'] === 'codemie-dev',
      )
      .flatMap(s =>
        Object.values<string>(s.data ?? {}).map(v =>
          Buffer.from(v, 'base64').toString('utf8'),
        ),
      )
      // Short or public values (user names, hosts) are not secrets.
      .filter(
        v =>
          v.length >= 16 &&
          !/^(elastic|admin|codemie|keycloak|10\.40\.0\.3)$/.test(v),
      )
  );
}
