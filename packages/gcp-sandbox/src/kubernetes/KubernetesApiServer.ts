/**
 * The Kubernetes API of one sandbox cluster, served over HTTPS on 127.0.0.1 with a generated
 * CA — a real server, because @kubernetes/client-node sends requests through undici's own
 * fetch, which msw cannot intercept. Clients connect exactly as to GKE: `https://<endpoint>`,
 * the CA as `caData`, any bearer token.
 *
 * Every request is recorded in the Journal (service `kubernetes`), can be delayed
 * (`faults.addLatency`) or failed (`faults.add`, answered as a Kubernetes Status), and first
 * brings the simulated cluster to the current simulated time.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import YAML from 'yaml';
import { NodeReservation } from './nodes';
import { FaultInjector } from '../core/FaultInjector';
import { Journal } from '../core/Journal';
import { SandboxClock } from '../core/SandboxClock';
import { WorkloadBehaviour } from './behaviour';
import { generateServerTls } from './certificates';
import { ControlPlane, SeedOptions, SeedResult } from './ControlPlane';
import { typeByKind, typeByPath } from './discovery';
import { KubeError, reasonForCode } from './errors';
import { route } from './router';
import { KubernetesObject, SandboxNode } from './types';
import { startWatch } from './watch';

/** Options of {@link KubernetesApiServer.start}. */
export interface KubernetesApiServerOptions {
  clusterName: string;
  clock: SandboxClock;
  journal: Journal;
  faults: FaultInjector;
  /** The cluster's nodes now (read on every reconcile and on `nodesChanged()`). */
  nodes: () => SandboxNode[];
  /**
   * Per-node system reservation (GKE kube-system pods). Defaults to
   * the kube-system pods of the sandbox's data file (`data/gke-node-resources.json`).
   */
  systemReservation?: NodeReservation;
}

