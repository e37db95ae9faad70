/**
 * Maps Kubernetes API paths and verbs to the control plane: discovery, resource CRUD and
 * subresources (status, pods/log, nodes/proxy/stats/summary), and metrics.k8s.io.
 */
import YAML from 'yaml';
import { ControlPlane } from './ControlPlane';
import { T } from './controllers/context';
import {
  ResourceType,
  apiGroup,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  servesGroupVersion,
  typeByPath,
  versionInfo,
} from './discovery';
import { KubeError, badRequest, notFound } from './errors';
import {
  nodeMetrics,
  podMetrics,
  podMetricsList,
  statsSummary,
} from './metrics';
import { containerLogs } from './podLifecycle';
import {
  matchesFields,
  matchesRequirements,
  parseFieldSelector,
  parseLabelSelector,
} from './selectors';

/** A decoded request. */
export interface ApiRequest {
  method: string;
  url: URL;
  /** Raw body text ('' if none). */
  body: string;
  contentType: string;
  userAgent: string;
}

/** What to answer. */
export interface ApiResponse {
  status: number;
  /** JSON value, or a string for text/plain. */
  body: unknown;
  contentType?: string;
}

/** A parsed resource path. */
interface ResourcePath {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Path after the subresource (node proxy). */
  rest: string[];
}

function json(body: unknown, status = 200): ApiResponse {
  return { status, body };
}

/** Parses a JSON body, or YAML (JSON is YAML) for clients that send it. */
function decode(text: string): any {
  if (!text.trim()) throw badRequest('the body of the request was empty');
  try {
    return JSON.parse(text);
  } catch {
    try {
      return YAML.parse(text);
    } catch (e) {
      throw badRequest(
        `the body of the request was in an unknown format: ${(e as Error).message}`,
      );
    }
  }
}

function parseResourcePath(
  segments: string[],
  group: string,
  version: string,
): ResourcePath {
  const resolve = (plural: string) => {
    const type = typeByPath(group, version, plural);
    if (!type)
      throw new KubeError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    return type;
  };
  if (
    segments[0] === 'namespaces' &&
    segments.length >= 3 &&
    !['status', 'finalize'].includes(segments[2])
  ) {
    const type = resolve(segments[2]);
    if (!type.namespaced)
      throw new KubeError(
        404,
        'NotFound',
        'the server could not find the requested resource',
      );
    return {
      type,
      namespace: segments[1],
      name: segments[3],
      subresource: segments[4],
      rest: segments.slice(5),
    };
  }
  const type = resolve(segments[0]);
  return {
    type,
    name: segments[1],
    subresource: segments[2],
    rest: segments.slice(3),
  };
}

function flag(url: URL, name: string): boolean {
  const v = url.searchParams.get(name);
  return v !== null && v !== 'false' && v !== '0';
}

/** Routes one request. Throws KubeError for API errors. */
export function route(
  cp: ControlPlane,
  req: ApiRequest,
  endpoint: string,
): ApiResponse {
  const segments = req.url.pathname
    .split('/')
    .filter(s => s.length > 0)
    .map(decodeURIComponent);
  const method = req.method.toUpperCase();
  const path = `/${segments.join('/')}`;
  if (method === 'GET') {
    if (path === '/version') return json(versionInfo());
    if (['/healthz', '/livez', '/readyz'].includes(path))
      return { status: 200, body: 'ok', contentType: 'text/plain' };
    if (path === '/api') return json(coreApiVersions(endpoint));
    if (path === '/apis') return json(apiGroupList());
    if (path === '/api/v1') return json(apiResourceList('', 'v1'));
    if (segments[0] === 'apis' && segments.length === 2) {
      const g = apiGroup(segments[1]);
      if (!g)
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      return json(g);
    }
    if (segments[0] === 'apis' && segments.length === 3) {
      if (!servesGroupVersion(segments[1], segments[2]))
        throw new KubeError(
          404,
          'NotFound',
          'the server could not find the requested resource',
        );
      return json(apiResourceList(segments[1], segments[2]));
    }
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1') {
    group = '';
    version = 'v1';
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1];
    version = segments[2];
    rest = segments.slice(3);
  } else {
    throw new KubeError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }
  if (rest.length === 0)
    throw new KubeError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  const target = parseResourcePath(rest, group, version);
  if (target.type.virtual) return metricsRoute(cp, method, target, req.url);
  return resourceRoute(cp, req, method, target);
}

