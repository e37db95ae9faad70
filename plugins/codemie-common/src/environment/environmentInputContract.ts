/**
 * The one input contract of a CodeMie environment: field types, enums, patterns and bounds as a
 * zod schema. The scaffolder actions publish it as their input schema (the scaffolder turns it
 * into JSON Schema and checks raw inputs against it), and `validateEnvironmentInput` parses with
 * it before the checks that span fields. Every bound carries its reason.
 */
import type { z as zod } from 'zod/v3';
import { LLM_PROXY_TYPES } from '../sizing';
import { pricedRegions } from '../cost';

/** The zod v3 API, as the scaffolder hands it to action schemas. @public */
export type ZodV3 = typeof zod;

/**
 * Bounds of the environment inputs, each with its reason and source.
 *
 * @public
 */
export const ENVIRONMENT_INPUT_LIMITS = {
  /**
   * Derived names must fit Google's limits: the service account id `<name>-codemie` must be at
   * most 30 characters (https://cloud.google.com/iam/docs/service-accounts-create#creating).
   */
  nameMaxLength: 20,
  /**
   * One environment serves up to 20,000 concurrent users. The seed sizes 500+ users with two API
   * replicas (250 users each); 20,000 users is 80 API replicas on one cluster, far beyond what
   * the seed's table was measured for. Larger organisations run several environments (or ask
   * EPAM to size a dedicated one).
   */
  concurrentUsers: { min: 1, max: 20_000 },
  /**
   * Elasticsearch holds the datasources' vectors with one replica per shard and scales out to at
   * most 24 data nodes (the sizing engine's layout), about 19 TiB of data in all; 16 TiB of
   * datasources leaves the rest for the logs and the metrics index. The engine also checks the
   * three together and names the field to lower.
   */
  vectorDatasourceGiB: { min: 0, max: 16_384 },
  /**
   * Elasticsearch here holds the platform's operational container logs. A year is the longest
   * window worth keeping on the cluster's disks; longer archives belong in Cloud Logging, whose
   * buckets keep logs up to 3,650 days (https://cloud.google.com/logging/docs/buckets#custom-retention).
   */
  logRetentionDays: { min: 1, max: 365 },
  /**
   * GKE accepts up to 50 authorized networks for a cluster with a public endpoint
   * (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks#limitations).
   */
  allowedNetworksMaxItems: 50,
  /** IAM bindings made one by one; a longer list belongs in a Google group. */
  bastionMembersMaxItems: 25,
  /** Catalog descriptions are one paragraph. */
  descriptionMaxLength: 300,
  /** The domain plus `keycloak.` must stay within DNS's 253 characters (RFC 1035 §2.3.4). */
  domainMaxLength: 200,
} as const;

/**
 * Patterns of the string fields, each with the sentence a user reads when a value does not match.
 *
 * @public
 */
export const ENVIRONMENT_INPUT_PATTERNS = {
  name: {
    pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
    message:
      'use lower-case letters, digits and dashes, starting with a letter and not ending with a dash, e.g. team-dev',
  },
  projectId: {
    // https://cloud.google.com/resource-manager/docs/creating-managing-projects#before_you_begin
    pattern: '^[a-z][-a-z0-9]{4,28}[a-z0-9]$',
    message:
      'a Google Cloud project id has 6–30 characters: lower-case letters, digits and dashes, starting with a letter and not ending with a dash, e.g. acme-ai-platform',
  },
  domain: {
    pattern:
      '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.)+[a-z][-a-z0-9]{0,61}[a-z0-9]$',
    message:
      'a DNS domain of at least two labels (letters, digits and inner dashes, separated by dots), e.g. codemie.example.com',
  },
} as const;

/**
 * The access option: `public` is reachable from allowed networks only, `private` through a
 * bastion host and private DNS.
 *
 * @public
 */
export const DEPLOYMENT_OPTIONS = ['public', 'private'] as const;

/**
 * The address plan overrides as the `network` field validates them. Spelled out, as are the types
 * below, rather than inferred from the zod schemas: an inferred object type's members come out in
 * an order that changes between compilations, which would make the API report unstable.
 *
 * @public
 */
export type NetworkOverridesInput = {
  /** The nodes' subnetwork range. */
  subnet?: string;
  /** The pods' secondary range. */
  pods?: string;
  /** The services' secondary range. */
  services?: string;
  /** The control plane's range. */
  master?: string;
  /** The range reserved for private services access (Cloud SQL). */
  privateServices?: string;
};

/**
 * The sizing inputs as the `sizing` field validates them.
 *
 * @public
 */
export type SizingFieldInput = {
  /** Expected concurrent users. */
  concurrentUsers: number;
  /** Size of the indexed vector datasources, GiB. */
  vectorDatasourceGiB: number;
  /** Days of container logs kept in Elasticsearch. */
  logRetentionDays: number;
  /** The LLM proxy: one of {@link LLM_PROXY_TYPES}. */
  llmProxyType: string;
  /** Deploy NATS. */
  includeNats?: boolean;
};

