/**
 * Renders a CodeMie environment: typed Kubernetes objects for every component of
 * the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11), sized by the tier. Pure: same settings, same objects.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  formatCpuQuantity,
  formatMemoryQuantity,
} from '@codemie-gcp/plugin-codemie-common';
import { renderCodemieApi } from './codemieApi';
import { renderCodemieUi } from './codemieUi';
import { renderElasticsearch } from './elasticsearch';
import { renderFluentBit } from './fluentBit';
import { renderIngressNginx } from './ingressNginx';
import { renderKeycloak } from './keycloak';
import { renderKibana } from './kibana';
import { renderLlmProxy } from './llmProxy';
import { renderMcpConnect } from './mcpConnect';
import { renderMermaid } from './mermaid';
import { renderNats } from './nats';
import { renderOauth2Proxy } from './oauth2Proxy';
import { renderPlatform } from './platform';
import type {
  DeployComponentId,
  DeploySettings,
  RenderedComponent,
} from './types';

/**
 * Every component's objects: `platform` first, then the components in the seed's order.
 * Optional components (NATS, the LLM proxy) follow the sizing inputs.
 *
 * @public
 */
export function renderEnvironment(
  settings: DeploySettings,
): RenderedComponent[] {
  return [
    renderPlatform(settings),
    renderIngressNginx(settings),
    renderCodemieApi(settings),
    renderCodemieUi(settings),
    renderElasticsearch(settings),
    renderKibana(settings),
    renderMermaid(settings),
    ...renderKeycloak(settings),
    renderOauth2Proxy(settings),
    ...renderNats(settings),
    renderMcpConnect(settings),
    renderFluentBit(settings),
    ...renderLlmProxy(settings),
  ];
}

/** One component in the dry-run summary. @internal */
export interface ComponentSummary {
  id: DeployComponentId;
  displayName: string;
  /** Objects rendered. */
  objects: number;
  /** Objects per kind, e.g. `{ Deployment: 1, Service: 1 }`. */
  kinds: Record<string, number>;
  /** Pods (DaemonSets: one per node, counted as 1 with `perNode`). */
  pods: number;
  perNode: boolean;
  /** Requests of all its pods (DaemonSets: of one node's pod). */
  requests: { cpuMillis: number; memoryMiB: number };
  /** Persistent volumes, all pods together, GiB. */
  storageGiB: number;
}

/** What `codemie:deploy` would apply. @internal */
export interface DeploySummary {
  components: ComponentSummary[];
  objects: number;
  /** Requests of every pod that is not a DaemonSet's. */
  totalRequests: {
    cpuMillis: number;
    memoryMiB: number;
    cpu: string;
    memory: string;
  };
  /** Requests of the DaemonSets' pods on each node. */
  perNodeRequests: {
    cpuMillis: number;
    memoryMiB: number;
    cpu: string;
    memory: string;
  };
  storageGiB: number;
  ingressHosts: string[];
}

/** Summarises rendered components (objects per component, total requests). @internal */
export function summarizeRender(
  components: RenderedComponent[],
): DeploySummary {
  const summaries = components.map((c): ComponentSummary => {
    const kinds: Record<string, number> = {};
    for (const o of c.objects) kinds[o.kind!] = (kinds[o.kind!] ?? 0) + 1;
    const perNode = c.workloads.some(w => w.kind === 'DaemonSet');
    const pods = c.workloads.reduce(
      (n, w) => n + (w.kind === 'DaemonSet' ? 1 : w.replicas),
      0,
    );
    const podsOf = (w: RenderedComponent['workloads'][number]) =>
      w.kind === 'DaemonSet' ? 1 : w.replicas;
    return {
      id: c.componentId,
      displayName: c.displayName,
      objects: c.objects.length,
      kinds,
      pods,
      perNode,
      requests: {
        cpuMillis: c.workloads.reduce(
          (n, w) => n + podsOf(w) * w.requests.cpuMillis,
          0,
        ),
        memoryMiB: c.workloads.reduce(
          (n, w) => n + podsOf(w) * w.requests.memoryMiB,
          0,
        ),
      },
      storageGiB: c.workloads.reduce(
        (n, w) => n + w.replicas * w.storageGiBPerPod,
        0,
      ),
    };
  });
  const sum = (list: ComponentSummary[]) => {
    const cpuMillis = list.reduce((n, c) => n + c.requests.cpuMillis, 0);
    const memoryMiB = list.reduce((n, c) => n + c.requests.memoryMiB, 0);
    return {
      cpuMillis,
      memoryMiB,
      cpu: formatCpuQuantity(cpuMillis),
      memory: formatMemoryQuantity(memoryMiB),
    };
  };
  return {
    components: summaries,
    objects: summaries.reduce((n, c) => n + c.objects, 0),
    totalRequests: sum(summaries.filter(c => !c.perNode)),
    perNodeRequests: sum(summaries.filter(c => c.perNode)),
    storageGiB: summaries.reduce((n, c) => n + c.storageGiB, 0),
    ingressHosts: ingressHostsOf(components),
  };
}

/** The hosts of the rendered Ingresses, sorted. @internal */
export function ingressHostsOf(components: RenderedComponent[]): string[] {
  const hosts = new Set<string>();
  for (const o of components.flatMap(c => c.objects)) {
    if (o.kind !== 'Ingress') continue;
    for (const rule of (o as any).spec?.rules ?? [])
      if (rule.host) hosts.add(rule.host);
  }
  return [...hosts].sort();
}

/** Every object of the rendered components. @public */
export function allObjects(
  components: RenderedComponent[],
): KubernetesObject[] {
  return components.flatMap(c => c.objects);
}
