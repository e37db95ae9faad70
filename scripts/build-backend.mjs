#!/usr/bin/env node
/*
 * The production build: packages/backend/dist/bundle.tar.gz and skeleton.tar.gz, laid out as
 * `backstage-cli package build` lays them out for a backend package — with npm.
 *
 * Backstage's backend build (`createDistWorkspace` in @backstage/cli-module-build) assumes yarn:
 * it builds the bundled app package with `yarn run build` and copies `yarn.lock` into the
 * bundle, so in this npm workspace (no yarn, no yarn.lock) it fails. npm support was proposed
 * and closed unmerged (https://github.com/backstage/backstage/pull/20670, 2023-10). This script
 * runs the same steps with the CLI's own functions (@backstage/cli-module-build 0.1.x, pinned by
 * package-lock.json): it builds the app with `backstage-cli package build`, the backend and its
 * local production dependencies without type declarations (as the CLI's backend build does, so
 * no `tsc` output is needed), and copies .npmrc instead of yarn.lock (without devDependencies
 * and without package-lock.json, see below), so that `npm install --omit=dev` in the unpacked
 * bundle installs what it needs.
 *
 * The bundle holds the workspace packages packages/backend depends on — its `dependencies`,
 * not its devDependencies, so the GCP sandbox (a devDependency) is not in it.
 *
 * Usage: node scripts/build-backend.mjs   (from anywhere; `npm run build:backend` type-checks first)
 */
import { spawnSync } from 'node:child_process';
import {
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const backendDir = join(root, 'packages/backend');
// The CLI resolves the monorepo from the working directory.
process.chdir(root);

const require = createRequire(join(root, 'package.json'));
const cliBuild = dirname(
  require.resolve('@backstage/cli-module-build/package.json'),
);
const cliRequire = createRequire(join(cliBuild, 'package.json'));
const { createDistWorkspace } = cliRequire(
  './dist/lib/packager/createDistWorkspace.cjs.js',
);
const { buildPackage } = cliRequire('./dist/lib/builder/packager.cjs.js');
const { Output } = cliRequire('./dist/lib/builder/types.cjs.js');
const { PackageGraph } = require('@backstage/cli-node');
const tar = cliRequire('tar');

const started = Date.now();
const step = message =>
  console.log(
    `build-backend: ${message} (${Math.round((Date.now() - started) / 1000)}s)`,
  );

// 1. The app (frontend role, a webpack/rspack bundle), served by the backend's app plugin.
step('building packages/app');
const app = spawnSync(
  process.execPath,
  [require.resolve('@backstage/cli/bin/backstage-cli'), 'package', 'build'],
  { cwd: join(root, 'packages/app'), stdio: 'inherit' },
);
if (app.status !== 0) {
  console.error('build-backend: building packages/app failed');
  process.exit(app.status ?? 1);
}

// 2. The backend itself, as the CLI's buildBackend does: CommonJS only.
step('building packages/backend');
const backendJson = require(join(backendDir, 'package.json'));
await buildPackage({
  targetDir: backendDir,
  packageJson: backendJson,
  outputs: new Set([Output.cjs]),
  workspacePackages: await PackageGraph.listTargetPackages(),
});

// 3. The dist workspace: the backend and its local dependencies (built here, without types),
//    packed as they would be published; the app and the backend are built already.
step('packing the backend and its workspace dependencies');
const workspace = await mkdtemp(join(tmpdir(), 'codemie-backend-bundle-'));
try {
  const { targets } = await createDistWorkspace([backendJson.name], {
    targetDir: workspace,
    buildDependencies: true,
    buildExcludes: [backendJson.name, 'app'],
    files: ['package.json', '.npmrc'],
    skeleton: 'skeleton.tar.gz',
  });
  // What yarn's pack does for the CLI and npm needs for `npm install --omit=dev` in the
  // unpacked bundle: the root's workspaces are the bundled packages only, and a bundled package
  // (the app, already built) brings no dependencies.
  const rootJsonPath = join(workspace, 'package.json');
  const rootJson = JSON.parse(await readFile(rootJsonPath, 'utf8'));
  rootJson.workspaces = targets.map(t => relative(root, t.dir)).sort();
  delete rootJson.devDependencies;
  delete rootJson.scripts; // the repository's scripts; none of them runs in the bundle
  await writeFile(rootJsonPath, `${JSON.stringify(rootJson, null, 2)}\n`);
  for (const target of targets) {
    const pkgPath = join(workspace, relative(root, target.dir), 'package.json');
    const pkg = JSON.parse(await readFile(pkgPath, 'utf8'));
    // npm resolves workspaces' devDependencies even with --omit=dev, and some (the GCP sandbox)
    // are not published; a bundled package (the app, already built) needs no dependencies.
    const fields = target.packageJson.bundled
      ? [
          'dependencies',
          'devDependencies',
          'peerDependencies',
          'optionalDependencies',
        ]
      : ['devDependencies'];
    for (const field of fields) delete pkg[field];
    await writeFile(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  }
  // No package-lock.json: the repository's lock places @backstage/backend-defaults under
  // packages/backend (a dev tool pins another version at the root), and without dev
  // dependencies nothing is left at the root for Backstage's package path lookups.
  const distDir = join(backendDir, 'dist');
  await rm(distDir, { recursive: true, force: true });
  await mkdir(distDir);
  await rename(
    join(workspace, 'skeleton.tar.gz'),
    join(distDir, 'skeleton.tar.gz'),
  );
  await tar.create(
    {
      file: join(distDir, 'bundle.tar.gz'),
      cwd: workspace,
      portable: true,
      noMtime: true,
      gzip: true,
    },
    [''],
  );
  step(
    `wrote packages/backend/dist/bundle.tar.gz with ${targets
      .map(t => t.name)
      .sort()
      .join(', ')}`,
  );
} finally {
  await rm(workspace, { recursive: true, force: true });
}