/**
 * The environment input as {@link environmentInputSchema} validates it.
 *
 * @public
 */
export type EnvironmentInputFieldValues = {
  /** Environment name: prefix of every resource name. */
  name: string;
  /** The Google Cloud project. */
  projectId: string;
  /** The region. */
  region: string;
  /** Nodes in three zones (default true). */
  regional?: boolean;
  /** `public` or `private`. */
  option: 'public' | 'private';
  /** Public option: CIDRs allowed to reach the control plane and the ingress. */
  allowedNetworks?: string[];
  /** Public option: allow 0.0.0.0/0 in `allowedNetworks`. */
  allowPublicInternet?: boolean;
  /** Private option: IAM members allowed to tunnel to the bastion. */
  bastionMembers?: string[];
  /** The domain CodeMie is served under. */
  domain: string;
  /** Create a Cloud DNS zone for the domain (default true). */
  createDnsZone?: boolean;
  /** Address plan overrides. */
  network?: NetworkOverridesInput;
  /** Sizing inputs. */
  sizing: SizingFieldInput;
};

/**
 * The zod schemas of {@link environmentInputSchema}'s fields.
 *
 * @public
 */
export type EnvironmentInputSchemaShape = {
  /** See {@link EnvironmentInputFieldValues}. */
  name: zod.ZodString;
  /** See {@link EnvironmentInputFieldValues}. */
  projectId: zod.ZodString;
  /** See {@link EnvironmentInputFieldValues}. */
  region: zod.ZodEnum<[string, ...string[]]>;
  /** See {@link EnvironmentInputFieldValues}. */
  regional: zod.ZodOptional<zod.ZodBoolean>;
  /** See {@link EnvironmentInputFieldValues}. */
  option: zod.ZodEnum<['public', 'private']>;
  /** See {@link EnvironmentInputFieldValues}. */
  allowedNetworks: zod.ZodOptional<zod.ZodArray<zod.ZodString, 'many'>>;
  /** See {@link EnvironmentInputFieldValues}. */
  allowPublicInternet: zod.ZodOptional<zod.ZodBoolean>;
  /** See {@link EnvironmentInputFieldValues}. */
  bastionMembers: zod.ZodOptional<zod.ZodArray<zod.ZodString, 'many'>>;
  /** See {@link EnvironmentInputFieldValues}. */
  domain: zod.ZodString;
  /** See {@link EnvironmentInputFieldValues}. */
  createDnsZone: zod.ZodOptional<zod.ZodBoolean>;
  /** See {@link EnvironmentInputFieldValues}. */
  network: zod.ZodOptional<NetworkOverridesSchema>;
  /** See {@link EnvironmentInputFieldValues}. */
  sizing: SizingFieldSchema;
};

/**
 * The zod schema of the `network` field.
 *
 * @public
 */
export type NetworkOverridesSchema = zod.ZodObject<
  {
    subnet: zod.ZodOptional<zod.ZodString>;
    pods: zod.ZodOptional<zod.ZodString>;
    services: zod.ZodOptional<zod.ZodString>;
    master: zod.ZodOptional<zod.ZodString>;
    privateServices: zod.ZodOptional<zod.ZodString>;
  },
  'strict',
  zod.ZodTypeAny,
  NetworkOverridesInput,
  NetworkOverridesInput
>;

/**
 * The zod schema of the `sizing` field.
 *
 * @public
 */
export type SizingFieldSchema = zod.ZodObject<
  {
    concurrentUsers: zod.ZodNumber;
    vectorDatasourceGiB: zod.ZodNumber;
    logRetentionDays: zod.ZodNumber;
    llmProxyType: zod.ZodEnum<[string, ...string[]]>;
    includeNats: zod.ZodOptional<zod.ZodBoolean>;
  },
  'strict',
  zod.ZodTypeAny,
  SizingFieldInput,
  SizingFieldInput
>;

/**
 * The environment input fields, one zod schema per field, in the form
 * `createTemplateAction` takes (`{ field: z => schema }`).
 *
 * @public
 */
