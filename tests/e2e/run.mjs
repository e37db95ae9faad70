// End-to-end test in a real Chromium at 1440×900: starts the local portal (`backstage-cli repo
// start`), signs in as guest, checks the catalog, the CodeMie tab of the demo environment, the
// catalog import page, and the "Create CodeMie environment" form through its sizing preview to a
// running task and its live progress. On every page it visits it also checks what a user sees at
// once: no horizontal overflow, no serif font, no uncaught page error, no console error.
// Screenshots go to test-results/e2e/ only.
//
//   npm run test:e2e
//   npm run docs:screenshots    the same, then copies two screenshots into docs/ (README images)
//
// Needs Debian's Chromium at /usr/bin/chromium (override with CHROMIUM_PATH); never downloads a
// browser. Ports 3000 and 7007 must be free (override with E2E_APP_PORT / E2E_BACKEND_PORT).
import { spawn, spawnSync } from 'node:child_process';
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
// The window of the issue reports (and of most laptops).
const viewport = { width: 1440, height: 900 };
// `npm run docs:screenshots`: after a passing run, refresh the README's images in docs/.
const updateDocs = process.argv.includes('--update-docs');
// `E2E_ONLY=resize` walks sign-in and the resize flows only (quicker while working on them).
const only = process.env.E2E_ONLY;
const DOCS_IMAGES = {
  'codemie-tab-light.png': 'codemie-tab.png',
  'create-sizing-preview.png': 'create-sizing-preview.png',
};

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
  'ingress-nginx',
];

/** The sandbox's demo environment: its entity lives in the namespace of its project. */
const DEMO_PATH = '/catalog/codemie-sandbox/resource/codemie-demo';
/** The project the browser test creates its environments in. */
const PROJECT = 'acme-e2e-01';
/** A project whose first cluster create the sandbox refuses (quota), to exercise Retry. */
const RETRY_PROJECT = 'acme-e2e-retry';

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
  const env = {
    ...process.env,
    BROWSER: 'none',
    // Google releases a private services peering days after Cloud SQL goes; here in a minute,
    // so that destroy finishes within the run (the waiting state is tested in tests/).
    APP_CONFIG_codemie_sandbox_durations_peeringRelease: '1m',
    // The first GKE cluster create in RETRY_PROJECT fails on quota, as a new project's often
    // does; the user retries once the quota is raised (here: the fault is spent).
    APP_CONFIG_codemie_sandbox_faults: JSON.stringify([
      {
        service: 'container',
        method: 'POST',
        path: `/projects/${RETRY_PROJECT}/locations/`,
        status: 403,
        grpcStatus: 'PERMISSION_DENIED',
        message:
          "Insufficient regional quota to satisfy request: resource \"CPUS\": request requires '12.0' and is short '4.0'. project has a quota of '8.0' with '8.0' available.",
        times: 1,
      },
    ]),
  };
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

/*
 * React, in development mode (what `npm start` serves), reports deprecations through
 * console.error. Two come from third-party components the portal cannot change (@material-ui/core
 * 4's ButtonBase and Tooltip, @material-table/core): tolerated only when the component stack
 * they carry starts in node_modules. Any other console error fails the page.
 */
const THIRD_PARTY_DEV_WARNINGS = [
  /^Warning: findDOMNode is deprecated/,
  /^Warning: %s: Support for defaultProps will be removed from (function|memo) components/,
];
let toleratedWarnings = 0;

function isThirdPartyDevWarning(text) {
  if (!THIRD_PARTY_DEV_WARNINGS.some(re => re.test(text))) return false;
  // The component stack React appends: its first frame with a source names the culprit.
  const firstSource = text.match(
    /\n\s+at [^\n]*?\((?:webpack-internal:\/\/\/)?([^()\n]+?):\d+:\d+\)/,
  );
  return Boolean(firstSource && firstSource[1].includes('node_modules/'));
}

/**
 * rjsf logs "Form validation failed" to the console when a user submits a page with an invalid
 * value (the library's own onError default): expected right after a test does that on purpose.
 */
function forgiveRefusedSubmit(page) {
  page.problems = page.problems.filter(
    p => !p.startsWith('console error: Form validation failed'),
  );
}

