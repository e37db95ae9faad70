import ipaddr from 'ipaddr.js';
import { z } from 'zod/v3';
import { SizingInputError, SizingInputs, sizeEnvironment } from '../sizing';
import type { PlanPreviewRequest } from '../status';
import { EnvironmentInputError, InputIssue } from './EnvironmentInputError';
import {
  ENVIRONMENT_INPUT_LIMITS,
  ENVIRONMENT_INPUT_PATTERNS,
  environmentInputSchema,
} from './environmentInputContract';

/**
 * How CodeMie is reached: `public` from allowed networks only, `private` through a bastion
 * host and private DNS.
 *
 * @public
 */
export type DeploymentOption = 'public' | 'private';

/**
 * The VPC's address plan. Defaults in {@link DEFAULT_NETWORK_RANGES}.
 *
 * @public
 */
export interface NetworkRanges {
  /** Primary range of the subnet (nodes, bastion). */
  subnet: string;
  /** Secondary range for pods. */
  pods: string;
  /** Secondary range for services. */
  services: string;
  /** The GKE control plane's /28 (private option). */
  master: string;
  /** Range reserved for private service access (Cloud SQL private IP). */
  privateServices: string;
}

/**
 * Default address plan: RFC 1918 ranges that do not overlap each other.
 *
 * @public
 */
export const DEFAULT_NETWORK_RANGES: NetworkRanges = {
  subnet: '10.10.0.0/20',
  pods: '10.20.0.0/14',
  services: '10.30.0.0/20',
  master: '172.16.0.0/28',
  privateServices: '10.40.0.0/16',
};

/**
 * Inputs of one CodeMie environment, validated.
 *
 * @public
 */
export interface EnvironmentInput {
  /** Environment name: prefix of every resource name. */
  name: string;
  /** The Google Cloud project the environment is created in. */
  projectId: string;
  /** The region the environment runs in. */
  region: string;
  /** `public` (control plane and ingress reachable from allowed networks) or `private` (reached through a bastion). */
  option: DeploymentOption;
  /** Public option: CIDRs allowed to reach the control plane and the ingress. */
  allowedNetworks: string[];
  /** Public option: allow 0.0.0.0/0 in `allowedNetworks`. */
  allowPublicInternet: boolean;
  /** Private option: IAM members allowed to tunnel to the bastion (user:, group:, serviceAccount:, domain:). */
  bastionMembers: string[];
  /** The domain CodeMie is served under: codemie.<domain>, keycloak.<domain>, kibana.<domain>. */
  domain: string;
  /** Create a Cloud DNS zone for `domain`. */
  createDnsZone: boolean;
  /** A regional cluster spreads nodes over three zones; zonal uses one. */
  regional: boolean;
  /** The address ranges of the nodes, pods, services and control plane. */
  network: NetworkRanges;
  /** The sizing inputs, defaults filled in. */
  sizing: Required<SizingInputs>;
}

/**
 * Longest environment name: keeps derived names within GCP limits (service account ids ≤ 30).
 *
 * @public
 */
export const ENVIRONMENT_NAME_MAX_LENGTH =
  ENVIRONMENT_INPUT_LIMITS.nameMaxLength;

/** What a user reads after "must be at most N" for the bounded numbers. */
const BOUND_HINTS: Record<string, string> = {
  'sizing.concurrentUsers':
    'for more users, run several environments or ask EPAM to size a dedicated one',
  'sizing.vectorDatasourceGiB':
    'Elasticsearch scales out to at most 24 data nodes; split larger corpora over several environments',
  'sizing.logRetentionDays':
    'keep longer archives in Cloud Logging, not on the cluster’s disks',
};

const FIELD_ORDER = Object.keys(environmentInputSchema(z).shape);

/** Issues in the order of the form's fields (stable within a field). */
function inFieldOrder(issues: InputIssue[]): InputIssue[] {
  const rank = (issue: InputIssue) => {
    const top = /^[A-Za-z]+/.exec(issue.field)?.[0] ?? '';
    const i = FIELD_ORDER.indexOf(top);
    return i === -1 ? FIELD_ORDER.length : i;
  };
  return issues
    .map((issue, i) => ({ issue, i }))
    .sort((a, b) => rank(a.issue) - rank(b.issue) || a.i - b.i)
    .map(({ issue }) => issue);
}

