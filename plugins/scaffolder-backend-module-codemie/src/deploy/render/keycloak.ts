/**
 * Keycloak (`security` / `keycloak`, keycloakx-style StatefulSet) and its database: the
 * architecture page's "Keycloak + DB" row. The database is the `keycloak` database of the
 * environment's Cloud SQL instance, which the plan creates and prices; no database runs in the
 * cluster, so the planner reserves nothing for one.
 */
import {
  env,
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
import { workload } from './workload';
import type { DeploySettings, RenderedComponent } from './types';

/** The Keycloak realm CodeMie uses. @internal */
export const KEYCLOAK_REALM = 'codemie-prod';

const DB_NAME = 'keycloak-postgresql';

export function renderKeycloak(s: DeploySettings): RenderedComponent[] {
  const sized = sizedOf(s, 'keycloak')!;
  const ns = sized.namespace;
  const name = 'keycloak';
  if (!s.database.keycloakOnCloudSql) {
    throw new Error(
      "Keycloak's database is the Cloud SQL `keycloak` database: give its password secret (database.secrets.keycloak, " +
        "the provision step's databaseSecrets output)",
    );
  }
  const dbSecret = secret(
    s,
    'keycloak',
    DB_NAME,
    ns,
    v => ({ username: 'keycloak', password: v.keycloakDbPassword }),
    {
      annotations: {
        'codemie.ai/cloudsql-instance': s.database.connectionName,
      },
    },
  );
  const { objects, workload: w } = workload(s, 'keycloak', {
    kind: 'StatefulSet',
    name,
    sized,
    serviceAccountName: name,
    serviceName: `${name}-headless`,
    runAsUser: 1000,
    container: {
      name: 'keycloak',
      image: s.images.keycloak,
      args: ['start'],
      ports: [
        { name: 'http', containerPort: 8080 },
        { name: 'management', containerPort: 9000 },
      ],
      env: [
        env('KC_DB', 'postgres'),
        env('KC_DB_URL_HOST', s.database.host),
        env('KC_DB_URL_PORT', '5432'),
        env('KC_DB_URL_DATABASE', 'keycloak'),
        envFromSecret('KC_DB_USERNAME', DB_NAME, 'username'),
        envFromSecret('KC_DB_PASSWORD', DB_NAME, 'password'),
        envFromSecret(
          'KC_BOOTSTRAP_ADMIN_USERNAME',
          'keycloak-admin',
          'username',
        ),
        envFromSecret(
          'KC_BOOTSTRAP_ADMIN_PASSWORD',
          'keycloak-admin',
          'password',
        ),
        // the CodeMie GCP docs (https://codemie-ai.github.io/docs, read 2026-11): the admin console is at https://keycloak.<domain>/auth/admin.
        env('KC_HTTP_RELATIVE_PATH', '/auth'),
        env('KC_HOSTNAME', `https://${hostsOf(s).keycloak}/auth`),
        env('KC_HTTP_ENABLED', 'true'),
        env('KC_PROXY_HEADERS', 'xforwarded'),
        env('KC_HEALTH_ENABLED', 'true'),
        env('KC_CACHE', sized.replicas > 1 ? 'ispn' : 'local'),
        env('JAVA_OPTS_KC_HEAP', '-XX:MaxRAMPercentage=70'),
      ],
      startupProbe: httpProbe('/auth/health/started', 'management', {
        failureThreshold: 60,
      }),
      livenessProbe: httpProbe('/auth/health/live', 'management'),
      readinessProbe: httpProbe('/auth/health/ready', 'management'),
    },
  });
  const selector = selectorFor('keycloak', name);
  const keycloak: RenderedComponent = {
    componentId: 'keycloak',
    displayName: sized.displayName,
    workloads: [w],
    objects: [
      serviceAccount(s, 'keycloak', name, ns),
      secret(s, 'keycloak', 'keycloak-admin', ns, v => ({
        username: 'admin',
        password: v.keycloakAdminPassword,
      })),
      dbSecret,
      ...objects,
      service(s, 'keycloak', 'keycloak-http', ns, selector, [
        { name: 'http', port: 80, targetPort: 'http' as any },
      ]),
      service(
        s,
        'keycloak',
        `${name}-headless`,
        ns,
        selector,
        [{ name: 'http', port: 8080, targetPort: 'http' as any }],
        {
          headless: true,
        },
      ),
      ingress(s, 'keycloak', name, ns, hostsOf(s).keycloak, [
        { path: '/', service: 'keycloak-http', port: 80 },
      ]),
    ],
  };
  return [keycloak];
}
