import ipaddr from 'ipaddr.js';
import { pricedRegions } from '../cost';
import {
  LLM_PROXY_TYPES,
  SizingInputError,
  SizingInputs,
  validateSizingInputs,
} from '../sizing';
import { EnvironmentInputError, InputIssue } from './EnvironmentInputError';

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
  projectId: string;
  region: string;
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
  network: NetworkRanges;
  sizing: Required<SizingInputs>;
}

/** Longest environment name: keeps derived names within GCP limits (service account ids ≤ 30). */
export const ENVIRONMENT_NAME_MAX_LENGTH = 20;

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const PROJECT_ID = /^[a-z][-a-z0-9]{4,28}[a-z0-9]$/;
const DOMAIN_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const MEMBER =
  /^(user|group|serviceAccount):[^@\s:]+@[^@\s:]+\.[a-z]{2,}$|^domain:[a-z0-9]([-a-z0-9.]*[a-z0-9])?\.[a-z]{2,}$/;

/**
 * Validates raw inputs (from a template form or an action) and fills defaults. Every problem is
 * reported at once, each naming its field; nothing is created in the cloud before this passes.
 *
 * @throws {@link EnvironmentInputError}
 * @public
 */
export function validateEnvironmentInput(raw: unknown): EnvironmentInput {
  const issues: InputIssue[] = [];
  const add = (field: string, message: string) =>
    issues.push({ field, message });
  const input = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new EnvironmentInputError([
      { field: '(input)', message: 'must be an object' },
    ]);
  }

  const name = stringField(input, 'name', add);
  if (name !== undefined) {
    if (name.length > ENVIRONMENT_NAME_MAX_LENGTH) {
      add(
        'name',
        `must be at most ${ENVIRONMENT_NAME_MAX_LENGTH} characters (is ${name.length}) so derived resource names fit GCP limits`,
      );
    } else if (!NAME.test(name)) {
      add(
        'name',
        `'${name}' must start with a lower-case letter and contain only lower-case letters, digits and dashes, not ending in a dash`,
      );
    }
  }

  const projectId = stringField(input, 'projectId', add);
  if (projectId !== undefined && !PROJECT_ID.test(projectId)) {
    add(
      'projectId',
      `'${projectId}' is not a Google Cloud project id (6–30 characters: lower-case letters, digits, dashes; starts with a letter, does not end with a dash)`,
    );
  }

  const regions = pricedRegions();
  const region = stringField(input, 'region', add);
  if (region !== undefined && !regions.includes(region)) {
    add(
      'region',
      `'${region}' is not a supported region; choose one of ${regions.join(', ')}`,
    );
  }

  const option = stringField(input, 'option', add);
  if (option !== undefined && option !== 'public' && option !== 'private') {
    add('option', `'${option}' must be 'public' or 'private'`);
  }

  const allowPublicInternet = booleanField(
    input,
    'allowPublicInternet',
    false,
    add,
  );
  const allowedNetworks = stringArrayField(input, 'allowedNetworks', add);
  if (option === 'public') {
    if (allowedNetworks.length === 0) {
      add(
        'allowedNetworks',
        'the public option needs at least one allowed network (CIDR), e.g. your VPN egress range',
      );
    }
    allowedNetworks.forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem) {
        add(`allowedNetworks[${i}]`, problem);
      } else if (ipaddr.parseCIDR(cidr)[1] === 0 && !allowPublicInternet) {
        add(
          `allowedNetworks[${i}]`,
          `'${cidr}' opens CodeMie to the whole internet; set allowPublicInternet: true if that is really intended`,
        );
      }
    });
  } else if (option === 'private' && allowedNetworks.length > 0) {
    allowedNetworks.forEach((cidr, i) => {
      const problem = cidrProblem(cidr);
      if (problem) add(`allowedNetworks[${i}]`, problem);
    });
  }

  const bastionMembers = stringArrayField(input, 'bastionMembers', add);
  if (option === 'private' && bastionMembers.length === 0) {
    add(
      'bastionMembers',
      'the private option needs at least one bastion member, e.g. group:platform@example.com',
    );
  }
  bastionMembers.forEach((member, i) => {
    if (!MEMBER.test(member)) {
      add(
        `bastionMembers[${i}]`,
        `'${member}' is not an IAM member (user:, group:, serviceAccount: followed by an email, or domain:)`,
      );
    }
  });

  const domain = stringField(input, 'domain', add);
  if (domain !== undefined) {
    const problem = domainProblem(domain);
    if (problem) add('domain', problem);
  }
  const createDnsZone = booleanField(input, 'createDnsZone', true, add);
  const regional = booleanField(input, 'regional', true, add);

  const network = networkField(input, add);

  let sizing: Required<SizingInputs> | undefined;
  const rawSizing = input.sizing;
  if (
    rawSizing === undefined ||
    rawSizing === null ||
    typeof rawSizing !== 'object' ||
    Array.isArray(rawSizing)
  ) {
    add(
      'sizing',
      `must be an object with concurrentUsers, vectorDatasourceGiB, logRetentionDays and llmProxyType (${LLM_PROXY_TYPES.join(', ')})`,
    );
  } else {
    try {
      sizing = validateSizingInputs(rawSizing as SizingInputs);
    } catch (e) {
      if (e instanceof SizingInputError) {
        add(`sizing.${e.field}`, e.message.replace(`${e.field}: `, ''));
      } else {
        throw e;
      }
    }
  }

  const known = new Set([
    'name',
    'projectId',
    'region',
    'option',
    'allowedNetworks',
    'allowPublicInternet',
    'bastionMembers',
    'domain',
    'createDnsZone',
    'regional',
    'network',
    'sizing',
  ]);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) add(key, 'is not a known input');
  }

  if (issues.length > 0) throw new EnvironmentInputError(issues);
  return {
    name: name!,
    projectId: projectId!,
    region: region!,
    option: option as DeploymentOption,
    allowedNetworks: option === 'public' ? allowedNetworks : allowedNetworks,
    allowPublicInternet,
    bastionMembers,
    domain: domain!.toLowerCase(),
    createDnsZone,
    regional,
    network,
    sizing: sizing!,
  };
}

