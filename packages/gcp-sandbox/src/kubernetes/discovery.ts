/**
 * The resource types the emulated API server knows and the discovery documents it serves.
 * `KubernetesObjectApi` (client-node) reads `/api/v1` or `/apis/<group>/<version>` before every
 * generic call to learn a kind's plural and scope, so these lists must be exact.
 */

/** A resource type (one entry of an APIResourceList, plus what the store needs). */
export interface ResourceType {
  /** API group, '' for core. */
  group: string;
  version: string;
  kind: string;
  /** Plural resource name used in paths. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Subresources served, e.g. status, log, proxy. */
  subresources?: string[];
  /** True if writes to the main resource ignore `.status` (status is a subresource). */
  statusSubresource?: boolean;
  /** True if the API server maintains metadata.generation for this kind. */
  generation?: boolean;
  /** Read-only (metrics); only get and list are served. */
  readOnly?: boolean;
  /** Not stored: served by a computed handler (metrics.k8s.io). */
  virtual?: boolean;
}

/** Kinds of subresources that are not the resource itself. */
const SUBRESOURCE_KINDS: Record<string, string> = {
  log: 'Pod',
  proxy: 'NodeProxyOptions',
  eviction: 'Eviction',
};

/** Verbs of each subresource (the API server's discovery document). */
const SUBRESOURCE_VERBS: Record<string, string[]> = {
  status: ['get', 'patch', 'update'],
  eviction: ['create'],
};

const ALL_VERBS = [
  'create',
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'update',
  'watch',
];

function t(
  group: string,
  version: string,
  kind: string,
  plural: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced,
    ...extra,
  };
}

