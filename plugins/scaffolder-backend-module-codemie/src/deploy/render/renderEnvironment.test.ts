import { V1Container } from '@kubernetes/client-node';
import { settingsFor, secretValues, sizing } from '../__testUtils__/fixtures';
import { PUBLIC_IMAGE_DEFAULTS } from './images';
import {
  DEPLOY_LABELS,
  SECRET_VALUES_OMITTED_ANNOTATION,
  renderEnvironment,
  summarizeRender,
} from '.';

const workloadKinds = ['Deployment', 'StatefulSet', 'DaemonSet'];

function workloadsOf(settings = settingsFor()) {
  return renderEnvironment(settings)
    .flatMap(c => c.objects)
    .filter(o => workloadKinds.includes(o.kind!)) as any[];
}

function byComponent(id: string, settings = settingsFor()) {
  return workloadsOf(settings).filter(
    o => o.metadata.labels[DEPLOY_LABELS.component] === id,
  );
}

describe('renderEnvironment', () => {
  it("renders the seed table's sizes for every pod of the production tier, cell by cell", () => {
    // The architecture page's table, "500+ concurrent users": pods, RAM, vCPU, storage.
    // "1 + 1" rows: NATS and its auth callout (RAM/vCPU per pod, as every row); Keycloak's "DB"
    // is the Cloud SQL keycloak database, so no pod.
    const seed: Array<
      [string, string, number | 'per node', string, string, string?]
    > = [
      ['codemie-api', 'Deployment', 2, '8Gi', '4'],
      ['codemie-ui', 'Deployment', 1, '128Mi', '100m'],
      ['elasticsearch', 'StatefulSet', 2, '16Gi', '4', '200Gi'],
      ['kibana', 'Deployment', 1, '1Gi', '1'],
      ['mermaid-server', 'Deployment', 1, '512Mi', '1'],
      ['keycloak', 'StatefulSet', 1, '4Gi', '2'],
      ['oauth2-proxy', 'Deployment', 1, '128Mi', '100m'],
      ['nats', 'StatefulSet', 1, '512Mi', '1'],
      ['nats-auth-callout', 'Deployment', 1, '512Mi', '1'],
      ['mcp-connect', 'StatefulSet', 1, '1Gi', '500m'],
      ['fluent-bit', 'DaemonSet', 'per node', '128Mi', '100m'],
      ['llm-proxy', 'Deployment', 1, '1Gi', '1'],
    ];
    for (const [id, kind, pods, memory, cpu, storage] of seed) {
      const [w, ...more] = byComponent(id);
      expect({ id, more: more.length }).toEqual({ id, more: 0 });
      expect({ id, kind: w.kind }).toEqual({ id, kind });
      expect({ id, replicas: w.spec.replicas }).toEqual({
        id,
        replicas: pods === 'per node' ? undefined : pods,
      });
      const containers: V1Container[] = w.spec.template.spec.containers;
      expect({ id, containers: containers.length }).toEqual({
        id,
        containers: 1,
      });
      expect({ id, requests: containers[0].resources?.requests }).toEqual({
        id,
        requests: { cpu, memory },
      });
      // Limits policy: memory limit = request, CPU limit = 2 × request.
      expect({
        id,
        memoryLimit: containers[0].resources?.limits?.memory,
      }).toEqual({ id, memoryLimit: memory });
      const claims = w.spec.volumeClaimTemplates ?? [];
      expect({
        id,
        storage: claims[0]?.spec.resources.requests.storage,
      }).toEqual({ id, storage });
      expect({ id, storageClass: claims[0]?.spec.storageClassName }).toEqual({
        id,
        storageClass: storage ? 'codemie-pd-balanced' : undefined,
      });
    }
    // The only workload outside the seed's table is the ingress controller.
    const seeded = new Set(seed.map(row => row[0]));
    expect(
      workloadsOf()
        .map(w => w.metadata.labels[DEPLOY_LABELS.component])
        .filter(id => !seeded.has(id)),
    ).toEqual(['ingress-nginx']);
  });

  it('puts the environment labels on every object and every pod template', () => {
    const settings = settingsFor({ kubernetesId: 'codemie-dev-prod' });
    const expected = {
      'app.kubernetes.io/part-of': 'codemie',
      'codemie.ai/environment': 'codemie-dev',
      'backstage.io/kubernetes-id': 'codemie-dev-prod',
    };
    for (const c of renderEnvironment(settings)) {
      for (const o of c.objects as any[]) {
        expect({
          object: `${o.kind}/${o.metadata.name}`,
          labels: o.metadata.labels,
        }).toEqual({
          object: `${o.kind}/${o.metadata.name}`,
          labels: expect.objectContaining({
            ...expected,
            'app.kubernetes.io/component': c.componentId,
          }),
        });
      }
      for (const o of c.objects.filter(
        x => (x as any).spec?.template,
      ) as any[]) {
        expect(o.spec.template.metadata.labels).toMatchObject({
          ...expected,
          'app.kubernetes.io/component': c.componentId,
        });
      }
    }
  });

  it('keeps replicas of the API and Elasticsearch apart, as the planner placed them, and guards them with PDBs', () => {
    for (const id of ['codemie-api', 'elasticsearch']) {
      const [w] = byComponent(id);
      const term =
        w.spec.template.spec.affinity.podAntiAffinity
          .requiredDuringSchedulingIgnoredDuringExecution[0];
      expect(term.topologyKey).toBe('kubernetes.io/hostname');
      expect(term.labelSelector.matchLabels).toEqual(
        w.spec.selector.matchLabels,
      );
      expect(w.spec.template.spec.topologySpreadConstraints[0]).toMatchObject({
        topologyKey: 'topology.kubernetes.io/zone',
        maxSkew: 1,
        whenUnsatisfiable: 'DoNotSchedule',
      });
    }
    const pdbs = renderEnvironment(settingsFor())
      .flatMap(c => c.objects)
      .filter(o => o.kind === 'PodDisruptionBudget')
      .map(o => o.metadata!.name);
    expect(pdbs.sort()).toEqual(['codemie-api', 'elasticsearch-master']);
    expect(
      byComponent('kibana')[0].spec.template.spec.affinity,
    ).toBeUndefined();
  });

  it('exposes the ingress through an external load balancer for the allowed networks only (public)', () => {
    const lb = renderEnvironment(settingsFor())
      .flatMap(c => c.objects)
      .find(
        o =>
          o.kind === 'Service' &&
          (o as any).spec.type === 'LoadBalancer' &&
          o.metadata?.namespace === 'ingress-nginx',
      ) as any;
    expect(lb.spec.loadBalancerSourceRanges).toEqual([
      '203.0.113.0/24',
      '198.51.100.7/32',
    ]);
    expect(
      lb.metadata.annotations?.['networking.gke.io/load-balancer-type'],
    ).toBeUndefined();
  });

  it('uses an internal load balancer for the private option', () => {
    const lb = renderEnvironment(
      settingsFor({ option: 'private', allowedNetworks: undefined }),
    )
      .flatMap(c => c.objects)
      .find(
        o =>
          o.kind === 'Service' &&
          o.metadata?.name === 'ingress-nginx-controller',
      ) as any;
    expect(lb.spec.type).toBe('LoadBalancer');
    expect(
      lb.metadata.annotations['networking.gke.io/load-balancer-type'],
    ).toBe('Internal');
    expect(lb.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  it("pins the ingress load balancer to provisioning's reserved address, which the DNS records name", () => {
    const lbOf = (settings: ReturnType<typeof settingsFor>) =>
      renderEnvironment(settings)
        .flatMap(c => c.objects)
        .find(
          o =>
            o.kind === 'Service' &&
            o.metadata?.name === 'ingress-nginx-controller',
        ) as any;
    expect(
      lbOf(settingsFor({ ingressAddress: '34.120.5.6' })).spec.loadBalancerIP,
    ).toBe('34.120.5.6');
    expect(lbOf(settingsFor()).spec.loadBalancerIP).toBeUndefined();
  });

  it('serves codemie., keycloak. and kibana.<domain>, the API under /code-assistant-api rewritten to /', () => {
    const components = renderEnvironment(settingsFor());
    expect(summarizeRender(components).ingressHosts).toEqual([
      'codemie.codemie.example.com',
      'keycloak.codemie.example.com',
      'kibana.codemie.example.com',
    ]);
    const api = components
      .flatMap(c => c.objects)
      .find(
        o => o.kind === 'Ingress' && o.metadata?.name === 'codemie-api',
      ) as any;
    expect(api.spec.rules[0].http.paths[0].path).toBe(
      '/code-assistant-api/(.*)',
    );
    expect(
      api.metadata.annotations['nginx.ingress.kubernetes.io/rewrite-target'],
    ).toBe('/$1');
  });

  it('binds the API and LiteLLM service accounts to the Google service account (Workload Identity)', () => {
    const sas = renderEnvironment(settingsFor())
      .flatMap(c => c.objects)
      .filter(
        o =>
          o.kind === 'ServiceAccount' &&
          o.metadata?.annotations?.['iam.gke.io/gcp-service-account'],
      );
    expect(
      sas.map(o => `${o.metadata!.namespace}/${o.metadata!.name}`).sort(),
    ).toEqual(['codemie/codemie-api', 'litellm/litellm']);
    expect(
      sas[0].metadata!.annotations!['iam.gke.io/gcp-service-account'],
    ).toBe('codemie-dev-codemie@acme-ai-platform.iam.gserviceaccount.com');
  });

  it('leaves out NATS and the LLM proxy (and its namespace) when the inputs do', () => {
    const settings = settingsFor({
      sizing: sizing({ includeNats: false, llmProxyType: 'external' }),
    });
    const components = renderEnvironment(settings);
    const ids = components.map(c => c.componentId);
    expect(ids).not.toEqual(expect.arrayContaining(['nats']));
    expect(ids).not.toContain('nats-auth-callout');
    expect(ids).not.toContain('llm-proxy');
    const namespaces = components
      .flatMap(c => c.objects)
      .filter(o => o.kind === 'Namespace')
      .map(o => o.metadata!.name);
    expect(namespaces).toEqual([
      'codemie',
      'elastic',
      'security',
      'oauth2-proxy',
      'fluentbit',
      'ingress-nginx',
    ]);
    const env = byComponent(
      'codemie-api',
      settings,
    )[0].spec.template.spec.containers[0].env.map((e: any) => e.name);
    expect(env).not.toContain('LITE_LLM_URL');
    expect(env).not.toContain('NATS_URL');
  });

  it('gives Keycloak the Cloud SQL database and runs no database in the cluster (the plan reserves none)', () => {
    const settings = settingsFor();
    expect(renderEnvironment(settings).map(c => c.componentId)).not.toContain(
      'keycloak-db',
    );
    const kc = byComponent('keycloak', settings)[0].spec.template.spec
      .containers[0].env;
    expect(kc.find((e: any) => e.name === 'KC_DB_URL_HOST').value).toBe(
      '10.40.0.3',
    );
    expect(() =>
      renderEnvironment(
        settingsFor({
          database: {
            host: '10.40.0.3',
            connectionName: 'acme-ai-platform:europe-west1:codemie-dev-pg',
            secrets: { codemie: 'a' },
          },
        }),
      ),
    ).toThrow(/Cloud SQL `keycloak` database/);
  });

  it('ranks pods by size with the priority classes the planner checked, and creates them', () => {
    const components = renderEnvironment(settingsFor());
    const classes = components
      .flatMap(c => c.objects)
      .filter(o => o.kind === 'PriorityClass') as any[];
    expect(classes.map(c => [c.metadata.name, c.value])).toEqual([
      ['codemie-placement-large', 3000],
      ['codemie-placement-medium', 2000],
      ['codemie-placement-small', 1000],
    ]);
    const classOf = (id: string) =>
      byComponent(id)[0].spec.template.spec.priorityClassName;
    // The 4-vCPU pods land first and may preempt the small ones.
    expect(classOf('codemie-api')).toBe('codemie-placement-large');
    expect(classOf('elasticsearch')).toBe('codemie-placement-large');
    expect(classOf('kibana')).toBe('codemie-placement-medium');
    expect(classOf('codemie-ui')).toBe('codemie-placement-small');
    expect(classOf('ingress-nginx')).toBe('codemie-placement-small');
    expect(classOf('fluent-bit')).toBe('codemie-placement-large');
    for (const w of workloadsOf())
      expect(classes.map(c => c.metadata.name)).toContain(
        w.spec.template.spec.priorityClassName,
      );
  });

  it('renders Secrets without values unless given them, and base64 values when given', () => {
    const without = renderEnvironment(settingsFor())
      .flatMap(c => c.objects)
      .filter(o => o.kind === 'Secret') as any[];
    expect(without.length).toBeGreaterThan(5);
    for (const s of without) {
      expect(s.data).toBeUndefined();
      expect(s.metadata.annotations[SECRET_VALUES_OMITTED_ANNOTATION]).toBe(
        'omitted',
      );
    }
    const values = secretValues();
    const pg = renderEnvironment(settingsFor({}, values))
      .flatMap(c => c.objects)
      .find(
        o => o.kind === 'Secret' && o.metadata?.name === 'codemie-postgresql',
      ) as any;
    expect(Buffer.from(pg.data.PG_PASS, 'base64').toString()).toBe(
      values.codemieDbPassword,
    );
    expect(Buffer.from(pg.data.PG_HOST, 'base64').toString()).toBe('10.40.0.3');
  });

  it('summarises objects per component and the total requests of the tier', () => {
    const summary = summarizeRender(renderEnvironment(settingsFor()));
    const es = summary.components.find(c => c.id === 'elasticsearch')!;
    expect(es).toMatchObject({
      pods: 2,
      requests: { cpuMillis: 8000, memoryMiB: 32768 },
      storageGiB: 400,
    });
    expect(es.kinds).toMatchObject({
      StatefulSet: 1,
      Service: 2,
      PodDisruptionBudget: 1,
    });
    // The table's pods + the ingress controller (100m / 128Mi), DaemonSets excluded:
    // 8 + 0.1 + 8 + 1 + 1 + 2 + 0.1 + 1 + 1 + 0.5 + 1 + 0.1 = 23.8 CPU.
    expect(summary.totalRequests.cpuMillis).toBe(23800);
    expect(summary.perNodeRequests).toMatchObject({
      cpuMillis: 100,
      memoryMiB: 128,
    });
    expect(summary.objects).toBe(
      summary.components.reduce((n, c) => n + c.objects, 0),
    );
  });

  it('pins every public image to a release tag, never a rolling one (latest, main-stable)', () => {
    for (const [key, image] of Object.entries(PUBLIC_IMAGE_DEFAULTS)) {
      const tag = image.split(':').pop()!;
      expect({ key, tag }).toEqual({
        key,
        // major.minor[.patch], e.g. postgres 16.9, nats 2.10.22-alpine
        tag: expect.stringMatching(/^v?\d+\.\d+(\.\d+)?(-[a-z0-9.]+)?$/),
      });
    }
  });

  it('is deterministic: the same settings render the same objects', () => {
    const values = secretValues();
    expect(renderEnvironment(settingsFor({}, values))).toEqual(
      renderEnvironment(settingsFor({}, values)),
    );
  });
});
