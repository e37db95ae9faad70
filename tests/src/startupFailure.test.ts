import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './__testUtils__/repoRoot';

jest.setTimeout(120_000);

/** A port nobody listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Runs the portal's backend (packages/backend, as `npm start` does) with extra config. */
async function runBackend(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
    ],
    {
      cwd: path.join(repoRoot, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  const code = await new Promise<number | null>(resolve => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, 90_000);
    child.on('exit', c => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, output };
}

/*
 * A backend whose CodeMie settings are wrong must stop, naming the setting: a process that keeps
 * running without the plugin answers liveness probes and is never restarted by Kubernetes.
 */
describe('the portal backend with an invalid codemie.* setting', () => {
  it.each([
    [
      'codemie.gcp.transport',
      { APP_CONFIG_codemie_gcp_transport: 'carrier-pigeon' },
      "codemie.gcp.transport must be 'rest' or 'grpc'",
    ],
    [
      'codemie.status.sampling.frequency',
      { APP_CONFIG_codemie_status_sampling_frequency: '100ms' },
      'codemie.status.sampling.frequency must be at least 1 minute',
    ],
    [
      'a replaced setting, with its replacement',
      { APP_CONFIG_codemie_status_cacheSeconds: '30' },
      'codemie.status.cacheSeconds was replaced by codemie.status.cacheTtl',
    ],
  ])('exits non-zero, naming %s', async (_, env, message) => {
    const { code, output } = await runBackend(env);
    expect(code).toBe(1);
    expect(output).toContain(message);
  });
});
