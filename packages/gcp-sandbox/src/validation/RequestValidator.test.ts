import { ClusterManagerClient } from '@google-cloud/container';
import { iam } from '@googleapis/iam';
import {
  DISCOVERY_DOCUMENTS,
  RequestValidationLog,
  validateRestCall,
  validatingGaxClient,
  validatingGoogleapisClient,
} from './RequestValidator';

/**
 * The validator must see what protobufjs would silently drop: a misspelt or misplaced field
 * never reaches the wire, so neither the sandbox nor Google would complain.
 */
describe('request validation before serialization', () => {
  const log = new RequestValidationLog();
  afterEach(() => log.reset());

  it("checks a gax client's request against the method's message in the client's own protos", () => {
    const client = validatingGaxClient(
      new ClusterManagerClient({ fallback: true }),
      log,
    );
    const call = (cluster: object) =>
      client.createCluster(
        { parent: 'projects/p/locations/europe-west1', cluster } as any,
        { retry: null } as any,
      );
    expect(() =>
      call({
        name: 'c',
        masterAuthorizedNetworksConfig: {
          enabled: true,
          gcpPublicCidrsAccess: false,
        },
        nodePools: [{ name: 'p', config: { machineTyp: 'e2-standard-4' } }],
        releaseChannel: { channel: 'SOMETIMES' },
      }),
    ).toThrow(
      'Request validation failed for google.container.v1.ClusterManager.CreateCluster (checked before serialization): ' +
        'cluster.masterAuthorizedNetworksConfig.gcpPublicCidrsAccess: unknown field (not in google.container.v1.MasterAuthorizedNetworksConfig); ' +
        'cluster.nodePools[0].config.machineTyp: unknown field (not in google.container.v1.NodeConfig); ' +
        'cluster.releaseChannel.channel: "SOMETIMES" is not a value of google.container.v1.ReleaseChannel.Channel',
    );
    expect(log.failures).toHaveLength(1);
  });

  it('lets a correct request through to the client unchanged', async () => {
    const raw = new ClusterManagerClient({ fallback: true });
    const sent = jest.fn().mockResolvedValue([{ name: 'c' }]);
    (raw as any).getCluster = sent;
    const client = validatingGaxClient(raw, log);
    const request = { name: 'projects/p/locations/europe-west1/clusters/c' };
    await expect(client.getCluster(request)).resolves.toEqual([{ name: 'c' }]);
    expect(sent).toHaveBeenCalledWith(request);
    expect(log.calls.get('google.container.v1.ClusterManager.GetCluster')).toBe(
      1,
    );
    expect(log.failures).toEqual([]);
  });

  it('checks IAM calls against the stored discovery document', () => {
    const client = validatingGoogleapisClient(
      iam({ version: 'v1' }),
      DISCOVERY_DOCUMENTS.iam,
      log,
    );
    expect(() =>
      client.projects.serviceAccounts.create({
        name: 'projects/p',
        requestBody: {
          accountId: 'a',
          serviceAccount: { displayname: 'x' },
        } as any,
      }),
    ).toThrow(
      'iam.projects.serviceAccounts.create (checked before serialization): requestBody.serviceAccount.displayname: unknown field',
    );
    expect(() =>
      client.projects.serviceAccounts.getIamPolicy({
        resource: 'projects/p/serviceAccounts/a@p.iam.gserviceaccount.com',
        requestedPolicyVersion: 3,
      } as any),
    ).toThrow(
      'requestedPolicyVersion: unknown parameter of iam.projects.serviceAccounts.getIamPolicy',
    );
  });

  it('checks plain REST calls (Service Networking) against their discovery document', () => {
    expect(() =>
      validateRestCall(
        {
          url: 'https://servicenetworking.googleapis.com/v1/services/servicenetworking.googleapis.com/connections',
          method: 'POST',
          data: {
            network: 'projects/1/global/networks/n',
            reservedRanges: ['r'],
          },
        },
        log,
      ),
    ).toThrow(
      'servicenetworking.services.connections.create (checked before serialization): body.reservedRanges: unknown field',
    );
    expect(() =>
      validateRestCall(
        {
          url: 'https://servicenetworking.googleapis.com/v1/services/servicenetworking.googleapis.com/connections/servicenetworking-googleapis-com:deleteConnection',
          method: 'POST',
          data: { consumerNetwork: 'projects/1/global/networks/n' },
        },
        log,
      ),
    ).not.toThrow();
    expect(() =>
      validateRestCall(
        {
          url: 'https://servicenetworking.googleapis.com/v1/services/x/peerings',
          method: 'GET',
        },
        log,
      ),
    ).toThrow(
      'GET v1/services/x/peerings is not a method of servicenetworking:v1',
    );
  });
});
