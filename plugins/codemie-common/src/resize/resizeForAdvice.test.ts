import { SIZING_PRESETS, SizingInputs, sizeEnvironment } from '../sizing';
import { resizeForAdvice } from './resizeForAdvice';

const small: Required<SizingInputs> = {
  ...SIZING_PRESETS.small,
  includeNats: false,
};
const medium: Required<SizingInputs> = {
  ...SIZING_PRESETS.medium,
  includeNats: false,
};

const workload = (sizing: Required<SizingInputs>, id: string) =>
  sizeEnvironment(sizing).workloads.find(w => w.id === id)!;

describe('resizeForAdvice', () => {
  it('a raise the next tier meets opens that tier (small → medium for the API’s memory)', () => {
    const resize = resizeForAdvice(small, {
      component: 'codemie-api',
      change: 'raise-memory',
      to: 2560,
    });
    expect(resize).toEqual({
      tier: 'medium',
      sizing: medium,
      summary: 'medium tier',
    });
    expect(
      workload(resize!.sizing, 'codemie-api').requests.memoryMiB,
    ).toBeGreaterThanOrEqual(2560);
  });

  it('keeps the recorded data volume and LLM proxy when a larger tier would lower them', () => {
    const mine = {
      ...small,
      vectorDatasourceGiB: 80,
      llmProxyType: 'litellm-ha' as const,
    };
    const resize = resizeForAdvice(mine, {
      component: 'keycloak',
      change: 'raise-cpu',
      to: 1000,
    })!;
    expect(resize.tier).toBe('custom');
    expect(resize.sizing).toMatchObject({
      concurrentUsers: 100,
      vectorDatasourceGiB: 80,
      llmProxyType: 'litellm-ha',
    });
    expect(resize.summary).toBe(
      '100 concurrent users, 14 days of logs (custom)',
    );
  });

  it('more replicas than any tier below production gives: the fewest users that give them', () => {
    const resize = resizeForAdvice(SIZING_PRESETS.production as any, {
      component: 'codemie-api',
      change: 'add-replicas',
      to: 3,
    })!;
    expect(resize.tier).toBe('custom');
    const users = resize.sizing.concurrentUsers;
    expect(
      workload(resize.sizing, 'codemie-api').replicas,
    ).toBeGreaterThanOrEqual(3);
    // One user fewer would not give three replicas.
    expect(
      workload({ ...resize.sizing, concurrentUsers: users - 1 }, 'codemie-api')
        .replicas,
    ).toBeLessThan(3);
  });

  it('a volume to grow takes more datasource GiB, not more of everything', () => {
    const resize = resizeForAdvice(small, {
      component: 'elasticsearch',
      change: 'grow-storage',
      to: 60,
    })!;
    expect(resize.sizing.concurrentUsers).toBe(small.concurrentUsers);
    expect(resize.sizing.vectorDatasourceGiB).toBeGreaterThan(
      small.vectorDatasourceGiB,
    );
    expect(
      workload(resize.sizing, 'elasticsearch').storageGiBPerPod,
    ).toBeGreaterThanOrEqual(60);
    expect(
      workload(
        {
          ...resize.sizing,
          vectorDatasourceGiB: resize.sizing.vectorDatasourceGiB - 1,
        },
        'elasticsearch',
      ).storageGiBPerPod,
    ).toBeLessThan(60);
    expect(resize.summary).toMatch(
      /^\d+ GiB of vector datasources \(custom\)$/,
    );
  });

  it('a lower takes a smaller tier that still gives what the advice keeps; none below the smallest', () => {
    const resize = resizeForAdvice(medium, {
      component: 'mermaid-server',
      change: 'lower-cpu',
      to: 100,
    })!;
    expect(resize.tier).toBe('custom');
    expect(resize.sizing.concurrentUsers).toBe(
      SIZING_PRESETS.small.concurrentUsers,
    );
    expect(
      workload(resize.sizing, 'mermaid-server').requests.cpuMillis,
    ).toBeLessThan(500);
    expect(
      resizeForAdvice(small, {
        component: 'mermaid-server',
        change: 'lower-cpu',
        to: 50,
      }),
    ).toBeUndefined();
    expect(
      resizeForAdvice(small, {
        component: 'no-such-component',
        change: 'raise-cpu',
        to: 5,
      }),
    ).toBeUndefined();
  });
});
