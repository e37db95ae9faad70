import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GcpSandbox } from '@codemie-gcp/gcp-sandbox';
import { mockServices } from '@backstage/backend-test-utils';
import { GoogleClients } from './GoogleClients';

jest.setTimeout(60_000);

const PROJECT = 'acme-adc';

/**
 * Production runs on Application Default Credentials (no `codemie.gcp.accessToken`). Every
 * client must send them: the sandbox accepts only the access tokens its OAuth endpoint issued
 * for the ADC file, and answers 401 to a request without credentials, as Google does.
 */
describe('GoogleClients under Application Default Credentials', () => {
  let sandbox: GcpSandbox;
  let google: GoogleClients;
  const previous = process.env.GOOGLE_APPLICATION_CREDENTIALS;

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({
      timeScale: 0.05,
      clusterServers: null,
      acceptedTokens: [],
    });
    sandbox.listen();
    const dir = mkdtempSync(join(tmpdir(), 'codemie-adc-'));
    const file = join(dir, 'application_default_credentials.json');
    writeFileSync(file, JSON.stringify(sandbox.oauth.authorizedUser()));
    process.env.GOOGLE_APPLICATION_CREDENTIALS = file;
    google = GoogleClients.fromConfig(
      mockServices.rootConfig({ data: { codemie: { gcp: {} } } }),
    );
  });
  afterEach(async () => {
    process.env.GOOGLE_APPLICATION_CREDENTIALS = previous;
    await google.close();
    await sandbox.close();
  });

  it('authenticates IAM, GKE, Compute, Cloud SQL, DNS and plain REST calls with the ADC token', async () => {
    sandbox.enableServices(PROJECT, ['iam.googleapis.com']);
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: any) =>
          e?.response?.status ?? e?.code ?? e?.httpStatusCode ?? String(e),
      );
    const calls = {
      iam: await status(
        google.iam().projects.serviceAccounts.list({
          name: `projects/${PROJECT}`,
        }),
      ),
      container: await status(
        google
          .container()
          .listClusters({ parent: `projects/${PROJECT}/locations/-` }, {
            retry: null,
          } as any),
      ),
      compute: await status(google.zones().list({ project: PROJECT })),
      sql: await status(
        google.sqlInstances().list({ project: PROJECT }, {
          retry: null,
        } as any),
      ),
      dns: await status(google.dns(PROJECT).getZones()),
      serviceNetworking: await status(
        google.request({
          url: `https://servicenetworking.googleapis.com/v1/services/servicenetworking.googleapis.com/connections?network=${encodeURIComponent(`projects/${PROJECT}/global/networks/none`)}`,
        }),
      ),
    };
    expect(calls).toEqual({
      iam: 200,
      container: 200,
      compute: 200,
      sql: 200,
      dns: 200,
      serviceNetworking: 200,
    });
    expect(sandbox.journal.list().filter(e => e.status === 401)).toEqual([]);
    expect(await google.accessToken()).toMatch(/^ya29\.sandbox-/);
  });
});
