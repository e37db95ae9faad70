import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TestDatabases } from '@backstage/backend-test-utils';
import { loadYaml } from '@kubernetes/client-node';
import { GoogleClients } from '@codemie-gcp/plugin-codemie-node';
import { context } from '../deploy/__testUtils__/actionContext';
import { actionServices, testStore } from '../__testUtils__/actionServices';
import { recordProvisioned } from './__testUtils__/deployRecord';
import { createCodemieDeployAction } from './codemieDeploy';
import { examples } from './codemieDeploy.examples';

describe('codemie:deploy examples', () => {
  const databases = TestDatabases.create({
    ids: ['SQLITE_3'],
    disableDocker: true,
  });
  // A dry run contacts nothing: a client that would fail if it did.
  const google = new GoogleClients({ authClient: undefined });

  it.each(
    examples.flatMap(e =>
      (['public', 'private'] as const).map(
        option => [e.description, option, e] as const,
      ),
    ),
  )('%s (%s option)', async (_, option, example) => {
    const step = loadYaml<any>(example.example).steps[0];
    expect(step.action).toBe('codemie:deploy');
    const store = await testStore(await databases.init('SQLITE_3'));
    const { environment } = await recordProvisioned(store, {
      option,
      ...(option === 'private' ? { allowedNetworks: undefined } : {}),
    });
    const action = createCodemieDeployAction({
      google,
      ...actionServices(store),
    });
    const workspacePath = await fs.mkdtemp(
      path.join(os.tmpdir(), 'codemie-deploy-example-'),
    );
    // The example's reference stands for the recorded environment.
    const { ctx, outputs } = context(
      { ...step.input, environment, writeManifests: true },
      { isDryRun: true, workspacePath },
    );
    await action.handler(ctx);
    const out = outputs();
    expect(out.ingressHosts).toEqual([
      'codemie.codemie.example.com',
      'keycloak.codemie.example.com',
      'kibana.codemie.example.com',
    ]);
    expect(out.components.map((c: any) => c.id)).toEqual(
      expect.arrayContaining([
        'codemie-api',
        'elasticsearch',
        'keycloak',
        'fluent-bit',
      ]),
    );
    const yaml = await fs.readFile(
      path.join(workspacePath, 'manifests', 'ingress-nginx.yaml'),
      'utf8',
    );
    expect(yaml).toContain(
      option === 'private'
        ? 'networking.gke.io/load-balancer-type: Internal'
        : 'loadBalancerSourceRanges',
    );
    await fs.rm(workspacePath, { recursive: true, force: true });
  });
});
