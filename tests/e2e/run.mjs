// End-to-end test in a real Chromium: starts the local portal (`backstage-cli repo start`), signs
// in as guest, checks the CodeMie tab of the demo environment and the "Create CodeMie environment"
// form up to its sizing preview, and saves screenshots.
//
//   npm run test:e2e
//
// Needs Debian's Chromium at /usr/bin/chromium (override with CHROMIUM_PATH); never downloads a
// browser. Ports 3000 and 7007 must be free (override with E2E_APP_PORT / E2E_BACKEND_PORT).
import { spawn } from 'node:child_process';
import { createWriteStream, copyFileSync, mkdirSync, statSync } from 'node:fs';
import net from 'node:net';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
// playwright-core is a devDependency of the repository root (this script is not part of the
// tests workspace's jest suite), not of tests/package.json.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = join(root, 'test-results', 'e2e');
const docsDir = join(root, 'docs');
const appPort = Number(process.env.E2E_APP_PORT ?? 3000);
const backendPort = Number(process.env.E2E_BACKEND_PORT ?? 7007);
const appUrl = `http://localhost:${appPort}`;
const backendUrl = `http://localhost:${backendPort}`;
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const startTimeoutMs = 4 * 60_000;

const EXPECTED_COMPONENTS = [
  'codemie-api',
  'codemie-ui',
  'elasticsearch',
  'kibana',
  'mermaid-server',
  'postgresql',
  'keycloak',
  'oauth2-proxy',
  'nats',
  'mcp-connect',
  'fluent-bit',
  'llm-proxy',
];

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
const log = msg => console.log(`[e2e ${elapsed()}] ${msg}`);
const sleep = ms => new Promise(r => setTimeout(r, ms));

// ---- the portal ---------------------------------------------------------------------------

/** True when something accepts connections on the port (IPv4 or IPv6 localhost). */
function portTaken(port) {
  const probe = host =>
    new Promise(resolve => {
      const s = net.connect({ port, host });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
      s.setTimeout(1000, () => {
        s.destroy();
        resolve(false);
      });
    });
  return Promise.all([probe('127.0.0.1'), probe('::1')]).then(r =>
    r.some(Boolean),
  );
}

let portal;

function startPortal() {
  mkdirSync(outDir, { recursive: true });
  const logFile = join(outDir, 'portal.log');
  const out = createWriteStream(logFile);
  const env = { ...process.env, BROWSER: 'none' };
  if (appPort !== 3000 || backendPort !== 7007) {
    env.APP_CONFIG_app_baseUrl = appUrl;
    env.APP_CONFIG_backend_baseUrl = backendUrl;
    env.APP_CONFIG_backend_listen_port = String(backendPort);
    env.APP_CONFIG_backend_cors_origin = appUrl;
  }
  // Its own process group (detached), so that the frontend and backend children go with it.
  portal = spawn('npx', ['backstage-cli', 'repo', 'start'], {
    cwd: root,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  portal.stdout.pipe(out);
  portal.stderr.pipe(out);
  portal.exited = new Promise(resolve =>
    portal.once('exit', (code, signal) => resolve({ code, signal })),
  );
  log(`portal starting (pid ${portal.pid}); log: ${relative(root, logFile)}`);
}

async function stopPortal() {
  if (!portal || portal.exitCode !== null || portal.signalCode !== null) {
    // The leader may be gone while its children live on: kill the group anyway.
    if (portal) killGroup('SIGKILL');
    return;
  }
  killGroup('SIGTERM');
  const done = await Promise.race([
    portal.exited.then(() => true),
    sleep(10_000).then(() => false),
  ]);
  killGroup('SIGKILL');
  log(`portal stopped${done ? '' : ' (forced)'}`);
}

function killGroup(signal) {
  try {
    process.kill(-portal.pid, signal);
  } catch {
    // already gone
  }
}

async function answers(url, wantStatus) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    await res.arrayBuffer();
    return wantStatus ? res.status === wantStatus : res.status < 500;
  } catch {
    return false;
  }
}

