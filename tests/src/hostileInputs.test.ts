import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { Portal, databaseConfig, startPortal } from './__testUtils__/portal';
import { repoRoot } from './__testUtils__/repoRoot';

jest.setTimeout(300_000);

/*
 * Hostile and careless input, as a user or a script would send it to the real portal: the create
 * form's schema, every CodeMie action, every route. Each case expects a refusal that names its
 * field, and none may reach Google Cloud: the sandbox's journal shows no mutating call at all.
 */
const ANA = 'user:default/ana';
const template = yaml.parse(
  fs.readFileSync(
    path.join(repoRoot, 'templates/create-codemie-environment/template.yaml'),
    'utf8',
  ),
);

const formValues = {
  name: 'hostile-ok',
  owner: 'group:default/team-a',
  projectId: 'acme-hostile-01',
  region: 'europe-west1',
  regional: true,
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  allowPublicInternet: false,
  domain: 'codemie.example.com',
  createDnsZone: true,
  concurrentUsers: 100,
  vectorDatasourceGiB: 20,
  logRetentionDays: 14,
  llmProxyType: 'litellm',
  includeNats: false,
};
const privateForm = {
  ...formValues,
  option: 'private',
  allowedNetworks: undefined,
  allowPublicInternet: undefined,
  bastionMembers: ['group:platform@example.com'],
};

const environment = {
  name: 'hostile-ok',
  owner: 'group:default/team-a',
  projectId: 'acme-hostile-01',
  region: 'europe-west1',
  option: 'public',
  allowedNetworks: ['203.0.113.0/24'],
  domain: 'codemie.example.com',
  sizing: {
    concurrentUsers: 100,
    vectorDatasourceGiB: 20,
    logRetentionDays: 14,
    llmProxyType: 'litellm',
  },
};
const privateEnvironment = {
  ...environment,
  option: 'private',
  allowedNetworks: undefined,
  bastionMembers: ['group:platform@example.com'],
};

type Case = [field: string, patch: Record<string, unknown>];

const many = (n: number, f: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => f(i));

/** Values the form's own schema refuses, each with the field its error names. */
const formCases: Array<[string, object]> = [
  ...[
    '',
    'A',
    '1abc',
    'abc-',
    'a_b',
    'a b',
    'x'.repeat(21),
    'é',
    '-a',
    'ABC',
    'a/b',
    'a*',
    'a\nb',
    'a;rm -rf /',
    '<script>',
  ].map((name): [string, object] => ['name', { ...formValues, name }]),
  ...[
    'abc',
    'a'.repeat(31),
    '1project',
    'Project-1',
    'project_1',
    'project-',
    'proj ect',
    'projéct',
    '../etc/passwd',
  ].map((projectId): [string, object] => [
    'projectId',
    { ...formValues, projectId },
  ]),
  ...['mars-north1', 'us-central1-a', 'EUROPE-WEST1', 'global'].map(
    (region): [string, object] => ['region', { ...formValues, region }],
  ),
  ...[
    'localhost',
    'exa mple.com',
    '-a.example.com',
    'a.1',
    `${'x'.repeat(201)}.com`,
    'codemie..example.com',
  ].map((domain): [string, object] => ['domain', { ...formValues, domain }]),
  ...['hybrid', 'PUBLIC', ''].map((option): [string, object] => [
    'option',
    { ...formValues, option },
  ]),
  ...[
    ['not-a-cidr'],
    ['10.0.0.1/33'],
    ['010.0.0.0/8'],
    ['256.0.0.0/8'],
    ['10.0.0.0'],
    ['::1/128'],
    [],
  ].map((allowedNetworks): [string, object] => [
    'allowedNetworks',
    { ...formValues, allowedNetworks },
  ]),
  [
    'allowedNetworks',
    { ...formValues, allowedNetworks: many(51, i => `198.51.${i}.0/24`) },
  ],
  ...[
    ['alice'],
    ['user:alice'],
    ['group:@example.com'],
    ['admin:a@b.com'],
    ['user: a@b.com'],
    ['*'],
    [],
  ].map((bastionMembers): [string, object] => [
    'bastionMembers',
    { ...privateForm, bastionMembers },
  ]),
  [
    'bastionMembers',
    { ...privateForm, bastionMembers: many(26, i => `user:u${i}@example.com`) },
  ],
  ...[0, -1, 1.5, 20_001, 2e9, 1e15, '10'].map(
    (concurrentUsers): [string, object] => [
      'concurrentUsers',
      { ...formValues, concurrentUsers },
    ],
  ),
  ...[-1, 16_385, 1e300, '20'].map((vectorDatasourceGiB): [string, object] => [
    'vectorDatasourceGiB',
    { ...formValues, vectorDatasourceGiB },
  ]),
  ...[0, 366, 2.5, 1e6, 36_500].map((logRetentionDays): [string, object] => [
    'logRetentionDays',
    { ...formValues, logRetentionDays },
  ]),
  ...['gpt-proxy', '', 'LITELLM'].map((llmProxyType): [string, object] => [
    'llmProxyType',
    { ...formValues, llmProxyType },
  ]),
  ['description', { ...formValues, description: 'x'.repeat(301) }],
];

