import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { settingsFor, sizing } from '../__testUtils__/fixtures';
import { renderEnvironment } from '.';

/** Validates objects with kubernetes-models (Kubernetes' OpenAPI schema) in a Node process. */
function schemaFailures(objects: unknown[]): unknown[] {
  const out = execFileSync(
    process.execPath,
    [join(__dirname, '__testUtils__', 'validateManifests.mjs')],
    { input: JSON.stringify(objects), cwd: __dirname, encoding: 'utf8' },
  );
  return JSON.parse(out);
}

/**
 * The rendered manifests must be valid Kubernetes objects by Kubernetes' own OpenAPI schema
 * (kubernetes-models, generated from it), not only by our own types: every kind, for both
 * options and every tier.
 */
describe('rendered manifests against the Kubernetes OpenAPI schema', () => {
  it.each([
    ['small, public', settingsFor()],
    [
      'production, private, NATS, HA LiteLLM',
      settingsFor({
        option: 'private',
        allowedNetworks: undefined,
        ingressAddress: '10.0.0.40',
        sizing: sizing({
          concurrentUsers: 600,
          includeNats: true,
          llmProxyType: 'litellm-ha',
        }),
      }),
    ],
  ])('%s: every object is valid', (_, settings) => {
    const objects = renderEnvironment(settings).flatMap(c => c.objects);
    expect(objects.length).toBeGreaterThan(40);
    expect(schemaFailures(objects)).toEqual([]);
  });

  it('would catch an invalid object', () => {
    expect(
      schemaFailures([
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'broken' },
          spec: { replicas: 'two', selector: {}, template: {} },
        },
      ]),
    ).toEqual([
      {
        object: 'Deployment /broken',
        errors: [expect.stringContaining('replicas must be integer')],
      },
    ]);
  });
});
