#!/usr/bin/env node
/*
 * Proves the README's production path: builds the backend bundle (scripts/build-backend.mjs),
 * unpacks it outside the repository, and starts the BUILT backend with app-config.yaml and
 * app-config.production.yaml against a local PostgreSQL, sandbox off, every required setting
 * from the environment (a fake Google OAuth client). It must become ready, offer Google sign-in
 * and serve the app; then it is stopped. A second start with BACKEND_BASE_URL unset must exit 1
 * naming it. Finally the bundle must not contain the GCP sandbox.
 *
 * Usage: node scripts/check-production.mjs [--skip-build] [--verbose (print the backend's log)]
 *   CODEMIE_PRODUCTION_CHECK_PORT  port for the started backend (default 7107, clear of the local
 *                                  portal's 7007 and the e2e run)
 *   CODEMIE_PRODUCTION_CHECK_PG    PostgreSQL to use (default postgresql://postgres@127.0.0.1:5432);
 *                                  the check's databases are named codemie_ci_prod_* and dropped
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const port = Number(process.env.CODEMIE_PRODUCTION_CHECK_PORT ?? 7107);
const pgUrl = new URL(
  process.env.CODEMIE_PRODUCTION_CHECK_PG ??
    'postgresql://postgres@127.0.0.1:5432',
);
const DB_PREFIX = 'codemie_ci_prod_';
const READY_WITHIN_MS = 90_000;
const started = Date.now();
const elapsed = () => `${Math.round((Date.now() - started) / 1000)}s`;
const log = message =>
  console.log(`check-production: ${message} (${elapsed()})`);

/** `value` after `ms`, without keeping the process alive once the check is done. */
function after(ms, value) {
  return new Promise(done => setTimeout(() => done(value), ms).unref());
}

function fail(message) {
  console.error(`check-production: FAILED: ${message}`);
  process.exitCode = 1;
  throw new Error(message);
}

