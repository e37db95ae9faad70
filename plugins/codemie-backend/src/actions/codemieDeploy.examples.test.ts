import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadYaml } from '@kubernetes/client-node';
import { GoogleClients } from '../gcp/GoogleClients';
import { context } from '../deploy/__testUtils__/actionContext';
import { createCodemieDeployAction } from './codemieDeploy';
import { examples } from './codemieDeploy.examples';

describe('codemie:deploy examples', () => {
  // A dry run contacts nothing: a client that would fail if it did.
  const google = new GoogleClients({ authClient: undefined });
  const action = createCodemieDeployAction({ google });

  it.each(examples.map(e => [e.description, e] as const))(
    '%s',
    async (_, example) => {
      const step = loadYaml<any>(example.example).steps[0];
      expect(step.action).toBe('codemie:deploy');
      const workspacePath = await fs.mkdtemp(
        path.join(os.tmpdir(), 'codemie-deploy-example-'),
      );
      // Manifests are written for every example here, to check what each option renders.
      const { ctx, outputs } = context(
        { ...step.input, writeManifests: true },
        { isDryRun: true, workspacePath },
      );
      await action.handler(ctx);
      const out = outputs();
      expect(out.ingressHosts).toEqual([
        'codemie.codemie.example.com',
        'keycloak.codemie.example.com',
        'kibana.codemie.example.com',
      ]);
      const ids = out.components.map((c: any) => c.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'codemie-api',
          'elasticsearch',
          'keycloak',
          'fluent-bit',
        ]),
      );
      // Optional components follow each example's sizing.
      expect(ids.includes('nats')).toBe(step.input.sizing.includeNats === true);
      expect(ids.includes('llm-proxy')).toBe(
        step.input.sizing.llmProxyType !== 'external',
      );
      const yaml = await fs.readFile(
        path.join(workspacePath, 'manifests', 'ingress-nginx.yaml'),
        'utf8',
      );
      expect(yaml).toContain(
        step.input.option === 'private'
          ? 'networking.gke.io/load-balancer-type: Internal'
          : 'loadBalancerSourceRanges',
      );
      await fs.rm(workspacePath, { recursive: true, force: true });
    },
  );
});
