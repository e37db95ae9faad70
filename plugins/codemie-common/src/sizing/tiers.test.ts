import { COMPONENT_CATALOG, SIZE_CLASSES } from './components';
import { SizingInputError, SizingLimitError } from './errors';
import {
  MAX_CONCURRENT_USERS,
  MAX_ELASTICSEARCH_DATA_NODES,
  SIZING_PRESETS,
  SizingInputs,
  TierSizing,
  sizeEnvironment,
  sizePreset,
} from './tiers';

/**
 * The architecture page's table ("AI/Run CodeMie Deployment Architecture", https://codemie-ai.github.io/docs, admin/deployment/gcp pages, read 2026-11; "Container Resource Requirements",
 * 500+ concurrent users), copied cell by cell: Component | Pods | RAM | vCPU | Storage.
 */
const SEED_TABLE: ReadonlyArray<[string, string, string, string, string]> = [
  ['CodeMie API', '2', '8Gi', '4.0', ''],
  ['CodeMie UI', '1', '128Mi', '0.1', ''],
  ['Elasticsearch', '2', '16Gi', '4.0', '200 GB per pod'],
  ['Kibana', '1', '1Gi', '1.0', ''],
  ['Mermaid-server', '1', '512Mi', '1.0', ''],
  ['PostgreSQL', 'Managed service in cloud', '', '', '30-50 GB'],
  ['Keycloak + DB', '1 + 1', '4Gi', '2.0', '1 GB'],
  ['Oauth2-proxy', '1', '128Mi', '0.1', ''],
  ['NATS + Auth Callout', '1 + 1', '512Mi', '1.0', ''],
  ['MCP Connect', '1', '1Gi', '0.5', ''],
  ['Fluent Bit', 'DaemonSet', '128Mi', '0.1', ''],
  ['LLM Proxy', '1', '1Gi', '1.0', ''],
];

function workload(sizing: TierSizing, id: string) {
  return [...sizing.workloads, ...sizing.daemonSets].find(w => w.id === id);
}

/** Writes a sized environment's row the way the seed's table writes it. */
function renderSeedRow(sizing: TierSizing, seedName: string): string[] {
  const row = COMPONENT_CATALOG.find(r => r.seedName === seedName);
  if (!row) return [seedName, 'missing from the catalog'];
  if (row.kind === 'ManagedService') {
    // Keycloak's 1 GB lives in the same instance; the row is CodeMie's own share.
    const gb =
      sizing.postgresql.storageGiB - sizing.postgresql.keycloakStorageGiB;
    // The seed gives a range; the tier must choose inside it.
    return [
      seedName,
      'Managed service in cloud',
      '',
      '',
      gb >= 30 && gb <= 50 ? '30-50 GB' : `${gb} GB`,
    ];
  }
  const main = [...sizing.workloads, ...sizing.daemonSets].find(
    w => w.id === row.id,
  );
  if (!main) return [seedName, 'not deployed'];
  const companion = sizing.workloads.find(w => w.companionOf === row.id);
  // Keycloak's DB is the Cloud SQL `keycloak` database: one database, its storage in the instance.
  const managedDb = row.companion?.notPlanned ? 1 : 0;
  let pods = String(main.replicas);
  if (main.kind === 'DaemonSet') pods = 'DaemonSet';
  else if (companion) pods = `${main.replicas} + ${companion.replicas}`;
  else if (managedDb) pods = `${main.replicas} + ${managedDb}`;
  const memory = main.requests.memoryMiB;
  const ram = memory % 1024 === 0 ? `${memory / 1024}Gi` : `${memory}Mi`;
  const vcpu = (main.requests.cpuMillis / 1000).toFixed(1);
  const rowStorage = [main, ...(companion ? [companion] : [])].reduce(
    (sum, w) => sum + w.replicas * w.storageGiBPerPod,
    0,
  );
  let storage = '';
  if (main.storageGiBPerPod > 0)
    storage = `${main.storageGiBPerPod} GB per pod`;
  else if (rowStorage > 0) storage = `${rowStorage} GB`;
  else if (managedDb) storage = `${sizing.postgresql.keycloakStorageGiB} GB`;
  return [seedName, pods, ram, vcpu, storage];
}

