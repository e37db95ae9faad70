/**
 * Invalid environment inputs, each with the field its error must name. Used by the actions'
 * table-driven tests: every one must be refused before any cloud call.
 */
export interface InvalidCase {
  field: string;
  input: Record<string, unknown>;
}

type Base = Record<string, any>;

export function invalidEnvironmentInputs(
  publicInput: Base,
  privateInput: Base,
): InvalidCase[] {
  const cases: InvalidCase[] = [];
  const add = (base: Base, field: string, patch: Record<string, unknown>) =>
    cases.push({ field, input: { ...base, ...patch } });
  const sizing = (base: Base, patch: Record<string, unknown>) => ({
    sizing: { ...base.sizing, ...patch },
  });

  for (const base of [publicInput, privateInput]) {
    for (const name of [
      '',
      'A',
      '1abc',
      'abc-',
      'a_b',
      'a b',
      'x'.repeat(21),
      'é',
      'name.',
      '-a',
      'ABC',
      'a/b',
      'a*',
      'a\nb',
      42,
      true,
      ['a'],
      {},
      null,
    ]) {
      add(base, 'name', { name });
    }
    for (const projectId of [
      '',
      'abc',
      'a'.repeat(31),
      '1project',
      'Project-1',
      'project_1',
      'project-',
      'proj ect',
      12345,
      'p',
      'project.name',
      'projéct',
      'UPPER-CASE',
      null,
    ]) {
      add(base, 'projectId', { projectId });
    }
    for (const region of [
      '',
      'mars-north1',
      'europe-west',
      'EUROPE-WEST1',
      'us-central1-a',
      'us-central2',
      1,
      'global',
      'europe-west99',
      null,
    ]) {
      add(base, 'region', { region });
    }
    for (const option of ['Public', 'hybrid', 'PRIVATE', 1, true, 'internal']) {
      add(base, 'option', { option });
    }
    for (const domain of [
      '',
      'localhost',
      'example',
      'ex ample.com',
      '-bad.com',
      'bad-.com',
      'a..b.com',
      'example.123',
      `${'x'.repeat(64)}.com`,
      `${'a.'.repeat(101)}com`,
      'exa_mple.com',
      42,
      null,
    ]) {
      add(base, 'domain', { domain });
    }
    for (const [field, value] of [
      ['createDnsZone', 'yes'],
      ['createDnsZone', 1],
      ['regional', 'no'],
      ['regional', 0],
      ['allowPublicInternet', 'true'],
    ] as const) {
      add(base, field, { [field]: value });
    }
    add(base, 'network', { network: 'x' });
    add(base, 'network', { network: [] });
    add(base, 'network.pods', { network: { pods: '10.10.0.0/16' } });
    add(base, 'network.subnet', { network: { subnet: '8.8.0.0/20' } });
    add(base, 'network.master', { network: { master: '172.16.0.0/24' } });
    add(base, 'network.master', { network: { master: '172.16.0.1/28' } });
    add(base, 'network.gateway', { network: { gateway: '10.0.0.0/24' } });
    add(base, 'network.pods', { network: { pods: 5 } });
    add(base, 'network.services', { network: { services: '10.50.0.0/12' } });
    add(base, 'network.privateServices', {
      network: { privateServices: 'nope' },
    });
    add(base, 'sizing', { sizing: undefined });
    add(base, 'sizing', { sizing: 'large' });
    add(base, 'sizing', { sizing: [] });
    for (const concurrentUsers of [
      -1,
      0,
      1.5,
      '100',
      null,
      -100,
      20_001,
      1e6,
      2e9,
      1e15,
      Infinity,
      NaN,
    ]) {
      add(base, 'sizing.concurrentUsers', sizing(base, { concurrentUsers }));
    }
    for (const vectorDatasourceGiB of [-1, 'x', null, 1e300, 1e6, 16_385]) {
      add(
        base,
        'sizing.vectorDatasourceGiB',
        sizing(base, { vectorDatasourceGiB }),
      );
    }
    for (const logRetentionDays of [0, -3, 2.5, 'x', 1e6, 36_500, 366]) {
      add(base, 'sizing.logRetentionDays', sizing(base, { logRetentionDays }));
    }
    for (const llmProxyType of ['gpt', '', 5, 'LiteLLM']) {
      add(base, 'sizing.llmProxyType', sizing(base, { llmProxyType }));
    }
    for (const key of ['clusterSize', 'zone', 'password']) {
      add(base, key, { [key]: 'x' });
    }
  }

  // Fields that only one option needs.
  for (const allowedNetworks of [
    [],
    ['not-a-cidr'],
    ['10.0.0.1/24'],
    ['300.0.0.0/8'],
    ['10.0.0.0/33'],
    ['10.0.0.0'],
    ['::1/128'],
    ['010.000.000.000/8'],
    ['10.0.0.0/08'],
    [''],
    [5],
    ['10.0.0.0/-1'],
    ['1.2.3.4/32/1'],
    ['a.b.c.d/8'],
  ]) {
    const field =
      allowedNetworks.length === 0 ? 'allowedNetworks' : 'allowedNetworks[0]';
    add(publicInput, field, { allowedNetworks });
  }
  add(publicInput, 'allowedNetworks', { allowedNetworks: '10.0.0.0/8' });
  add(publicInput, 'allowedNetworks', { allowedNetworks: undefined });
  add(publicInput, 'allowedNetworks[1]', {
    allowedNetworks: ['10.0.0.0/8', '10.0.0.0/8'],
  });
  // "The whole internet" is judged on the union of the ranges.
  for (const allowedNetworks of [
    ['0.0.0.0/0'],
    ['10.0.0.0/8', '0.0.0.0/0'],
    ['0.0.0.0/1', '128.0.0.0/1'],
    ['1.0.0.0/8', '2.0.0.0/8'],
  ]) {
    add(publicInput, 'allowedNetworks', { allowedNetworks });
  }
  for (const bastionMembers of [
    [],
    ['alice'],
    ['user:alice'],
    ['user:alice@'],
    ['group:@example.com'],
    ['admin:a@b.com'],
    ['user:a@b'],
    [''],
    ['domain:'],
    [7],
    ['user: a@b.com'],
    ['domain:gmail.com'],
    ['user:*@*.com'],
    ['allUsers'],
    ['allAuthenticatedUsers'],
    ['serviceAccount:ci@example.com'],
  ]) {
    const field =
      bastionMembers.length === 0 ? 'bastionMembers' : 'bastionMembers[0]';
    add(privateInput, field, { bastionMembers });
  }
  add(privateInput, 'bastionMembers', { bastionMembers: 'user:a@b.com' });
  add(privateInput, 'bastionMembers', { bastionMembers: undefined });
  add(privateInput, 'bastionMembers[1]', {
    bastionMembers: ['user:a@b.com', 'user:a@b.com'],
  });
  // The other option's fields never ride along.
  add(privateInput, 'allowedNetworks', {
    allowedNetworks: ['10.0.0.0/24'],
  });
  add(privateInput, 'allowPublicInternet', { allowPublicInternet: true });
  add(publicInput, 'bastionMembers', {
    bastionMembers: ['group:platform@example.com'],
  });
  return cases;
}
