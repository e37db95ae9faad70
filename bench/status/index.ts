/**
 * Status API benchmark: 50 concurrent callers for 20 s against one CodeMie environment (the
 * production tier seeded into a GCP sandbox cluster) while every Kubernetes API call takes an
 * extra 50 ms. Reports latency as a multiple of one Kubernetes round trip and the Kubernetes
 * calls each status request cost.
 *
 * The whole plugin runs in a test backend (httpAuth, allow-all permissions, the Backstage cache
 * service in memory, the real catalog backend plugin serving the environment's entity from an
 * entity provider) and is called over HTTP, so the figures include authentication, the catalog
 * read (the plugin's catalog client calls the catalog over HTTP, as in the portal), the
 * permission check and JSON serialisation.
 *
 * With the default cache window the same backend also answers, phase after phase with the same
 * callers: a bare catalog entity read (`GET /api/catalog/entities/by-name/…`, the catalog's own
 * authentication, permission check, database read and serialisation of the same entity), the
 * warm status read, and the status read as the entity page polls it (`If-None-Match` with the
 * last ETag: 304 with no body). `status: warm/catalog=<x>` is the catalog read's throughput over
 * the warm status read's (how many catalog reads one status read costs).
 *
 * Run: npm run bench:status   (options: --seconds 20 --callers 50 --latency 50)
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Pool } from 'undici';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CODEMIE_ANNOTATIONS } from '@codemie-gcp/plugin-codemie-common';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { planNodePool, sizePreset } from '@codemie-gcp/plugin-codemie-common';
import codemiePlugin from '@codemie-gcp/plugin-codemie-backend';
import {
  createCluster,
  createNetwork,
  environmentEntity,
  renderWorkloads,
} from '@codemie-gcp/plugin-codemie-backend/testUtils';
import { sandboxGoogleClientsFactory } from '@codemie-gcp/plugin-codemie-node/testUtils';

import { Entity } from '@backstage/catalog-model';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import kubernetesModuleCodemieClusters from '@codemie-gcp/plugin-kubernetes-backend-module-codemie';
import {
  CodemieEnvironmentStore,
  EnvironmentRecord,
  codemieEnvironmentStoreServiceRef,
} from '@codemie-gcp/plugin-codemie-node';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const SECONDS = arg('seconds', 20);
const CALLERS = arg('callers', 50);
const LATENCY_MS = arg('latency', 50);
const ENVIRONMENT = 'bench';

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(
      sorted.length - 1,
      Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
    )
  ];
}

/**
 * GET through undici's own client: the sandbox's msw interceptors patch node:http and the
 * global fetch, and would otherwise add their cost to every measured request.
 */
async function get(
  pool: Pool,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ code: number; etag?: string }> {
  const res = await pool.request({ method: 'GET', path, headers });
  await res.body.text();
  const etag = res.headers.etag;
  return {
    code: res.statusCode,
    ...(typeof etag === 'string' ? { etag } : {}),
  };
}

/** CALLERS concurrent callers GET `path` for SECONDS: every latency, and the unexpected answers. */
async function load(
  pool: Pool,
  path: string,
  options: { conditional?: boolean } = {},
) {
  // As the entity page polls: the last ETag seen in If-None-Match (304 while it holds, 200 with
  // a new tag after a new read).
  let etag: string | undefined;
  const latencies: number[] = [];
  const failures = new Map<number, number>();
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  const caller = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const answer = await get(
        pool,
        path,
        options.conditional && etag ? { 'if-none-match': etag } : {},
      );
      latencies.push(performance.now() - start);
      if (options.conditional && answer.etag) etag = answer.etag;
      const expected = options.conditional ? [200, 304] : [200];
      if (!expected.includes(answer.code))
        failures.set(answer.code, (failures.get(answer.code) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: CALLERS }, caller));
  const elapsed = (performance.now() - started) / 1000;
  return { latencies, failures, perSecond: latencies.length / elapsed };
}

/** The environment's entity as an entity provider hands it to the real catalog. */
const entityProviderModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'bench-environment',
  register(reg) {
    reg.registerInit({
      deps: { catalog: catalogProcessingExtensionPoint },
      async init({ catalog }) {
        const entity = environmentEntity(ENVIRONMENT, { tier: 'production' });
        entity.metadata.annotations = {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location': 'url:https://bench.invalid/',
          'backstage.io/managed-by-origin-location':
            'url:https://bench.invalid/',
        };
        catalog.addEntityProvider({
          getProviderName: () => 'bench-environment',
          connect: async connection =>
            connection.applyMutation({
              type: 'full',
              entities: [{ entity, locationKey: 'bench' }],
            }),
        });
      },
    });
  },
});