function resourceRoute(
  cp: ControlPlane,
  req: ApiRequest,
  method: string,
  target: ResourcePath,
): ApiResponse {
  const { type, namespace, name, subresource } = target;
  const url = req.url;
  const dryRun = url.searchParams.get('dryRun') === 'All';
  const fieldManager =
    url.searchParams.get('fieldManager') ?? defaultManager(req.userAgent);
  const ops = cp.ops;
  if (
    type.namespaced &&
    name === undefined &&
    namespace === undefined &&
    method !== 'GET'
  ) {
    throw new KubeError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource`,
    );
  }
  if (!name) {
    const listOptions = {
      labelSelector: url.searchParams.get('labelSelector') ?? undefined,
      fieldSelector: url.searchParams.get('fieldSelector') ?? undefined,
      limit: url.searchParams.has('limit')
        ? Number(url.searchParams.get('limit'))
        : undefined,
      continue: url.searchParams.get('continue') ?? undefined,
    };
    switch (method) {
      case 'GET':
        if (flag(url, 'watch'))
          throw new KubeError(
            405,
            'MethodNotAllowed',
            'watch is served by the server, not the router',
          );
        return json(ops.list(type, namespace, listOptions));
      case 'POST':
        return json(
          ops.create(type, namespace, decode(req.body), {
            dryRun,
            fieldManager,
          }),
          201,
        );
      case 'DELETE':
        return json(
          ops.deleteCollection(type, namespace, { ...listOptions, dryRun }),
        );
      default:
        throw new KubeError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }
  if (subresource === undefined) {
    switch (method) {
      case 'GET':
        return json(ops.get(type, namespace, name));
      case 'PUT':
        return json(
          ops.replace(type, namespace, name, decode(req.body), {
            dryRun,
            fieldManager,
          }),
        );
      case 'PATCH': {
        const existed = cp.store.get(type, namespace, name) !== undefined;
        const result = ops.patch(
          type,
          namespace,
          name,
          req.body,
          req.contentType,
          {
            dryRun,
            fieldManager:
              url.searchParams.get('fieldManager') ??
              (req.contentType.startsWith('application/apply-patch')
                ? undefined
                : fieldManager),
            force: flag(url, 'force'),
          },
        );
        return json(result, existed ? 200 : 201);
      }
      case 'DELETE': {
        let policy = url.searchParams.get('propagationPolicy') ?? undefined;
        if (!policy && req.body.trim())
          policy = decode(req.body)?.propagationPolicy;
        return json(
          ops.delete(type, namespace, name, {
            dryRun,
            propagationPolicy: policy,
          }),
        );
      }
      default:
        throw new KubeError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }
  if (subresource === 'status' && type.subresources?.includes('status')) {
    switch (method) {
      case 'GET':
        return json(ops.get(type, namespace, name));
      case 'PUT':
        return json(
          ops.replace(type, namespace, name, decode(req.body), {
            dryRun,
            fieldManager,
            subresource: 'status',
          }),
        );
      case 'PATCH':
        return json(
          ops.patch(type, namespace, name, req.body, req.contentType, {
            dryRun,
            fieldManager:
              url.searchParams.get('fieldManager') ??
              (req.contentType.startsWith('application/apply-patch')
                ? undefined
                : fieldManager),
            force: flag(url, 'force'),
            subresource: 'status',
          }),
        );
      default:
        throw new KubeError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }
  if (subresource === 'eviction' && type === T.pods && method === 'POST') {
    const result = cp.evict(namespace!, name, decode(req.body), { dryRun });
    return json(result.body, result.status);
  }
  if (subresource === 'log' && type === T.pods && method === 'GET')
    return podLog(cp, namespace!, name, url);
  if (
    subresource === 'proxy' &&
    type === T.nodes &&
    method === 'GET' &&
    target.rest.join('/') === 'stats/summary'
  ) {
    const node = ops.get(T.nodes, undefined, name);
    const sandbox = cp.sandboxNode(name);
    return json(
      statsSummary(
        node,
        cp.store.list(T.pods).filter(p => p.spec?.nodeName === name),
        (ns, claim) => cp.store.get(T.persistentvolumeclaims, ns, claim),
        uid => cp.planOf(uid),
        reservedOf(cp, sandbox),
        cp.behaviour,
        cp.now(),
      ),
    );
  }
  throw new KubeError(
    404,
    'NotFound',
    'the server could not find the requested resource',
  );
}

function reservedOf(cp: ControlPlane, sandbox: { name: string } | undefined) {
  const annotation = sandbox
    ? cp.store.get(T.nodes, undefined, sandbox.name)?.metadata?.annotations?.[
        'sandbox.codemie.ai/kube-system-reserved'
      ]
    : undefined;
  const cpu = /cpu=(\d+)m/.exec(annotation ?? '');
  const mem = /memory=(\d+)Mi/.exec(annotation ?? '');
  return {
    cpuMillis: cpu ? Number(cpu[1]) : 0,
    memoryMiB: mem ? Number(mem[1]) : 0,
  };
}

/** The field manager the API server derives from a user agent ("node-fetch/1.0 …" → "node-fetch"). */
function defaultManager(userAgent: string): string {
  const first = userAgent.split(' ')[0]?.split('/')[0];
  return first || 'unknown';
}

function podLog(
  cp: ControlPlane,
  namespace: string,
  name: string,
  url: URL,
): ApiResponse {
  const pod = cp.ops.get(T.pods, namespace, name);
  const containers: any[] = pod.spec?.containers ?? [];
  let container = url.searchParams.get('container') ?? undefined;
  if (!container) {
    if (containers.length !== 1) {
      throw badRequest(
        `a container name must be specified for pod ${name}, choose one of: [${containers.map(c => c.name).join(' ')}]`,
      );
    }
    container = containers[0].name;
  }
  const plan = cp.planOf(pod.metadata!.uid!);
  if (!plan)
    throw badRequest(
      `container "${container}" in pod "${name}" is waiting to start: ContainerCreating`,
    );
  const logs = containerLogs(
    pod,
    plan,
    container!,
    flag(url, 'previous'),
    cp.now(),
  );
  if ('error' in logs) throw badRequest(logs.error);
  let lines = logs.lines;
  const tail = url.searchParams.get('tailLines');
  if (tail !== null) lines = lines.slice(-Number(tail));
  return {
    status: 200,
    body: lines.length ? `${lines.join('\n')}\n` : '',
    contentType: 'text/plain',
  };
}

function metricsRoute(
  cp: ControlPlane,
  method: string,
  target: ResourcePath,
  url: URL,
): ApiResponse {
  if (method !== 'GET')
    throw new KubeError(
      405,
      'MethodNotAllowed',
      'the server does not allow this method on the requested resource',
    );
  const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
  const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
  const now = cp.now();
  if (target.type.kind === 'PodMetrics') {
    const pods = cp.store
      .list(T.pods, target.namespace)
      .filter(
        p =>
          matchesRequirements(p.metadata?.labels, labels) &&
          matchesFields(p, fields),
      );
    if (target.name) {
      const pod = pods.find(p => p.metadata?.name === target.name);
      const m = pod ? podMetrics(pod, cp.behaviour, now) : undefined;
      if (!m) throw notFound('pods', 'metrics.k8s.io', target.name);
      return json(m);
    }
    return json(podMetricsList(pods, cp.behaviour, now));
  }
  const nodes = cp.store
    .list(T.nodes)
    .filter(n => matchesRequirements(n.metadata?.labels, labels));
  const pods = cp.store.list(T.pods);
  const items = nodes.map(n =>
    nodeMetrics(
      n,
      pods.filter(p => p.spec?.nodeName === n.metadata?.name),
      reservedOf(cp, cp.sandboxNode(n.metadata!.name!)),
      cp.behaviour,
      now,
    ),
  );
  if (target.name) {
    const item = items.find(i => i.metadata?.name === target.name);
    if (!item) throw notFound('nodes', 'metrics.k8s.io', target.name);
    return json({
      kind: 'NodeMetrics',
      apiVersion: 'metrics.k8s.io/v1beta1',
      ...item,
    });
  }
  return json({
    kind: 'NodeMetricsList',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {},
    items,
  });
}
