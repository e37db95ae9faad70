import { demoEntity } from './__fixtures__/demoEnvironment';
import { isCodemieEnvironment, missingCodemieAnnotations } from './conditions';

describe('conditions', () => {
  it('recognises codemie-environment resources only', () => {
    expect(isCodemieEnvironment(demoEntity)).toBe(true);
    expect(isCodemieEnvironment({ ...demoEntity, kind: 'resource' })).toBe(
      true,
    );
    expect(isCodemieEnvironment({ ...demoEntity, kind: 'Component' })).toBe(
      false,
    );
    expect(
      isCodemieEnvironment({
        ...demoEntity,
        spec: { ...demoEntity.spec, type: 'database' },
      }),
    ).toBe(false);
  });

  it('lists the missing required annotations', () => {
    expect(missingCodemieAnnotations(demoEntity)).toEqual([]);
    expect(
      missingCodemieAnnotations({
        ...demoEntity,
        metadata: {
          name: 'x',
          annotations: {
            'codemie.ai/gcp-project': 'p',
            'codemie.ai/gke-cluster': ' ',
          },
        },
      }),
    ).toEqual(['codemie.ai/gke-cluster', 'backstage.io/kubernetes-id']);
  });

  it('asks nothing of the entities the CodeMie catalog provider serves: the backend reads their records', () => {
    expect(
      missingCodemieAnnotations({
        ...demoEntity,
        metadata: {
          name: 'planned',
          annotations: {
            'backstage.io/managed-by-location':
              'codemie-environment:acme-ai-platform/planned',
          },
        },
      }),
    ).toEqual([]);
  });
});
