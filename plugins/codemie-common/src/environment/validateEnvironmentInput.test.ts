import { EnvironmentInputError } from './EnvironmentInputError';
import {
  DEFAULT_NETWORK_RANGES,
  validateEnvironmentInput,
} from './validateEnvironmentInput';

const publicInput = {
  name: 'codemie-dev',
  projectId: 'acme-ai-platform',
  region: 'europe-west1',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24', '198.51.100.7/32'],
  domain: 'codemie.example.com',
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 20,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
};

const privateInput = {
  ...publicInput,
  option: 'private',
  allowedNetworks: undefined,
  bastionMembers: ['group:platform@example.com', 'user:ana@example.com'],
};

function issuesOf(raw: unknown) {
  try {
    validateEnvironmentInput(raw);
  } catch (e) {
    if (e instanceof EnvironmentInputError) return e.issues;
    throw e;
  }
  throw new Error('expected the input to be rejected');
}

describe('validateEnvironmentInput', () => {
  it('accepts a public environment and fills defaults', () => {
    const input = validateEnvironmentInput(publicInput);
    expect(input).toMatchObject({
      name: 'codemie-dev',
      option: 'public',
      allowPublicInternet: false,
      createDnsZone: true,
      regional: true,
      network: DEFAULT_NETWORK_RANGES,
      sizing: { concurrentUsers: 100, includeNats: false },
    });
  });

  it('accepts a private environment with bastion members', () => {
    const input = validateEnvironmentInput(privateInput);
    expect(input.option).toBe('private');
    expect(input.bastionMembers).toEqual([
      'group:platform@example.com',
      'user:ana@example.com',
    ]);
  });

  it('refuses 0.0.0.0/0 unless allowPublicInternet is set', () => {
    expect(
      issuesOf({ ...publicInput, allowedNetworks: ['0.0.0.0/0'] }),
    ).toEqual([
      {
        field: 'allowedNetworks',
        message: expect.stringContaining('allowPublicInternet'),
      },
    ]);
    expect(
      validateEnvironmentInput({
        ...publicInput,
        allowedNetworks: ['0.0.0.0/0'],
        allowPublicInternet: true,
      }).allowedNetworks,
    ).toEqual(['0.0.0.0/0']);
  });

  it('asks the public option for allowed networks and the private option for bastion members', () => {
    expect(issuesOf({ ...publicInput, allowedNetworks: [] })).toEqual([
      expect.objectContaining({ field: 'allowedNetworks' }),
    ]);
    expect(issuesOf({ ...privateInput, bastionMembers: [] })).toEqual([
      expect.objectContaining({ field: 'bastionMembers' }),
    ]);
  });

  it('reports every problem at once, each naming its field', () => {
    const issues = issuesOf({
      ...publicInput,
      name: 'Bad_Name',
      projectId: '1project',
      region: 'mars-north1',
      allowedNetworks: ['10.0.0.1/24', 'not-a-cidr'],
      domain: 'localhost',
      sizing: { ...publicInput.sizing, concurrentUsers: -5 },
    });
    expect(issues.map(i => i.field)).toEqual([
      'name',
      'projectId',
      'region',
      'allowedNetworks[0]',
      'allowedNetworks[1]',
      'domain',
      'sizing.concurrentUsers',
    ]);
    expect(issues[3].message).toContain('host bits');
    expect(issues[2].message).toContain('europe-west1');
  });

  it('refuses overlapping or public network ranges', () => {
    expect(
      issuesOf({ ...publicInput, network: { pods: '10.10.0.0/16' } }),
    ).toEqual([
      {
        field: 'network.pods',
        message: expect.stringContaining('overlaps network.subnet'),
      },
    ]);
    expect(
      issuesOf({ ...publicInput, network: { subnet: '8.8.0.0/20' } }).map(
        i => i.field,
      ),
    ).toEqual(['network.subnet']);
    expect(
      issuesOf({ ...privateInput, network: { master: '172.16.0.0/24' } }),
    ).toEqual([{ field: 'network.master', message: 'must be a /28' }]);
  });

  it('names unknown inputs instead of ignoring them', () => {
    expect(issuesOf({ ...publicInput, clusterSize: 3 })).toEqual([
      {
        field: 'clusterSize',
        message: expect.stringContaining('is not a known input'),
      },
    ]);
  });

  it('refuses names that would overflow derived GCP resource names', () => {
    expect(
      issuesOf({ ...publicInput, name: 'a-very-long-environment-name' }),
    ).toEqual([expect.objectContaining({ field: 'name' })]);
  });

  it('judges "the whole internet" on the union of the ranges, not one CIDR at a time', () => {
    for (const ranges of [
      ['0.0.0.0/1', '128.0.0.0/1'],
      ['1.0.0.0/8', '2.0.0.0/8'],
      ['0.0.0.0/0'],
    ]) {
      expect(issuesOf({ ...publicInput, allowedNetworks: ranges })).toEqual([
        {
          field: 'allowedNetworks',
          message: expect.stringMatching(
            /public internet addresses.*allowPublicInternet/,
          ),
        },
      ]);
    }
    // One public /8, or private space of any size, is a network someone runs.
    expect(
      validateEnvironmentInput({
        ...publicInput,
        allowedNetworks: ['11.0.0.0/8', '10.0.0.0/8'],
      }).allowedNetworks,
    ).toEqual(['11.0.0.0/8', '10.0.0.0/8']);
  });

  it('accepts CIDRs only in canonical form', () => {
    expect(
      issuesOf({
        ...publicInput,
        allowedNetworks: ['010.000.000.000/8', '10.0.0.0/08'],
      }),
    ).toEqual([
      {
        field: 'allowedNetworks[0]',
        message: expect.stringContaining('canonical form'),
      },
      {
        field: 'allowedNetworks[1]',
        message: expect.stringContaining('canonical form'),
      },
    ]);
  });

  it('refuses bastion members that would admit everyone', () => {
    const issues = issuesOf({
      ...privateInput,
      bastionMembers: [
        'domain:gmail.com',
        'user:*@*.com',
        'allUsers',
        'allAuthenticatedUsers',
        'serviceAccount:ci@example.com',
        'team@example.com',
      ],
    });
    expect(issues.map(i => i.field)).toEqual(
      [0, 1, 2, 3, 4, 5].map(i => `bastionMembers[${i}]`),
    );
    expect(issues[0].message).toContain('consumer mail domain');
    expect(issues[1].message).toContain('wildcard');
    expect(issues[2].message).toContain('anyone');
    expect(issues[5].message).toContain('start it with user:, group:');
  });

  it('refuses the other access option’s fields instead of carrying them along', () => {
    expect(
      issuesOf({
        ...publicInput,
        bastionMembers: ['group:platform@example.com'],
      }),
    ).toEqual([
      {
        field: 'bastionMembers',
        message: expect.stringContaining('private option only'),
      },
    ]);
    expect(
      issuesOf({ ...privateInput, allowedNetworks: ['203.0.113.0/24'] }),
    ).toEqual([
      {
        field: 'allowedNetworks',
        message: expect.stringContaining('public option only'),
      },
    ]);
    // Leftovers a form may keep (an empty list, false) count as absent.
    expect(
      validateEnvironmentInput({ ...publicInput, bastionMembers: [] })
        .bastionMembers,
    ).toEqual([]);
  });

  it('refuses datasources and retention that together outgrow the largest Elasticsearch layout', () => {
    expect(
      issuesOf({
        ...publicInput,
        sizing: {
          ...publicInput.sizing,
          concurrentUsers: 20_000,
          vectorDatasourceGiB: 16_384,
          logRetentionDays: 365,
        },
      }),
    ).toEqual([
      {
        field: expect.stringMatching(
          /^sizing\.(vectorDatasourceGiB|logRetentionDays)$/,
        ),
        message: expect.stringContaining('one environment holds at most'),
      },
    ]);
  });

  it('says what a wrong type is, and gives each bound its reason', () => {
    const issues = issuesOf({
      ...publicInput,
      sizing: {
        concurrentUsers: '10',
        vectorDatasourceGiB: 1e300,
        logRetentionDays: 1e6,
        llmProxyType: 'nginx',
      },
    });
    expect(issues).toEqual([
      {
        field: 'sizing.concurrentUsers',
        message: "must be a number, got the string '10'",
      },
      {
        field: 'sizing.vectorDatasourceGiB',
        message: expect.stringMatching(/at most 16,384.*24 data nodes/),
      },
      {
        field: 'sizing.logRetentionDays',
        message: expect.stringMatching(/at most 365.*Cloud Logging/),
      },
      {
        field: 'sizing.llmProxyType',
        message:
          "the string 'nginx' is not allowed; choose one of litellm, litellm-ha, external",
      },
    ]);
    expect(
      issuesOf({
        ...publicInput,
        sizing: { ...publicInput.sizing, concurrentUsers: 20_001 },
      }),
    ).toEqual([
      {
        field: 'sizing.concurrentUsers',
        message: expect.stringMatching(/at most 20,000.*several environments/),
      },
    ]);
  });
});
