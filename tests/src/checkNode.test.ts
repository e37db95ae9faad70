import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './__testUtils__/repoRoot';

/*
 * scripts/check-node.mjs, which `npm start` and `npm test` run first (prestart/pretest), run as
 * npm runs it: on a copy of the repository's skeleton whose package.json and installed
 * better-sqlite3 the test chooses.
 */
describe('scripts/check-node.mjs', () => {
  let dir: string;
  const thisMajor = Number(process.versions.node.split('.')[0]);

  function skeleton(options: {
    engines: string;
    /** The installed better-sqlite3's index.js; none: not installed. */
    betterSqlite3?: string;
  }) {
    fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
    fs.copyFileSync(
      path.join(repoRoot, 'scripts', 'check-node.mjs'),
      path.join(dir, 'scripts', 'check-node.mjs'),
    );
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'x', engines: { node: options.engines } }),
    );
    fs.mkdirSync(path.join(dir, 'packages', 'backend'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'packages', 'backend', 'package.json'),
      '{"name":"backend"}',
    );
    if (options.betterSqlite3 !== undefined) {
      const module = path.join(dir, 'node_modules', 'better-sqlite3');
      fs.mkdirSync(module, { recursive: true });
      fs.writeFileSync(path.join(module, 'index.js'), options.betterSqlite3);
    }
  }

  function run(...args: string[]) {
    const result = spawnSync(
      process.execPath,
      [path.join(dir, 'scripts', 'check-node.mjs'), ...args],
      { encoding: 'utf8' },
    );
    return { status: result.status, stderr: result.stderr.trim() };
  }

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-node-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses another Node major with one line naming both versions and the README', () => {
    skeleton({ engines: `^${thisMajor - 2}.1.0 || ^${thisMajor + 2}.3.4` });
    expect(run()).toEqual({
      status: 1,
      stderr: `error: this project needs Node ${thisMajor - 2} (${thisMajor - 2}.1.0 or later) or ${thisMajor + 2} (${thisMajor + 2}.3.4 or later); you have ${process.versions.node}; see README (Prerequisite)`,
    });
  });

  it('refuses a supported major older than the minimum', () => {
    // The project's own engines, ^22.22.2 || ^24.15.0, are what its dependencies require.
    const [major, minor] = process.versions.node.split('.').map(Number);
    skeleton({ engines: `^${major}.${minor + 1}.0` });
    expect(run('--node')).toEqual({
      status: 1,
      stderr: `error: this project needs Node ${major} (${major}.${minor + 1}.0 or later); you have ${process.versions.node}; see README (Prerequisite)`,
    });
  });

  it('passes on a supported Node with a working better-sqlite3', () => {
    skeleton({
      engines: `^${thisMajor}.0.0 || ^${thisMajor + 2}.0.0`,
      betterSqlite3:
        'module.exports = class Database { constructor() {} close() {} };',
    });
    expect(run()).toEqual({ status: 0, stderr: '' });
  });

  it('prints the rebuild command when better-sqlite3 was built for another Node', () => {
    // The error Node gives when it loads a native module built for Node 20 (seen on this machine).
    skeleton({
      engines: String(thisMajor),
      betterSqlite3: `module.exports = class Database {
        constructor() {
          const e = new Error("The module '/x/better_sqlite3.node'\\nwas compiled against a different Node.js version using\\nNODE_MODULE_VERSION 115. This version of Node.js requires\\nNODE_MODULE_VERSION 127. Please try re-compiling or re-installing");
          e.code = 'ERR_DLOPEN_FAILED';
          throw e;
        }
      };`,
    });
    const { status, stderr } = run();
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain(
      `better-sqlite3 was built for another Node.js (NODE_MODULE_VERSION 115; this Node v${process.versions.node} needs 127)`,
    );
    expect(stderr).toMatch(
      /Rebuild it for this Node: npm_config_nodedir="[^"]+" npm rebuild better-sqlite3$/,
    );
    // --node checks the version only (what needs no installed dependencies).
    expect(run('--node')).toEqual({ status: 0, stderr: '' });
  });

  it('says to install first when better-sqlite3 is not installed', () => {
    skeleton({ engines: String(thisMajor) });
    expect(run()).toEqual({
      status: 1,
      stderr:
        'error: the dependencies are not installed: run npm ci (see README)',
    });
  });
});