/** Every resource type the sandbox serves. */
export const RESOURCE_TYPES: ResourceType[] = [
  t('', 'v1', 'Namespace', 'namespaces', false, {
    shortNames: ['ns'],
    subresources: ['status', 'finalize'],
    statusSubresource: true,
  }),
  t('', 'v1', 'Pod', 'pods', true, {
    shortNames: ['po'],
    subresources: ['status', 'log', 'eviction'],
    statusSubresource: true,
  }),
  t('', 'v1', 'Service', 'services', true, {
    shortNames: ['svc'],
    subresources: ['status'],
    statusSubresource: true,
  }),
  t('', 'v1', 'Secret', 'secrets', true),
  t('', 'v1', 'ConfigMap', 'configmaps', true, { shortNames: ['cm'] }),
  t('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', true, {
    shortNames: ['pvc'],
    subresources: ['status'],
    statusSubresource: true,
  }),
  t('', 'v1', 'PersistentVolume', 'persistentvolumes', false, {
    shortNames: ['pv'],
    subresources: ['status'],
    statusSubresource: true,
  }),
  t('', 'v1', 'ServiceAccount', 'serviceaccounts', true, {
    shortNames: ['sa'],
  }),
  t('', 'v1', 'Event', 'events', true, { shortNames: ['ev'] }),
  t('', 'v1', 'Node', 'nodes', false, {
    shortNames: ['no'],
    subresources: ['status', 'proxy'],
    statusSubresource: true,
  }),
  t('apps', 'v1', 'Deployment', 'deployments', true, {
    shortNames: ['deploy'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('apps', 'v1', 'StatefulSet', 'statefulsets', true, {
    shortNames: ['sts'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('apps', 'v1', 'DaemonSet', 'daemonsets', true, {
    shortNames: ['ds'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('apps', 'v1', 'ReplicaSet', 'replicasets', true, {
    shortNames: ['rs'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('networking.k8s.io', 'v1', 'Ingress', 'ingresses', true, {
    shortNames: ['ing'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('networking.k8s.io', 'v1', 'IngressClass', 'ingressclasses', false),
  t('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', true, {
    shortNames: ['netpol'],
    generation: true,
  }),
  t('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', true, {
    shortNames: ['pdb'],
    subresources: ['status'],
    statusSubresource: true,
    generation: true,
  }),
  t('storage.k8s.io', 'v1', 'StorageClass', 'storageclasses', false, {
    shortNames: ['sc'],
  }),
  t('scheduling.k8s.io', 'v1', 'PriorityClass', 'priorityclasses', false, {
    shortNames: ['pc'],
  }),
  t('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', true),
  t('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', true),
  t('rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', false),
  t(
    'rbac.authorization.k8s.io',
    'v1',
    'ClusterRoleBinding',
    'clusterrolebindings',
    false,
  ),
  t(
    'autoscaling',
    'v2',
    'HorizontalPodAutoscaler',
    'horizontalpodautoscalers',
    true,
    { shortNames: ['hpa'], subresources: ['status'], statusSubresource: true },
  ),
  t('metrics.k8s.io', 'v1beta1', 'PodMetrics', 'pods', true, {
    readOnly: true,
    virtual: true,
  }),
  t('metrics.k8s.io', 'v1beta1', 'NodeMetrics', 'nodes', false, {
    readOnly: true,
    virtual: true,
  }),
];

/** `apps/v1` or `v1`. */
export function apiVersionOf(
  type: Pick<ResourceType, 'group' | 'version'>,
): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** Finds a type by group, version and plural (as in a request path). */
export function typeByPath(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return RESOURCE_TYPES.find(
    r => r.group === group && r.version === version && r.plural === plural,
  );
}

/** Finds a type by kind, and by apiVersion when given (e.g. for `objects('Pod')`). */
export function typeByKind(
  kind: string,
  apiVersion?: string,
): ResourceType | undefined {
  return (
    RESOURCE_TYPES.find(
      r =>
        r.kind === kind &&
        (apiVersion === undefined || apiVersionOf(r) === apiVersion) &&
        !r.virtual,
    ) ??
    RESOURCE_TYPES.find(
      r =>
        r.kind === kind &&
        (apiVersion === undefined || apiVersionOf(r) === apiVersion),
    )
  );
}

/** The (group, version) pairs served, in a stable order. */
function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCE_TYPES)
    seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

/** True if the group/version exists. */
export function servesGroupVersion(group: string, version: string): boolean {
  return RESOURCE_TYPES.some(r => r.group === group && r.version === version);
}

/** `GET /api`: APIVersions. */
export function coreApiVersions(endpoint: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [
      { clientCIDR: '0.0.0.0/0', serverAddress: endpoint },
    ],
  };
}

/** `GET /apis`: APIGroupList. */
export function apiGroupList() {
  const groups = new Map<string, string[]>();
  for (const { group, version } of groupVersions()) {
    if (!group) continue;
    groups.set(group, [...(groups.get(group) ?? []), version]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups.entries()].map(([name, versions]) => ({
      name,
      versions: versions.map(v => ({
        groupVersion: `${name}/${v}`,
        version: v,
      })),
      preferredVersion: {
        groupVersion: `${name}/${versions[0]}`,
        version: versions[0],
      },
    })),
  };
}

/** `GET /apis/<group>`: APIGroup. */
export function apiGroup(group: string) {
  const versions = groupVersions()
    .filter(gv => gv.group === group)
    .map(gv => gv.version);
  if (versions.length === 0) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map(v => ({
      groupVersion: `${group}/${v}`,
      version: v,
    })),
    preferredVersion: {
      groupVersion: `${group}/${versions[0]}`,
      version: versions[0],
    },
  };
}

/** `GET /api/v1` or `/apis/<group>/<version>`: APIResourceList, subresources included. */
export function apiResourceList(group: string, version: string) {
  const types = RESOURCE_TYPES.filter(
    r => r.group === group && r.version === version,
  );
  const resources: object[] = [];
  for (const r of types) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.readOnly ? ['get', 'list'] : ALL_VERBS,
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
    });
    for (const sub of r.subresources ?? []) {
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        kind: SUBRESOURCE_KINDS[sub] ?? r.kind,
        ...(sub === 'eviction' ? { group: 'policy', version: 'v1' } : {}),
        verbs: SUBRESOURCE_VERBS[sub] ?? ['get'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** `GET /version`: a GKE-like version. */
export function versionInfo() {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.5-gke.1201000',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-10-01T00:00:00Z',
    goVersion: 'go1.24.6',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
