/**
 * Container images of a CodeMie environment and their documented defaults.
 *
 * CodeMie's own images live in EPAM's Artifact Registry
 * (`europe-west3-docker.pkg.dev/<epam project>/prod/<image>:<version>`, the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11)) and
 * need an EPAM-issued pull key. The EPAM project id is not public, so the default registry is a
 * placeholder: set `images.registry` to the path EPAM gives you with the key.
 */

/**
 * Every image a rendered environment uses, by key.
 *
 * @public
 */
export const IMAGE_KEYS = [
  'codemie-api',
  'codemie-ui',
  'mcp-connect',
  'mermaid-server',
  'nats-auth-callout',
  'elasticsearch',
  'kibana',
  'keycloak',
  'keycloak-db',
  'oauth2-proxy',
  'nats',
  'fluent-bit',
  'llm-proxy',
  'ingress-nginx',
] as const;

/**
 * The name of one image the deploy renders (a key of {@link IMAGE_KEYS}).
 *
 * @public
 */
export type ImageKey = (typeof IMAGE_KEYS)[number];

/**
 * Placeholder for EPAM's registry path (the project id is not public): images pulled from it
 * fail with ImagePullBackOff naming the image until `images.registry` is set.
 *
 * @internal
 */
export const CODEMIE_DEFAULT_REGISTRY =
  'europe-west3-docker.pkg.dev/epam-project/prod';

/**
 * Default tag of CodeMie's own images. No public source gives a release number; pin the
 * version EPAM ships with `images.version`.
 *
 * @internal
 */
export const CODEMIE_DEFAULT_VERSION = 'latest';

/** Image names inside EPAM's registry (the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11)). */
const CODEMIE_IMAGE_NAMES: Partial<Record<ImageKey, string>> = {
  'codemie-api': 'codemie',
  'codemie-ui': 'codemie-ui',
  'mcp-connect': 'codemie-mcp-connect-service',
  'mermaid-server': 'mermaid-server',
  'nats-auth-callout': 'codemie-nats-auth-callout',
};

/**
 * Public images, pinned. Versions follow the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11) where it names one (Elasticsearch
 * and Kibana 8.19.x, NATS chart 1.2.6 → server 2.10.x, ingress-nginx); the rest are current
 * releases of the upstream projects.
 *
 * @internal
 */
export const PUBLIC_IMAGE_DEFAULTS: Readonly<Record<string, string>> = {
  elasticsearch: 'docker.elastic.co/elasticsearch/elasticsearch:8.19.0',
  kibana: 'docker.elastic.co/kibana/kibana:8.19.0',
  keycloak: 'quay.io/keycloak/keycloak:26.3.2',
  'keycloak-db': 'docker.io/library/postgres:16.9',
  'oauth2-proxy': 'quay.io/oauth2-proxy/oauth2-proxy:v7.9.0',
  nats: 'docker.io/library/nats:2.10.22-alpine',
  'fluent-bit': 'cr.fluentbit.io/fluent/fluent-bit:3.2.10',
  // A released tag, not the rolling `main-stable` (which moves to every new stable release,
  // https://github.com/BerriAI/litellm/releases/tag/v1.99.1): a re-deploy must not upgrade.
  // https://github.com/BerriAI/litellm/releases/tag/v1.110.4 (litellm-database has the same tags).
  'llm-proxy': 'ghcr.io/berriai/litellm-database:v1.110.4',
  'ingress-nginx': 'registry.k8s.io/ingress-nginx/controller:v1.13.0',
};

/** Image overrides as the action takes them. @public */
export interface ImageOverrides {
  /** EPAM registry path for CodeMie's own images. */
  registry?: string;
  /** Tag of CodeMie's own images. */
  version?: string;
  /** Full image reference per key; wins over registry/version. */
  overrides?: Partial<Record<ImageKey, string>>;
}

/**
 * Resolves every image: an explicit override, else CodeMie's images from `registry:version`,
 * else the pinned public default.
 *
 * @public
 */
export function resolveImages(
  options: ImageOverrides = {},
): Record<ImageKey, string> {
  const registry = (options.registry ?? CODEMIE_DEFAULT_REGISTRY).replace(
    /\/+$/,
    '',
  );
  const version = options.version ?? CODEMIE_DEFAULT_VERSION;
  const out = {} as Record<ImageKey, string>;
  for (const key of IMAGE_KEYS) {
    const override = options.overrides?.[key];
    const own = CODEMIE_IMAGE_NAMES[key];
    out[key] =
      override ??
      (own ? `${registry}/${own}:${version}` : PUBLIC_IMAGE_DEFAULTS[key]);
  }
  return out;
}

/** True for the images pulled from EPAM's registry (they need the pull secret). @internal */
export function isCodemieImage(key: ImageKey): boolean {
  return CODEMIE_IMAGE_NAMES[key] !== undefined;
}
