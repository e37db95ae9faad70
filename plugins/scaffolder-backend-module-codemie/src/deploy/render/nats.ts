/**
 * NATS (`codemie` / `codemie-nats`, optional, deprecated upstream) and its auth callout
 * (`codemie-nats-auth-callout`), sharing the `codemie-nats-secrets` Secret. NATS is reached by
 * plugin engines outside the cluster through an internal load balancer (the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11)).
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import {
  env,
  envFromSecret,
  hostsOf,
  httpProbe,
  meta,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

const SECRETS = 'codemie-nats-secrets';

/** NATS server configuration: callout-based authorisation, monitoring on 8222. */
function natsConfig(): string {
  return [
    'port: 4222',
    'http_port: 8222',
    'max_payload: 8MB',
    'authorization {',
    '  users: [ { user: "callout", password: $NATS_CALLOUT_PASSWORD } ]',
    '  auth_callout {',
    '    issuer: $NATS_ISSUER_PUBLIC_KEY',
    '    auth_users: [ "callout" ]',
    '  }',
    '}',
    '',
  ].join('\n');
}

export function renderNats(s: DeploySettings): RenderedComponent[] {
  const sized = sizedOf(s, 'nats');
  if (!sized) return [];
  const ns = sized.namespace;
  const name = 'codemie-nats';
  const config: KubernetesObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: meta(s, 'nats', `${name}-config`, ns),
    data: { 'nats.conf': natsConfig() },
  } as KubernetesObject;
  const server = workload(s, 'nats', {
    kind: 'StatefulSet',
    name,
    sized,
    serviceAccountName: name,
    serviceName: `${name}-headless`,
    runAsUser: 1000,
    volumes: [{ name: 'config', configMap: { name: `${name}-config` } }],
    container: {
      name: 'nats',
      image: s.images.nats,
      args: ['--config', '/etc/nats/nats.conf'],
      ports: [
        { name: 'client', containerPort: 4222 },
        { name: 'monitor', containerPort: 8222 },
      ],
      env: [
        envFromSecret('NATS_CALLOUT_PASSWORD', SECRETS, 'callout-password'),
        envFromSecret('NATS_ISSUER_PUBLIC_KEY', SECRETS, 'issuer-public-key'),
      ],
      volumeMounts: [{ name: 'config', mountPath: '/etc/nats' }],
      livenessProbe: httpProbe('/healthz?js-enabled-only=true', 'monitor'),
      readinessProbe: httpProbe('/healthz?js-enabled-only=true', 'monitor'),
    },
  });
  const selector = selectorFor('nats', name);
  const external: KubernetesObject = {
    ...service(s, 'nats', name, ns, selector, [
      { name: 'client', port: 4222, targetPort: 'client' as any },
    ]),
  };
  external.metadata = {
    ...external.metadata,
    annotations: {
      'networking.gke.io/load-balancer-type': 'Internal',
      'codemie.ai/hostname': hostsOf(s).nats,
    },
  };
  (external as any).spec = { ...(external as any).spec, type: 'LoadBalancer' };

  const calloutSized = sizedOf(s, 'nats-auth-callout')!;
  const calloutName = 'codemie-nats-auth-callout';
  const callout = workload(s, 'nats-auth-callout', {
    kind: 'Deployment',
    name: calloutName,
    sized: calloutSized,
    serviceAccountName: calloutName,
    privateImage: true,
    container: {
      name: 'auth-callout',
      image: s.images['nats-auth-callout'],
      env: [
        env('NATS_URL', 'nats://codemie-nats:4222'),
        env('NATS_USER', 'callout'),
        envFromSecret('NATS_PASSWORD', SECRETS, 'callout-password'),
        envFromSecret('NATS_ISSUER_SEED', SECRETS, 'issuer-seed'),
      ],
    },
  });
  return [
    {
      componentId: 'nats',
      displayName: sized.displayName,
      workloads: [server.workload],
      objects: [
        serviceAccount(s, 'nats', name, ns),
        secret(s, 'nats', SECRETS, ns, v => ({
          'callout-password': v.natsCalloutPassword,
          'issuer-seed': v.natsIssuerSeed,
          'issuer-public-key': v.natsIssuerPublicKey,
        })),
        config,
        ...server.objects,
        external,
        service(
          s,
          'nats',
          `${name}-headless`,
          ns,
          selector,
          [{ name: 'client', port: 4222, targetPort: 'client' as any }],
          { headless: true },
        ),
      ],
    },
    {
      componentId: 'nats-auth-callout',
      displayName: calloutSized.displayName,
      workloads: [callout.workload],
      objects: [
        serviceAccount(s, 'nats-auth-callout', calloutName, ns),
        ...callout.objects,
      ],
    },
  ];
}
