/*
 * The production settings the backend refuses to start without.
 *
 * app-config.production.yaml takes its settings from environment variables (`${VAR}`). Backstage's
 * config loader substitutes an unset variable with `undefined` and drops the key, so the value of
 * app-config.yaml underneath shows through: an unset BACKEND_BASE_URL silently became
 * http://localhost:7007, an unset POSTGRES_HOST left the PostgreSQL client to try localhost.
 * Rather than start half-configured, the backend checks the environment first and names
 * everything missing at once.
 */
import { basename } from 'node:path';

/** An environment variable app-config.production.yaml reads, and what it configures. */
export interface ProductionSetting {
  /** The environment variable. */
  name: string;
  /** The setting it fills, for the refusal message. */
  purpose: string;
}

/**
 * Every environment variable app-config.production.yaml reads; all are required.
 *
 * Not listed: service-to-service credentials. The new backend system signs plugin-to-plugin
 * tokens with per-plugin keys it generates and keeps in the database (`backend.auth.pluginKeyStore`
 * defaults to `database`); `backend.auth.keys` only configures deprecated legacy external tokens.
 */
export const PRODUCTION_SETTINGS: ReadonlyArray<ProductionSetting> = [
  { name: 'APP_BASE_URL', purpose: 'app.baseUrl, the URL users open' },
  {
    name: 'BACKEND_BASE_URL',
    purpose: 'backend.baseUrl, the URL the app calls the backend at',
  },
  { name: 'POSTGRES_HOST', purpose: 'backend.database.connection.host' },
  { name: 'POSTGRES_PORT', purpose: 'backend.database.connection.port' },
  { name: 'POSTGRES_USER', purpose: 'backend.database.connection.user' },
  {
    name: 'POSTGRES_PASSWORD',
    purpose: 'backend.database.connection.password',
  },
  {
    name: 'AUTH_GOOGLE_CLIENT_ID',
    purpose: 'auth.providers.google.production.clientId (Google sign-in)',
  },
  {
    name: 'AUTH_GOOGLE_CLIENT_SECRET',
    purpose: 'auth.providers.google.production.clientSecret (Google sign-in)',
  },
];

/** The production config file; its presence on the command line means a production run. */
const PRODUCTION_CONFIG = /^app-config\.production(\.[^/]*)?\.ya?ml$/;

/** The `--config` files on a backend command line (`--config f` and `--config=f`). */
function configFiles(argv: ReadonlyArray<string>): string[] {
  const files: string[] = [];
  argv.forEach((arg, i) => {
    if (arg === '--config' && i + 1 < argv.length) files.push(argv[i + 1]);
    else if (arg.startsWith('--config=')) files.push(arg.slice(9));
  });
  return files;
}

/**
 * Whether this is a production run: `NODE_ENV=production` (as Backstage's Dockerfile sets it), or
 * app-config.production.yaml among the `--config` files.
 */
export function isProductionRun(options: {
  env: Readonly<Record<string, string | undefined>>;
  argv: ReadonlyArray<string>;
}): boolean {
  return (
    options.env.NODE_ENV === 'production' ||
    configFiles(options.argv).some(file =>
      PRODUCTION_CONFIG.test(basename(file)),
    )
  );
}

/**
 * The production settings missing from `env`: each variable of {@link PRODUCTION_SETTINGS} that
 * is unset or blank, and `NODE_ENV` when it is not `production` (anything else lets the guest
 * provider of the local portal sign people in, and makes Backstage serve development error
 * details). Empty when nothing is missing.
 */
export function missingProductionSettings(
  env: Readonly<Record<string, string | undefined>>,
): ProductionSetting[] {
  const missing = PRODUCTION_SETTINGS.filter(
    setting => !env[setting.name]?.trim(),
  );
  if (env.NODE_ENV !== 'production') {
    missing.push({
      name: 'NODE_ENV',
      purpose: 'must be "production" for the production configuration',
    });
  }
  return missing;
}

/** One message naming every missing setting, for the log of a backend that refuses to start. */
export function missingSettingsMessage(
  missing: ReadonlyArray<ProductionSetting>,
): string {
  return [
    `Refusing to start: ${missing.length} required production setting${
      missing.length === 1 ? ' is' : 's are'
    } missing: ${missing.map(s => s.name).join(', ')}`,
    ...missing.map(s => `  ${s.name}: ${s.purpose}`),
    'Set them in the environment (see the "Production" section of README.md).',
  ].join('\n');
}
