/**
 * Validation of `codemie:deploy`'s input. The scaffolder does not apply the zod schema at run
 * time, so every rule is checked here; all problems are reported at once, each naming its
 * field, before anything is read or applied.
 */
import { InputError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DeploymentOption,
  SizingInputError,
  SizingInputs,
  validateSizingInputs,
} from '@codemie-gcp/plugin-codemie-common';
import { parseClusterName } from '../kubernetes/ClusterConnector';
import { IMAGE_KEYS, ImageKey, ImageOverrides } from './render';

/** Default name of the registry pull secret (codemie-facts.md). @public */
export const DEFAULT_PULL_SECRET_NAME = 'gcp-artifact-registry';
/** Default rollout timeout. @public */
export const DEFAULT_TIMEOUT_SECONDS = 1200;

/** `codemie:deploy`'s input, validated and with defaults filled. @public */
export interface DeployInput {
  environment: string;
  kubernetesId: string;
  cluster: string;
  projectId: string;
  region: string;
  domain: string;
  option: DeploymentOption;
  allowedNetworks: string[];
  /** The reserved address the ingress load balancer takes (provisioning's `ingressAddress`). */
  ingressAddress?: string;
  sizing: Required<SizingInputs>;
  googleServiceAccount: string;
  database: {
    host: string;
    connectionName: string;
    secrets: { codemie: string; keycloak?: string; litellm?: string };
  };
  images: ImageOverrides;
  imagePullSecret?: { name: string; secret: string };
  apiEnv: Record<string, string>;
  timeoutSeconds: number;
  writeManifests: boolean;
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DOMAIN_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const GSA =
  /^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9]\.iam\.gserviceaccount\.com$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const CONNECTION_NAME =
  /^[a-z][-a-z0-9]{4,28}[a-z0-9]:[a-z]+-[a-z]+\d+:[a-z][-a-z0-9]*$/;
const SECRET_REF =
  /^(projects\/[^/]+\/secrets\/)?[A-Za-z0-9_-]{1,255}(\/versions\/(latest|\d+))?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const KNOWN = new Set([
  'environment',
  'kubernetesId',
  'entityRef',
  'cluster',
  'domain',
  'option',
  'allowedNetworks',
  'allowPublicInternet',
  'ingressAddress',
  'sizing',
  'googleServiceAccount',
  'database',
  'images',
  'imagePullSecret',
  'apiEnv',
  'timeoutSeconds',
  'writeManifests',
]);

function cidrProblem(cidr: string): string | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!m || !IPV4.test(m[1]) || Number(m[2]) > 32)
    return `'${cidr}' is not an IPv4 CIDR such as 203.0.113.0/24`;
  const bits = m[1].split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const prefix = Number(m[2]);
  const hostMask = prefix === 0 ? 0xffffffff : 2 ** (32 - prefix) - 1;
  if (bits % (hostMask + 1) !== 0) return `'${cidr}' has host bits set`;
  return undefined;
}

/**
 * Validates the raw input.
 *
 * @throws InputError listing every problem as `field: message`.
 */
