/**
 * Keycloak (`security` / `keycloak`, keycloakx-style StatefulSet) and its database: the seed's
 * "Keycloak + DB" row. The database is the in-cluster `keycloak-postgresql` StatefulSet
 * (keycloak-db) unless the environment gives Keycloak a Cloud SQL database.
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

/** The Keycloak realm CodeMie uses. @public */
export const KEYCLOAK_REALM = 'codemie-prod';

const DB_NAME = 'keycloak-postgresql';

export function renderKeycloak(s: DeploySettings): RenderedComponent[] {
  const sized = sizedOf(s, 'keycloak')!;
  const ns = sized.namespace;
  const name = 'keycloak';
  const onCloudSql = s.database.keycloakOnCloudSql;
  const dbSecret = secret(
    s,
    onCloudSql ? 'keycloak' : 'keycloak-db',
    DB_NAME,
    ns,
    v => ({ username: 'keycloak', password: v.keycloakDbPassword }),
    onCloudSql
      ? {
          annotations: {
            'codemie.ai/cloudsql-instance': s.database.connectionName,
          },
        }
      : {},
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
        env(
          'KC_DB_URL_HOST',
          onCloudSql ? s.database.host : `${DB_NAME}.${ns}.svc.cluster.local`,
        ),
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
        // codemie-facts.md: the admin console is at https://keycloak.<domain>/auth/admin.
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
      ...(onCloudSql ? [dbSecret] : []),
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
  if (onCloudSql) return [keycloak];

  const dbSized = sizedOf(s, 'keycloak-db')!;
  const db = workload(s, 'keycloak-db', {
    kind: 'StatefulSet',
    name: DB_NAME,
    sized: dbSized,
    serviceAccountName: DB_NAME,
    serviceName: `${DB_NAME}-headless`,
    dataVolume: true,
    runAsUser: 999,
    podSecurityContext: { fsGroup: 999 },
    container: {
      name: 'postgresql',
      image: s.images['keycloak-db'],
      ports: [{ name: 'postgresql', containerPort: 5432 }],
      env: [
        env('POSTGRES_DB', 'keycloak'),
        envFromSecret('POSTGRES_USER', DB_NAME, 'username'),
        envFromSecret('POSTGRES_PASSWORD', DB_NAME, 'password'),
        env('PGDATA', '/var/lib/postgresql/data/pgdata'),
      ],
      volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
      readinessProbe: {
        exec: {
          command: [
            'sh',
            '-c',
            'pg_isready -U "$POSTGRES_USER" -d keycloak -h 127.0.0.1',
          ],
        },
        initialDelaySeconds: 5,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 6,
      },
      livenessProbe: {
        exec: {
          command: [
            'sh',
            '-c',
            'pg_isready -U "$POSTGRES_USER" -d keycloak -h 127.0.0.1',
          ],
        },
        initialDelaySeconds: 30,
        periodSeconds: 10,
        timeoutSeconds: 5,
        failureThreshold: 6,
      },
    },
  });
  const dbSelector = selectorFor('keycloak-db', DB_NAME);
  const dbPorts = [
    { name: 'postgresql', port: 5432, targetPort: 'postgresql' as any },
  ];
  return [
    keycloak,
    {
      componentId: 'keycloak-db',
      displayName: dbSized.displayName,
      workloads: [db.workload],
      objects: [
        serviceAccount(s, 'keycloak-db', DB_NAME, ns),
        dbSecret,
        ...db.objects,
        service(s, 'keycloak-db', DB_NAME, ns, dbSelector, dbPorts),
        service(
          s,
          'keycloak-db',
          `${DB_NAME}-headless`,
          ns,
          dbSelector,
          dbPorts,
          { headless: true },
        ),
      ],
    },
  ];
}