export const environmentInputFields = {
  name: (z: ZodV3) =>
    z
      .string()
      .min(1)
      .max(ENVIRONMENT_INPUT_LIMITS.nameMaxLength)
      .regex(new RegExp(ENVIRONMENT_INPUT_PATTERNS.name.pattern))
      .describe(
        `Environment name: prefix of every resource name (${ENVIRONMENT_INPUT_PATTERNS.name.message}; at most ${ENVIRONMENT_INPUT_LIMITS.nameMaxLength} characters)`,
      ),
  projectId: (z: ZodV3) =>
    z
      .string()
      .regex(new RegExp(ENVIRONMENT_INPUT_PATTERNS.projectId.pattern))
      .describe('Google Cloud project id'),
  region: (z: ZodV3) =>
    z
      .enum(pricedRegions() as [string, ...string[]])
      .describe('Google Cloud region, e.g. europe-west1'),
  regional: (z: ZodV3) =>
    z
      .boolean()
      .optional()
      .describe(
        'Regional cluster over the region’s zones (default true) or zonal',
      ),
  option: (z: ZodV3) =>
    z
      .enum(DEPLOYMENT_OPTIONS)
      .describe(
        "'public' (reachable from allowed networks) or 'private' (bastion host, private DNS)",
      ),
  allowedNetworks: (z: ZodV3) =>
    z
      .array(z.string().max(18))
      .max(ENVIRONMENT_INPUT_LIMITS.allowedNetworksMaxItems)
      .optional()
      .describe(
        'Public option only: IPv4 CIDRs allowed to reach the control plane and CodeMie',
      ),
  allowPublicInternet: (z: ZodV3) =>
    z
      .boolean()
      .optional()
      .describe(
        'Public option only: allow more than a /8 of public address space, up to 0.0.0.0/0 (off by default)',
      ),
  bastionMembers: (z: ZodV3) =>
    z
      .array(z.string().max(254))
      .max(ENVIRONMENT_INPUT_LIMITS.bastionMembersMaxItems)
      .optional()
      .describe(
        'Private option only: IAM members (user:, group:, serviceAccount: followed by an email, or domain:) allowed to tunnel to the bastion',
      ),
  domain: (z: ZodV3) =>
    z
      .string()
      .max(ENVIRONMENT_INPUT_LIMITS.domainMaxLength)
      .regex(new RegExp(ENVIRONMENT_INPUT_PATTERNS.domain.pattern))
      .describe(
        'Domain CodeMie is served under: codemie.<domain>, keycloak.<domain>, kibana.<domain>',
      ),
  createDnsZone: (z: ZodV3) =>
    z
      .boolean()
      .optional()
      .describe('Create a Cloud DNS zone for the domain (default true)'),
  network: (z: ZodV3): zod.ZodOptional<NetworkOverridesSchema> =>
    z
      .object({
        subnet: z.string().max(18).optional(),
        pods: z.string().max(18).optional(),
        services: z.string().max(18).optional(),
        master: z.string().max(18).optional(),
        privateServices: z.string().max(18).optional(),
      })
      .strict()
      .optional()
      .describe('Address plan overrides (RFC 1918 CIDRs)'),
  sizing: (z: ZodV3): SizingFieldSchema =>
    z
      .object({
        concurrentUsers: z
          .number()
          .int()
          .min(ENVIRONMENT_INPUT_LIMITS.concurrentUsers.min)
          .max(ENVIRONMENT_INPUT_LIMITS.concurrentUsers.max)
          .describe('Expected concurrent users'),
        vectorDatasourceGiB: z
          .number()
          .min(ENVIRONMENT_INPUT_LIMITS.vectorDatasourceGiB.min)
          .max(ENVIRONMENT_INPUT_LIMITS.vectorDatasourceGiB.max)
          .describe('Size of the indexed vector datasources, GiB'),
        logRetentionDays: z
          .number()
          .int()
          .min(ENVIRONMENT_INPUT_LIMITS.logRetentionDays.min)
          .max(ENVIRONMENT_INPUT_LIMITS.logRetentionDays.max)
          .describe('Days of container logs kept in Elasticsearch'),
        llmProxyType: z
          .enum(LLM_PROXY_TYPES as unknown as [string, ...string[]])
          .describe(`LLM proxy: ${LLM_PROXY_TYPES.join(', ')}`),
        includeNats: z
          .boolean()
          .optional()
          .describe('Deploy NATS (deprecated upstream)'),
      })
      .strict()
      .describe('Sizing inputs (see the sizing engine)'),
};

/**
 * The environment input as one zod object (unknown fields refused).
 *
 * @public
 */
export function environmentInputSchema(
  z: ZodV3,
): zod.ZodObject<
  EnvironmentInputSchemaShape,
  'strict',
  zod.ZodTypeAny,
  EnvironmentInputFieldValues,
  EnvironmentInputFieldValues
> {
  return z
    .object({
      name: environmentInputFields.name(z),
      projectId: environmentInputFields.projectId(z),
      region: environmentInputFields.region(z),
      regional: environmentInputFields.regional(z),
      option: environmentInputFields.option(z),
      allowedNetworks: environmentInputFields.allowedNetworks(z),
      allowPublicInternet: environmentInputFields.allowPublicInternet(z),
      bastionMembers: environmentInputFields.bastionMembers(z),
      domain: environmentInputFields.domain(z),
      createDnsZone: environmentInputFields.createDnsZone(z),
      network: environmentInputFields.network(z),
      sizing: environmentInputFields.sizing(z),
    })
    .strict();
}