export function parseDeployInput(raw: unknown): DeployInput {
  const issues: Array<{ field: string; message: string }> = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InputError(
      'Invalid codemie:deploy input: (input): must be an object',
    );
  }
  const input = raw as Record<string, any>;
  const str = (
    field: string,
    value: unknown,
    required = true,
  ): string | undefined => {
    if (value === undefined || value === null || value === '') {
      if (required) add(field, 'is required');
      return undefined;
    }
    if (typeof value !== 'string') {
      add(field, `must be a string, got ${typeof value}`);
      return undefined;
    }
    return value;
  };

  const environment = str('environment', input.environment);
  if (environment && (!NAME.test(environment) || environment.length > 40)) {
    add(
      'environment',
      `'${environment}' must be a lower-case DNS label of at most 40 characters`,
    );
  }
  let kubernetesId = str('kubernetesId', input.kubernetesId, false);
  const entityRef = str('entityRef', input.entityRef, false);
  if (!kubernetesId && entityRef) {
    try {
      kubernetesId = parseEntityRef(entityRef, {
        defaultKind: 'resource',
        defaultNamespace: 'default',
      }).name;
    } catch (e) {
      add('entityRef', (e as Error).message);
    }
  }
  kubernetesId ??= environment;
  if (
    kubernetesId &&
    (!LABEL_VALUE.test(kubernetesId) || kubernetesId.length > 63)
  ) {
    add(
      input.kubernetesId ? 'kubernetesId' : 'entityRef',
      `'${kubernetesId}' is not a valid Kubernetes label value (63 characters: letters, digits, '-', '_', '.')`,
    );
  }

  const cluster = str('cluster', input.cluster);
  let projectId = '';
  let region = '';
  if (cluster) {
    try {
      const parsed = parseClusterName(cluster);
      projectId = parsed.projectId;
      region = parsed.location.replace(/-[a-z]$/, '');
    } catch (e) {
      add('cluster', (e as Error).message);
    }
  }

  const domain = str('domain', input.domain)?.toLowerCase();
  if (domain) {
    const labels = domain.split('.');
    if (
      labels.length < 2 ||
      domain.length > 240 ||
      !labels.every(l => DOMAIN_LABEL.test(l))
    ) {
      add(
        'domain',
        `'${domain}' is not a DNS domain such as codemie.example.com`,
      );
    }
  }

  const option = str('option', input.option);
  if (option && option !== 'public' && option !== 'private')
    add('option', `'${option}' must be 'public' or 'private'`);
  const allowPublicInternet = input.allowPublicInternet ?? false;
  if (typeof allowPublicInternet !== 'boolean')
    add('allowPublicInternet', 'must be a boolean');
  let allowedNetworks: string[] = [];
  if (input.allowedNetworks !== undefined) {
    if (
      !Array.isArray(input.allowedNetworks) ||
      input.allowedNetworks.some((c: unknown) => typeof c !== 'string')
    ) {
      add('allowedNetworks', 'must be a list of CIDRs');
    } else {
      allowedNetworks = input.allowedNetworks;
    }
  }
  if (option === 'public') {
    if (allowedNetworks.length === 0) {
      add(
        'allowedNetworks',
        'the public option needs at least one allowed network (CIDR) for the load balancer',
      );
    }
    allowedNetworks.forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem) add(`allowedNetworks[${i}]`, problem);
      else if (cidr.endsWith('/0') && allowPublicInternet !== true) {
        add(
          `allowedNetworks[${i}]`,
          `'${cidr}' opens CodeMie to the whole internet; set allowPublicInternet: true if that is really intended`,
        );
      }
    });
  }

  const ingressAddress = input.ingressAddress;
  if (
    ingressAddress !== undefined &&
    ingressAddress !== '' &&
    (typeof ingressAddress !== 'string' || !IPV4.test(ingressAddress))
  ) {
    add('ingressAddress', `'${String(ingressAddress)}' is not an IPv4 address`);
  }

  let sizing: Required<SizingInputs> | undefined;
  if (
    typeof input.sizing !== 'object' ||
    input.sizing === null ||
    Array.isArray(input.sizing)
  ) {
    add(
      'sizing',
      'must be an object with concurrentUsers, vectorDatasourceGiB, logRetentionDays and llmProxyType',
    );
  } else {
    try {
      sizing = validateSizingInputs(input.sizing);
    } catch (e) {
      if (!(e instanceof SizingInputError)) throw e;
      add(`sizing.${e.field}`, e.message.replace(`${e.field}: `, ''));
    }
  }

  const googleServiceAccount = str(
    'googleServiceAccount',
    input.googleServiceAccount,
  );
  if (googleServiceAccount && !GSA.test(googleServiceAccount)) {
    add(
      'googleServiceAccount',
      `'${googleServiceAccount}' is not a Google service account email (<id>@<project>.iam.gserviceaccount.com)`,
    );
  }

  const db = input.database;
  let database: DeployInput['database'] | undefined;
  if (typeof db !== 'object' || db === null) {
    add('database', 'must be an object with host, connectionName and secrets');
  } else {
    const host = str('database.host', db.host);
    if (host && !IPV4.test(host))
      add(
        'database.host',
        `'${host}' must be the Cloud SQL instance's private IPv4 address`,
      );
    const connectionName = str('database.connectionName', db.connectionName);
    if (connectionName && !CONNECTION_NAME.test(connectionName)) {
      add(
        'database.connectionName',
        `'${connectionName}' must be <project>:<region>:<instance>`,
      );
    }
    const secrets = db.secrets ?? {};
    const refs: Record<string, string | undefined> = {};
    for (const [k, required] of [
      ['codemie', true],
      ['keycloak', false],
      ['litellm', false],
    ] as const) {
      const ref = str(`database.secrets.${k}`, secrets[k], required);
      if (ref && !SECRET_REF.test(ref)) {
        add(
          `database.secrets.${k}`,
          `'${ref}' must be a Secret Manager secret id or projects/<p>/secrets/<id>[/versions/<v>]`,
        );
      }
      refs[k] = ref;
    }
    for (const k of Object.keys(secrets)) {
      if (!['codemie', 'keycloak', 'litellm'].includes(k))
        add(`database.secrets.${k}`, 'is not a known database');
    }
    if (host && connectionName && refs.codemie) {
      database = {
        host,
        connectionName,
        secrets: {
          codemie: refs.codemie,
          ...(refs.keycloak ? { keycloak: refs.keycloak } : {}),
          ...(refs.litellm ? { litellm: refs.litellm } : {}),
        },
      };
    }
  }

  const images: ImageOverrides = {};
  if (input.images !== undefined) {
    if (typeof input.images !== 'object' || input.images === null) {
      add('images', 'must be an object');
    } else {
      const overrides: Partial<Record<ImageKey, string>> = {};
      for (const [k, v] of Object.entries(input.images)) {
        if (typeof v !== 'string' || !v || /\s/.test(v)) {
          add(`images.${k}`, 'must be a non-empty string without spaces');
        } else if (k === 'registry') images.registry = v;
        else if (k === 'version') images.version = v;
        else if ((IMAGE_KEYS as readonly string[]).includes(k))
          overrides[k as ImageKey] = v;
        else
          add(
            `images.${k}`,
            `is not an image key; use registry, version or one of ${IMAGE_KEYS.join(', ')}`,
          );
      }
      if (Object.keys(overrides).length) images.overrides = overrides;
    }
  }

  let imagePullSecret: DeployInput['imagePullSecret'];
  if (input.imagePullSecret !== undefined) {
    const p = input.imagePullSecret;
    const secretKey = str('imagePullSecret.secret', p?.secret);
    const name =
      str('imagePullSecret.name', p?.name, false) ?? DEFAULT_PULL_SECRET_NAME;
    if (!NAME.test(name))
      add('imagePullSecret.name', `'${name}' is not a valid Secret name`);
    if (secretKey) imagePullSecret = { name, secret: secretKey };
  }

  const apiEnv: Record<string, string> = {};
  if (input.apiEnv !== undefined) {
    if (typeof input.apiEnv !== 'object' || input.apiEnv === null)
      add('apiEnv', 'must be an object of strings');
    else {
      for (const [k, v] of Object.entries(input.apiEnv)) {
        if (!ENV_NAME.test(k))
          add(`apiEnv.${k}`, 'is not an environment variable name');
        else if (typeof v !== 'string') add(`apiEnv.${k}`, 'must be a string');
        else apiEnv[k] = v;
      }
    }
  }

  const timeoutSeconds = input.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  if (
    typeof timeoutSeconds !== 'number' ||
    !(timeoutSeconds > 0) ||
    timeoutSeconds > 7200
  ) {
    add(
      'timeoutSeconds',
      `must be a number of seconds between 0 and 7200, got ${String(timeoutSeconds)}`,
    );
  }
  const writeManifests = input.writeManifests ?? false;
  if (typeof writeManifests !== 'boolean')
    add('writeManifests', 'must be a boolean');

  for (const k of Object.keys(input))
    if (!KNOWN.has(k)) add(k, 'is not a known input');

  if (issues.length > 0) {
    throw new InputError(
      `Invalid codemie:deploy input: ${issues.map(i => `${i.field}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    environment: environment!,
    kubernetesId: kubernetesId!,
    cluster: cluster!,
    projectId,
    region,
    domain: domain!,
    option: option as DeploymentOption,
    allowedNetworks: option === 'public' ? allowedNetworks : [],
    ...(typeof ingressAddress === 'string' && ingressAddress
      ? { ingressAddress }
      : {}),
    sizing: sizing!,
    googleServiceAccount: googleServiceAccount!,
    database: database!,
    images,
    ...(imagePullSecret ? { imagePullSecret } : {}),
    apiEnv,
    timeoutSeconds,
    writeManifests,
  };
}