async function run(
  sandbox: GcpSandbox,
  cacheSeconds: number,
  rttMs: number,
  compare = false,
) {
  const entity = environmentEntity(ENVIRONMENT, { tier: 'production' });
  const backend = await startTestBackend({
    features: [
      codemiePlugin,
      sandboxGoogleClientsFactory,
      catalogPlugin,
      entityProviderModule,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          codemie: {
            status: {
              cacheTtl: { seconds: cacheSeconds },
              // The entity names its cluster: an environment "created elsewhere" in this project.
              externalProjects: [
                entity.metadata.annotations![CODEMIE_ANNOTATIONS.gcpProject],
              ],
            },
          },
        },
      }),
    ],
  });
  const server = backend.server as unknown as http.Server;
  const port = (server.address() as AddressInfo).port;
  const path = `/api/codemie/v1/entities/resource/default/${ENVIRONMENT}/status`;
  const catalogPath = `/api/catalog/entities/by-name/resource/default/${ENVIRONMENT}`;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CALLERS });
  try {
    // The catalog processes the provider's entity in the background.
    for (let i = 0; (await get(pool, catalogPath)).code !== 200; i++) {
      if (i > 300) throw new Error('the catalog never served the entity');
      await new Promise(r => setTimeout(r, 100));
    }
    const journalBefore = sandbox.journal.list({
      service: 'kubernetes',
    }).length;
    const gkeBefore = sandbox.journal.list({ service: 'container' }).length;
    const { latencies, failures, perSecond } = await load(pool, path);
    const calls = sandbox.journal
      .list({ service: 'kubernetes' })
      .slice(journalBefore);
    const gkeCalls =
      sandbox.journal.list({ service: 'container' }).length - gkeBefore;
    const perKind = new Map<string, number>();
    for (const c of calls) {
      const kind = c.path
        .split('?')[0]
        .replace(/\/nodes\/[^/]+\/proxy\/.*/, '/nodes/*/proxy/stats/summary');
      perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    }
    const windows = Math.max(1, Math.ceil(SECONDS / cacheSeconds));
    const lists = [...perKind.entries()].filter(
      ([k]) => !k.includes('/proxy/'),
    );
    let comparison;
    if (compare) {
      const catalogRead = await load(pool, catalogPath);
      const warm = await load(pool, path);
      const conditional = await load(pool, path, { conditional: true });
      comparison = { catalogRead, warm, conditional };
    }
    return {
      comparison,
      perSecond,
      cacheSeconds,
      requests: latencies.length,
      failures: [...failures.entries()],
      p50: percentile(latencies, 50) / rttMs,
      p95: percentile(latencies, 95) / rttMs,
      p99: percentile(latencies, 99) / rttMs,
      // A reduce, not a spread: past ~120k samples a spread exceeds the call stack.
      max: latencies.reduce((m, l) => Math.max(m, l), 0) / rttMs,
      k8sCalls: calls.length,
      gkeCalls,
      perRequest: calls.length / latencies.length,
      maxListsPerKindPerWindow: Math.max(...lists.map(([, n]) => n / windows)),
      perKind,
    };
  } finally {
    await pool.close();
    await backend.stop();
  }
}

