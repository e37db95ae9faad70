/** OAuth2 Proxy (`oauth2-proxy` / `oauth2-proxy`): nginx's auth-url for the UI and Kibana. */
import {
  envFromSecret,
  hostsOf,
  httpProbe,
  ingress,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { KEYCLOAK_REALM } from './keycloak';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

/** nginx annotations that put an Ingress behind OAuth2 Proxy (the auth-url of the CodeMie GCP docs, https://codemie-ai.github.io/docs, read 2026-11). */
export function OAUTH2_AUTH_ANNOTATIONS(
  s: DeploySettings,
): Record<string, string> {
  return {
    'nginx.ingress.kubernetes.io/auth-url':
      'http://oauth2-proxy.oauth2-proxy.svc.cluster.local:80/oauth2/auth',
    'nginx.ingress.kubernetes.io/auth-signin': `https://${hostsOf(s).codemie}/oauth2/start?rd=$scheme://$host$escaped_request_uri`,
    'nginx.ingress.kubernetes.io/auth-response-headers':
      'X-Auth-Request-User,X-Auth-Request-Email,Authorization',
  };
}

export function renderOauth2Proxy(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'oauth2-proxy')!;
  const ns = sized.namespace;
  const name = 'oauth2-proxy';
  const hosts = hostsOf(s);
  const { objects, workload: w } = workload(s, 'oauth2-proxy', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: name,
    runAsUser: 2000,
    container: {
      name: 'oauth2-proxy',
      image: s.images['oauth2-proxy'],
      args: [
        '--provider=keycloak-oidc',
        `--oidc-issuer-url=https://${hosts.keycloak}/auth/realms/${KEYCLOAK_REALM}`,
        '--client-id=codemie',
        '--email-domain=*',
        '--http-address=0.0.0.0:4180',
        '--upstream=static://202',
        '--reverse-proxy=true',
        '--set-xauthrequest=true',
        '--pass-access-token=true',
        '--set-authorization-header=true',
        `--cookie-domain=.${s.domain}`,
        `--whitelist-domain=.${s.domain}`,
        '--cookie-secure=true',
      ],
      env: [
        envFromSecret('OAUTH2_PROXY_CLIENT_SECRET', name, 'client-secret'),
        envFromSecret('OAUTH2_PROXY_COOKIE_SECRET', name, 'cookie-secret'),
      ],
      ports: [{ name: 'http', containerPort: 4180 }],
      livenessProbe: httpProbe('/ping', 'http'),
      readinessProbe: httpProbe('/ready', 'http'),
    },
  });
  return {
    componentId: 'oauth2-proxy',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'oauth2-proxy', name, ns),
      secret(s, 'oauth2-proxy', name, ns, v => ({
        'client-id': 'codemie',
        'client-secret': v.oauth2ClientSecret,
        'cookie-secret': v.oauth2CookieSecret,
      })),
      ...objects,
      service(s, 'oauth2-proxy', name, ns, selectorFor('oauth2-proxy', name), [
        { name: 'http', port: 80, targetPort: 'http' as any },
      ]),
      ingress(s, 'oauth2-proxy', name, ns, hosts.codemie, [
        { path: '/oauth2', service: name, port: 80 },
      ]),
    ],
  };
}
