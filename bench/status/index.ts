/**
 * Status API benchmark: 50 concurrent callers for 20 s against one CodeMie environment (the
 * production tier seeded into a GCP sandbox cluster) while every Kubernetes API call takes an
 * extra 50 ms. Reports latency as a multiple of one Kubernetes round trip and the Kubernetes
 * calls each status request cost.
 *
 * The whole plugin runs in a test backend (httpAuth, permissions, the Backstage cache service in
 * memory, the catalog holding the environment's entity) and is called over HTTP, so the figures
 * include authentication, the catalog read, the permission check and JSON serialisation.
 *
 * Run: npm run bench:status   (options: --seconds 20 --callers 50 --latency 50)
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { Pool } from 'undici';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { planNodePool, sizePreset } from '@codemie-gcp/plugin-codemie-common';
import { codemiePlugin } from '../../plugins/codemie-backend/src/plugin';
import {
  createCluster,
  createNetwork,
  environmentEntity,
  renderWorkloads,
} from '../../plugins/codemie-backend/src/status/__testUtils__/sandboxEnvironment';

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
async function get(pool: Pool, path: string): Promise<number> {
  const res = await pool.request({ method: 'GET', path });
  await res.body.text();
  return res.statusCode;
}

async function run(sandbox: GcpSandbox, cacheSeconds: number, rttMs: number) {
  const backend = await startTestBackend({
    features: [
      codemiePlugin,
      catalogServiceMock.factory({
        entities: [environmentEntity(ENVIRONMENT, { tier: 'production' })],
      }),
      mockServices.rootConfig.factory({
        data: {
          backend: {
            database: { client: 'better-sqlite3', connection: ':memory:' },
          },
          codemie: {
            sandbox: { enabled: true },
            status: { cacheTtl: { seconds: cacheSeconds } },
          },
        },
      }),
    ],
  });
  const server = backend.server as unknown as http.Server;
  const port = (server.address() as AddressInfo).port;
  const path = `/api/codemie/v1/entities/resource/default/${ENVIRONMENT}/status`;
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: CALLERS });
  try {
    const journalBefore = sandbox.journal.list({
      service: 'kubernetes',
    }).length;
    const gkeBefore = sandbox.journal.list({ service: 'container' }).length;
    const latencies: number[] = [];
    const failures = new Map<number, number>();
    const deadline = performance.now() + SECONDS * 1000;
    const caller = async () => {
      while (performance.now() < deadline) {
        const start = performance.now();
        const code = await get(pool, path);
        latencies.push(performance.now() - start);
        if (code !== 200) failures.set(code, (failures.get(code) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CALLERS }, caller));
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
    return {
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
    const r = await run(sandbox, cacheSeconds, rtt);
    rows.push(r);
    console.log(
      `${String(cacheSeconds).padStart(7)} | ${String(r.requests).padStart(8)} | ${r.p50.toFixed(3)} | ${r.p95.toFixed(3)} | ${r.p99.toFixed(3)} | ${r.max.toFixed(2).padStart(6)} | ${String(r.k8sCalls).padStart(9)} | ${String(r.gkeCalls).padStart(9)} | ${r.perRequest.toFixed(5)}     | ${r.maxListsPerKindPerWindow.toFixed(2)}`,
    );
    if (r.failures.length)
      console.log(`  non-200 answers: ${JSON.stringify(r.failures)}`);
  }
  const last = rows[rows.length - 1];
  console.log('Kubernetes calls by path (default cache window):');
  for (const [kind, n] of last.perKind) console.log(`  ${n} × ${kind}`);
  await sandbox.close();
  console.log(
    `status: p50=${last.p50.toFixed(3)}rtt p95=${last.p95.toFixed(3)}rtt k8s-calls/request=${last.perRequest.toFixed(5)}`,
  );
}

main().then(
  // The sandbox's msw interceptors and cluster servers keep handles open.
  () => process.exit(0),
  e => {
    console.error(e);
    process.exit(1);
  },
);
