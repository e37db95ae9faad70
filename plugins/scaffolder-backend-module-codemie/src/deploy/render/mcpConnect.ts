/** MCP Connect (`codemie` / `codemie-mcp-connect-service`): StatefulSet + headless Service, uid 1001. */
import {
  httpProbe,
  selectorFor,
  service,
  serviceAccount,
  sizedOf,
} from './common';
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

export function renderMcpConnect(s: DeploySettings): RenderedComponent {
  const sized = sizedOf(s, 'mcp-connect')!;
  const ns = sized.namespace;
  const name = 'codemie-mcp-connect-service';
  const { objects, workload: w } = workload(s, 'mcp-connect', {
    kind: 'StatefulSet',
    name,
    sized,
    serviceAccountName: name,
    serviceName: `${name}-headless`,
    privateImage: true,
    runAsUser: 1001,
    podSecurityContext: { fsGroup: 1001 },
    container: {
      name: 'mcp-connect',
      image: s.images['mcp-connect'],
      ports: [{ name: 'http', containerPort: 3000 }],
      livenessProbe: httpProbe('/health', 'http'),
      readinessProbe: httpProbe('/health', 'http'),
    },
  });
  const selector = selectorFor('mcp-connect', name);
  const ports = [{ name: 'http', port: 3000, targetPort: 'http' as any }];
  return {
    componentId: 'mcp-connect',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'mcp-connect', name, ns),
      ...objects,
      service(s, 'mcp-connect', name, ns, selector, ports),
      service(s, 'mcp-connect', `${name}-headless`, ns, selector, ports, {
        headless: true,
      }),
    ],
  };
}
