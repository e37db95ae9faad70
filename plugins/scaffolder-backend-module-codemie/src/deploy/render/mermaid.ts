/** Mermaid server (`codemie` / `mermaid-server`): port 8000, TCP probes. */
import {
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
  tcpProbe,
} from './common';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

export function renderMermaid(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'mermaid-server')!;
  const ns = sized.namespace;
  const name = 'mermaid-server';
  const { objects, workload: w } = workload(s, 'mermaid-server', {
    kind: 'Deployment',
    name,
    sized,
    serviceAccountName: name,
    privateImage: true,
    container: {
      name: 'mermaid-server',
      image: s.images['mermaid-server'],
      ports: [{ name: 'http', containerPort: 8000 }],
      livenessProbe: tcpProbe('http'),
      readinessProbe: tcpProbe('http'),
    },
  });
  return {
    componentId: 'mermaid-server',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'mermaid-server', name, ns),
      ...objects,
      service(
        s,
        'mermaid-server',
        name,
        ns,
        selectorFor('mermaid-server', name),
        [{ name: 'http', port: 8000, targetPort: 'http' as any }],
      ),
    ],
  };
}