const DEFAULT_FAULT_MESSAGES: Record<number, string> = {
  429: 'the server has received too many requests and has asked us to try again later',
  500: 'an error on the server ("") has prevented the request from succeeding',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

/** The emulated Kubernetes API server of one sandbox cluster. */
export class KubernetesApiServer {
  /** `127.0.0.1:<port>`; clients use `https://<endpoint>`. */
  readonly endpoint: string;
  /** The cluster's CA certificate (PEM); base64 of it is GKE's `masterAuth.clusterCaCertificate`. */
  readonly caCertificatePem: string;
  /** Workload behaviour: startup durations, image pull failures, crash loops, OOM kills, usage. */
  readonly behaviour: WorkloadBehaviour;
  private readonly watches = new Set<() => void>();

  private constructor(
    private readonly server: https.Server,
    private readonly cp: ControlPlane,
    private readonly options: KubernetesApiServerOptions,
    caCertificatePem: string,
  ) {
    const { port } = server.address() as AddressInfo;
    this.endpoint = `127.0.0.1:${port}`;
    this.caCertificatePem = caCertificatePem;
    this.behaviour = cp.behaviour;
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static async start(
    options: KubernetesApiServerOptions,
  ): Promise<KubernetesApiServer> {
    const tls = generateServerTls(options.clusterName);
    const cp = new ControlPlane(
      options.clusterName,
      options.clock,
      options.nodes,
      options.systemReservation,
    );
    const holder: { instance?: KubernetesApiServer } = {};
    const server = https.createServer(
      { key: tls.privateKeyPem, cert: tls.certificatePem },
      (req, res) => {
        holder.instance!.handle(req, res).catch(e => {
          if (!res.headersSent)
            res.writeHead(500, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify(
              new KubeError(
                500,
                'InternalError',
                String(e?.message ?? e),
              ).toStatus(),
            ),
          );
        });
      },
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    holder.instance = new KubernetesApiServer(
      server,
      cp,
      options,
      tls.caCertificatePem,
    );
    cp.reconcile(true);
    return holder.instance;
  }

  /** Node pools changed: re-read nodes, drop pods of removed nodes, re-run scheduling. */
  nodesChanged(): void {
    this.cp.nodesChanged();
  }

  /**
   * Objects of a kind as the API would return them now, e.g. `objects('Pod', 'codemie')`.
   * `kind` may be qualified with the apiVersion for ambiguous kinds: `objects('apps/v1/Deployment')`.
   */
  objects(kind: string, namespace?: string): KubernetesObject[] {
    const m = /^(.*)\/([^/]+)$/.exec(kind);
    const type = m ? typeByKind(m[2], m[1]) : typeByKind(kind);
    if (!type || type.virtual) throw new Error(`unknown kind ${kind}`);
    this.cp.reconcile();
    return this.cp.store.list(type, namespace);
  }

  /**
   * Test instrumentation (no Kubernetes API; what a watch on every kind would see, without
   * gaps): `listener` is called whenever the cluster's state may have changed — after every
   * controller pass of a reconcile and before the first — with a read-only view of the objects
   * as they are at that moment. Returns a function that stops it.
   */
  observe(
    listener: (view: {
      objects(kind: string, namespace?: string): readonly KubernetesObject[];
    }) => void,
  ): () => void {
    const view = {
      objects: (kind: string, namespace?: string) => {
        const m = /^(.*)\/([^/]+)$/.exec(kind);
        const type = m ? typeByKind(m[2], m[1]) : typeByKind(kind);
        if (!type || type.virtual) throw new Error(`unknown kind ${kind}`);
        return this.cp.store.peek(type, namespace);
      },
    };
    return this.cp.observe(() => listener(view));
  }

  /** One object, or undefined. */
  object(
    kind: string,
    namespace: string | undefined,
    name: string,
  ): KubernetesObject | undefined {
    return this.objects(kind, namespace).find(o => o.metadata?.name === name);
  }

  /**
   * Demo seeding: applies `objects` through the same server-side apply code path as API
   * requests, backdated so that every pod is already Running and Ready (no waiting), except
   * the components named in `crashLoop`, which have been restarting since.
   */
  seedDemo(options: SeedOptions): SeedResult {
    return this.cp.seed(options);
  }

  /** Stops the server (open watches are ended). */
  async stop(): Promise<void> {
    for (const stop of [...this.watches]) stop();
    await new Promise<void>(resolve => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const pathWithQuery = req.url ?? '/';
    const url = new URL(pathWithQuery, `https://${this.endpoint}`);
    const body = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const call = { service: 'kubernetes', method, path: pathWithQuery };
    const latency = this.options.faults.latencyFor(call);
    if (latency > 0) await new Promise(resolve => setTimeout(resolve, latency));

    let status = 200;
    let payload: unknown;
    let responseType = 'application/json';
    try {
      const auth = String(req.headers.authorization ?? '');
      if (!/^Bearer\s+\S+/i.test(auth))
        throw new KubeError(401, 'Unauthorized', 'Unauthorized');
      const fault = this.options.faults.check(call);
      if (fault) {
        throw new KubeError(
          fault.status,
          reasonForCode(fault.status),
          fault.message ??
            DEFAULT_FAULT_MESSAGES[fault.status] ??
            `injected fault ${fault.status}`,
        );
      }
      this.cp.reconcile();
      if (
        method === 'GET' &&
        /^(true|1)$/.test(url.searchParams.get('watch') ?? '')
      ) {
        this.watch(url, res);
        this.options.journal.record({ ...call, status: 200 });
        return;
      }
      const response = route(
        this.cp,
        {
          method,
          url,
          body,
          contentType,
          userAgent: String(req.headers['user-agent'] ?? ''),
        },
        this.endpoint,
      );
      status = response.status;
      payload = response.body;
      if (response.contentType) responseType = response.contentType;
      if (!['GET', 'HEAD'].includes(method)) {
        this.cp.markDirty();
        this.cp.reconcile();
      }
    } catch (e) {
      const err =
        e instanceof KubeError
          ? e
          : new KubeError(
              500,
              'InternalError',
              String((e as Error)?.message ?? e),
            );
      status = err.code;
      payload = err.toStatus();
      responseType = 'application/json';
    }
    this.options.journal.record({
      ...call,
      body: decodeForJournal(body, contentType),
      status,
    });
    const text =
      typeof payload === 'string' && responseType !== 'application/json'
        ? payload
        : JSON.stringify(payload);
    res.writeHead(status, {
      'content-type': responseType,
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private watch(url: URL, res: ServerResponse): void {
    const segments = url.pathname.split('/').filter(Boolean);
    const [group, version, rest] =
      segments[0] === 'api'
        ? ['', 'v1', segments.slice(2)]
        : [segments[1], segments[2], segments.slice(3)];
    const namespaced = rest[0] === 'namespaces' && rest.length === 3;
    const type = typeByPath(group, version, namespaced ? rest[2] : rest[0]);
    if (
      !type ||
      type.virtual ||
      (namespaced ? rest.length !== 3 : rest.length !== 1)
    ) {
      throw new KubeError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    }
    const pollMillis = Math.max(20, this.options.clock.realMillis(1));
    const stop = startWatch(
      this.cp,
      type,
      namespaced ? rest[1] : undefined,
      url,
      res,
      pollMillis,
    );
    this.watches.add(stop);
    res.on('close', () => this.watches.delete(stop));
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decodeForJournal(body: string, contentType: string): unknown {
  if (!body) return undefined;
  try {
    return contentType.includes('yaml') ? YAML.parse(body) : JSON.parse(body);
  } catch {
    return body;
  }
}