/** Collects what goes wrong in a page between two `checkPage` calls. */
function watchPage(page) {
  page.problems = [];
  page.pending = [];
  page.on('pageerror', err => {
    log(`page error: ${err.message}`);
    page.problems.push(`uncaught error: ${err.message}`);
  });
  page.on('console', msg => {
    if (msg.type() !== 'error') return;
    // React passes the component stack as a separate argument: read them all.
    const read = Promise.all(
      msg.args().map(a => a.jsonValue().catch(() => '')),
    ).then(args => {
      const text = [msg.text(), ...args.map(String)].join('\n');
      if (isThirdPartyDevWarning(text)) {
        toleratedWarnings += 1;
      } else {
        page.problems.push(
          `console error: ${msg.text().split('\n')[0].slice(0, 300)}`,
        );
        if (process.env.E2E_DEBUG) log(`console error in full: ${text}`);
      }
    });
    page.pending.push(read);
  });
}

/**
 * What a user sees at once on every page, checked on the page as it is now: it fits the window
 * (no horizontal scrolling), no text is drawn in a serif font (the browser's default when the
 * app's CSS baseline is missing), and nothing failed (uncaught errors, console errors) since the
 * last check.
 */
async function checkPage(page, what) {
  // Let late renders and their errors arrive.
  await page.waitForTimeout(500);
  await Promise.all(page.pending.splice(0));
  const seen = await page.evaluate(() => {
    const sansOrMono = /sans-serif|system-ui|monospace/i;
    const serif = [];
    for (const el of document.querySelectorAll('body *')) {
      const ownText = [...el.childNodes].some(
        n => n.nodeType === Node.TEXT_NODE && n.textContent.trim(),
      );
      if (!ownText || el.getClientRects().length === 0) continue;
      const family = getComputedStyle(el).fontFamily;
      if (!sansOrMono.test(family)) {
        serif.push(
          `<${el.tagName.toLowerCase()}> "${el.textContent.trim().slice(0, 30)}" in ${family}`,
        );
      }
    }
    return {
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      overflowing: [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(
          e =>
            !e.parentElement ||
            e.parentElement.getBoundingClientRect().right <=
              window.innerWidth + 1,
        )
        .slice(0, 3)
        .map(
          e =>
            `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`,
        ),
      serif: serif.slice(0, 5),
    };
  });
  const problems = [...page.problems];
  page.problems.length = 0;
  if (seen.scrollWidth > seen.innerWidth) {
    problems.push(
      `wider than the window: scrollWidth ${seen.scrollWidth} > innerWidth ${seen.innerWidth} (${seen.overflowing.join('; ')})`,
    );
  }
  if (seen.serif.length > 0) {
    problems.push(`serif font on body text: ${seen.serif.join('; ')}`);
  }
  assert.deepEqual(problems, [], `${what} (${page.url()})`);
}

async function newPage(theme) {
  const context = await browser.newContext({
    viewport,
    reducedMotion: 'reduce',
  });
  // AppThemeSelector (@backstage/core-app-api) keeps the theme id in localStorage under "theme".
  await context.addInitScript(t => {
    window.localStorage.setItem('theme', t);
  }, theme);
  const page = await context.newPage();
  currentPage = page;
  page.setDefaultTimeout(30_000);
  watchPage(page);
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
    `${appUrl}${DEMO_PATH}`,
    tab,
    'the codemie-demo entity page',
  );
  await tab.click();
  await page.waitForURL(new RegExp(`${DEMO_PATH}/codemie$`));
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

async function catalogTests(page) {
  await test('signs in as guest', async () => {
    await signIn(page);
    await checkPage(page, 'the page after sign-in');
  });

  await test('the catalog lists the project’s entities and fits the window', async () => {
    const backendPlugin = page.locator(
      'table a[href$="/catalog/default/component/codemie-backend"]',
    );
    await gotoWhenReady(
      page,
      `${appUrl}/catalog`,
      backendPlugin,
      'the catalog table',
    );
    await checkPage(page, 'the catalog');
    await screenshot(page, join(outDir, 'catalog.png'));
  });
}

async function codemieTabTests(page) {
  let table;
  await test('the CodeMie tab shows every component', async () => {
    const tab = page.getByRole('tab', { name: 'CodeMie' });
    await gotoWhenReady(
      page,
      `${appUrl}${DEMO_PATH}`,
      tab,
      'the codemie-demo entity page',
    );
    await page.getByText('About', { exact: true }).first().waitFor();
    // The CodeMie card has read the cluster.
    await page
      .getByText('Node pool', { exact: true })
      .first()
      .waitFor({ timeout: 60_000 });
    await checkPage(page, 'the codemie-demo overview');
    await screenshot(page, join(outDir, 'entity-overview.png'));

    table = await openCodemieTab(page);
    const ids = await table
      .locator('tr[data-component]')
      .evaluateAll(rows => rows.map(r => r.getAttribute('data-component')));
    assert.deepEqual(
      [...ids].sort(),
      [...EXPECTED_COMPONENTS].sort(),
      `component rows: ${ids.join(', ')}`,
    );
    assert.equal(ids.length, EXPECTED_COMPONENTS.length);
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

  await test('the CodeMie tab fits the window, light and dark', async () => {
    await page.mouse.move(0, 0);
    await checkPage(page, 'the CodeMie tab (light)');
    await screenshot(page, join(outDir, 'codemie-tab-light.png'));

    const dark = await newPage('dark');
    try {
      await signIn(dark);
      await openCodemieTab(dark);
      const bg = await dark.evaluate(
        () => getComputedStyle(document.body).backgroundColor,
      );
      const [r, g, b] = bg.match(/\d+/g).map(Number);
      assert.ok(r + g + b < 200, `dark theme background is dark (${bg})`);
      await dark.mouse.move(0, 0);
      await checkPage(dark, 'the CodeMie tab (dark)');
      await screenshot(dark, join(outDir, 'codemie-tab-dark.png'));
    } finally {
      currentPage = page;
      await dark.context().close();
    }
  });
}

async function catalogImportTests(page) {
  await test('Register (catalog import) opens its form without crashing', async () => {
    await page.goto(`${appUrl}/catalog-import`, {
      waitUntil: 'domcontentloaded',
    });
    // The stepper's first step; the page used to die on apiRef{core.scmauth}.
    await page.getByRole('textbox', { name: /URL/ }).waitFor();
    await page.getByRole('button', { name: /Analyze/i }).waitFor();
    await checkPage(page, 'the catalog import page');
    await screenshot(page, join(outDir, 'catalog-import.png'));
  });
}

/** A scaffolder task's status, read from the backend as the guest user. */
async function taskStatus(taskId) {
  const auth = await fetch(`${backendUrl}/api/auth/guest/refresh`, {
    method: 'POST',
  }).then(r => r.json());
  const task = await fetch(`${backendUrl}/api/scaffolder/v2/tasks/${taskId}`, {
    headers: { authorization: `Bearer ${auth.backstageIdentity.token}` },
  }).then(r => r.json());
  return task.status;
}

/** The form's Back/Next are Backstage UI buttons with their styles, not bare text. */
async function assertStyledButton(page, name) {
  const style = await page
    .getByRole('button', { name, exact: true })
    .evaluate(b => {
      const s = getComputedStyle(b);
      return {
        className: b.className,
        display: s.display,
        height: b.getBoundingClientRect().height,
        background: s.backgroundColor,
      };
    });
  assert.match(
    style.className,
    /\bbui-Button\b/,
    `${name} is a Backstage UI button`,
  );
  assert.match(
    style.display,
    /^(inline-)?flex$/,
    `${name} is laid out as a button`,
  );
  assert.ok(style.height >= 28, `${name} is ${style.height}px high`);
  return style;
}

/** Opens a template's form from the template list, as a user does. */
async function openTemplate(page, title) {
  // The template card: the nearest ancestor of its title that holds a Choose button.
  const choose = page
    .getByText(title, { exact: true })
    .locator('xpath=ancestor::*[.//button[normalize-space()="Choose"]][1]')
    .getByRole('button', { name: 'Choose' });
  await gotoWhenReady(page, `${appUrl}/create`, choose, `the "${title}" card`);
  await choose.click();
}

const next = page => page.getByRole('button', { name: 'Next' }).click();
const back = page => page.getByRole('button', { name: 'Back' }).click();

/** The create form's first two pages: name, owner (the guest's team), project, domain, access. */
async function fillEnvironmentAndCloud(page, { name, project, option }) {
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  // The guest belongs to one team: the owner is chosen for it.
  const owner = page.locator('#OwnershipEntityRefPicker-dropdown');
  await page.waitForFunction(
    () =>
      document.querySelector('#OwnershipEntityRefPicker-dropdown')?.value ===
      'CodeMie newcomers',
  );
  assert.equal(await owner.inputValue(), 'CodeMie newcomers');
  await next(page);
  await page.getByRole('textbox', { name: 'Project id' }).fill(project);
  await page
    .getByRole('textbox', { name: 'Domain' })
    .fill(`${name}.example.com`);
  if (option) await chooseAccess(page, option);
}

async function chooseAccess(page, option) {
  await page.getByLabel('Access').click();
  await page
    .getByRole('option', { name: option === 'public' ? /^Public/ : /^Private/ })
    .click();
}

/** Review, Create, and the task's id once its page opens. */
async function reviewAndCreate(page) {
  await page.getByRole('button', { name: 'Review' }).click();
  const review = await page.locator('main table').last().innerText();
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/create\/tasks\/[^/]+$/);
  return { review, taskId: new URL(page.url()).pathname.split('/').pop() };
}

/** Waits for a task to end (read from the API while the task page streams its log). */
async function taskEnd(taskId, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await taskStatus(taskId);
    if (['completed', 'failed', 'cancelled'].includes(status)) return status;
    if (Date.now() > deadline)
      throw new Error(`task ${taskId} still ${status}`);
    await sleep(1000);
  }
}

/** The new environment's CodeMie tab: verdict OK and every deployed component listed. */
async function checkEnvironmentTab(page, name, project = PROJECT) {
  const path = `/catalog/${project}/resource/${name}`;
  const tab = page.getByRole('tab', { name: 'CodeMie' });
  await gotoWhenReady(page, `${appUrl}${path}`, tab, `the ${name} entity page`);
  await tab.click();
  const table = page.getByRole('table', { name: 'CodeMie components' });
  await table
    .locator('tr[data-component]')
    .first()
    .waitFor({ timeout: 60_000 });
  const verdict = page.getByRole('region', { name: 'Environment verdict' });
  await verdict
    .getByRole('img', { name: `${name} health: ok` })
    .waitFor({ timeout: 60_000 });
  const rows = await table.locator('tr[data-component]').evaluateAll(trs =>
    trs.map(r => ({
      id: r.getAttribute('data-component'),
      health: r.getAttribute('data-health'),
    })),
  );
  const deployed = rows.filter(r => r.health !== 'unknown');
  assert.deepEqual(
    deployed.filter(r => r.health !== 'ok'),
    [],
    `every deployed component of ${name} is healthy`,
  );
  assert.ok(
    EXPECTED_COMPONENTS.filter(id => id !== 'nats').every(id =>
      rows.some(r => r.id === id),
    ),
    `${name} lists every deployed component: ${rows.map(r => r.id).join(', ')}`,
  );
  await page.mouse.move(0, 0);
  await checkPage(page, `the CodeMie tab of ${name}`);
}

async function createFlowTests(page) {
  const flows = {};

  await test('private: the form walks Environment → Google Cloud → Bastion access → Sizing with its cost', async () => {
    await openTemplate(page, 'Create CodeMie environment');
    await checkPage(page, 'the create form, page Environment');
    const nextButton = await assertStyledButton(page, 'Next');
    assert.notEqual(
      nextButton.background,
      'rgba(0, 0, 0, 0)',
      'Next is filled',
    );
    await fillEnvironmentAndCloud(page, {
      name: 'e2e-priv',
      project: PROJECT,
    });
    // The Domain help keeps its placeholders.
    await page.getByText('codemie.<domain>', { exact: true }).first().waitFor();
    await assertStyledButton(page, 'Back');
    await checkPage(page, 'the create form, page Google Cloud');
    await next(page);
    await page
      .getByRole('textbox', { name: 'Member' })
      .fill('group:platform@example.com');
    await checkPage(page, 'the create form, page Bastion access');
    await screenshot(page, join(outDir, 'create-bastion.png'));
    await next(page);

    const preview = page.getByRole('region', {
      name: 'Sizing and monthly cost',
    });
    await preview.getByRole('definition').first().waitFor({ timeout: 60_000 });
    const text = await preview.locator('dl').first().innerText();
    assert.match(text, /Node pool\s+\S+/);
    assert.match(text, /\$[\d,]+/);
    assert.doesNotMatch(
      text,
      /custom\b(?! \()/,
      'the defaults are a named tier',
    );
    await page.mouse.move(0, 0);
    await checkPage(page, 'the create form, page Sizing with its preview');
    await preview.evaluate(el => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -80);
    });
    await screenshot(page, join(outDir, 'create-sizing-preview.png'));

    const { review, taskId } = await reviewAndCreate(page);
    assert.match(review, /Bastion members\s+group:platform@example\.com/);
    assert.doesNotMatch(
      review,
      /Allowed networks|Sizing and monthly cost|Monthly Cost/,
    );
    assert.match(review, /Access\s+private/);
    flows.private = taskId;
  });

  await test('a running task shows the log of its running step as it comes', async () => {
    const progress = page.getByRole('region', {
      name: 'Progress: Provision Google Cloud',
    });
    await page.waitForFunction(
      () => {
        const list = document.querySelector(
          'section[aria-label="Progress: Provision Google Cloud"] [role=log]',
        );
        return [...(list?.querySelectorAll('li') ?? [])].some(li =>
          /^VPC network \S+: (creating|created)/.test(li.textContent),
        );
      },
      null,
      { timeout: 60_000 },
    );
    const seen = await progress
      .getByRole('log')
      .getByRole('listitem')
      .allInnerTexts();
    assert.ok(
      seen.every(l => !l.includes('\u001b[') && !/^\d{4}-\d\d-\d\dT/.test(l)),
      'no colour codes or timestamps',
    );
    await checkPage(page, 'the task page while provisioning');
    await screenshot(page, join(outDir, 'task-provisioning.png'));
  });

  // Meanwhile, in a second tab, a careless user.
  const other = await newPage('light');
  await signIn(other);
  await test('public, after first choosing private and adding a bastion member: no private value reaches the task', async () => {
    await openTemplate(other, 'Create CodeMie environment');
    await fillEnvironmentAndCloud(other, { name: 'e2e-pub', project: PROJECT });
    await next(other);
    await other
      .getByRole('textbox', { name: 'Member' })
      .fill('group:oops@example.com');
    await back(other);
    await chooseAccess(other, 'public');
    await next(other);
    await other
      .getByRole('textbox', { name: 'Network (CIDR)' })
      .fill('010.000.000.000/8');
    await next(other);
    // The form explains the rule instead of echoing a regular expression.
    await other
      .getByText('An IPv4 CIDR without leading zeros, e.g. 203.0.113.0/24')
      .first()
      .waitFor();
    await Promise.all(other.pending.splice(0));
    forgiveRefusedSubmit(other);
    await other
      .getByRole('textbox', { name: 'Network (CIDR)' })
      .fill('203.0.113.0/24');
    await checkPage(other, 'the create form, page Allowed networks');
    await next(other);
    await other
      .getByRole('region', { name: 'Sizing and monthly cost' })
      .getByRole('definition')
      .first()
      .waitFor({ timeout: 60_000 });
    const { review, taskId } = await reviewAndCreate(other);
    assert.doesNotMatch(review, /Bastion members|oops@example\.com/);
    assert.match(review, /Allowed networks\s+203\.0\.113\.0\/24/);
    assert.match(review, /Access\s+public/);
    flows.public = taskId;
  });

  await test('a name that already exists in the project is refused on its page, naming the owner', async () => {
    await openTemplate(other, 'Create CodeMie environment');
    await fillEnvironmentAndCloud(other, {
      name: 'e2e-priv',
      project: PROJECT,
    });
    await next(other);
    await other
      .getByText(
        /e2e-priv already exists in acme-e2e-01, owned by group:default\/codemie-newcomers/,
      )
      .first()
      .waitFor();
    // Still on the Google Cloud page: nothing was created.
    await other.getByRole('textbox', { name: 'Project id' }).waitFor();
    await checkPage(other, 'the create form refusing an existing name');
    await screenshot(other, join(outDir, 'create-name-taken.png'));
  });

  await test('a create that fails on quota says so, and Retry finishes it', async () => {
    await openTemplate(other, 'Create CodeMie environment');
    await fillEnvironmentAndCloud(other, {
      name: 'e2e-retry',
      project: RETRY_PROJECT,
      option: 'public',
    });
    await next(other);
    await other
      .getByRole('textbox', { name: 'Network (CIDR)' })
      .fill('198.51.100.0/24');
    await next(other);
    await other
      .getByRole('region', { name: 'Sizing and monthly cost' })
      .getByRole('definition')
      .first()
      .waitFor({ timeout: 60_000 });
    const { taskId } = await reviewAndCreate(other);
    assert.equal(await taskEnd(taskId), 'failed');
    await other.getByText(/quota/i).first().waitFor({ timeout: 30_000 });
    const shown = await other.locator('main').innerText();
    assert.doesNotMatch(
      shown,
      /\bat \S+\.(ts|js):\d+/,
      'no stack frames in the task page',
    );
    await checkPage(other, 'the failed task page');
    await screenshot(other, join(outDir, 'task-failed-quota.png'));
    await other.getByTestId('retry-button').click();
    // The retried task runs again under the same id: wait until it has left "failed".
    const deadline = Date.now() + 30_000;
    while ((await taskStatus(taskId)) === 'failed') {
      assert.ok(Date.now() < deadline, 'Retry restarted the task');
      await sleep(250);
    }
    flows.retry = taskId;
  });

  await test('every task completes: private, public, and the retried one', async () => {
    const ends = await Promise.all(
      ['private', 'public', 'retry'].map(k => taskEnd(flows[k])),
    );
    assert.deepEqual(ends, ['completed', 'completed', 'completed']);
    await page
      .getByRole('button', { name: /Hide logs/i })
      .waitFor({ timeout: 60_000 });
    await checkPage(page, 'the task page when done');
    await screenshot(page, join(outDir, 'task-done.png'));
  });

  await test('each new environment’s CodeMie tab: verdict OK, every deployed component listed', async () => {
    await checkEnvironmentTab(page, 'e2e-priv');
    await screenshot(page, join(outDir, 'new-environment-light.png'));
    await checkEnvironmentTab(other, 'e2e-pub');
    await checkEnvironmentTab(other, 'e2e-retry', RETRY_PROJECT);
  });

  await test('destroy: the typed name is checked in the form, then the environment goes', async () => {
    await openTemplate(other, 'Destroy CodeMie environment');
    const picker = other.getByRole('textbox', {
      name: 'Environment',
      exact: true,
    });
    await picker.click();
    await other.getByRole('option', { name: /e2e-pub/ }).click();
    const confirm = other.getByRole('textbox', {
      name: "Type the environment's name to confirm",
    });
    await confirm.fill('e2e');
    await other.getByRole('button', { name: 'Review' }).click();
    await other
      .getByText(
        "Type the environment's name, e2e-pub, exactly to confirm; nothing is deleted otherwise.",
      )
      .first()
      .waitFor();
    await Promise.all(other.pending.splice(0));
    forgiveRefusedSubmit(other);
    await checkPage(other, 'the destroy form refusing a wrong name');
    await confirm.fill('e2e-pub');
    const { taskId } = await reviewAndCreate(other);
    assert.equal(await taskEnd(taskId), 'completed');
    await gotoWhenReady(
      other,
      `${appUrl}/catalog/${PROJECT}/resource/e2e-pub`,
      other.getByText(/not found|No entity/i),
      'the destroyed environment to leave the catalog',
      60_000,
    );
  });

  await test('the new environment and the form, dark', async () => {
    const dark = await newPage('dark');
    try {
      await signIn(dark);
      await checkEnvironmentTab(dark, 'e2e-priv');
      await screenshot(dark, join(outDir, 'new-environment-dark.png'));
      await openTemplate(dark, 'Create CodeMie environment');
      await fillEnvironmentAndCloud(dark, {
        name: 'e2e-dark',
        project: PROJECT,
      });
      await checkPage(dark, 'the create form (dark)');
      await screenshot(dark, join(outDir, 'create-google-cloud-dark.png'));
    } finally {
      currentPage = page;
      await dark.context().close();
    }
  });
  await other.context().close();
  currentPage = page;
}

