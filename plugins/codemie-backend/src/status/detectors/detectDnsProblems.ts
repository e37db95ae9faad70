import type { V1Service } from '@kubernetes/client-node';
import type { DetectedProblem } from '@codemie-gcp/plugin-codemie-common';
import type { DnsRead, EnvironmentDescriptor } from '../types';
import type { ProblemDetector } from './types';

/** The hosts CodeMie's ingress serves under the environment's domain. */
const HOSTS = ['codemie', 'keycloak', 'kibana'];

/** The address the ingress-nginx controller's LoadBalancer Service has, if any. */
export function ingressAddressOf(
  services: V1Service[] = [],
): string | undefined {
  const lb = services.find(
    s =>
      s.spec?.type === 'LoadBalancer' &&
      (s.metadata?.namespace === 'ingress-nginx' ||
        s.metadata?.labels?.['app.kubernetes.io/component'] ===
          'ingress-nginx'),
  );
  return lb?.status?.loadBalancer?.ingress?.[0]?.ip ?? undefined;
}

/**
 * Whether codemie., keycloak. and kibana.<domain> resolve, in the environment's Cloud DNS zone,
 * to the ingress load balancer's current address. Pure: reads what ClusterReader fetched. No
 * problem while the ingress has no address yet (the ingress component reports that itself).
 */
export function detectDnsProblems(
  env: EnvironmentDescriptor,
  services: V1Service[] | undefined,
  dns: DnsRead | undefined,
): DetectedProblem[] {
  if (!env.domain || !dns) return [];
  const address = ingressAddressOf(services);
  const hosts = HOSTS.map(h => `${h}.${env.domain}`);
  if (!dns.ok) {
    return [
      {
        severity: 'warning',
        title: `DNS of ${env.domain} not checked`,
        detail: `${dns.reason}. The hosts ${hosts.join(', ')} must resolve to the ingress address${address ? ` ${address}` : ''}.`,
        fix: `Create A records for ${hosts.join(', ')} pointing at the ingress address where ${env.domain} is hosted, or re-run codemie:gcp:provision with createDnsZone.`,
      },
    ];
  }
  if (!address) return [];
  const wrong = hosts
    .map(host => ({ host, values: dns.records[host] ?? [] }))
    .filter(({ values }) => values.length !== 1 || values[0] !== address);
  if (wrong.length === 0) return [];
  return [
    {
      severity: 'error',
      title: `${wrong.map(w => w.host).join(', ')} ${wrong.length === 1 ? 'does' : 'do'} not resolve to the ingress`,
      detail: `${wrong
        .map(({ host, values }) =>
          values.length
            ? `${host} points at ${values.join(', ')}`
            : `${host} has no A record`,
        )
        .join(
          '; ',
        )} in Cloud DNS zone ${dns.zone}; the ingress load balancer's address is ${address}.`,
      fix: `Re-run codemie:gcp:provision (it writes the records for the reserved ingress address), or set the A records of ${wrong.map(w => w.host).join(', ')} to ${address}.`,
    },
  ];
}

/** {@link detectDnsProblems} as a detector. @internal */
export const dnsRecords: ProblemDetector = ({ environment, services, dns }) =>
  detectDnsProblems(environment, services, dns);