/** The contract's zod issues as input issues, one per field (unknown keys one each). */
function contractIssues(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap(issue =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map(key => ({
          field: fieldPath([...issue.path, key]),
          message: 'is not a known input; remove it (check its spelling)',
        }))
      : [{ field: fieldPath(issue.path), message: issue.message }],
  );
}

/** `sizing.concurrentUsers`, `allowedNetworks[1]`. */
function fieldPath(path: Array<string | number>): string {
  return path.length === 0
    ? '(input)'
    : path
        .map((p, i) => {
          if (typeof p === 'number') return `[${p}]`;
          return i === 0 ? p : `.${p}`;
        })
        .join('');
}

function formatNumber(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

/** A value as a user would name it: `the string '10'`, `null`, `a list`. */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'number')
    return Number.isNaN(value) ? 'NaN' : `the number ${value}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
};

/** Messages of the contract's zod rules, written for the person who typed the value. */
const contractErrorMap: z.ZodErrorMap = (issue, ctx) => {
  const field = fieldPath(issue.path);
  const leaf = String(issue.path[0] ?? '');
  switch (issue.code) {
    case 'invalid_type':
      if (issue.received === 'undefined') return { message: 'is required' };
      if (issue.expected === 'integer')
        return {
          message: `must be a whole number, got ${describeValue(ctx.data)}`,
        };
      return {
        message: `must be ${EXPECTED_NAMES[issue.expected] ?? issue.expected}, got ${describeValue(ctx.data)}`,
      };
    case 'invalid_enum_value':
      return {
        message: `${describeValue(ctx.data)} is not allowed; choose one of ${issue.options.join(', ')}`,
      };
    case 'too_small':
      if (issue.type === 'string')
        return {
          message:
            issue.minimum === 1
              ? 'is required'
              : `must have at least ${issue.minimum} characters`,
        };
      if (issue.type === 'array')
        return { message: `must list at least ${issue.minimum}` };
      return {
        message: `must be at least ${formatNumber(Number(issue.minimum))}, got ${describeValue(ctx.data)}`,
      };
    case 'too_big': {
      if (issue.type === 'string')
        return {
          message: `must be at most ${issue.maximum} characters (is ${String(ctx.data).length})`,
        };
      if (issue.type === 'array')
        return {
          message: `lists ${(ctx.data as unknown[]).length}; at most ${issue.maximum} are allowed`,
        };
      const hint = BOUND_HINTS[field];
      return {
        message: `must be at most ${formatNumber(Number(issue.maximum))}, got ${describeValue(ctx.data)}${hint ? `: ${hint}` : ''}`,
      };
    }
    case 'invalid_string': {
      const rule =
        ENVIRONMENT_INPUT_PATTERNS[
          leaf as keyof typeof ENVIRONMENT_INPUT_PATTERNS
        ];
      return {
        message: `${describeValue(ctx.data)} is not allowed: ${rule?.message ?? 'it has the wrong format'}`,
      };
    }
    default:
      return { message: ctx.defaultError };
  }
};

/**
 * Validates raw inputs (from a template form or an action) and fills defaults: first against
 * the input contract ({@link environmentInputSchema}: types, enums, patterns, bounds), then the
 * rules that span fields (the access option's fields, address plans, IAM members, the
 * Elasticsearch volume). Every problem is reported at once, each naming its field and saying
 * what is allowed; nothing is created in the cloud before this passes.
 *
 * @throws {@link EnvironmentInputError}
 * @public
 */
export function validateEnvironmentInput(raw: unknown): EnvironmentInput {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EnvironmentInputError([
      { field: '(input)', message: 'must be an object of environment inputs' },
    ]);
  }
  const issues: InputIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message });

  const parsed = environmentInputSchema(z).safeParse(raw, {
    errorMap: contractErrorMap,
  });
  if (!parsed.success) issues.push(...contractIssues(parsed.error));
  const input = raw as Record<string, unknown>;
  // Known even when other fields are wrong, so every problem is reported at once.
  const option =
    input.option === 'public' || input.option === 'private'
      ? input.option
      : undefined;
  const allowPublicInternet =
    input.allowPublicInternet === true && option === 'public';

  // The access option decides which of its fields may be given: values of the option not chosen
  // never reach a step (an empty list or `false` left over from a form counts as absent).
  const allowedNetworks = listOf(input.allowedNetworks);
  const bastionMembers = listOf(input.bastionMembers);
  if (option === 'public') {
    if (bastionMembers.length > 0)
      add(
        'bastionMembers',
        'is for the private option only; this environment is public: remove it',
      );
    if (allowedNetworks.length === 0)
      add(
        'allowedNetworks',
        'the public option needs at least one allowed network (an IPv4 CIDR), e.g. your VPN egress range 203.0.113.0/24',
      );
    checkAllowedNetworks(allowedNetworks, allowPublicInternet, add);
  } else if (option === 'private') {
    if (allowedNetworks.length > 0)
      add(
        'allowedNetworks',
        'is for the public option only; this environment is private (reached through the bastion): remove it',
      );
    if (input.allowPublicInternet === true)
      add(
        'allowPublicInternet',
        'is for the public option only; this environment is private: remove it',
      );
    if (bastionMembers.length === 0)
      add(
        'bastionMembers',
        'the private option needs at least one bastion member, e.g. group:platform@example.com',
      );
    bastionMembers.forEach((member, i) => {
      const problem = iamMemberProblem(member);
      if (problem) add(`bastionMembers[${i}]`, problem);
    });
  }
  duplicatesIn('allowedNetworks', allowedNetworks, add);
  duplicatesIn('bastionMembers', bastionMembers, add);

  const network = networkField(input, add);

  if (!parsed.success || issues.length > 0) {
    throw new EnvironmentInputError(inFieldOrder(issues));
  }
  const data = parsed.data;
  const sizing: Required<SizingInputs> = {
    concurrentUsers: data.sizing.concurrentUsers,
    vectorDatasourceGiB: data.sizing.vectorDatasourceGiB,
    logRetentionDays: data.sizing.logRetentionDays,
    llmProxyType: data.sizing.llmProxyType as SizingInputs['llmProxyType'],
    includeNats: data.sizing.includeNats ?? false,
  };
  // The bounds that span the sizing inputs (e.g. datasources plus a year of logs): the sizing
  // engine knows the largest layout and names the field to lower.
  try {
    sizeEnvironment(sizing);
  } catch (e) {
    if (!(e instanceof SizingInputError)) throw e;
    add(`sizing.${e.field}`, e.message.replace(`${e.field}: `, ''));
  }
  if (issues.length > 0) throw new EnvironmentInputError(issues);

  return {
    name: data.name,
    projectId: data.projectId,
    region: data.region,
    option: data.option,
    allowedNetworks: data.option === 'public' ? allowedNetworks : [],
    allowPublicInternet,
    bastionMembers: data.option === 'private' ? bastionMembers : [],
    domain: data.domain,
    createDnsZone: data.createDnsZone ?? true,
    regional: data.regional ?? true,
    network,
    sizing,
  };
}

/** The strings of a list input, as given (the contract reports wrong types). */
function listOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string').map(v => v.trim())
    : [];
}

function duplicatesIn(
  field: string,
  values: string[],
  add: (field: string, message: string) => void,
) {
  const seen = new Set<string>();
  values.forEach((value, i) => {
    if (seen.has(value)) add(`${field}[${i}]`, `'${value}' is listed twice`);
    seen.add(value);
  });
}

/**
 * Why `cidr` is not a usable IPv4 CIDR in canonical form, or undefined when it is. Canonical
 * means what Google echoes back: no leading zeros (`010.0.0.0/8` is ambiguous — some parsers
 * read it as octal), no host bits set.
 *
 * @public
 */
export function cidrProblem(cidr: string): string | undefined {
  const match = /^([0-9.]+)\/(0|[1-9][0-9]?)$/.exec(cidr);
  if (
    !match ||
    !ipaddr.IPv4.isValidFourPartDecimal(match[1]) ||
    Number(match[2]) > 32
  ) {
    return `'${cidr}' is not an IPv4 CIDR in canonical form (four decimal numbers without leading zeros, then /0–/32), e.g. 203.0.113.0/24`;
  }
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr).toString();
  if (network !== match[1]) {
    return `'${cidr}' has host bits set; the network is ${network}/${match[2]}`;
  }
  return undefined;
}

/**
 * Addresses that are not reachable public internet (IANA IPv4 Special-Purpose Address Registry,
 * RFC 6890: https://www.iana.org/assignments/iana-ipv4-special-registry/), plus multicast and
 * the reserved class E space.
 */
const NON_PUBLIC_RANGES = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

/** More public addresses than one /8 is "the internet" for this check, whatever the split. */
const PUBLIC_INTERNET_THRESHOLD = 2 ** 24;

type Interval = [start: number, end: number];

function intervalOf(cidr: string): Interval {
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const start = address.toByteArray().reduce((n, octet) => n * 256 + octet, 0);
  return [start, start + 2 ** (32 - prefix) - 1];
}

/** Sorted, non-overlapping union of intervals. */
function union(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Interval[] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/**
 * How many public internet addresses the union of `cidrs` admits: overlapping ranges count
 * once, special-purpose ranges not at all.
 *
 * @public
 */
export function publicAddressCount(cidrs: string[]): number {
  const allowed = union(cidrs.map(intervalOf));
  const excluded = union(NON_PUBLIC_RANGES.map(intervalOf));
  let count = 0;
  for (const [start, end] of allowed) {
    let size = end - start + 1;
    for (const [xStart, xEnd] of excluded) {
      const overlap = Math.min(end, xEnd) - Math.max(start, xStart) + 1;
      if (overlap > 0) size -= overlap;
    }
    count += size;
  }
  return count;
}

function checkAllowedNetworks(
  cidrs: string[],
  allowPublicInternet: boolean,
  add: (field: string, message: string) => void,
) {
  const valid: string[] = [];
  cidrs.forEach((cidr, i) => {
    const problem = cidrProblem(cidr);
    if (problem) add(`allowedNetworks[${i}]`, problem);
    else valid.push(cidr);
  });
  if (allowPublicInternet || valid.length === 0) return;
  // Judged on the union, so that 0.0.0.0/1 + 128.0.0.0/1 is recognised as the whole internet.
  const admitted = publicAddressCount(valid);
  if (admitted > PUBLIC_INTERNET_THRESHOLD) {
    add(
      'allowedNetworks',
      `together these ranges admit ${formatNumber(admitted)} public internet addresses (more than a /8): list only your offices' and VPN's ranges, or set allowPublicInternet: true if opening CodeMie to the internet is really intended`,
    );
  }
}

/**
 * Consumer mail domains. IAM's `domain:` member means "every account of a Google Workspace or
 * Cloud Identity domain" (https://cloud.google.com/iam/docs/principal-identifiers); for these
 * it would mean anyone with a free mailbox.
 */
const CONSUMER_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'qq.com',
  '163.com',
]);

const EMAIL =
  /^[A-Za-z0-9._%+-]+@([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const DOMAIN = /^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/**
 * Why `member` may not reach the bastion, or undefined when it may: one named user, group or
 * service account, or a company domain — never everyone (`allUsers`, wildcards, consumer mail
 * domains).
 *
 * @public
 */
export function iamMemberProblem(member: string): string | undefined {
  const example =
    'e.g. group:platform@example.com, user:ana@example.com, serviceAccount:ci@acme.iam.gserviceaccount.com or domain:example.com';
  if (member.includes('*')) {
    return `'${member}' contains a wildcard; IAM members name one user, group, service account or company domain, ${example}`;
  }
  if (member === 'allUsers' || member === 'allAuthenticatedUsers') {
    return `'${member}' would let anyone reach the bastion; name users, groups or your company domain, ${example}`;
  }
  const colon = member.indexOf(':');
  const kind = colon > 0 ? member.slice(0, colon) : '';
  const value = member.slice(colon + 1);
  switch (kind) {
    case 'user':
    case 'group':
      if (!EMAIL.test(value)) {
        return `'${member}' needs an email address after '${kind}:', ${example}`;
      }
      return undefined;
    case 'serviceAccount':
      if (!EMAIL.test(value) || !value.endsWith('.gserviceaccount.com')) {
        return `'${member}' needs a service account email (…@<project>.iam.gserviceaccount.com) after 'serviceAccount:'`;
      }
      return undefined;
    case 'domain':
      if (!DOMAIN.test(value)) {
        return `'${member}' needs a DNS domain after 'domain:', e.g. domain:example.com`;
      }
      if (CONSUMER_DOMAINS.has(value)) {
        return `'${member}' is a consumer mail domain: it would admit anyone with a ${value} mailbox; name users or a group instead`;
      }
      return undefined;
    default:
      return `'${member}' is not an IAM member; start it with user:, group:, serviceAccount: or domain:, ${example}`;
  }
}

function networkField(
  input: Record<string, unknown>,
  add: (field: string, message: string) => void,
): NetworkRanges {
  // The contract reports a network that is not an object of CIDR strings, or unknown keys;
  // here the ranges themselves are checked.
  const raw = input.network;
  const ranges = { ...DEFAULT_NETWORK_RANGES };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return ranges;
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (key in DEFAULT_NETWORK_RANGES && typeof value === 'string') {
      ranges[key as keyof NetworkRanges] = value;
    }
  }
  let valid = true;
  for (const key of Object.keys(ranges) as Array<keyof NetworkRanges>) {
    const problem = cidrProblem(ranges[key]);
    if (problem) {
      add(`network.${key}`, problem);
      valid = false;
      continue;
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(ranges[key]);
    if (address.range() !== 'private') {
      add(
        `network.${key}`,
        `'${ranges[key]}' must be a private (RFC 1918) range`,
      );
      valid = false;
    }
    const limits: Record<keyof NetworkRanges, [number, number]> = {
      subnet: [8, 29],
      pods: [9, 21],
      services: [16, 27],
      master: [28, 28],
      privateServices: [8, 24],
    };
    const [min, max] = limits[key];
    if (prefix < min || prefix > max) {
      add(
        `network.${key}`,
        min === max
          ? `must be a /${min}`
          : `prefix must be between /${min} and /${max}`,
      );
      valid = false;
    }
  }
  if (valid) {
    const keys = Object.keys(ranges) as Array<keyof NetworkRanges>;
    for (let i = 0; i < keys.length; i++) {
      for (let j = i + 1; j < keys.length; j++) {
        if (cidrsOverlap(ranges[keys[i]], ranges[keys[j]])) {
          add(
            `network.${keys[j]}`,
            `'${ranges[keys[j]]}' overlaps network.${keys[i]} '${ranges[keys[i]]}'`,
          );
        }
      }
    }
  }
  return ranges;
}

function cidrsOverlap(a: string, b: string): boolean {
  const [addrA, prefixA] = ipaddr.IPv4.parseCIDR(a);
  const [addrB, prefixB] = ipaddr.IPv4.parseCIDR(b);
  const prefix = Math.min(prefixA, prefixB);
  return addrA.match(addrB, prefix);
}

/**
 * Validates the body of the sizing preview (`POST /v1/plan/preview`) against the same contract
 * as the environment: region, access option, regional and the bounded sizing inputs.
 *
 * @throws {@link EnvironmentInputError}
 * @public
 */
export function validatePlanPreviewRequest(raw: unknown): PlanPreviewRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EnvironmentInputError([
      {
        field: '(body)',
        message: 'must be a JSON object with region and sizing',
      },
    ]);
  }
  const schema = environmentInputSchema(z)
    .pick({
      region: true,
      option: true,
      regional: true,
      createDnsZone: true,
      sizing: true,
    })
    .partial({ option: true })
    .strict();
  const parsed = schema.safeParse(raw, { errorMap: contractErrorMap });
  if (!parsed.success) {
    throw new EnvironmentInputError(inFieldOrder(contractIssues(parsed.error)));
  }
  return parsed.data as PlanPreviewRequest;
}