/** Whether something listens on 127.0.0.1:`p`. */
function listening(p) {
  return new Promise(done => {
    const socket = connect(p, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.on('error', () => done(false));
  });
}

/** Drops the check's databases (the backend makes one per plugin, named with the prefix). */
async function dropDatabases() {
  const { Client } = require('pg');
  const client = new Client({
    connectionString: pgUrl.href,
    database: 'postgres',
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${DB_PREFIX}%`],
    );
    for (const { datname } of rows) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

/** The environment of a production start; `without` names a variable left unset. */
function productionEnv(without) {
  const base = `http://localhost:${port}`;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    APP_BASE_URL: base,
    BACKEND_BASE_URL: base,
    POSTGRES_HOST: pgUrl.hostname,
    POSTGRES_PORT: pgUrl.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgUrl.username) || 'postgres',
    // Local PostgreSQL trusts local connections; the setting is required all the same.
    POSTGRES_PASSWORD: decodeURIComponent(pgUrl.password) || 'unused',
    AUTH_GOOGLE_CLIENT_ID: 'codemie-ci.apps.googleusercontent.com',
    AUTH_GOOGLE_CLIENT_SECRET: 'codemie-ci-not-a-secret',
    // Overrides of app-config.production.yaml for this check only (Backstage's APP_CONFIG_*).
    APP_CONFIG_backend_listen_port: String(port),
    APP_CONFIG_backend_database_prefix: DB_PREFIX,
  };
  delete env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
  if (without) delete env[without];
  return env;
}

/** Starts the built backend the way the README says, from the repository root. */
function startBackend(bundle, env) {
  const child = spawn(
    process.execPath,
    [
      // Resolve from the bundle's node_modules links, as from an installed bundle (see above).
      '--preserve-symlinks',
      join(bundle, 'packages/backend'),
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.production.yaml',
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', d => (output += d));
  child.stderr.on('data', d => (output += d));
  const exited = new Promise(done => child.on('exit', code => done(code)));
  return { child, exited, output: () => output };
}

async function get(path, init) {
  return fetch(`http://127.0.0.1:${port}${path}`, {
    redirect: 'manual',
    signal: AbortSignal.timeout(5000),
    ...init,
  });
}

let bundle;
let backend;
let backendLog;
try {
  if (await listening(port)) {
    fail(
      `port ${port} is in use; set CODEMIE_PRODUCTION_CHECK_PORT to a free port`,
    );
  }

  // 1. Build.
  if (!process.argv.includes('--skip-build')) {
    log('building the production backend (scripts/build-backend.mjs)');
    const build = spawnSync(
      process.execPath,
      [join(root, 'scripts/build-backend.mjs')],
      { stdio: 'inherit' },
    );
    if (build.status !== 0) fail('the production build failed');
    log('built');
  }
  const tarball = join(root, 'packages/backend/dist/bundle.tar.gz');
  if (!existsSync(tarball)) fail(`${tarball} is missing; build first`);

  // 2. Unpack, outside the repository so nothing resolves from its node_modules by accident.
  bundle = mkdtempSync(join(tmpdir(), 'codemie-production-'));
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', bundle]);
  if (untar.status !== 0) fail(`could not unpack ${tarball}`);
  if (existsSync(join(bundle, 'packages/gcp-sandbox'))) {
    fail('the production bundle contains packages/gcp-sandbox');
  }
  // The bundle's npm dependencies: this repository's install, linked (no network, a second) in
  // place of `npm install --omit=dev` in the unpacked bundle. Each package of node_modules is a
  // symlink; the backend runs with --preserve-symlinks so that modules resolve from where they
  // appear in the bundle, as after an install: the app plugin finds the bundle's app, the CodeMie
  // plugin its workers. Workspace packages link to the bundle's copies; those it lacks (the GCP
  // sandbox, the frontend plugin, tests) are left out.
  const bundledNames = new Map();
  for (const dir of ['packages', 'plugins']) {
    if (!existsSync(join(bundle, dir))) continue;
    for (const name of readdirSync(join(bundle, dir))) {
      const pkgDir = join(bundle, dir, name);
      bundledNames.set(require(join(pkgDir, 'package.json')).name, pkgDir);
      const nested = join(root, dir, name, 'node_modules');
      if (existsSync(nested)) symlinkSync(nested, join(pkgDir, 'node_modules'));
    }
  }
  const linkEntry = (name, target) =>
    symlinkSync(target, join(bundle, 'node_modules', name));
  mkdirSync(join(bundle, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    const names = entry.startsWith('@')
      ? readdirSync(join(root, 'node_modules', entry)).map(n => `${entry}/${n}`)
      : [entry];
    if (entry.startsWith('@')) mkdirSync(join(bundle, 'node_modules', entry));
    for (const name of names) {
      const installed = join(root, 'node_modules', name);
      if (lstatSync(installed).isSymbolicLink()) {
        // npm's link to a workspace package
        if (bundledNames.has(name)) linkEntry(name, bundledNames.get(name));
      } else {
        linkEntry(name, installed);
      }
    }
  }
  log(`unpacked into ${bundle}`);

  // 3. The sandbox is not in the bundle and cannot be loaded from it: the backend starting below
  //    proves that it does not need it (a static import would fail at once).
  try {
    createRequire(join(bundle, 'packages/backend/package.json')).resolve(
      '@codemie-gcp/gcp-sandbox',
    );
    fail('@codemie-gcp/gcp-sandbox is resolvable from the production bundle');
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
  }

  // 4. Start with every setting; ready within the time limit; Google sign-in offered.
  await dropDatabases();
  log(`starting the built backend on port ${port}`);
  const startedAt = Date.now();
  backend = startBackend(bundle, productionEnv());
  let ready = false;
  while (!ready && Date.now() - startedAt < READY_WITHIN_MS) {
    const code = await Promise.race([backend.exited, after(1000, 'waiting')]);
    if (code !== 'waiting') {
      fail(`the backend exited with ${code}:\n${backend.output()}`);
    }
    try {
      ready = (await get('/.backstage/health/v1/readiness')).status === 200;
    } catch {
      // not listening yet
    }
  }
  if (!ready) {
    fail(
      `the backend was not ready within ${READY_WITHIN_MS / 1000}s:\n${backend.output()}`,
    );
  }
  log(`ready after ${((Date.now() - startedAt) / 1000).toFixed(1)}s`);

  const codemie = await get('/api/codemie/health');
  if (codemie.status !== 200) {
    fail(`/api/codemie/health answered ${codemie.status}`);
  }
  // Google sign-in: the start endpoint redirects to Google's consent page with the client id.
  const google = await get('/api/auth/google/start?env=production', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const location = google.headers.get('location') ?? '';
  if (
    google.status !== 302 ||
    !location.startsWith('https://accounts.google.com/') ||
    !location.includes('codemie-ci.apps.googleusercontent.com')
  ) {
    fail(
      `Google sign-in is not offered: /api/auth/google/start answered ${google.status} ${location}`,
    );
  }
  // The guest provider of the local portal refuses in production.
  const guest = await get('/api/auth/guest/refresh?env=production', {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (guest.ok) fail('guest sign-in works in production');
  // The app, served by the backend, with the production config injected.
  const page = await get('/');
  const html = await page.text();
  if (page.status !== 200 || !html.includes('<div id="root">')) {
    fail(`the app is not served: / answered ${page.status}`);
  }
  log('healthy; Google sign-in offered, guest refused, app served');

  backend.child.kill('SIGTERM');
  const stopCode = await Promise.race([
    backend.exited,
    after(30_000, 'timeout'),
  ]);
  if (stopCode === 'timeout') {
    backend.child.kill('SIGKILL');
    fail('the backend did not stop within 30s of SIGTERM');
  }
  backendLog = backend.output();
  backend = undefined;
  log(`stopped (exit ${stopCode})`);

  // 5. A required setting missing: exit 1, naming it, before touching anything.
  const refused = startBackend(bundle, productionEnv('BACKEND_BASE_URL'));
  const refusedCode = await Promise.race([
    refused.exited,
    after(30_000, 'timeout'),
  ]);
  if (refusedCode === 'timeout') {
    refused.child.kill('SIGKILL');
    fail('with BACKEND_BASE_URL unset the backend kept running');
  }
  if (
    refusedCode !== 1 ||
    !/missing: BACKEND_BASE_URL\b/.test(refused.output())
  ) {
    fail(
      `with BACKEND_BASE_URL unset: exit ${refusedCode}, expected 1 naming it:\n${refused.output()}`,
    );
  }
  log('refused to start without BACKEND_BASE_URL, naming it');
  log('passed');
} catch (error) {
  if (!process.exitCode) {
    console.error(error);
    process.exitCode = 1;
  }
} finally {
  if (backend) {
    backend.child.kill('SIGKILL');
    if (process.exitCode) console.error(backend.output());
  }
  if (backendLog && process.argv.includes('--verbose')) console.log(backendLog);
  if (bundle) rmSync(bundle, { recursive: true, force: true });
  await dropDatabases().catch(() => {});
  log('cleaned up');
}
