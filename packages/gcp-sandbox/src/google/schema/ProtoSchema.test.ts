import { schemaOf } from './ProtoSchema';

describe('ProtoSchema (proto3 JSON parsing as Google does it)', () => {
  const container = schemaOf('@google-cloud/container');
  const sql = schemaOf('@google-cloud/sql');

  it('accepts lowerCamel and snake_case names, enums by name or number, int64 as string or number', () => {
    expect(
      container.violations('google.container.v1.Cluster', {
        name: 'c',
        initial_node_count: 3,
        releaseChannel: { channel: 'REGULAR' },
        nodePools: [
          {
            name: 'p',
            maxPodsConstraint: { maxPodsPerNode: '110' },
            config: { diskSizeGb: 100, labels: { a: 'b' } },
          },
        ],
        autopilot: { enabled: false },
        networkConfig: { datapathProvider: 2 },
      }),
    ).toEqual([]);
  });

  it('reports unknown names, wrong scalar types, bad enums, lists for singular fields, with Google paths', () => {
    const found = container.violations(
      'google.container.v1.CreateClusterRequest',
      {
        cluster: {
          name: 5,
          nodePools: [{ initialNodeCount: 1.5, nope: true }],
          releaseChannel: { channel: 'FAST_AND_FURIOUS' },
          networkConfig: [],
          resourceLabels: { env: 1 },
        },
      },
    );
    expect(found.map(f => f.description)).toEqual([
      `Invalid value at 'cluster.name' (TYPE_STRING), 5`,
      `Invalid value at 'cluster.node_pools[0].initial_node_count' (TYPE_INT32), 1.5`,
      `Invalid JSON payload received. Unknown name "nope" at 'cluster.node_pools[0]': Cannot find field.`,
      `Invalid value at 'cluster.release_channel.channel' (type.googleapis.com/google.container.v1.ReleaseChannel.Channel), "FAST_AND_FURIOUS"`,
      `Invalid JSON payload received. Unknown name "network_config": Proto field is not repeating, cannot start list.`,
      `Invalid value at 'cluster.resource_labels["env"]' (TYPE_STRING), 1`,
    ]);
  });

  it('wrapper types take the bare value; timestamps must be RFC 3339', () => {
    expect(
      sql.violations('google.cloud.sql.v1.Settings', {
        dataDiskSizeGb: '20',
        storageAutoResize: true,
      }),
    ).toEqual([]);
    expect(
      sql.violations('google.cloud.sql.v1.Settings', {
        dataDiskSizeGb: { value: 20 },
      }),
    ).toHaveLength(1);
    expect(
      sql.violations('google.cloud.sql.v1.DatabaseInstance', {
        createTime: 'yesterday',
      }),
    ).toHaveLength(1);
  });

  it('converts enums between names and numbers, deep in messages, lists and maps', () => {
    const named = {
      status: 'RUNNING',
      nodePools: [
        {
          status: 'PROVISIONING',
          config: { workloadMetadataConfig: { mode: 'GKE_METADATA' } },
        },
      ],
    };
    const numbered = container.convertEnums(
      'google.container.v1.Cluster',
      named,
      'number',
    );
    expect(numbered).toEqual({
      status: 2,
      nodePools: [
        { status: 1, config: { workloadMetadataConfig: { mode: 2 } } },
      ],
    });
    expect(
      container.convertEnums('google.container.v1.Cluster', numbered, 'name'),
    ).toEqual(named);
  });
});
