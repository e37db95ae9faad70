import { Config } from '@backstage/config';
import { ClusterManagerClient } from '@google-cloud/container';
import {
  AddressesClient,
  FirewallsClient,
  GlobalAddressesClient,
  GlobalOperationsClient,
  InstancesClient,
  NetworksClient,
  RegionOperationsClient,
  RoutersClient,
  SubnetworksClient,
  ZoneOperationsClient,
  ZonesClient,
} from '@google-cloud/compute';
import {
  SqlDatabasesServiceClient,
  SqlInstancesServiceClient,
  SqlOperationsServiceClient,
  SqlUsersServiceClient,
} from '@google-cloud/sql';
import { DNS } from '@google-cloud/dns';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { ServiceUsageClient } from '@google-cloud/service-usage';
import { ProjectsClient } from '@google-cloud/resource-manager';
import { iam, iam_v1 } from '@googleapis/iam';
import { AuthClient, GoogleAuth, OAuth2Client } from 'google-auth-library';
import { readCodemieConfig } from '../config/readCodemieConfig';

/**
 * How the gax-based clients talk to Google.
 *
 * @public
 */
export type GoogleTransport = 'rest' | 'grpc';

/**
 * Options for {@link GoogleClients}.
 *
 * @public
 */
export interface GoogleClientsOptions {
  /**
   * The credentials every client uses. Absent: Application Default Credentials, resolved once
   * by one `GoogleAuth` that every client (gax, Compute, IAM, DNS, plain REST) is handed, so no
   * client is ever left without credentials.
   */
  authClient?: AuthClient;
  /**
   * `rest` (default) sends HTTP/1.1 JSON, the transport the sandbox and tests exercise, so
   * the path tested is the path run; `grpc` is available for deployments that prefer it.
   */
  transport?: GoogleTransport;
}

/**
 * The official Google Cloud clients the CodeMie backend uses, built once from one set of
 * credentials and shared by the provisioning actions and the status API.
 *
 * @public
 */
export class GoogleClients {
  /**
   * Builds the clients from `codemie.gcp` config: Application Default Credentials unless
   * `codemie.gcp.accessToken` is set (short-lived token, e.g. from a CI identity).
   */
  static fromConfig(config: Config): GoogleClients {
    const { gcp } = readCodemieConfig(config);
    const transport = gcp.transport;
    const accessToken = gcp.accessToken;
    if (accessToken) {
      return GoogleClients.fromAccessToken(accessToken, transport);
    }
    // Application Default Credentials: each client finds them itself.
    return new GoogleClients({ transport });
  }

  /**
   * Clients that present one fixed bearer token (a short-lived token from a CI identity, or an
   * emulator's token in tests and the local portal).
   */
  static fromAccessToken(
    accessToken: string,
    transport: GoogleTransport = 'rest',
  ): GoogleClients {
    return new GoogleClients({
      authClient: staticTokenClient(accessToken),
      transport,
    });
  }

  private readonly cache = new Map<string, unknown>();

  /** Application Default Credentials, when no explicit auth client is given. */
  private readonly adc?: GoogleAuth;

  constructor(private readonly options: GoogleClientsOptions) {
    if (!options.authClient) {
      this.adc = new GoogleAuth({
        scopes: ['https://www.googleapis.com/auth/cloud-platform'],
        // Node's fetch for the token requests too (gaxios would otherwise import node-fetch).
        clientOptions: {
          transporterOptions: {
            fetchImplementation: (input: any, init: any) => fetch(input, init),
          },
        } as any,
      });
    }
  }

  /** A bearer token for the Kubernetes API of a GKE cluster (Google credentials work there). */
  async accessToken(): Promise<string> {
    const source: { getAccessToken(): Promise<unknown> } =
      this.options.authClient ?? this.adc!;
    const token = (await source.getAccessToken()) as
      string | { token?: string | null } | null | undefined;
    const value = typeof token === 'string' ? token : token?.token;
    if (!value) {
      throw new Error(
        'Google credentials produced no access token; check Application Default Credentials',
      );
    }
    return value;
  }

  /** GKE (Kubernetes Engine) clusters and node pools. */
  container(): ClusterManagerClient {
    return this.memo('container', () => new ClusterManagerClient(this.gax()));
  }

  /** Compute VPC networks. */
  networks(): NetworksClient {
    return this.memo('networks', () => new NetworksClient(this.compute()));
  }

  /** Compute subnetworks. */
  subnetworks(): SubnetworksClient {
    return this.memo(
      'subnetworks',
      () => new SubnetworksClient(this.compute()),
    );
  }

  /** Compute Cloud Routers (with their Cloud NAT). */
  routers(): RoutersClient {
    return this.memo('routers', () => new RoutersClient(this.compute()));
  }

  /** Compute firewall rules. */
  firewalls(): FirewallsClient {
    return this.memo('firewalls', () => new FirewallsClient(this.compute()));
  }

  /** Global addresses (the private services access range). */
  globalAddresses(): GlobalAddressesClient {
    return this.memo(
      'globalAddresses',
      () => new GlobalAddressesClient(this.compute()),
    );
  }

  /** compute.zones: the zones of each region and whether they are UP. */
  zones(): ZonesClient {
    return this.memo('zones', () => new ZonesClient(this.compute()));
  }