/** Inputs `codemie:plan` refuses: everything the form lets through, and what only it can judge. */
const planCases: Case[] = [
  ...['', 'A', 'abc-', 'x'.repeat(21), 'é', 42, null].map((name): Case => [
    'name',
    { name },
  ]),
  ...['abc', 'Project-1', 'project_1', 12345].map((projectId): Case => [
    'projectId',
    { projectId },
  ]),
  ...['mars-north1', 'us-central1-a', 1].map((region): Case => [
    'region',
    { region },
  ]),
  ...['localhost', 'a.1', 7].map((domain): Case => ['domain', { domain }]),
  ...['hybrid', true].map((option): Case => ['option', { option }]),
  ...[
    ['not-a-cidr'],
    ['10.0.0.1/24'],
    ['010.000.000.000/8'],
    ['10.0.0.0/08'],
    [5],
    ['a.b.c.d/8'],
  ].map((allowedNetworks): Case => ['allowedNetworks[0]', { allowedNetworks }]),
  ...[
    ['0.0.0.0/0'],
    ['0.0.0.0/1', '128.0.0.0/1'],
    ['1.0.0.0/8', '2.0.0.0/8'],
    [],
    '10.0.0.0/8',
  ].map((allowedNetworks): Case => ['allowedNetworks', { allowedNetworks }]),
  ['allowedNetworks[1]', { allowedNetworks: ['10.0.0.0/8', '10.0.0.0/8'] }],
  ['bastionMembers', { bastionMembers: ['group:platform@example.com'] }],
  ...[
    ['domain:gmail.com'],
    ['user:*@*.com'],
    ['allUsers'],
    ['allAuthenticatedUsers'],
    ['serviceAccount:ci@example.com'],
    ['alice'],
    ['domain:'],
  ].map((bastionMembers): Case => [
    'bastionMembers[0]',
    { ...privateEnvironment, bastionMembers },
  ]),
  [
    'allowedNetworks',
    { ...privateEnvironment, allowedNetworks: ['203.0.113.0/24'] },
  ],
  ['allowPublicInternet', { ...privateEnvironment, allowPublicInternet: true }],
  ...[0, -1, 1.5, 20_001, 1e6, 2e9, 1e15, '10', null].map(
    (concurrentUsers): Case => [
      'sizing.concurrentUsers',
      { sizing: { ...environment.sizing, concurrentUsers } },
    ],
  ),
  ...[-1, 16_385, 1e6, 1e300, 'x'].map((vectorDatasourceGiB): Case => [
    'sizing.vectorDatasourceGiB',
    { sizing: { ...environment.sizing, vectorDatasourceGiB } },
  ]),
  ...[0, 366, 2.5, 36_500, 1e6].map((logRetentionDays): Case => [
    'sizing.logRetentionDays',
    { sizing: { ...environment.sizing, logRetentionDays } },
  ]),
  [
    'sizing.llmProxyType',
    { sizing: { ...environment.sizing, llmProxyType: 'nginx' } },
  ],
  ['sizing.gpus', { sizing: { ...environment.sizing, gpus: 4 } }],
  ...[
    { subnet: '8.8.0.0/20' },
    { pods: '10.10.0.0/16' },
    { master: '172.16.0.0/24' },
    { gateway: '10.0.0.0/24' },
  ].map((network): Case => [`network.${Object.keys(network)[0]}`, { network }]),
  ...[
    'not a ref !!',
    'component:default/x',
    'group:default/nobody',
    'group:default/not a ref',
  ].map((owner): Case => ['owner', { owner }]),
  ['description', { description: 'x'.repeat(301) }],
  ['description', { description: 'bell\u0007' }],
  ['createDnsZone', { createDnsZone: 'yes' }],
  ['regional', { regional: 'no' }],
  ['allowPublicInternet', { allowPublicInternet: 'true' }],
  ['network', { network: '10.0.0.0/8' }],
  ['sizing', { sizing: [] }],
  ['resume', { resume: 'please' }],
  ['clusterSize', { clusterSize: 3 }],
];

