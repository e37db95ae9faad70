import { componentOfLabels, rowOf } from './componentOfPod';

describe('componentOfLabels', () => {
  it('reads the component label the deploy action sets', () => {
    expect(
      componentOfLabels({ 'app.kubernetes.io/component': 'codemie-api' }),
    ).toBe('codemie-api');
    expect(
      componentOfLabels({ 'app.kubernetes.io/component': 'keycloak-db' }),
    ).toBe('keycloak-db');
  });

  it("falls back to the charts' own names when the component label is a chart role", () => {
    // The elastic chart labels its pods component=master; bitnami postgresql component=primary.
    expect(
      componentOfLabels({
        'app.kubernetes.io/component': 'master',
        app: 'elasticsearch-master',
      }),
    ).toBe('elasticsearch');
    expect(
      componentOfLabels({
        'app.kubernetes.io/component': 'primary',
        'app.kubernetes.io/name': 'keycloak-postgresql',
      }),
    ).toBe('keycloak-db');
    expect(componentOfLabels({ 'app.kubernetes.io/name': 'litellm' })).toBe(
      'llm-proxy',
    );
    expect(
      componentOfLabels({
        'app.kubernetes.io/instance': 'codemie-mcp-connect-service',
      }),
    ).toBe('mcp-connect');
  });

  it('ignores objects that are not CodeMie', () => {
    expect(
      componentOfLabels({ 'app.kubernetes.io/name': 'ingress-nginx' }),
    ).toBeUndefined();
    expect(componentOfLabels(undefined)).toBeUndefined();
  });

  it('reports companions under their seed row', () => {
    expect(rowOf('keycloak-db')).toBe('keycloak');
    expect(rowOf('nats-auth-callout')).toBe('nats');
    expect(rowOf('codemie-api')).toBe('codemie-api');
  });
});
