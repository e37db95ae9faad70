import { DNS } from '@google-cloud/dns';
import { GcpSandbox } from '../../GcpSandbox';
import { testAuthClient } from '../__testUtils__/clients';
import { createVpc } from '../__testUtils__/network';

const PROJECT = 'codemie-test';

jest.setTimeout(30_000);

describe('Cloud DNS emulation through @google-cloud/dns', () => {
  let sandbox: GcpSandbox;
  let dns: DNS;

  beforeEach(async () => {
    sandbox = await GcpSandbox.create({ timeScale: 0.2, clusterServers: null });
    sandbox.listen(); // under jest this also lets the DNS client's node-fetch transport load
    dns = new DNS({ projectId: PROJECT, authClient: testAuthClient() });
  });
  afterEach(() => sandbox.close());

  it('creates a public zone with SOA and NS, adds records through a change, lists them', async () => {
    const [zone] = await dns.createZone('codemie-zone', {
      dnsName: 'codemie.example.com.',
      labels: { 'codemie-env': 'dev' },
    } as any);
    expect(zone.metadata).toMatchObject({
      kind: 'dns#managedZone',
      visibility: 'public',
      dnsName: 'codemie.example.com.',
    });
    expect(zone.metadata.nameServers).toHaveLength(4);
    const record = zone.record('a', {
      name: '*.codemie.example.com.',
      ttl: 300,
      data: '34.1.2.3',
    });
    const release = sandbox.holdOperations();
    const [change] = await zone.addRecords(record);
    expect(change.metadata).toMatchObject({
      kind: 'dns#change',
      status: 'pending',
    });
    release();
    const [records] = await zone.getRecords();
    expect(records.map(r => `${(r as any).name} ${r.type}`).sort()).toEqual([
      '*.codemie.example.com. A',
      'codemie.example.com. NS',
      'codemie.example.com. SOA',
    ]);
    await sandbox.settle();
    const [changed] = await zone.change(change.id!).getMetadata();
    expect(changed.status).toBe('done');
    expect(sandbox.resourcesLabelled(PROJECT, 'codemie-env', 'dev')).toEqual([
      expect.objectContaining({
        service: 'dns',
        kind: 'managedZone',
        name: `projects/${PROJECT}/managedZones/codemie-zone`,
      }),
    ]);
  });

  it('private zone: needs an existing network', async () => {
    const bad = await dns
      .createZone('private-zone', {
        dnsName: 'internal.example.com.',
        visibility: 'private',
        privateVisibilityConfig: {
          networks: [
            { networkUrl: `projects/${PROJECT}/global/networks/nope` },
          ],
        },
      } as any)
      .catch(e => e);
    expect(bad.code).toBe(400);
    expect(bad.message).toContain(
      "Invalid value for 'entity.managedZone.privateVisibilityConfig.networks[0].networkUrl'",
    );
    await createVpc(PROJECT, 'europe-west3');
    const [zone] = await dns.createZone('private-zone', {
      dnsName: 'internal.example.com.',
      visibility: 'private',
      privateVisibilityConfig: {
        networks: [
          {
            networkUrl: `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/networks/codemie-cluster-network`,
          },
        ],
      },
    } as any);
    expect(zone.metadata.visibility).toBe('private');
  });

  it('errors carry HTTP numbers: 409 existing zone and record, 404 missing zone, 400 non-empty delete', async () => {
    const [zone] = await dns.createZone('z', { dnsName: 'example.com.' });
    const dup = await dns
      .createZone('z', { dnsName: 'example.com.' })
      .catch(e => e);
    expect(dup.code).toBe(409);
    expect(dup.message).toBe(
      "The resource 'entity.managedZone' named 'z' already exists",
    );
    const rec = zone.record('cname', {
      name: 'www.example.com.',
      ttl: 300,
      data: 'example.com.',
    });
    await zone.addRecords(rec);
    const again = await zone.addRecords(rec).catch(e => e);
    expect(again.code).toBe(409);
    const notEmpty = await zone.delete().catch(e => e);
    expect(notEmpty.code).toBe(400);
    expect(notEmpty.errors?.[0]?.reason ?? 'containerNotEmpty').toBe(
      'containerNotEmpty',
    );
    await zone.delete({ force: true });
    const missing = await dns
      .zone('z')
      .get()
      .catch(e => e);
    expect(missing.code).toBe(404);
    expect(sandbox.resourcesIn(PROJECT)).toEqual([]);
  });

  it('deletions must match exactly (412) and the zone name must be valid (400)', async () => {
    const [zone] = await dns.createZone('z', { dnsName: 'example.com.' });
    await zone.addRecords(
      zone.record('a', { name: 'a.example.com.', ttl: 300, data: '10.0.0.1' }),
    );
    const wrong = await zone
      .deleteRecords(
        zone.record('a', {
          name: 'a.example.com.',
          ttl: 300,
          data: '10.0.0.2',
        }),
      )
      .catch(e => e);
    expect(wrong.code).toBe(412);
    const badName = await dns
      .createZone('Bad_Name', { dnsName: 'example.org.' })
      .catch(e => e);
    expect(badName.code).toBe(400);
  });

  it('transient faults: the DNS client retries 503 by itself', async () => {
    sandbox.faults.add({
      service: 'dns',
      method: 'POST',
      status: 503,
      times: 1,
    });
    // DNS 5.x retries 429/5xx up to 3 times after 1–2 s, 2–3 s, 4–5 s and ignores retryOptions.
    const [zone] = await dns.createZone('z', { dnsName: 'example.com.' });
    expect(zone.id).toBe('z');
    expect(sandbox.journal.list({ service: 'dns' }).map(e => e.status)).toEqual(
      [503, 200],
    );
  });
});