async function main() {
  const sandbox = await GcpSandbox.create({ timeScale: 0.5 });
  sandbox.listen();
  await createNetwork();
  const sizing = sizePreset('production');
  const nodes = planNodePool(sizing, {
    region: 'europe-west3',
    machineTypes: ['e2-standard-8'],
  }).plan!.minNodes;
  const k8s = await createCluster(sandbox, ENVIRONMENT, {
    machineType: 'e2-standard-8',
    nodes,
  });
  const seeded = k8s.seedDemo({
    objects: renderWorkloads(sizing, ENVIRONMENT),
  });
  console.log(
    `environment: production tier, ${nodes} × e2-standard-8, ${seeded.pods} pods (${seeded.ready} ready)`,
  );

  sandbox.faults.addLatency({ service: 'kubernetes', millis: LATENCY_MS });
  // One round trip: a single Kubernetes call from this process, as the plugin makes them.
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `https://${k8s.endpoint}`,
        caData: Buffer.from((k8s as any).caCertificatePem).toString('base64'),
      },
    ],
    users: [{ name: 'u', token: 'bench' }],
    contexts: [{ name: 'c', cluster: 'c', user: 'u' }],
    currentContext: 'c',
  });
  const core = kc.makeApiClient(CoreV1Api);
  const rtts: number[] = [];
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    await core.listNamespace();
    if (i > 0) rtts.push(performance.now() - start);
  }
  const rtt = percentile(rtts, 50);
  console.log(
    `one Kubernetes round trip (${LATENCY_MS} ms injected): ${rtt.toFixed(1)} ms (median of 10)`,
  );
  console.log(
    `${CALLERS} callers × ${SECONDS} s per row; latency in round trips`,
  );
  console.log(
    'cache s | requests | p50   | p95   | p99   | max    | k8s calls | GKE calls | k8s/request | lists/kind/window',
  );

  const rows = [];
  // A short window first to show refreshes under load, then the default configuration.
  for (const cacheSeconds of [2, 30]) {
    const r = await run(sandbox, cacheSeconds, rtt, cacheSeconds === 30);
    rows.push(r);
    console.log(
      `${String(cacheSeconds).padStart(7)} | ${String(r.requests).padStart(8)} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.max.toFixed(2).padStart(6)} | ${String(r.k8sCalls).padStart(9)} | ${String(r.gkeCalls).padStart(9)} | ${r.perRequest.toFixed(5)}     | ${r.maxListsPerKindPerWindow.toFixed(2)}`,
    );
    if (r.failures.length)
      console.log(`  non-200 answers: ${JSON.stringify(r.failures)}`);
  }
  const last = rows[rows.length - 1];
  const { catalogRead, warm, conditional } = last.comparison!;
  console.log(
    `same backend, default cache window, ${CALLERS} callers × ${SECONDS} s each, one after another:`,
  );
  console.log('read                          | req/s  | p50 ms | p95 ms');
  for (const [label, r] of [
    ['catalog entity (by-name)', catalogRead],
    ['status, warm (200)', warm],
    ['status, If-None-Match (304s)', conditional],
  ] as const) {
    console.log(
      `${label.padEnd(29)} | ${r.perSecond.toFixed(0).padStart(6)} | ${(percentile(r.latencies, 50) ?? 0).toFixed(1).padStart(6)} | ${(percentile(r.latencies, 95) ?? 0).toFixed(1).padStart(6)}`,
    );
    if (r.failures.size)
      console.log(`  unexpected answers: ${JSON.stringify([...r.failures])}`);
  }
  console.log('Kubernetes calls by path (default cache window):');
  for (const [kind, n] of last.perKind) console.log(`  ${n} × ${kind}`);
  await measureVsKubernetesPlugin(sandbox, rtt);
  await sandbox.close();
  console.log(
    `status: p50=${last.p50.toFixed(3)}rtt p95=${last.p95.toFixed(3)}rtt k8s-calls/request=${last.perRequest.toFixed(5)}`,
  );
  console.log(
    `status: warm/catalog=${(catalogRead.perSecond / warm.perSecond).toFixed(2)} (304: ${(catalogRead.perSecond / conditional.perSecond).toFixed(2)}; catalog ${catalogRead.perSecond.toFixed(0)} req/s, warm status ${warm.perSecond.toFixed(0)} req/s)`,
  );
}

// ---- vs-k8s-plugin ---------------------------------------------------------------------------
// Backstage's Kubernetes plugin (the Kubernetes tab) on the same entity, the same sandbox cluster
// and the same injected latency, next to a warm status request. Kept apart from the status rows
// above: it starts backends of its own and reads nothing of theirs.

const K8S_REQUESTS = arg('k8s-requests', 20);

/** Mean time of `count` requests made one after another, after one unmeasured warm-up. */
async function sequentialMeanMs(
  count: number,
  call: () => Promise<number>,
): Promise<number> {
  const warm = await call();
  if (warm !== 200) throw new Error(`warm-up answered ${warm}`);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const code = await call();
    total += performance.now() - start;
    if (code !== 200) throw new Error(`request ${i} answered ${code}`);
  }
  return total / count;
}

/**
 * The mean time of the status API's warm request (its default 30 s cache holding the
 * environment's objects) and of the Kubernetes plugin's objects request
 * (`POST /api/kubernetes/services/:entityName`, what the Kubernetes tab asks for, with the CodeMie
 * cluster supplier and the tab's object kinds from app-config.yaml), one request at a time.
 * Prints `vs-k8s-plugin=<status mean / plugin mean>`: below 1, the CodeMie tab answers faster.
 */
