import { OAuth2Client } from 'google-auth-library';
import forge from 'node-forge';
import type {
  ClusterApiServer,
  ClusterApiServerFactory,
  ClusterNode,
} from '../../kubernetesBridge';

/**
 * An OAuth2 client with a fixed access token that never touches the network: what tests pass as
 * `authClient` to every Google client. `fetchImplementation: fetch` keeps gaxios 7 from
 * dynamically importing node-fetch (which jest refuses).
 */
export function testAuthClient(): any {
  // Look `fetch` up at call time: msw replaces globalThis.fetch in listen(), and a client built
  // before that with `fetchImplementation: fetch` would keep the real one (and reach the network).
  const auth = new OAuth2Client({
    transporterOptions: {
      fetchImplementation: (input: any, init: any) => fetch(input, init),
    },
  } as any);
  auth.setCredentials({
    access_token: 'sandbox-token',
    expiry_date: Date.now() + 3600e3,
  });
  return auth;
}

/** Call options that turn off the gax clients' hidden retries (answer 503 once, fail at once). */
export const NO_RETRY = (): any => ({ retry: null });

let caPem: string | undefined;
function testCaPem(): string {
  if (!caPem) {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 512, e: 0x10001 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = '01';
    cert.validity.notBefore = new Date();
    cert.validity.notAfter = new Date(Date.now() + 86400e3);
    cert.setSubject([{ name: 'commonName', value: 'fake-ca' }]);
    cert.setIssuer([{ name: 'commonName', value: 'fake-ca' }]);
    cert.sign(keys.privateKey);
    caPem = forge.pki.certificateToPem(cert);
  }
  return caPem;
}

export class FakeServer implements ClusterApiServer {
  nodesChangedCalls = 0;
  stopped = false;
  constructor(
    readonly endpoint: string,
    readonly caCertificatePem: string,
  ) {}
  nodesChanged(): void {
    this.nodesChangedCalls += 1;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

/** A stand-in for the Kubernetes half: remembers what it was asked, serves nothing. */
export class FakeClusterServers {
  readonly started: Array<{
    clusterName: string;
    nodes: () => ClusterNode[];
    server: FakeServer;
  }> = [];
  private port = 40000;

  readonly factory: ClusterApiServerFactory = async options => {
    const server = new FakeServer(`127.0.0.1:${this.port++}`, testCaPem());
    this.started.push({
      clusterName: options.clusterName,
      nodes: options.nodes,
      server,
    });
    return server;
  };
}