async function waitForPortal() {
  const deadline = Date.now() + startTimeoutMs;
  let backendUp = false;
  let appUp = false;
  while (Date.now() < deadline) {
    if (portal.exitCode !== null || portal.signalCode !== null) {
      throw new Error(
        `the portal exited early (code ${portal.exitCode}, signal ${portal.signalCode}); see test-results/e2e/portal.log`,
      );
    }
    if (!backendUp) {
      backendUp = await answers(`${backendUrl}/api/codemie/health`, 200);
      if (backendUp) log(`backend answers: ${backendUrl}/api/codemie/health`);
    }
    if (!appUp) {
      appUp = await answers(appUrl);
      if (appUp) log(`frontend answers: ${appUrl}`);
    }
    if (backendUp && appUp) return;
    await sleep(1000);
  }
  throw new Error(
    `the portal did not start within ${startTimeoutMs / 1000}s ` +
      `(backend ${backendUp ? 'up' : 'not answering'} at ${backendUrl}/api/codemie/health, ` +
      `frontend ${appUp ? 'up' : 'not answering'} at ${appUrl}); see test-results/e2e/portal.log`,
  );
}

// ---- the browser --------------------------------------------------------------------------

let browser;
let currentPage;

async function newPage(theme) {
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    reducedMotion: 'reduce',
  });
  // AppThemeSelector (@backstage/core-app-api) keeps the theme id in localStorage under "theme".
  await context.addInitScript(t => {
    window.localStorage.setItem('theme', t);
  }, theme);
  const page = await context.newPage();
  currentPage = page;
  page.setDefaultTimeout(30_000);
  page.on('pageerror', err => log(`page error: ${err.message}`));
  return page;
}

/** Opens the app and signs in as guest: the sign-in page tries guest by itself, or shows "Enter". */
async function signIn(page) {
  await page.goto(appUrl, { waitUntil: 'domcontentloaded' });
  const enter = page.getByRole('button', { name: 'Enter' });
  // The sidebar is rendered only once signed in (it may be collapsed, so wait for it to exist).
  const signedIn = page.locator('nav[aria-label="sidebar nav"]');
  await page.waitForFunction(
    () =>
      document.querySelector('nav[aria-label="sidebar nav"]') ||
      [...document.querySelectorAll('button')].some(
        b => b.textContent.trim() === 'Enter',
      ),
    null,
    { timeout: 60_000 },
  );
  if ((await signedIn.count()) === 0) {
    await enter.click();
    await signedIn.waitFor({ state: 'attached' });
  }
}

async function screenshot(page, file) {
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file });
  log(
    `screenshot ${relative(root, file)} (${Math.round(statSync(file).size / 1024)} KB)`,
  );
}

/**
 * Opens a URL and waits for `ready`; reloads while the catalog has not ingested the entities yet
 * (the in-memory catalog fills a few seconds after the backend answers).
 */
async function gotoWhenReady(page, url, ready, what, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    try {
      await ready.first().waitFor({ timeout: 15_000 });
      return;
    } catch (err) {
      if (Date.now() > deadline) {
        throw new Error(
          `${what} did not appear at ${url} within ${timeoutMs / 1000}s`,
          { cause: err },
        );
      }
      log(`${what} not there yet; reloading`);
    }
  }
}

async function openCodemieTab(page) {
  const tab = page.getByRole('tab', { name: 'CodeMie' });
  await gotoWhenReady(
    page,
    `${appUrl}/catalog/default/resource/codemie-demo`,
    tab,
    'the codemie-demo entity page',
  );
  await tab.click();
  await page.waitForURL(/\/catalog\/default\/resource\/codemie-demo\/codemie$/);
  const table = page.getByRole('table', { name: 'CodeMie components' });
  await table
    .locator('tr[data-component]')
    .first()
    .waitFor({ timeout: 60_000 });
  return table;
}

// ---- tests --------------------------------------------------------------------------------

