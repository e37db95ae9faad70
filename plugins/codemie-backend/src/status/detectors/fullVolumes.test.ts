import { fullVolumes } from './fullVolumes';
import { cluster, component } from '../__testUtils__/statusFixtures';

const elasticsearch = (usedGiB: number | undefined) =>
  component({
    id: 'elasticsearch',
    displayName: 'Elasticsearch',
    storage: {
      capacityGiB: 100,
      baselineGiB: 100,
      ...(usedGiB !== undefined ? { usedGiB } : {}),
    },
  });

describe('fullVolumes', () => {
  it.each([undefined, 84.9])('finds nothing at %p GiB used of 100', used => {
    expect(
      fullVolumes({ component: elasticsearch(used), cluster: cluster() }),
    ).toEqual([]);
  });

  it("warns from 85% (Elasticsearch's low disk watermark)", () => {
    expect(
      fullVolumes({ component: elasticsearch(85), cluster: cluster() }),
    ).toEqual([
      {
        severity: 'warning',
        component: 'elasticsearch',
        title: 'Elasticsearch storage 85% full',
        detail:
          '85 of 100 GiB used; above 85% Elasticsearch stops allocating shards to the node (low disk watermark).',
        fix: 'Grow the volumes (the storage class allows expansion: raise the PVC size and redeploy), or shorten the log retention.',
      },
    ]);
  });

  it('is an error from 95%', () => {
    const [problem] = fullVolumes({
      component: elasticsearch(96),
      cluster: cluster(),
    });
    expect(problem.severity).toBe('error');
  });
});