const TRIAL_PATH = '/catalog/codemie-sandbox/resource/codemie-trial';

/** An environment's CodeMie tab, once its advice card has rendered. */
async function openAdvice(page, path, what) {
  const tab = page.getByRole('tab', { name: 'CodeMie' });
  await gotoWhenReady(page, `${appUrl}${path}`, tab, what);
  await tab.click();
  const advice = page.getByRole('region', { name: 'Sizing advice' });
  await advice.waitFor({ timeout: 60_000 });
  await page
    .getByRole('table', { name: 'CodeMie components' })
    .locator('tr[data-component]')
    .first()
    .waitFor({ timeout: 60_000 });
  return advice;
}

/** Picks an environment in the resize form's select (MUI: a button opening a listbox). */
async function pickEnvironment(page, name) {
  await page.getByRole('button', { name: /^Environment/ }).click();
  await page
    .getByRole('listbox')
    .getByRole('option', { name: new RegExp(`/${name} — owned by`) })
    .click();
}

/** The resize form's "What changes" summary, once the backend has answered. */
async function resizeSummary(page) {
  await page.getByLabel('Resize summary').waitFor({ timeout: 60_000 });
  return (await page.getByLabel('Resize summary').innerText()).replace(
    /\s+/g,
    ' ',
  );
}