  /** Regional addresses (the ingress load balancer's reserved address). */
  addresses(): AddressesClient {
    return this.memo('addresses', () => new AddressesClient(this.compute()));
  }

  /** Compute VM instances (the bastion). */
  instances(): InstancesClient {
    return this.memo('instances', () => new InstancesClient(this.compute()));
  }

  /** Compute global operations. */
  globalOperations(): GlobalOperationsClient {
    return this.memo(
      'globalOperations',
      () => new GlobalOperationsClient(this.compute()),
    );
  }

  /** Compute regional operations. */
  regionOperations(): RegionOperationsClient {
    return this.memo(
      'regionOperations',
      () => new RegionOperationsClient(this.compute()),
    );
  }

  /** Compute zonal operations. */
  zoneOperations(): ZoneOperationsClient {
    return this.memo(
      'zoneOperations',
      () => new ZoneOperationsClient(this.compute()),
    );
  }

  /** Cloud SQL instances. */
  sqlInstances(): SqlInstancesServiceClient {
    return this.memo(
      'sqlInstances',
      () => new SqlInstancesServiceClient(this.gax()),
    );
  }

  /** Cloud SQL databases. */
  sqlDatabases(): SqlDatabasesServiceClient {
    return this.memo(
      'sqlDatabases',
      () => new SqlDatabasesServiceClient(this.gax()),
    );
  }

  /** Cloud SQL users. */
  sqlUsers(): SqlUsersServiceClient {
    return this.memo('sqlUsers', () => new SqlUsersServiceClient(this.gax()));
  }

  /** Cloud SQL operations. */
  sqlOperations(): SqlOperationsServiceClient {
    return this.memo(
      'sqlOperations',
      () => new SqlOperationsServiceClient(this.gax()),
    );
  }

  /** Secret Manager secrets. */
  secretManager(): SecretManagerServiceClient {
    return this.memo(
      'secretManager',
      () => new SecretManagerServiceClient(this.gax() as any),
    );
  }

  /** Service Usage: which APIs a project has enabled. */
  serviceUsage(): ServiceUsageClient {
    return this.memo(
      'serviceUsage',
      // service-usage still depends on google-gax 5 / google-auth-library 10; compatible at run time.
      () => new ServiceUsageClient(this.gax() as any),
    );
  }

  /** Cloud Resource Manager: project IAM policy. */
  projects(): ProjectsClient {
    return this.memo('projects', () => new ProjectsClient(this.gax() as any));
  }

  /** IAM: service accounts and their policies (the official per-API googleapis package). */
  iam(): iam_v1.Iam {
    // Always with credentials: without `auth` the googleapis client sends no Authorization header.
    return this.memo('iam', () =>
      iam({
        version: 'v1',
        auth: (this.options.authClient ?? this.adc) as any,
      }),
    );
  }

  /**
   * Calls a Google REST API with these credentials. Only for Service Networking, whose sole
   * official Node client is the 240 MB \`googleapis\` bundle.
   */
  async request<T>(options: {
    url: string;
    method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
    data?: unknown;
  }): Promise<T> {
    const client: { request: AuthClient['request'] } =
      this.options.authClient ?? this.adc!;
    const res = await client.request<T>({
      url: options.url,
      method: options.method ?? 'GET',
      data: options.data,
      responseType: 'json',
    } as any);
    return res.data;
  }

  /** Cloud DNS is a hand-made client per project. */
  dns(projectId: string): DNS {
    return this.memo(
      `dns:${projectId}`,
      () =>
        new DNS({
          projectId,
          // @google-cloud/dns still depends on google-auth-library 10; the client is compatible.
          authClient: (this.options.authClient ?? this.adc) as any,
        }),
    );
  }

  /** Closes the gax clients' channels. */
  async close(): Promise<void> {
    for (const client of this.cache.values()) {
      const closable = client as { close?: () => Promise<void> };
      if (typeof closable.close === 'function') await closable.close();
    }
    this.cache.clear();
  }

  private gax() {
    return { ...this.compute(), fallback: this.options.transport !== 'grpc' };
  }

  private compute(): { authClient?: AuthClient; auth?: GoogleAuth } {
    // Compute's Node client is REST-only. Every client gets the same credentials.
    return this.options.authClient
      ? { authClient: this.options.authClient }
      : { auth: this.adc };
  }

  private memo<T>(key: string, create: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, create());
    return this.cache.get(key) as T;
  }
}

/**
 * An auth client that always presents one bearer token. Uses the global fetch, which the
 * sandbox intercepts and which works under jest (gaxios' default dynamic import does not).
 */
function staticTokenClient(accessToken: string): OAuth2Client {
  const client = new OAuth2Client({
    // Look fetch up per call: the sandbox (msw) replaces globalThis.fetch when it starts listening.
    transporterOptions: {
      fetchImplementation: (input: any, init: any) => fetch(input, init),
    },
  } as ConstructorParameters<typeof OAuth2Client>[0]);
  client.setCredentials({
    access_token: accessToken,
    // Far in the future: a static token is never refreshed.
    expiry_date: Date.now() + 10 * 365 * 24 * 3600 * 1000,
  });
  return client;
}