describe('production tier', () => {
  const production = sizePreset('production');

  it('has one catalog row per seed row, in the seed order', () => {
    const seedRows = COMPONENT_CATALOG.filter(r => r.seedName);
    expect(seedRows.map(r => r.seedName)).toEqual(SEED_TABLE.map(r => r[0]));
    for (const row of seedRows)
      expect(row.source).toMatch(/CodeMie GCP deployment architecture/);
    // The one row the page does not list: the ingress controller deploy installs.
    expect(COMPONENT_CATALOG.filter(r => !r.seedName).map(r => r.id)).toEqual([
      'ingress-nginx',
    ]);
  });

  it.each(SEED_TABLE)('reproduces the seed row %s cell by cell', name => {
    expect(renderSeedRow(production, name)).toEqual(
      SEED_TABLE.find(r => r[0] === name),
    );
  });

  it('keeps PostgreSQL out of the cluster', () => {
    expect(workload(production, 'postgresql')).toBeUndefined();
    // The page's 50 GB for CodeMie plus Keycloak's 1 GB, in one instance.
    expect(production.postgresql.storageGiB).toBe(51);
  });

  it('puts API and Elasticsearch replicas on distinct nodes', () => {
    expect(workload(production, 'codemie-api')!.spreadReplicas).toBe(true);
    expect(workload(production, 'elasticsearch')!.spreadReplicas).toBe(true);
  });

  it('sets limits Kubernetes accepts: memory = request, CPU ≥ request', () => {
    for (const w of [...production.workloads, ...production.daemonSets]) {
      expect(w.limits.memoryMiB).toBe(w.requests.memoryMiB);
      expect(w.limits.cpuMillis).toBeGreaterThanOrEqual(w.requests.cpuMillis);
    }
  });

  it('uses the documented namespaces', () => {
    const namespaces = new Set(
      [...production.workloads, ...production.daemonSets].map(w => w.namespace),
    );
    expect([...namespaces].sort()).toEqual(
      [
        'codemie',
        'elastic',
        'fluentbit',
        'ingress-nginx',
        'litellm',
        'oauth2-proxy',
        'security',
      ].sort(),
    );
  });
});

