import { imagePullFailures } from './imagePullFailures';
import { cluster, component, podRow } from '../__testUtils__/statusFixtures';

describe('imagePullFailures', () => {
  it('finds nothing while images pull', () => {
    expect(
      imagePullFailures({ component: component(), cluster: cluster() }),
    ).toEqual([]);
  });

  it.each(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName'])(
    'reports %s with the pull secret to check',
    state => {
      const [problem] = imagePullFailures({
        component: component({
          health: 'error',
          podRows: [
            podRow({
              ready: false,
              state,
              health: 'error',
              message: 'not found',
            }),
          ],
        }),
        cluster: cluster(),
      });
      expect(problem).toMatchObject({
        severity: 'error',
        title: 'CodeMie API image cannot be pulled',
        detail: `Pod codemie-api-0: ${state}. not found`,
      });
      expect(problem.fix).toMatch(/pull secret \(gcp-artifact-registry\)/);
    },
  );
});
