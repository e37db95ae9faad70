/**
 * Credentials `codemie:deploy` generates (Elasticsearch, Keycloak, Kibana, OAuth2 Proxy, NATS,
 * LiteLLM). Each is generated once with crypto.randomBytes and then read back from the cluster
 * on every later run, so re-running the action never rotates a password (and changes nothing).
 * Values never leave this module except into the rendered Secrets.
 */
import crypto from 'node:crypto';
import type { CoreV1Api, V1Secret } from '@kubernetes/client-node';
import { natsAccountKey, selfSignedCertificate } from './keyMaterial';
import type { DeploySecretValues } from './render';

/** The generated part of {@link DeploySecretValues}. @public */
export type GeneratedCredentials = Omit<
  DeploySecretValues,
  | 'codemieDbPassword'
  | 'litellmDbPassword'
  | 'dockerConfigJson'
  | 'keycloakDbPassword'
> & { keycloakDbPassword?: string };

/** Where each generated value lives in the cluster (namespace, Secret, key). */
const STORED_AT: Record<keyof GeneratedCredentials, [string, string, string]> =
  {
    elasticPassword: [
      'elastic',
      'elasticsearch-master-credentials',
      'password',
    ],
    elasticTransportCert: ['elastic', 'elasticsearch-master-certs', 'tls.crt'],
    elasticTransportKey: ['elastic', 'elasticsearch-master-certs', 'tls.key'],
    keycloakAdminPassword: ['security', 'keycloak-admin', 'password'],
    keycloakDbPassword: ['security', 'keycloak-postgresql', 'password'],
    kibanaEncryptionKey: [
      'elastic',
      'kibana-encryption-keys',
      'encryptedSavedObjects',
    ],
    kibanaReportingKey: ['elastic', 'kibana-encryption-keys', 'reporting'],
    kibanaSecurityKey: ['elastic', 'kibana-encryption-keys', 'security'],
    oauth2CookieSecret: ['oauth2-proxy', 'oauth2-proxy', 'cookie-secret'],
    oauth2ClientSecret: ['oauth2-proxy', 'oauth2-proxy', 'client-secret'],
    natsCalloutPassword: [
      'codemie',
      'codemie-nats-secrets',
      'callout-password',
    ],
    natsIssuerSeed: ['codemie', 'codemie-nats-secrets', 'issuer-seed'],
    natsIssuerPublicKey: [
      'codemie',
      'codemie-nats-secrets',
      'issuer-public-key',
    ],
    litellmMasterKey: ['litellm', 'litellm', 'master-key'],
  };

const password = () => crypto.randomBytes(24).toString('base64url');
const hex = (bytes: number) => crypto.randomBytes(bytes).toString('hex');

/**
 * Fresh values for every generated credential.
 *
 * @public
 */
export function generateCredentials(options: {
  keycloakDbInCluster: boolean;
}): GeneratedCredentials {
  const cert = selfSignedCertificate('elasticsearch-master', [
    'elasticsearch-master',
    'elasticsearch-master-headless',
    '*.elasticsearch-master-headless',
    '*.elasticsearch-master-headless.elastic.svc.cluster.local',
  ]);
  const nats = natsAccountKey();
  return {
    elasticPassword: password(),
    elasticTransportCert: cert.certificatePem,
    elasticTransportKey: cert.privateKeyPem,
    keycloakAdminPassword: password(),
    ...(options.keycloakDbInCluster ? { keycloakDbPassword: password() } : {}),
    // Kibana asks for 32+ characters.
    kibanaEncryptionKey: hex(32),
    kibanaReportingKey: hex(32),
    kibanaSecurityKey: hex(32),
    // OAuth2 Proxy wants 16, 24 or 32 bytes: 32 hex characters.
    oauth2CookieSecret: hex(16),
    oauth2ClientSecret: password(),
    natsCalloutPassword: password(),
    natsIssuerSeed: nats.seed,
    natsIssuerPublicKey: nats.publicKey,
    litellmMasterKey: `sk-${hex(24)}`,
  };
}

function statusCode(e: unknown): number | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * The environment's generated credentials: those already in the cluster, read back, and fresh
 * values for the others. Groups that belong together (a certificate and its key, an nkey's
 * seed and public key) are only reused whole.
 *
 * @returns the values and how many were generated now (for the log; never the values).
 */
export async function loadOrGenerateCredentials(
  core: CoreV1Api,
  options: { keycloakDbInCluster: boolean },
): Promise<{ credentials: GeneratedCredentials; generated: number }> {
  const fresh = generateCredentials(options);
  const secrets = new Map<string, V1Secret | undefined>();
  const keys = (
    Object.keys(STORED_AT) as Array<keyof GeneratedCredentials>
  ).filter(k => k !== 'keycloakDbPassword' || options.keycloakDbInCluster);
  await Promise.all(
    [...new Set(keys.map(k => `${STORED_AT[k][0]}/${STORED_AT[k][1]}`))].map(
      async ref => {
        const [namespace, name] = ref.split('/');
        try {
          secrets.set(
            ref,
            await core.readNamespacedSecret({ name, namespace }),
          );
        } catch (e) {
          // Absent (or its namespace is): generate. Anything else must not silently rotate.
          if (statusCode(e) !== 404) {
            throw new Error(
              `Could not read Secret ${ref} to keep its generated credentials: HTTP ${statusCode(e) ?? '?'}`,
            );
          }
          secrets.set(ref, undefined);
        }
      },
    ),
  );
  const stored = (k: keyof GeneratedCredentials): string | undefined => {
    const [ns, name, key] = STORED_AT[k];
    const data = secrets.get(`${ns}/${name}`)?.data?.[key];
    return data ? Buffer.from(data, 'base64').toString('utf8') : undefined;
  };
  const groups: Array<Array<keyof GeneratedCredentials>> = [
    ['elasticTransportCert', 'elasticTransportKey'],
    ['natsIssuerSeed', 'natsIssuerPublicKey'],
  ];
  const out: Record<string, string> = {};
  let generated = 0;
  for (const k of keys) {
    const group = groups.find(g => g.includes(k)) ?? [k];
    const whole = group.every(g => stored(g) !== undefined);
    const value = whole ? stored(k) : undefined;
    if (value === undefined) generated += 1;
    out[k] = value ?? (fresh[k] as string);
  }
  return { credentials: out as unknown as GeneratedCredentials, generated };
}