/** Inputs of the steps after the plan: they take the environment's reference and nothing else. */
const laterCases: Array<[action: string, field: string, input: object]> = [
  ...[
    'codemie:gcp:provision',
    'codemie:deploy',
    'codemie:environment:register',
  ].flatMap((action): Array<[string, string, object]> => [
    [action, 'environment', { environment: 'hostile-ok' }],
    [action, 'environment', { environment: '../../etc' }],
    [action, 'environment', { environment: 'resource:default/' }],
    [action, 'environment', { environment: 'acme-hostile-01/UPPER_case' }],
  ]),
  [
    'codemie:gcp:provision',
    'region',
    { environment: 'acme-hostile-01/hostile-ok', region: 'us-east1' },
  ],
  [
    'codemie:environment:register',
    'owner',
    { environment: 'acme-hostile-01/hostile-ok', owner: 'user:default/eve' },
  ],
  [
    'codemie:deploy',
    'cluster',
    {
      environment: 'acme-hostile-01/hostile-ok',
      cluster: 'projects/x/locations/y/clusters/z',
    },
  ],
  [
    'codemie:deploy',
    'database',
    {
      environment: 'acme-hostile-01/hostile-ok',
      database: { secrets: { codemie: 'projects/other/secrets/theirs' } },
    },
  ],
  [
    'codemie:deploy',
    'images.codemie-apii',
    {
      environment: 'acme-hostile-01/hostile-ok',
      images: { 'codemie-apii': 'x:1' },
    },
  ],
  [
    'codemie:deploy',
    'apiEnv.NOT-A-NAME',
    {
      environment: 'acme-hostile-01/hostile-ok',
      apiEnv: { 'NOT-A-NAME': 'x' },
    },
  ],
  [
    'codemie:deploy',
    'timeoutSeconds',
    { environment: 'acme-hostile-01/hostile-ok', timeoutSeconds: 1e9 },
  ],
  [
    'codemie:deploy',
    'timeoutSeconds',
    { environment: 'acme-hostile-01/hostile-ok', timeoutSeconds: 0 },
  ],
  [
    'codemie:deploy',
    'imagePullSecret.name',
    {
      environment: 'acme-hostile-01/hostile-ok',
      imagePullSecret: { name: 'Bad_Name', secret: 'k' },
    },
  ],
  [
    'codemie:gcp:destroy',
    'environment',
    { environment: 'hostile-ok', confirm: 'hostile-ok' },
  ],
  [
    'codemie:gcp:destroy',
    'environment',
    { environment: 'acme-hostile-01/nobody', confirm: 'nobody' },
  ],
  [
    'codemie:gcp:destroy',
    'projectId',
    {
      environment: 'acme-hostile-01/hostile-ok',
      confirm: 'hostile-ok',
      projectId: 'other-project',
    },
  ],
];

/** Bodies of the sizing preview, each refused naming its field. */
const previewCases: Array<[string, unknown]> = [
  ['(body)', []],
  ['(body)', 'x'],
  ['region', {}],
  ['region', { region: 'mars-north1', sizing: environment.sizing }],
  ['sizing', { region: 'europe-west1' }],
  [
    'option',
    { region: 'europe-west1', option: 'hybrid', sizing: environment.sizing },
  ],
  ...[2_000_000_000, 1e6, 1e15, 0, '10', 20_001].map(
    (concurrentUsers): [string, unknown] => [
      'sizing.concurrentUsers',
      {
        region: 'europe-west1',
        sizing: { ...environment.sizing, concurrentUsers },
      },
    ],
  ),
  [
    'sizing.vectorDatasourceGiB',
    {
      region: 'europe-west1',
      sizing: { ...environment.sizing, vectorDatasourceGiB: 1e300 },
    },
  ],
  [
    'sizing.logRetentionDays',
    {
      region: 'europe-west1',
      sizing: { ...environment.sizing, logRetentionDays: 1e6 },
    },
  ],
  ['extra', { region: 'europe-west1', sizing: environment.sizing, extra: 1 }],
  ['region', { region: 1, sizing: environment.sizing }],
  ['sizing', { region: 'europe-west1', sizing: [] }],
  [
    'sizing.llmProxyType',
    {
      region: 'europe-west1',
      sizing: { ...environment.sizing, llmProxyType: 'x' },
    },
  ],
  [
    'sizing.includeNats',
    {
      region: 'europe-west1',
      sizing: { ...environment.sizing, includeNats: 'yes' },
    },
  ],
  [
    'regional',
    { region: 'europe-west1', regional: 'no', sizing: environment.sizing },
  ],
];