async function resizeTests(page) {
  await test('the demo’s advice is marked as sandbox data, and a non-owner reads who may resize instead of buttons', async () => {
    const advice = await openAdvice(
      page,
      DEMO_PATH,
      'the codemie-demo entity page',
    );
    await advice.getByText('Sandbox data', { exact: true }).waitFor();
    assert.ok(
      (await advice.getByRole('listitem').count()) > 0,
      'the demo has advice',
    );
    assert.equal(
      (await page.getByRole('link', { name: /^Resize/ }).count()) +
        (await page.getByRole('button', { name: /^Resize/ }).count()),
      0,
      'no Resize button for someone who does not own the environment',
    );
    await page
      .getByText(
        /Only the owners of this environment \(group:default\/platform-engineering\) may resize it/,
      )
      .waitFor();
  });

  await test('resize: a non-owned environment is refused on the form’s first page, naming its owners', async () => {
    await openTemplate(page, 'Resize CodeMie environment');
    await pickEnvironment(page, 'codemie-demo');
    await next(page);
    await page
      .getByText(
        /You may not resize codemie-demo: it is owned by group:default\/platform-engineering/,
      )
      .first()
      .waitFor();
    await Promise.all(page.pending.splice(0));
    forgiveRefusedSubmit(page);
    await checkPage(page, 'the resize form refusing the demo');
    await screenshot(page, join(outDir, 'resize-refused.png'));
  });

  let target;
  let esStorageAfter;
  await test('resize: the trial’s advice opens the form pre-filled; switching tiers changes the plan before anything runs', async () => {
    const advice = await openAdvice(
      page,
      TRIAL_PATH,
      'the codemie-trial entity page',
    );
    const tierBefore = await page
      .getByRole('region', { name: 'Cluster summary' })
      .getByText(/ tier · /)
      .innerText();
    const button = advice
      // Backstage's LinkButton: a link styled and announced as a button.
      .getByRole('button', { name: /^Resize to carry out/ })
      .first();
    await button.waitFor({ timeout: 60_000 });
    target = await button.getAttribute('data-resize-tier');
    assert.ok(target, 'the advice names the tier it resizes to');
    await screenshot(page, join(outDir, 'trial-advice.png'));
    await button.click();
    await page.waitForURL(
      /\/create\/templates\/default\/resize-codemie-environment/,
    );
    await page
      .getByRole('button', { name: /^Environment/ })
      .filter({ hasText: 'codemie-trial' })
      .waitFor();
    await next(page);
    const tierSelect = page.getByRole('button', { name: /^Tier/ });
    assert.match(
      await tierSelect.innerText(),
      new RegExp(`^${target}`, 'i'),
      'the advice’s tier is chosen',
    );
    await next(page);
    const first = await resizeSummary(page);
    assert.match(
      first,
      new RegExp(`${tierBefore.split(' tier')[0]} → ${target}`),
      `the summary goes from the current tier to the advice's (${first})`,
    );
    assert.match(first, /\$[\d,.]+ → \$[\d,.]+/, 'monthly cost before → after');
    // What the plan says Elasticsearch's disks become: "<pods> × … , <GiB> GiB" per pod.
    const esAfter = await page
      .getByRole('table', { name: 'Components that change' })
      .locator('tr[data-component="elasticsearch"] td')
      .nth(1)
      .innerText()
      .catch(() => '');
    const esMatch = /^(\d+) × .*, (\d+) GiB$/.exec(esAfter.trim());
    esStorageAfter = esMatch
      ? Number(esMatch[1]) * Number(esMatch[2])
      : undefined;
    await checkPage(page, 'the resize form, What changes');
    await screenshot(page, join(outDir, 'resize-what-changes.png'));

    // Careless path: back to Sizing, another tier, then back to the advice's.
    await back(page);
    const other = target === 'large' ? 'Medium' : 'Large';
    await tierSelect.click();
    await page.getByRole('option', { name: new RegExp(`^${other}`) }).click();
    await next(page);
    const switched = await resizeSummary(page);
    assert.notEqual(switched, first, 'another tier, another plan');
    assert.match(switched, new RegExp(`→ ${other.toLowerCase()}`));
    await back(page);
    await tierSelect.click();
    await page
      .getByRole('option', {
        name: new RegExp(`^${target[0].toUpperCase()}${target.slice(1)}`),
      })
      .click();
    await next(page);
    assert.equal(await resizeSummary(page), first, 'the advice’s plan again');
  });

  await test('resize: the task finishes and the trial’s page shows the new tier, every component healthy', async () => {
    assert.ok(target, 'the previous step chose a tier');
    const { review, taskId } = await reviewAndCreate(page);
    assert.match(review, /codemie-trial/);
    assert.equal(await taskEnd(taskId), 'completed');
    const tab = page.getByRole('tab', { name: 'CodeMie' });
    await gotoWhenReady(
      page,
      `${appUrl}${TRIAL_PATH}`,
      tab,
      'the codemie-trial entity page',
    );
    await tab.click();
    await page
      .getByRole('region', { name: 'Cluster summary' })
      .getByText(new RegExp(`^${target} tier · `))
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('region', { name: 'Environment verdict' })
      .getByRole('img', { name: 'codemie-trial health: ok' })
      .waitFor({ timeout: 60_000 });
    assert.ok(
      esStorageAfter,
      'the plan changes Elasticsearch (the trial outgrows its disks)',
    );
    {
      // The claims grew and the file system followed (the volume expanded online).
      const storage = page
        .getByRole('table', { name: 'CodeMie components' })
        .locator('tr[data-component="elasticsearch"]');
      const deadline = Date.now() + 60_000;
      while (
        !(await storage.innerText()).includes(`size ${esStorageAfter} GiB`)
      ) {
        if (Date.now() > deadline)
          throw new Error(
            `Elasticsearch's volumes are not ${esStorageAfter} GiB in all: ${await storage.innerText()}`,
          );
        await page.getByRole('button', { name: 'Refresh now' }).click();
        await sleep(2000);
      }
    }
    await checkPage(page, 'the resized trial');
    await screenshot(page, join(outDir, 'trial-resized.png'));
  });
}

