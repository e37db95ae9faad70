/** CodeMie UI (`codemie` / `codemie-ui`): nginx on 8080, `GET /healthcheck`, ingress `/`. */
import {
  hostsOf,
  httpProbe,
  ingress,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { OAUTH2_AUTH_ANNOTATIONS } from './oauth2Proxy';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

export function renderCodemieUi(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'codemie-ui')!;
  const ns = sized.namespace;
  const name = 'codemie-ui';
  const { objects, workload: w } = workload(s, 'codemie-ui', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: name,
    privateImage: true,
    container: {
      name: 'codemie-ui',
      image: s.images['codemie-ui'],
      ports: [{ name: 'http', containerPort: 8080 }],
      livenessProbe: httpProbe('/healthcheck', 'http'),
      readinessProbe: httpProbe('/healthcheck', 'http'),
    },
  });
  return {
    componentId: 'codemie-ui',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'codemie-ui', name, ns),
      ...objects,
      service(s, 'codemie-ui', name, ns, selectorFor('codemie-ui', name), [
        { name: 'http', port: 8080, targetPort: 'http' as any },
      ]),
      ingress(
        s,
        'codemie-ui',
        name,
        ns,
        hostsOf(s).codemie,
        [
          {
            path: '/(.*)',
            pathType: 'ImplementationSpecific',
            service: name,
            port: 8080,
          },
        ],
        {
          'nginx.ingress.kubernetes.io/use-regex': 'true',
          ...OAUTH2_AUTH_ANNOTATIONS(s),
        },
      ),
    ],
  };
}