/** Paths of the routes that take names, each a 4xx that says what is allowed. */
const pathCases: Array<[string, string, number]> = [
  [
    'is not an entity kind',
    '/api/codemie/v1/entities/resource%2Fdefault/demo/x/status',
    400,
  ],
  [
    'is not an entity name',
    '/api/codemie/v1/entities/resource/default/de%00mo/status',
    400,
  ],
  [
    'is not an entity name',
    '/api/codemie/v1/entities/resource/default/de%0D%0Amo/history',
    400,
  ],
  [
    'is not an entity name',
    '/api/codemie/v1/entities/resource/default/d%C3%A9mo/status',
    400,
  ],
  [
    'not valid percent-encoding',
    '/api/codemie/v1/entities/resource/default/%E0%A4%A/status',
    400,
  ],
  [
    'window',
    '/api/codemie/v1/entities/resource/default/nobody/history?window=999d',
    404,
  ],
  ['projectId', '/api/codemie/v1/environments/Not_A_Project/name', 400],
  ['name', '/api/codemie/v1/environments/acme-hostile-01/Bad%20Name', 400],
  [
    'name',
    `/api/codemie/v1/environments/acme-hostile-01/${'x'.repeat(40)}`,
    400,
  ],
];

/**
 * True when the refusal names the field: our validators say `field: …`; the scaffolder's own
 * check of an action's input schema says `instance.field …` or `property "field"`.
 */
function namesField(text: string, field: string): boolean {
  const last = field
    .replace(/\[\d+\]$/, '')
    .split('.')
    .pop();
  return (
    text.includes(`${field}: `) ||
    text.includes(`instance.${field.replace(/\[\d+\]$/, '')}`) ||
    text.includes(`property \\"${last}\\"`)
  );
}

describe('hostile and careless input against the portal', () => {
  let sandbox: GcpSandbox;
  let portal: Portal;

  beforeAll(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.05 });
    sandbox.listen();
    portal = await startPortal({ database: databaseConfig('sqlite', '') });
    await portal.template('create-codemie-environment');
  });

  afterAll(async () => {
    await portal?.stop();
    await sandbox?.close();
  });

  const dryRun = (body: object) =>
    request(portal.server)
      .post('/api/scaffolder/v2/dry-run')
      .set(Portal.as(ANA))
      .send({ directoryContents: [], ...body });

  /** Runs one step of `action` with `input` in a dry run; what it answered, as text. */
  async function step(action: string, input: object): Promise<string> {
    const res = await dryRun({
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'hostile' },
        spec: {
          type: 'test',
          parameters: [],
          steps: [{ id: 'step', name: 'step', action, input }],
        },
      },
      values: {},
    });
    return (
      JSON.stringify(res.body)
        // eslint-disable-next-line no-control-regex
        .replace(/\\u001b\[[0-9;]*m/g, '')
    );
  }

  const total =
    formCases.length +
    planCases.length +
    laterCases.length +
    previewCases.length +
    pathCases.length;
  it(`has at least 200 cases (${total})`, () => {
    expect(total).toBeGreaterThanOrEqual(200);
  });

  it.each(formCases)(
    'the create form refuses a bad %s with what is allowed',
    async (field, values) => {
      const res = await dryRun({ template, values });
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body.errors)).toContain(`instance.${field}`);
    },
  );

  it.each(planCases)(
    'codemie:plan refuses a bad %s before recording anything',
    async (field, patch) => {
      const text = await step('codemie:plan', { ...environment, ...patch });
      expect(namesField(text, field) ? field : text).toBe(field);
    },
  );

  it.each(laterCases)('%s refuses a bad %s', async (action, field, input) => {
    const text = await step(action, input);
    expect(namesField(text, field) ? field : text).toBe(field);
  });

  it.each(previewCases)(
    'the sizing preview refuses a bad %s (400 naming it, never a 500)',
    async (field, body) => {
      const res = await request(portal.server)
        .post('/api/codemie/v1/plan/preview')
        .set(Portal.as(ANA))
        .set('content-type', 'application/json')
        .send(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(`${field}: `);
    },
  );

  it.each(pathCases)(
    'a path that %s gets a clear 4xx',
    async (what, url, status) => {
      const res = await portal.get(url);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toContain(
        what === 'window' ? 'No entity' : what,
      );
    },
  );

  // Last: not one of the cases above made a call that could change anything in Google Cloud.
  it('made no mutating call to Google Cloud', () => {
    expect(sandbox.journal.mutating()).toEqual([]);
  });
});