// ---- main ---------------------------------------------------------------------------------

async function main() {
  const nodeProblem = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'check-node.mjs')],
    { encoding: 'utf8' },
  );
  if (nodeProblem.status !== 0) throw new Error(nodeProblem.stderr.trim());
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
  const page = await newPage('light');
  await catalogTests(page);
  if (only !== 'resize') {
    await codemieTabTests(page);
    await catalogImportTests(page);
    await createFlowTests(page);
  }
  await resizeTests(page);
  await page.context().close();
  log(
    `tolerated ${toleratedWarnings} React development warnings from third-party components`,
  );
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
if (updateDocs && failed === 0) {
  mkdirSync(docsDir, { recursive: true });
  for (const [from, to] of Object.entries(DOCS_IMAGES)) {
    // README images stay small enough for the repository.
    const size = statSync(join(outDir, from)).size;
    if (size > 400 * 1024) {
      log(`docs/${to} not updated: ${from} is ${Math.round(size / 1024)} KB`);
      process.exitCode = 1;
      continue;
    }
    copyFileSync(join(outDir, from), join(docsDir, to));
    log(`docs/${to} ← ${relative(root, join(outDir, from))}`);
  }
} else if (updateDocs) {
  log('docs/ left as it was: the run failed');
}
console.log(`\ne2e took ${elapsed()}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : (process.exitCode ?? 0));
