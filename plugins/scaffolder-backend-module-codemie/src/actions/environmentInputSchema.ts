import type { z as zod } from 'zod/v3';
import {
  EnvironmentInput,
  EnvironmentInputError,
  LLM_PROXY_TYPES,
  validateEnvironmentInput,
} from '@codemie-gcp/plugin-codemie-common';
import { InputError } from '@backstage/errors';

type Z = typeof zod;

/**
 * The environment inputs shared by `codemie:plan`, `codemie:gcp:provision` and
 * `codemie:gcp:destroy`, as the JSON Schema the scaffolder shows. Types only: the rules
 * (patterns, ranges, dependencies between fields) are checked by `validateEnvironmentInput`,
 * which reports every problem at once with a message naming its field.
 */
export const environmentInputSchema = {
  name: (z: Z) =>
    z
      .string()
      .describe(
        'Environment name: prefix of every resource name (max 20 characters)',
      ),
  projectId: (z: Z) => z.string().describe('Google Cloud project id'),
  region: (z: Z) =>
    z.string().describe('Google Cloud region, e.g. europe-west1'),
  option: (z: Z) =>
    z
      .string()
      .describe(
        "'public' (reachable from allowed networks) or 'private' (bastion host, private DNS)",
      ),
  allowedNetworks: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Public option: CIDRs allowed to reach the control plane and CodeMie',
      ),
  allowPublicInternet: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe('Public option: allow 0.0.0.0/0 (off by default)'),
  bastionMembers: (z: Z) =>
    z
      .array(z.string())
      .optional()
      .describe(
        'Private option: IAM members (user:, group:, serviceAccount:, domain:) allowed to tunnel to the bastion',
      ),
  domain: (z: Z) =>
    z
      .string()
      .describe(
        'Domain CodeMie is served under: codemie.<domain>, keycloak.<domain>, kibana.<domain>',
      ),
  createDnsZone: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe('Create a Cloud DNS zone for the domain (default true)'),
  regional: (z: Z) =>
    z
      .boolean()
      .optional()
      .describe('Regional cluster over three zones (default true) or zonal'),
  network: (z: Z) =>
    z
      .object({
        subnet: z.string().optional(),
        pods: z.string().optional(),
        services: z.string().optional(),
        master: z.string().optional(),
        privateServices: z.string().optional(),
      })
      .optional()
      .describe('Address plan overrides (RFC 1918 CIDRs)'),
  sizing: (z: Z) =>
    z
      .object({
        concurrentUsers: z.number().describe('Expected concurrent users'),
        vectorDatasourceGiB: z
          .number()
          .describe('Size of the indexed vector datasources, GiB'),
        logRetentionDays: z
          .number()
          .describe('Days of container logs kept in Elasticsearch'),
        llmProxyType: z
          .string()
          .describe(`LLM proxy: ${LLM_PROXY_TYPES.join(', ')}`),
        includeNats: z
          .boolean()
          .optional()
          .describe('Deploy NATS (deprecated upstream)'),
      })
      .describe('Sizing inputs (see the sizing engine)'),
};

/**
 * The environment fields of an action's input: everything but the action's own fields, so that
 * an unknown (misspelt) input is reported rather than ignored.
 */
export function environmentFieldsOf(
  input: Record<string, unknown>,
  ownFields: string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value !== undefined && !ownFields.includes(key)) out[key] = value;
  }
  return out;
}

/**
 * Validates an action's environment inputs, turning the problems into the scaffolder's
 * InputError (the task log shows every field and what is wrong with it).
 */
export function parseEnvironmentInput(
  input: Record<string, unknown>,
  ownFields: string[] = [],
): EnvironmentInput {
  try {
    return validateEnvironmentInput(environmentFieldsOf(input, ownFields));
  } catch (e) {
    if (e instanceof EnvironmentInputError) {
      throw new InputError(e.message);
    }
    throw e;
  }
}