function stringField(
  input: Record<string, unknown>,
  field: string,
  add: (field: string, message: string) => void,
): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') {
    add(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    add(field, `must be a string, got ${typeof value}`);
    return undefined;
  }
  return value.trim();
}

function booleanField(
  input: Record<string, unknown>,
  field: string,
  fallback: boolean,
  add: (field: string, message: string) => void,
): boolean {
  const value = input[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    add(field, `must be true or false, got ${JSON.stringify(value)}`);
    return fallback;
  }
  return value;
}

function stringArrayField(
  input: Record<string, unknown>,
  field: string,
  add: (field: string, message: string) => void,
): string[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    add(field, 'must be a list');
    return [];
  }
  const out: string[] = [];
  value.forEach((item, i) => {
    if (typeof item !== 'string' || item.trim() === '') {
      add(`${field}[${i}]`, 'must be a non-empty string');
    } else {
      out.push(item.trim());
    }
  });
  const seen = new Set<string>();
  out.forEach((item, i) => {
    if (seen.has(item)) add(`${field}[${i}]`, `'${item}' is listed twice`);
    seen.add(item);
  });
  return out;
}

/** Why `cidr` is not a usable IPv4 CIDR, or undefined when it is. */
export function cidrProblem(cidr: string): string | undefined {
  if (
    !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) ||
    !ipaddr.IPv4.isValidCIDR(cidr)
  ) {
    return `'${cidr}' is not an IPv4 CIDR such as 203.0.113.0/24`;
  }
  const [address, prefix] = ipaddr.IPv4.parseCIDR(cidr);
  const network = ipaddr.IPv4.networkAddressFromCIDR(cidr);
  if (network.toString() !== address.toString()) {
    return `'${cidr}' has host bits set; the network is ${network.toString()}/${prefix}`;
  }
  return undefined;
}

function domainProblem(domain: string): string | undefined {
  const lower = domain.toLowerCase();
  if (lower.length > 200)
    return 'is too long (max 200 characters, leaving room for host names)';
  const labels = lower.split('.');
  if (labels.length < 2)
    return `'${domain}' must be a DNS domain with at least two labels, e.g. codemie.example.com`;
  if (labels.some(l => !DOMAIN_LABEL.test(l))) {
    return `'${domain}' is not a valid DNS domain (labels of letters, digits and inner dashes, separated by dots)`;
  }
  if (/^\d+$/.test(labels[labels.length - 1]))
    return `'${domain}' must not end in a numeric label`;
  return undefined;
}

function networkField(
  input: Record<string, unknown>,
  add: (field: string, message: string) => void,
): NetworkRanges {
  const raw = input.network;
  if (raw === undefined || raw === null) return { ...DEFAULT_NETWORK_RANGES };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    add(
      'network',
      'must be an object of CIDRs (subnet, pods, services, master, privateServices)',
    );
    return { ...DEFAULT_NETWORK_RANGES };
  }
  const ranges = { ...DEFAULT_NETWORK_RANGES };
  const given = raw as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULT_NETWORK_RANGES)) {
      add(
        `network.${key}`,
        'is not a known range (subnet, pods, services, master, privateServices)',
      );
      continue;
    }
    const value = given[key];
    if (typeof value !== 'string') {
      add(`network.${key}`, 'must be a CIDR string');
      continue;
    }
    ranges[key as keyof NetworkRanges] = value;
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
