/**
 * Provisioning benchmark: how close `provisionEnvironment` comes to the critical path of the
 * resource graph — the least wall time any schedule can achieve with the sandbox's per-resource
 * durations — compared with creating the resources one at a time (what a sequential script takes).
 *
 * The GCP sandbox runs each operation for its simulated duration (DEFAULT_DURATIONS) scaled by
 * BENCH_TIME_SCALE real ms per simulated second (default 50: per-request overhead is then small next to the operations, as it is against Google), so the figures are ratios of
 * simulated time and do not depend on the machine except through per-request overhead.
 *
 * Run: npm run bench:provision
 */
import {
  PlannedResource,
  planEnvironment,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import {
  DEFAULT_DURATIONS,
  Durations,
  GcpSandbox,
} from '@codemie-gcp/gcp-sandbox';
import { sandboxGoogleClients } from '@codemie-gcp/plugin-codemie-node/testUtils';
import {
  provisionEnvironment,
  criticalPath,
} from '@codemie-gcp/plugin-scaffolder-backend-module-codemie/testUtils';

const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 50);

/** Simulated seconds each planned resource takes in the sandbox. */
function durationOf(r: PlannedResource, d: Durations): number {
  switch (r.kind) {
    case 'project-services':
      return d.serviceEnable;
    case 'network':
      return d.network;
    case 'subnetwork':
      return d.subnetwork;
    case 'router':
      return d.router;
    case 'firewall':
      return d.firewall;
    case 'private-services-range':
      return d.address;
    case 'private-services-connection':
      return d.peering;
    case 'cluster':
      // The planner's node pool is created with the cluster.
      return d.clusterCreate;
    case 'sql-instance':
      return d.sqlInstanceCreate;
    case 'sql-database':
      return d.sqlDatabase;
    case 'sql-user':
      return d.sqlUser;
    case 'bastion':
      return d.instance;
    case 'dns-zone':
      return d.dnsChange;
    default:
      return 0; // synchronous APIs (IAM, Secret Manager, node pool already there)
  }
}

async function measure(option: 'public' | 'private', scale = timeScale) {
  const input = validateEnvironmentInput({
    name: `bench-${option}`,
    projectId: 'acme-bench',
    region: 'europe-west1',
    option,
    ...(option === 'public'
      ? { allowedNetworks: ['203.0.113.0/24'] }
      : { bastionMembers: ['group:platform@example.com'] }),
    domain: 'codemie.example.com',
    sizing: {
      concurrentUsers: 500,
      vectorDatasourceGiB: 100,
      logRetentionDays: 30,
      llmProxyType: 'litellm',
      includeNats: true,
    },
  });
  const plan = planEnvironment(input);
  const sandbox = await GcpSandbox.create({
    timeScale: scale,
    clusterServers: null,
  });
  sandbox.listen();
  // Keep the process alive while the sandbox's unref'd timers run.
  const keepAlive = setInterval(() => {}, 1000);
  const google = sandboxGoogleClients();
  try {
    const started = Date.now();
    await provisionEnvironment(plan, {
      google,
      log: () => {},
      policy: {
        attempts: 8,
        baseDelayMillis: 5,
        maxDelayMillis: 50,
        pollMillis: 10,
        maxPollMillis: 20,
      },
    });
    const makespan = (Date.now() - started) / scale; // simulated seconds
    const critical = criticalPath(plan.resources, r =>
      durationOf(r, DEFAULT_DURATIONS),
    );
    const sequential = plan.resources.reduce(
      (sum, r) => sum + durationOf(r, DEFAULT_DURATIONS),
      0,
    );
    return {
      option,
      resources: plan.resources.length,
      makespan,
      critical,
      sequential,
    };
  } finally {
    clearInterval(keepAlive);
    await google.close();
    await sandbox.close();
  }
}

async function main() {
  // Warm-up: the first run loads and compiles every Google client; not what is measured.
  await measure('private', 1);
  const rows = [];
  for (const option of ['public', 'private'] as const)
    rows.push(await measure(option));
  console.log(
    'option   resources  makespan(s)  critical-path(s)  sequential(s)  makespan/cp  sequential/cp',
  );
  for (const r of rows) {
    console.log(
      `${r.option.padEnd(8)} ${String(r.resources).padStart(9)}  ${r.makespan.toFixed(1).padStart(11)}  ${r.critical.toFixed(1).padStart(16)}  ${r.sequential.toFixed(1).padStart(13)}  ${(r.makespan / r.critical).toFixed(3).padStart(11)}  ${(r.sequential / r.critical).toFixed(3).padStart(13)}`,
    );
  }
  const worst = rows.reduce((a, b) =>
    a.makespan / a.critical > b.makespan / b.critical ? a : b,
  );
  console.log(
    `provision: makespan/critical-path=${(worst.makespan / worst.critical).toFixed(3)} sequential/critical-path=${(worst.sequential / worst.critical).toFixed(3)}`,
  );
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
