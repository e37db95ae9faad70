/** Kibana (`elastic` / `kibana`): port 5601, `kibana-encryption-keys`, host `kibana.<domain>`. */
import {
  env,
  envFromSecret,
  hostsOf,
  ingress,
  secret,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
  tcpProbe,
} from './common';
import { ELASTIC_SERVICE_URL } from './elasticsearch';
import { OAUTH2_AUTH_ANNOTATIONS } from './oauth2Proxy';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

export function renderKibana(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'kibana')!;
  const ns = sized.namespace;
  const name = 'kibana';
  const { objects, workload: w } = workload(s, 'kibana', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: name,
    runAsUser: 1000,
    container: {
      name: 'kibana',
      image: s.images.kibana,
      ports: [{ name: 'http', containerPort: 5601 }],
      env: [
        env('ELASTICSEARCH_HOSTS', ELASTIC_SERVICE_URL),
        env('SERVER_PUBLICBASEURL', `https://${hostsOf(s).kibana}`),
        // Kibana may not use the `elastic` superuser: it authenticates with a service account
        // token (elastic/kibana) kept in `kibana-elasticsearch-token` — see the README.
        {
          name: 'ELASTICSEARCH_SERVICEACCOUNTTOKEN',
          valueFrom: {
            secretKeyRef: {
              name: 'kibana-elasticsearch-token',
              key: 'token',
              optional: true,
            },
          },
        },
        envFromSecret(
          'XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY',
          'kibana-encryption-keys',
          'encryptedSavedObjects',
        ),
        envFromSecret(
          'XPACK_REPORTING_ENCRYPTIONKEY',
          'kibana-encryption-keys',
          'reporting',
        ),
        envFromSecret(
          'XPACK_SECURITY_ENCRYPTIONKEY',
          'kibana-encryption-keys',
          'security',
        ),
      ],
      readinessProbe: tcpProbe('http', { initialDelaySeconds: 10 }),
      livenessProbe: tcpProbe('http', { initialDelaySeconds: 120 }),
    },
  });
  return {
    componentId: 'kibana',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'kibana', name, ns),
      secret(s, 'kibana', 'kibana-encryption-keys', ns, v => ({
        encryptedSavedObjects: v.kibanaEncryptionKey,
        reporting: v.kibanaReportingKey,
        security: v.kibanaSecurityKey,
      })),
      ...objects,
      service(s, 'kibana', name, ns, selectorFor('kibana', name), [
        { name: 'http', port: 5601, targetPort: 'http' as any },
      ]),
      ingress(
        s,
        'kibana',
        name,
        ns,
        hostsOf(s).kibana,
        [{ path: '/', service: name, port: 5601 }],
        {
          ...OAUTH2_AUTH_ANNOTATIONS(s),
        },
      ),
    ],
  };
}