describe('smaller tiers', () => {
  const totals = (s: TierSizing) => {
    const byId = new Map<
      string,
      { cpu: number; mem: number; storage: number }
    >();
    for (const w of [...s.workloads, ...s.daemonSets]) {
      byId.set(w.id, {
        cpu: w.replicas * w.requests.cpuMillis,
        mem: w.replicas * w.requests.memoryMiB,
        storage: w.replicas * w.storageGiBPerPod,
      });
    }
    byId.set('postgresql', {
      cpu: s.postgresql.vcpu * 1000,
      mem: s.postgresql.memoryMiB,
      storage: s.postgresql.storageGiB,
    });
    return byId;
  };

  /** Components for which `larger` gives less than `smaller` (CPU, memory or storage). */
  const shrinks = (
    smaller: TierSizing,
    larger: TierSizing,
    label: string,
  ): string[] => {
    const a = totals(smaller);
    const b = totals(larger);
    return [...a].flatMap(([id, t]) => {
      const u = b.get(id);
      if (!u) return [`${label}: ${id} disappears`];
      return u.cpu >= t.cpu && u.mem >= t.mem && u.storage >= t.storage
        ? []
        : [`${label}: ${id} shrinks`];
    });
  };

  it('never gives less for more users, data or retention (grid)', () => {
    const users = [
      1, 10, 25, 50, 51, 100, 101, 200, 201, 250, 251, 400, 500, 501, 1000,
      2500,
    ];
    const vectors = [0, 10, 100, 500, 2000];
    const retention = [1, 7, 30, 90];
    const size = (u: number, v: number, r: number) =>
      sizeEnvironment({
        concurrentUsers: u,
        vectorDatasourceGiB: v,
        logRetentionDays: r,
        llmProxyType: 'litellm',
      });
    const violations: string[] = [];
    for (const v of vectors) {
      for (const r of retention) {
        for (let i = 1; i < users.length; i++) {
          violations.push(
            ...shrinks(
              size(users[i - 1], v, r),
              size(users[i], v, r),
              `users ${users[i]}`,
            ),
          );
        }
      }
    }
    for (const u of users) {
      for (const r of retention) {
        for (let i = 1; i < vectors.length; i++) {
          violations.push(
            ...shrinks(
              size(u, vectors[i - 1], r),
              size(u, vectors[i], r),
              `vectors ${vectors[i]}`,
            ),
          );
        }
      }
      for (const v of vectors) {
        for (let i = 1; i < retention.length; i++) {
          violations.push(
            ...shrinks(
              size(u, v, retention[i - 1]),
              size(u, v, retention[i]),
              `days ${retention[i]}`,
            ),
          );
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('orders the presets small ≤ medium ≤ large ≤ production', () => {
    expect([
      ...shrinks(sizePreset('small'), sizePreset('medium'), 'medium'),
      ...shrinks(sizePreset('medium'), sizePreset('large'), 'large'),
      ...shrinks(sizePreset('large'), sizePreset('production'), 'production'),
    ]).toEqual([]);
  });

  it('scales API replicas with load', () => {
    const api = (u: number) =>
      sizeEnvironment({
        ...SIZING_PRESETS.production,
        concurrentUsers: u,
      }).workloads.find(w => w.id === 'codemie-api')!;
    expect(api(100).replicas).toBe(1);
    expect(api(500).replicas).toBe(2);
    expect(api(1000).replicas).toBe(4);
  });

  it('grows Elasticsearch storage with datasources and log retention', () => {
    const es = (inputs: Partial<SizingInputs>) =>
      sizeEnvironment({
        ...SIZING_PRESETS.production,
        ...inputs,
      }).workloads.find(w => w.id === 'elasticsearch')!.storageGiBPerPod;
    expect(es({ vectorDatasourceGiB: 500 })).toBeGreaterThan(es({}));
    expect(es({ logRetentionDays: 90 })).toBeGreaterThan(es({}));
  });

  it('grows the PostgreSQL tier with users', () => {
    const pg = (u: number) =>
      sizeEnvironment({ ...SIZING_PRESETS.small, concurrentUsers: u })
        .postgresql;
    expect(pg(25).tier).toBe('db-custom-1-3840');
    expect(pg(2000).vcpu).toBeGreaterThan(pg(25).vcpu);
  });

  it('never goes below the chart defaults and documented minimums', () => {
    const smallest = sizeEnvironment({
      concurrentUsers: 1,
      vectorDatasourceGiB: 0,
      logRetentionDays: 1,
      llmProxyType: 'litellm',
    });
    const get = (id: string) => workload(smallest, id)!;
    // Chart defaults (the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11)): API 100m/1Gi, UI 100m/128Mi, MCP Connect 100m/1Gi.
    expect(get('codemie-api').requests.cpuMillis).toBeGreaterThanOrEqual(100);
    expect(get('codemie-api').requests.memoryMiB).toBeGreaterThanOrEqual(1024);
    expect(get('codemie-ui').requests).toEqual({
      cpuMillis: 100,
      memoryMiB: 128,
    });
    expect(get('mcp-connect').requests.memoryMiB).toBeGreaterThanOrEqual(1024);
    // The elastic chart's defaults: 2 replicas here (one replica shard), 1000m / 2Gi, 30Gi volume.
    expect(get('elasticsearch').replicas).toBe(2);
    expect(get('elasticsearch').requests.cpuMillis).toBeGreaterThanOrEqual(
      1000,
    );
    expect(get('elasticsearch').requests.memoryMiB).toBeGreaterThanOrEqual(
      2048,
    );
    expect(get('elasticsearch').storageGiBPerPod).toBeGreaterThanOrEqual(30);
    // Fluent Bit: 128Mi.
    expect(get('fluent-bit').requests.memoryMiB).toBeGreaterThanOrEqual(128);
    // The seed's lower bound for PostgreSQL.
    expect(smallest.postgresql.storageGiB).toBeGreaterThanOrEqual(30);
  });

  it('sizes the LLM proxy by its type', () => {
    const proxy = (llmProxyType: SizingInputs['llmProxyType']) =>
      sizeEnvironment({
        ...SIZING_PRESETS.medium,
        llmProxyType,
      }).workloads.find(w => w.id === 'llm-proxy');
    expect(proxy('litellm')!.replicas).toBe(1);
    expect(proxy('litellm-ha')!.replicas).toBe(2);
    expect(proxy('external')).toBeUndefined();
  });

  it('leaves NATS (deprecated upstream) out unless asked', () => {
    const ids = (s: TierSizing) => s.workloads.map(w => w.id);
    expect(ids(sizePreset('medium'))).not.toContain('nats');
    expect(
      ids(sizeEnvironment({ ...SIZING_PRESETS.medium, includeNats: true })),
    ).toEqual(expect.arrayContaining(['nats', 'nats-auth-callout']));
  });
});

describe('tiers that scale down', () => {
  const totalRequests = (s: TierSizing) =>
    s.workloads.reduce(
      (a, w) => ({
        cpu: a.cpu + w.replicas * w.requests.cpuMillis,
        mem: a.mem + w.replicas * w.requests.memoryMiB,
      }),
      { cpu: 0, mem: 0 },
    );

  it('requests strictly less CPU and memory at each smaller preset', () => {
    const totals = SIZE_CLASSES.map(c => totalRequests(sizePreset(c)));
    for (let i = 1; i < totals.length; i++) {
      expect(totals[i].cpu).toBeGreaterThan(totals[i - 1].cpu);
      expect(totals[i].mem).toBeGreaterThan(totals[i - 1].mem);
    }
    // A handful of users no longer asks for the 500-user sizes of Keycloak, Kibana, Mermaid, LiteLLM.
    const one = sizeEnvironment({
      ...SIZING_PRESETS.small,
      concurrentUsers: 1,
    });
    expect(totalRequests(one).cpu).toBeLessThan(5000);
    for (const id of ['keycloak', 'kibana', 'mermaid-server', 'llm-proxy'])
      expect(workload(one, id)!.requests.cpuMillis).toBeLessThan(
        workload(sizePreset('production'), id)!.requests.cpuMillis,
      );
  });

  it('gives every component of every size class a source', () => {
    for (const row of COMPONENT_CATALOG) {
      for (const w of [row, ...(row.companion ? [row.companion] : [])]) {
        if (w.kind === 'ManagedService' || w.notPlanned) continue;
        for (const c of SIZE_CLASSES)
          expect({
            id: w.id,
            c,
            source: w.sizes![c].source.length > 10,
          }).toEqual({ id: w.id, c, source: true });
      }
    }
    for (const w of sizePreset('medium').workloads)
      expect(w.source.length).toBeGreaterThan(10);
  });

  it("plans no in-cluster Keycloak database: Keycloak uses Cloud SQL's", () => {
    for (const c of SIZE_CLASSES)
      expect(sizePreset(c).workloads.map(w => w.id)).not.toContain(
        'keycloak-db',
      );
  });

  it("names the template's defaults a tier, and says where custom inputs fall", () => {
    // The template's defaults: 100 users, 20 GiB, 14 days, LiteLLM.
    expect(
      sizeEnvironment({
        concurrentUsers: 100,
        vectorDatasourceGiB: 20,
        logRetentionDays: 14,
        llmProxyType: 'litellm',
      }).tierLabel,
    ).toBe('medium');
    const custom = sizeEnvironment({
      ...SIZING_PRESETS.medium,
      concurrentUsers: 60,
    });
    expect(custom.tier).toBe('custom');
    expect(custom.tierLabel).toBe('custom (between small and medium)');
    expect(
      sizeEnvironment({ ...SIZING_PRESETS.small, concurrentUsers: 3 })
        .tierLabel,
    ).toBe('custom (smaller than small)');
    expect(
      sizeEnvironment({ ...SIZING_PRESETS.production, concurrentUsers: 900 })
        .tierLabel,
    ).toBe('custom (larger than production)');
  });

  it('scales Elasticsearch out before up', () => {
    const es = (vectorDatasourceGiB: number) =>
      sizeEnvironment({
        ...SIZING_PRESETS.production,
        vectorDatasourceGiB,
      }).workloads.find(w => w.id === 'elasticsearch')!;
    // 4,000 GiB of vectors: more data nodes, each still at most the page's 16Gi.
    const big = es(4000);
    expect(big.replicas).toBeGreaterThan(2);
    expect(big.replicas).toBeLessThanOrEqual(MAX_ELASTICSEARCH_DATA_NODES);
    expect(big.requests.memoryMiB).toBeLessThanOrEqual(16 * 1024);
    // The page's 480 GiB per 16Gi node (1:30) is never passed while nodes can be added.
    expect(big.storageGiBPerPod).toBeLessThanOrEqual(480);
  });

  it('has no cliff: one more user or GiB never adds more than a node-sized step', () => {
    const cpu = (u: number, v = 100) =>
      totalRequests(
        sizeEnvironment({
          ...SIZING_PRESETS.production,
          concurrentUsers: u,
          vectorDatasourceGiB: v,
        }),
      ).cpu;
    // The cliffs: 250 → 251 users, and 4066 → 4067 users (Elasticsearch past 480 GiB).
    for (const [a, b] of [
      [250, 251],
      [4066, 4067],
      [500, 501],
    ]) {
      expect(cpu(b) - cpu(a)).toBeLessThanOrEqual(0.2 * cpu(a));
    }
  });
});

describe('limits: one environment, whatever the input', () => {
  const errorOf = (change: Partial<Record<keyof SizingInputs, unknown>>) => {
    try {
      sizeEnvironment({ ...SIZING_PRESETS.medium, ...change } as SizingInputs);
    } catch (e) {
      return e as Error;
    }
    return undefined;
  };

  it.each([1e6, 2e9, 1e15, 1e300])(
    'refuses %d users with what to do instead',
    users => {
      const e = errorOf({ concurrentUsers: users });
      expect(e).toBeInstanceOf(SizingLimitError);
      expect((e as SizingLimitError).field).toBe('concurrentUsers');
      expect(e!.message).toMatch(/several environments/);
    },
  );

  it('accepts the most users one environment is planned for', () => {
    const s = sizeEnvironment({
      ...SIZING_PRESETS.production,
      concurrentUsers: MAX_CONCURRENT_USERS,
    });
    expect(s.workloads.find(w => w.id === 'codemie-api')!.replicas).toBe(80);
  });

  it.each([
    ['concurrentUsers', NaN],
    ['concurrentUsers', Infinity],
    ['vectorDatasourceGiB', NaN],
    ['vectorDatasourceGiB', -Infinity],
    ['logRetentionDays', NaN],
    ['logRetentionDays', Infinity],
  ])('refuses %s = %d as invalid', (field, value) => {
    const e = errorOf({ [field]: value });
    expect(e).toBeInstanceOf(SizingInputError);
    expect((e as SizingInputError).field).toBe(field);
  });

  it.each([
    ['vectorDatasourceGiB', 1e300],
    ['vectorDatasourceGiB', 1e6],
    ['logRetentionDays', 1e6],
  ])(
    'refuses %s = %d: more data than one environment holds',
    (field, value) => {
      const e = errorOf({ [field]: value });
      expect(e).toBeInstanceOf(SizingLimitError);
      expect((e as SizingLimitError).field).toBe(field);
      expect(e!.message).not.toMatch(/e\+|Infinity|NaN/);
    },
  );

  it("says a string is a string: '10' users", () => {
    expect(errorOf({ concurrentUsers: '10' })!.message).toMatch(
      /the string "10"/,
    );
  });
});

describe('invalid inputs', () => {
  const valid: SizingInputs = SIZING_PRESETS.medium;
  const fieldOf = (inputs: unknown) => {
    try {
      sizeEnvironment(inputs as SizingInputs);
    } catch (e) {
      return e instanceof SizingInputError
        ? e.field
        : `not a SizingInputError: ${e}`;
    }
    return 'no error';
  };

  it.each([
    ['negative users', { concurrentUsers: -5 }, 'concurrentUsers'],
    ['fractional users', { concurrentUsers: 10.5 }, 'concurrentUsers'],
    ['zero users', { concurrentUsers: 0 }, 'concurrentUsers'],
    ['users as text', { concurrentUsers: '100' }, 'concurrentUsers'],
    [
      'negative datasource volume',
      { vectorDatasourceGiB: -1 },
      'vectorDatasourceGiB',
    ],
    [
      'infinite datasource volume',
      { vectorDatasourceGiB: Infinity },
      'vectorDatasourceGiB',
    ],
    ['retention 0', { logRetentionDays: 0 }, 'logRetentionDays'],
    ['fractional retention', { logRetentionDays: 1.5 }, 'logRetentionDays'],
    ['unknown LLM proxy', { llmProxyType: 'openrouter' }, 'llmProxyType'],
    ['NATS flag as text', { includeNats: 'yes' }, 'includeNats'],
  ])('rejects %s, naming the field', (_, change, field) => {
    expect(fieldOf({ ...valid, ...change })).toBe(field);
  });

  it('puts the field in the message', () => {
    expect(() => sizeEnvironment({ ...valid, logRetentionDays: 0 })).toThrow(
      /^logRetentionDays: /,
    );
  });
});