const results = [];
async function test(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    log(`ok   ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
  } catch (err) {
    results.push({ name, ok: false });
    log(`FAIL ${name}\n${err?.stack ?? err}`);
    if (currentPage && !currentPage.isClosed()) {
      const file = join(outDir, `failure-${results.length}.png`);
      await currentPage
        .screenshot({ path: file, fullPage: true })
        .catch(() => {});
      log(`page at failure: ${currentPage.url()} (${relative(root, file)})`);
      const seen = await currentPage
        .evaluate(() => ({
          buttons: [...document.querySelectorAll('main button')].map(
            b =>
              b.getAttribute('aria-label') || b.title || b.textContent.trim(),
          ),
          inputs: [...document.querySelectorAll('main input')].map(
            i => `${i.id}=${i.value}`,
          ),
          errors: [
            ...document.querySelectorAll('main .Mui-error, main [role=alert]'),
          ].map(e => e.textContent.trim()),
        }))
        .catch(() => undefined);
      if (seen) log(`page state: ${JSON.stringify(seen)}`);
    }
  }
}

async function codemieTabTests() {
  const page = await newPage('light');
  await test('signs in as guest', () => signIn(page));

  let table;
  await test('the CodeMie tab shows the twelve components', async () => {
    table = await openCodemieTab(page);
    const ids = await table
      .locator('tr[data-component]')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-component')));
    assert.deepEqual(
      [...ids].sort(),
      [...EXPECTED_COMPONENTS].sort(),
      `component rows: ${ids.join(', ')}`,
    );
    assert.equal(ids.length, 12);
    // Worst first: the crash-looping component is the first row.
    assert.equal(ids[0], 'mcp-connect');
    for (const id of EXPECTED_COMPONENTS) {
      const row = table.locator(`tr[data-component="${id}"]`);
      assert.equal(
        await row.getByRole('rowheader').count(),
        1,
        `${id} has a name cell`,
      );
    }
  });

  await test('mcp-connect is flagged as restarting, with an error chip', async () => {
    const row = table.locator('tr[data-component="mcp-connect"]');
    assert.equal(await row.getAttribute('data-health'), 'error');
    await row.getByRole('img', { name: 'MCP Connect health: error' }).waitFor();
    const restarts = row.locator('[data-restarting="true"]');
    assert.equal(
      await restarts.count(),
      1,
      'a restart counter flagged restarting',
    );
    const label = await restarts.getAttribute('aria-label');
    assert.match(label, /^MCP Connect: \d+ restarts?$/);
    // Every other enabled component is running without restarts flagged.
    const others = await table
      .locator(
        'tr[data-component]:not([data-component="mcp-connect"]) [data-restarting="true"]',
      )
      .count();
    assert.equal(others, 0, 'only mcp-connect is restarting');
  });

  await test('the problems panel names MCP Connect with a fix', async () => {
    const panel = page.getByRole('region', { name: 'Detected problems' });
    const item = panel.getByRole('listitem', { name: /^error: .*MCP Connect/ });
    await item.waitFor();
    const text = await item.innerText();
    assert.match(text, /MCP Connect/);
    assert.match(text, /Fix:\s*\S+/);
  });

  await test('screenshots of the CodeMie tab, light and dark', async () => {
    await page.mouse.move(0, 0);
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      widest: [...document.querySelectorAll('main *')]
        .filter(
          e =>
            e.getBoundingClientRect().right >
            document.documentElement.clientWidth + 1,
        )
        .filter(
          e =>
            !e.parentElement ||
            e.parentElement.getBoundingClientRect().right <=
              document.documentElement.clientWidth + 1,
        )
        .slice(0, 5)
        .map(
          e =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`,
        ),
    }));
    if (width.scroll > width.client) {
      log(
        `note: the CodeMie tab is wider than the window (${width.scroll}px > ${width.client}px): ${width.widest.join('; ')}`,
      );
    }
    const light = join(outDir, 'codemie-tab-light.png');
    await screenshot(page, light);
    mkdirSync(docsDir, { recursive: true });
    copyFileSync(light, join(docsDir, 'codemie-tab.png'));
    const size = statSync(join(docsDir, 'codemie-tab.png')).size;
    assert.ok(size < 400 * 1024, `docs/codemie-tab.png is ${size} bytes`);

    const dark = await newPage('dark');
    await signIn(dark);
    await openCodemieTab(dark);
    const bg = await dark.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    const [r, g, b] = bg.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 200, `dark theme background is dark (${bg})`);
    await dark.mouse.move(0, 0);
    await screenshot(dark, join(outDir, 'codemie-tab-dark.png'));
    await dark.context().close();
  });
  await page.context().close();
}