async function measureVsKubernetesPlugin(sandbox: GcpSandbox, rttMs: number) {
  const entity: Entity = environmentEntity(ENVIRONMENT, { tier: 'production' });
  const clusterName = entity.metadata.annotations!['codemie.ai/gke-cluster'];
  const projectId = entity.metadata.annotations!['codemie.ai/gcp-project'];
  const record = {
    environmentRef: `${projectId}/${ENVIRONMENT}`,
    projectId,
    name: ENVIRONMENT,
    owner: 'group:default/platform-engineering',
    entityRef: 'resource:default/bench',
    state: 'ready',
    spec: {},
    outputs: { clusterName },
    createdAt: new Date(),
    updatedAt: new Date(),
  } as EnvironmentRecord;
  const database = { client: 'better-sqlite3', connection: ':memory:' };

  const ours = await startTestBackend({
    features: [
      codemiePlugin,
      sandboxGoogleClientsFactory,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          // The bench's entity is hand-made (no record): its project is allow-listed.
          codemie: { status: { externalProjects: [projectId] } },
        },
      }),
    ],
  });
  const theirs = await startTestBackend({
    features: [
      kubernetesPlugin,
      kubernetesModuleCodemieClusters,
      sandboxGoogleClientsFactory,
      catalogServiceMock.factory({ entities: [entity] }),
      createServiceFactory({
        service: codemieEnvironmentStoreServiceRef,
        deps: {},
        factory: () =>
          ({
            listEnvironments: async () => [record],
          }) as Partial<CodemieEnvironmentStore> as CodemieEnvironmentStore,
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: { database },
          kubernetes: {
            serviceLocatorMethod: { type: 'singleTenant' },
            clusterLocatorMethods: [],
            objectTypes: [
              'pods',
              'services',
              'configmaps',
              'deployments',
              'replicasets',
              'horizontalpodautoscalers',
              'ingresses',
              'statefulsets',
              'daemonsets',
            ],
          },
        },
      }),
    ],
  });
  const portOf = (b: { server: unknown }) =>
    ((b.server as http.Server).address() as AddressInfo).port;
  const oursPool = new Pool(`http://127.0.0.1:${portOf(ours)}`);
  const theirsPool = new Pool(`http://127.0.0.1:${portOf(theirs)}`);
  try {
    const statusMs = await sequentialMeanMs(
      K8S_REQUESTS,
      async () =>
        (
          await get(
            oursPool,
            `/api/codemie/v1/entities/resource/default/${ENVIRONMENT}/status`,
          )
        ).code,
    );
    let pods = 0;
    const callsBefore = sandbox.journal.list({ service: 'kubernetes' }).length;
    const pluginMs = await sequentialMeanMs(K8S_REQUESTS, async () => {
      const res = await theirsPool.request({
        method: 'POST',
        path: `/api/kubernetes/services/${ENVIRONMENT}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ entity }),
      });
      const body = (await res.body.json()) as any;
      pods =
        body.items?.[0]?.resources?.find((r: any) => r.type === 'pods')
          ?.resources?.length ?? 0;
      return res.statusCode;
    });
    // Warm-up included: one more request than measured.
    const pluginCalls =
      (sandbox.journal.list({ service: 'kubernetes' }).length - callsBefore) /
      (K8S_REQUESTS + 1);
    console.log(
      `Kubernetes plugin objects request vs warm status request (${K8S_REQUESTS} sequential requests each, after a warm-up):`,
    );
    console.log(
      `  status (warm): mean ${statusMs.toFixed(1)} ms = ${(statusMs / rttMs).toFixed(3)} rtt`,
    );
    console.log(
      `  kubernetes plugin: mean ${pluginMs.toFixed(1)} ms = ${(pluginMs / rttMs).toFixed(3)} rtt (${pods} pods, ${pluginCalls.toFixed(1)} Kubernetes calls per request)`,
    );
    console.log(`vs-k8s-plugin=${(statusMs / pluginMs).toFixed(3)}`);
  } finally {
    await oursPool.close();
    await theirsPool.close();
    await ours.stop();
    await theirs.stop();
  }
}
// ---- end of vs-k8s-plugin -----------------------------------------------------------------------

main().then(
  // The sandbox's msw interceptors and cluster servers keep handles open.
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
