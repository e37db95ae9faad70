/**
 * Test utilities of the CodeMie Kubernetes module: running Backstage's Kubernetes backend under
 * Jest. Never imported by production code.
 *
 * @packageDocumentation
 */
import fs from 'node:fs';
import path from 'node:path';

const DYNAMIC_IMPORT = "await import('@kubernetes/client-node')";

/**
 * Makes `@backstage/plugin-kubernetes-backend` callable under Jest.
 *
 * Its CommonJS build loads `@kubernetes/client-node` (an ES module) with `await import()`, which
 * Jest refuses without `--experimental-vm-modules` ("A dynamic import callback was invoked
 * without --experimental-vm-modules": every objects request answers 500). This registers, in the
 * test's module registry, each of its files that does so as the same code with that import
 * replaced by Jest's `require` (Jest compiles the ES module to CommonJS). Call it before the
 * plugin is first required (e.g. `require('@backstage/plugin-kubernetes-backend')` in the test).
 *
 * @internal
 */
export function kubernetesBackendUnderJest(): void {
  const dist = path.dirname(
    require.resolve('@backstage/plugin-kubernetes-backend'),
  );
  for (const file of filesUnder(dist)) {
    const source = fs.readFileSync(file, 'utf8');
    if (!source.includes(DYNAMIC_IMPORT)) continue;
    const dir = path.dirname(file);
    const rewritten = source
      .split(DYNAMIC_IMPORT)
      .join("require('@kubernetes/client-node')");
    jest.doMock(file, () => {
      const mod = { exports: {} as unknown };
      const localRequire = (id: string) =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(
          id.startsWith('.')
            ? path.resolve(dir, id)
            : require.resolve(id, { paths: [dir] }),
        );
      // The module's own code, compiled in the test's registry (its requires resolved from its
      // own folder, as Node would).
      // eslint-disable-next-line no-new-func
      new Function(
        'exports',
        'require',
        'module',
        '__filename',
        '__dirname',
        rewritten,
      )(mod.exports, localRequire, mod, file, dir);
      return mod.exports;
    });
  }
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.name.endsWith('.cjs.js') ? [full] : [];
  });
}
