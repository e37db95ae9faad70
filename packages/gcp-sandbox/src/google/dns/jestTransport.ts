import * as fs from 'fs';
import * as path from 'path';
import Module from 'module';

let patchedFor: unknown;

/**
 * Makes `@google-cloud/dns` usable under jest.
 *
 * The DNS client (through `@google-cloud/common` and `teeny-request`) loads `node-fetch` 3 with a
 * dynamic `import()`, which jest refuses without `--experimental-vm-modules` ("A dynamic import
 * callback was invoked without --experimental-vm-modules"; the call then retries and times out).
 * This swaps, in the current jest module registry, `teeny-request`'s export for a copy of the same
 * code compiled by Node itself, where `import('node-fetch')` becomes Node's `require()` of the ESM
 * package (Node 22). The request still goes through node-fetch and Node's http stack, where msw
 * intercepts it. Outside jest it is not needed. Idempotent.
 *
 * @public
 */
export function enableDnsClientUnderJest(): void {
  let teenyPath: string;
  try {
    const dnsDir = path.dirname(require.resolve('@google-cloud/dns'));
    const commonPath = require.resolve('@google-cloud/common', {
      paths: [dnsDir],
    });
    teenyPath = require.resolve('teeny-request', {
      paths: [path.dirname(commonPath)],
    });
  } catch {
    return; // the DNS client is not installed
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const teeny = require(teenyPath);
  if (patchedFor === teeny || teeny.__gcpSandboxPatched) return;
  const source = fs
    .readFileSync(teenyPath, 'utf8')
    .replace("import('node-fetch')", "Promise.resolve(require('node-fetch'))");
  const copy = new Module(teenyPath) as Module & {
    _compile(code: string, file: string): void;
  };
  copy.filename = teenyPath;
  copy.paths = (Module as any)._nodeModulePaths(path.dirname(teenyPath));
  copy._compile(source, teenyPath);
  teeny.teenyRequest = (copy.exports as any).teenyRequest;
  teeny.__gcpSandboxPatched = true;
  patchedFor = teeny;
}
