#!/usr/bin/env node
// Runs before `npm start` and `npm test` (prestart/pretest): refuses at once, with one line that
// says what to do, when this Node.js cannot run the project — instead of a TypeError deep in
// undici, or a backend restarting forever on a native module built for another Node.
//
//   node scripts/check-node.mjs            the Node version, and better-sqlite3's build
//   node scripts/check-node.mjs --node     the Node version only
//
// Keep it plain: it must run, and explain, on the old Node it refuses (no dependencies).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const parse = version =>
  version
    .replace(/^v/, '')
    .split('.')
    .map(n => Number(n) || 0);

const compare = (a, b) => {
  for (let i = 0; i < 3; i++)
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/**
 * The alternatives of an engines.node range: `^22.22.2 || ^24.15.0` → [{ major: 22, min:
 * [22, 22, 2] }, …]. Understands what this project writes there: `||` of `^x.y.z` or `x`.
 */
export function parseEngines(range) {
  return String(range)
    .split('||')
    .map(part => part.trim().replace(/^\^/, ''))
    .filter(Boolean)
    .map(part => ({ major: parse(part)[0], min: parse(part) }));
}

/** One line when `version` is outside engines.node `range`, else undefined. */
export function nodeProblem(version, range) {
  const have = parse(version);
  const allowed = parseEngines(range);
  if (allowed.some(a => have[0] === a.major && compare(have, a.min) >= 0))
    return undefined;
  const names = allowed.map(a =>
    a.min[1] || a.min[2]
      ? `${a.major} (${a.min.join('.')} or later)`
      : String(a.major),
  );
  const wanted =
    names.length > 1
      ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
      : names[0];
  return `this project needs Node ${wanted}; you have ${version.replace(/^v/, '')}; see README (Prerequisite)`;
}

/**
 * The fix for a native module built for another Node (dlopen's "NODE_MODULE_VERSION 115 …
 * requires NODE_MODULE_VERSION 127"), or undefined when `error` is something else.
 */
export function nativeModuleProblem(error, execPath, nodeHasHeaders) {
  const text = String(error?.message ?? error);
  const versions = text.match(
    /NODE_MODULE_VERSION (\d+)[\s\S]*?NODE_MODULE_VERSION (\d+)/,
  );
  if (!versions) return undefined;
  const nodeHome = dirname(dirname(execPath));
  const nodedir = nodeHasHeaders
    ? nodeHome
    : '<the folder of this Node, the one with include/node>';
  return (
    `better-sqlite3 was built for another Node.js (NODE_MODULE_VERSION ${versions[1]}; this Node ${process.version} needs ${versions[2]}). ` +
    `Rebuild it for this Node: npm_config_nodedir="${nodedir}" npm rebuild better-sqlite3`
  );
}

/** What is wrong with better-sqlite3 as the backend in `repoRoot` loads it, or undefined. */
export function checkBetterSqlite3(repoRoot = root) {
  const backend = join(repoRoot, 'packages', 'backend', 'package.json');
  const require = createRequire(backend);
  let Database;
  try {
    Database = require('better-sqlite3');
  } catch (error) {
    if (error?.code === 'MODULE_NOT_FOUND')
      return 'the dependencies are not installed: run npm ci (see README)';
    return (
      nativeModuleProblem(error, process.execPath, hasHeaders()) ??
      `better-sqlite3 does not load: ${error.message}`
    );
  }
  try {
    // The binding is loaded on first use.
    new Database(':memory:').close();
  } catch (error) {
    return (
      nativeModuleProblem(error, process.execPath, hasHeaders()) ??
      `better-sqlite3 does not work: ${error.message}`
    );
  }
  return undefined;
}

function hasHeaders() {
  return existsSync(
    join(dirname(dirname(process.execPath)), 'include', 'node'),
  );
}

function main() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problem =
    nodeProblem(process.version, pkg.engines?.node) ??
    (process.argv.includes('--node') ? undefined : checkBetterSqlite3());
  if (problem) {
    console.error(`error: ${problem}`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1])
  main();