async function createFlowTests() {
  const page = await newPage('light');
  await signIn(page);

  await test('the create form shows the sizing and the monthly cost', async () => {
    // The template card: the nearest ancestor of its title that holds a Choose button.
    const choose = page
      .getByText('Create CodeMie environment', { exact: true })
      .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
      .getByRole('button', { name: 'Choose' });
    await gotoWhenReady(page, `${appUrl}/create`, choose, 'the template card');
    await choose.click();

    // Page 1: Environment.
    await page
      .getByRole('textbox', { name: 'Name', exact: true })
      .fill('codemie-e2e');
    const owner = page.getByLabel('Owner').first();
    await owner.click();
    await page.getByRole('option').first().click();
    await page.getByRole('button', { name: 'Next' }).click();

    // Page 2: Google Cloud.
    await page
      .getByRole('textbox', { name: 'Project id' })
      .fill('acme-ai-platform');
    await page
      .getByRole('textbox', { name: 'Domain' })
      .fill('codemie.example.com');
    // minItems: 1, so the form starts with one empty member; add one only if it does not.
    const member = page.locator('input#root_bastionMembers_0');
    if ((await member.count()) === 0) {
      await page.getByRole('button', { name: 'Add Item' }).click();
    }
    await member.fill('group:platform@example.com');
    await page.getByRole('button', { name: 'Next' }).click();

    // Page 3: Sizing, defaults.
    const preview = page.getByRole('region', {
      name: 'Sizing and monthly cost',
    });
    const summary = preview.getByRole('definition');
    await summary.first().waitFor({ timeout: 60_000 });
    const text = await preview.locator('dl').innerText();
    assert.match(text, /Node pool\s+\S+, \d+–\d+ nodes, \d zones?/);
    assert.match(text, /Monthly cost\s+\$[\d,]+(\.\d+)? \/ month/);
    await preview.getByRole('table', { name: 'Planned components' }).waitFor();
    await page.mouse.move(0, 0);
    // Scroll the preview to the top, but keep the page's left edge (the page is wider than the
    // window, and a horizontal scroll would hide the labels under the sidebar).
    await preview.evaluate(el => {
      el.scrollIntoView({ block: 'start' });
      for (let e = el; e; e = e.parentElement) e.scrollLeft = 0;
      document.scrollingElement.scrollLeft = 0;
      window.scrollBy(0, -80);
    });
    await screenshot(page, join(docsDir, 'create-sizing-preview.png'));
  });

  await page.context().close();
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor < 22) {
    throw new Error(
      `Node ${process.versions.node}: the portal needs Node 22 or 24 (put it first on PATH)`,
    );
  }
  for (const port of [appPort, backendPort]) {
    if (await portTaken(port)) {
      throw new Error(
        `port ${port} is already in use: stop the portal or whatever listens there ` +
          `(or set E2E_APP_PORT / E2E_BACKEND_PORT) and run again`,
      );
    }
  }
  startPortal();
  await waitForPortal();
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
    ],
  });
  await codemieTabTests();
  await createFlowTests();
}

let fatal;
async function onSignal(sig) {
  log(`${sig}: stopping`);
  await browser?.close().catch(() => {});
  await stopPortal();
  process.exit(130);
}
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);
try {
  await main();
} catch (err) {
  fatal = err;
  log(`FAIL setup: ${err?.message ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  await stopPortal();
}
const passed = results.filter(r => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`\ne2e took ${elapsed()}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
