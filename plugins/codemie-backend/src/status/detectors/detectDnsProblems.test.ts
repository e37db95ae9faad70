import { detectDnsProblems } from './detectDnsProblems';
import type { EnvironmentDescriptor } from '../types';

const env = {
  name: 'demo',
  domain: 'codemie.example.com',
  option: 'public',
} as EnvironmentDescriptor;
const ingress = (ip?: string) => [
  {
    metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' },
    spec: { type: 'LoadBalancer' },
    status: { loadBalancer: ip ? { ingress: [{ ip }] } : {} },
  },
];
const records = (ip: string) => ({
  'codemie.codemie.example.com': [ip],
  'keycloak.codemie.example.com': [ip],
  'kibana.codemie.example.com': [ip],
});

describe('detectDnsProblems', () => {
  it('is quiet when every host points at the ingress address', () => {
    expect(
      detectDnsProblems(env, ingress('34.1.2.3'), {
        ok: true,
        zone: 'demo-zone',
        records: records('34.1.2.3'),
      }),
    ).toEqual([]);
  });

  it('names each host that is missing or points elsewhere, and the current address', () => {
    const [problem] = detectDnsProblems(env, ingress('34.9.9.9'), {
      ok: true,
      zone: 'demo-zone',
      records: {
        ...records('34.9.9.9'),
        'codemie.codemie.example.com': ['34.1.2.3'],
        'kibana.codemie.example.com': [],
      },
    });
    expect(problem).toMatchObject({
      severity: 'error',
      title:
        'codemie.codemie.example.com, kibana.codemie.example.com do not resolve to the ingress',
      detail:
        "codemie.codemie.example.com points at 34.1.2.3; kibana.codemie.example.com has no A record in Cloud DNS zone demo-zone; the ingress load balancer's address is 34.9.9.9.",
    });
    expect(problem.fix).toContain('to 34.9.9.9');
  });

  it('waits for the load balancer: no DNS problem while the ingress has no address', () => {
    expect(
      detectDnsProblems(env, ingress(), { ok: true, zone: 'z', records: {} }),
    ).toEqual([]);
  });

  it('says when the zone cannot be checked', () => {
    const [problem] = detectDnsProblems(env, ingress('34.1.2.3'), {
      ok: false,
      reason: 'no public Cloud DNS zone for codemie.example.com. in project p',
    });
    expect(problem.severity).toBe('warning');
    expect(problem.detail).toContain('ingress address 34.1.2.3');
  });
});
