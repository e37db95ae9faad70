/**
 * Test helpers: start a sandbox cluster and talk to it with @kubernetes/client-node, exactly
 * as the plugins will (TLS with the cluster's CA, bearer token).
 */
import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { FaultInjector } from '../../core/FaultInjector';
import { Journal } from '../../core/Journal';
import { SandboxClock, type SandboxClockMode } from '../../core/SandboxClock';
import { KubernetesApiServer } from '../KubernetesApiServer';
import { KubernetesObject, SandboxNode } from '../types';

/** An e2-standard-8 node (unless overridden). */
export function node(
  name: string,
  overrides: Partial<SandboxNode> = {},
): SandboxNode {
  return {
    name,
    nodePool: 'main',
    zone: 'europe-west3-a',
    machineType: 'e2-standard-8',
    vcpu: 8,
    memoryGiB: 32,
    maxPods: 110,
    ...overrides,
  };
}

/** A KubeConfig for a server; `withCa: false` leaves the CA out (TLS must then fail). */
export function kubeConfigFor(
  server: KubernetesApiServer,
  options: { withCa?: boolean; token?: string } = {},
): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'sandbox',
        server: `https://${server.endpoint}`,
        ...(options.withCa === false
          ? {}
          : {
              caData: Buffer.from(server.caCertificatePem).toString('base64'),
            }),
        skipTLSVerify: false,
      },
    ],
    users: [
      {
        name: 'user',
        ...(options.token === ''
          ? {}
          : { token: options.token ?? 'ya29.sandbox-token' }),
      },
    ],
    contexts: [{ name: 'sandbox', cluster: 'sandbox', user: 'user' }],
    currentContext: 'sandbox',
  });
  return kc;
}

/** A running sandbox cluster and clients for it. */
export interface TestCluster {
  server: KubernetesApiServer;
  clock: SandboxClock;
  journal: Journal;
  faults: FaultInjector;
  kc: KubeConfig;
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  apps: AppsV1Api;
  /** Replaces the node list and tells the server. */
  setNodes(nodes: SandboxNode[]): void;
  /** Server-side apply as the deploy action will do it. */
  apply<T extends KubernetesObject>(obj: T, manager?: string): Promise<T>;
}

/**
 * Starts a cluster; 1 real ms per simulated second unless told otherwise, or on a `manual` clock
 * the test moves (see {@link advanceUntil}).
 */
export async function startCluster(
  options: {
    nodes?: SandboxNode[];
    timeScale?: number;
    clock?: SandboxClockMode;
  } = {},
): Promise<TestCluster> {
  const clock = new SandboxClock({
    mode: options.clock,
    timeScale: options.timeScale ?? 1,
  });
  const journal = new Journal();
  const faults = new FaultInjector();
  let nodes = options.nodes ?? [node('gke-test-main-0')];
  const server = await KubernetesApiServer.start({
    clusterName: 'test',
    clock,
    journal,
    faults,
    nodes: () => nodes,
  });
  const kc = kubeConfigFor(server);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  return {
    server,
    clock,
    journal,
    faults,
    kc,
    objects,
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    setNodes(next) {
      nodes = next;
      server.nodesChanged();
    },
    async apply(obj, manager = 'codemie-deploy') {
      return (await objects.patch(
        obj as any,
        undefined,
        undefined,
        manager,
        true,
        PatchStrategy.ServerSideApply,
      )) as any;
    },
  };
}

/** Polls `fn` until it returns a truthy value (real-time timeout). */
export async function waitFor<T>(
  fn: () =>
    Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 5000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as T;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${last ? `: ${last}` : ''}`,
      );
    await new Promise(r => setTimeout(r, 5));
  }
}

/**
 * On a manual clock: checks `fn`, moving simulated time `stepMs` at a time until it holds (at
 * most `limitMs`). What the cluster shows then does not depend on the machine's speed.
 */
export async function advanceUntil<T>(
  clock: SandboxClock,
  fn: () => Promise<T | undefined | null | false>,
  what = 'condition',
  { stepMs = 1000, limitMs = 600_000 } = {},
): Promise<T> {
  for (let waited = 0; ; waited += stepMs) {
    const value = await fn();
    if (value) return value as T;
    if (waited >= limitMs)
      throw new Error(`${what} not reached after ${limitMs} simulated ms`);
    await clock.advance(stepMs);
  }
}

/** A Deployment manifest. */
export function deployment(
  name: string,
  options: {
    namespace?: string;
    replicas?: number;
    image?: string;
    cpu?: string;
    memory?: string;
    component?: string;
    readinessDelay?: number;
    antiAffinity?: boolean;
  } = {},
): KubernetesObject {
  const labels = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': options.component ?? name,
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: options.namespace ?? 'default', labels },
    spec: {
      replicas: options.replicas ?? 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'app',
              image:
                options.image ??
                `europe-west3-docker.pkg.dev/epam/prod/${name}:1.0.0`,
              ports: [{ containerPort: 8080 }],
              resources: {
                requests: {
                  cpu: options.cpu ?? '100m',
                  memory: options.memory ?? '128Mi',
                },
              },
              ...(options.readinessDelay !== undefined
                ? {
                    readinessProbe: {
                      httpGet: { path: '/health', port: 8080 },
                      initialDelaySeconds: options.readinessDelay,
                    },
                  }
                : {}),
            },
          ],
          ...(options.antiAffinity
            ? {
                affinity: {
                  podAntiAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      {
                        labelSelector: {
                          matchLabels: { 'app.kubernetes.io/name': name },
                        },
                        topologyKey: 'kubernetes.io/hostname',
                      },
                    ],
                  },
                },
              }
            : {}),
        },
      },
    },
  };
}
