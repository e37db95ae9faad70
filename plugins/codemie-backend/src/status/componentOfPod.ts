import {
  COMPONENT_CATALOG,
  ComponentId,
  catalogRow,
} from '@codemie-gcp/plugin-codemie-common';

/** Label the deploy action puts on every object: the component id of the sizing catalog. */
export const COMPONENT_LABEL = 'app.kubernetes.io/component';

const KNOWN_IDS = new Set<string>(
  COMPONENT_CATALOG.flatMap(r => [
    r.id,
    ...(r.companion ? [r.companion.id] : []),
  ]),
);

/*
 * Names the upstream charts give their pods (`app.kubernetes.io/name`, `app`, release), for
 * workloads installed by hand or by an older deploy that did not set the component label.
 * Charts use `app.kubernetes.io/component` for their own roles ("master", "primary"), so an
 * unknown component value falls through to these.
 */
const ALIASES: Record<string, ComponentId> = {
  codemie: 'codemie-api',
  'codemie-api': 'codemie-api',
  'codemie-ui': 'codemie-ui',
  elasticsearch: 'elasticsearch',
  'elasticsearch-master': 'elasticsearch',
  elastic: 'elasticsearch',
  kibana: 'kibana',
  'mermaid-server': 'mermaid-server',
  keycloak: 'keycloak',
  keycloakx: 'keycloak',
  'keycloak-postgresql': 'keycloak-db',
  'oauth2-proxy': 'oauth2-proxy',
  nats: 'nats',
  'codemie-nats': 'nats',
  'codemie-nats-auth-callout': 'nats-auth-callout',
  'nats-auth-callout': 'nats-auth-callout',
  'codemie-mcp-connect-service': 'mcp-connect',
  'mcp-connect': 'mcp-connect',
  'fluent-bit': 'fluent-bit',
  litellm: 'llm-proxy',
  'llm-proxy': 'llm-proxy',
};

/**
 * The component a pod (or workload) belongs to, from its labels: the `app.kubernetes.io/component`
 * label when it names a catalog component, else the chart's own name labels. Undefined for
 * objects that are not part of CodeMie.
 *
 * @internal
 */
export function componentOfLabels(
  labels: Record<string, string> | undefined,
): ComponentId | undefined {
  if (!labels) return undefined;
  const component = labels[COMPONENT_LABEL];
  if (component && KNOWN_IDS.has(component)) return component as ComponentId;
  for (const key of [
    'app.kubernetes.io/name',
    'app',
    'app.kubernetes.io/instance',
    'release',
  ]) {
    const value = labels[key];
    if (value && ALIASES[value]) return ALIASES[value];
  }
  return undefined;
}

/**
 * The status row a component is reported under: companions (Keycloak's database, the NATS auth
 * callout) belong to their seed row, as in the seed's table ("Keycloak + DB").
 *
 * @internal
 */
export function rowOf(id: ComponentId): ComponentId {
  return catalogRow(id).id;
}

/** The catalog's display name of a component id (a companion's own name). @internal */
export function displayNameOf(id: ComponentId): string {
  const row = catalogRow(id);
  return row.id === id ? row.displayName : row.companion!.displayName;
}
