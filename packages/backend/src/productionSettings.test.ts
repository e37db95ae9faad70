import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  PRODUCTION_SETTINGS,
  isProductionRun,
  missingProductionSettings,
  missingSettingsMessage,
} from './productionSettings';

/** A production environment with every required setting. */
const complete: Record<string, string> = {
  NODE_ENV: 'production',
  APP_BASE_URL: 'https://portal.example.com',
  BACKEND_BASE_URL: 'https://portal.example.com',
  POSTGRES_HOST: '10.0.0.5',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'backstage',
  POSTGRES_PASSWORD: 'secret',
  AUTH_GOOGLE_CLIENT_ID: 'id.apps.googleusercontent.com',
  AUTH_GOOGLE_CLIENT_SECRET: 'client-secret',
};

describe('missingProductionSettings', () => {
  it('is empty when every setting is there', () => {
    expect(missingProductionSettings(complete)).toEqual([]);
  });

  it('names every unset or blank variable, not only the first', () => {
    const { BACKEND_BASE_URL, AUTH_GOOGLE_CLIENT_SECRET, ...rest } = complete;
    const missing = missingProductionSettings({ ...rest, POSTGRES_HOST: ' ' });
    expect(missing.map(s => s.name)).toEqual([
      'BACKEND_BASE_URL',
      'POSTGRES_HOST',
      'AUTH_GOOGLE_CLIENT_SECRET',
    ]);
  });

  it('asks for NODE_ENV=production, without which the guest provider signs anyone in', () => {
    expect(
      missingProductionSettings({ ...complete, NODE_ENV: 'development' }).map(
        s => s.name,
      ),
    ).toEqual(['NODE_ENV']);
  });

  it('covers every variable app-config.production.yaml reads', () => {
    // A variable added to the production config without being checked would silently take
    // app-config.yaml's local value when unset.
    const productionConfig = readFileSync(
      resolve(__dirname, '../../../app-config.production.yaml'),
      'utf8',
    );
    const referenced = new Set(
      [...productionConfig.matchAll(/(?<!\$)\$\{([A-Z0-9_]+)\}/g)].map(
        m => m[1],
      ),
    );
    expect([...referenced].sort()).toEqual(
      PRODUCTION_SETTINGS.map(s => s.name).sort(),
    );
  });
});

describe('missingSettingsMessage', () => {
  it('names each missing variable and what it configures, never a value', () => {
    const message = missingSettingsMessage(
      missingProductionSettings({
        ...complete,
        BACKEND_BASE_URL: '',
        POSTGRES_PASSWORD: '',
      }),
    );
    expect(message).toContain(
      '2 required production settings are missing: BACKEND_BASE_URL, POSTGRES_PASSWORD',
    );
    expect(message).toContain('BACKEND_BASE_URL: backend.baseUrl');
    expect(message).not.toContain('client-secret');
  });
});

describe('isProductionRun', () => {
  it('is a production run under NODE_ENV=production', () => {
    expect(isProductionRun({ env: { NODE_ENV: 'production' }, argv: [] })).toBe(
      true,
    );
  });

  it('is a production run with the production config, in either --config form', () => {
    for (const argv of [
      ['--config', 'app-config.yaml', '--config', 'app-config.production.yaml'],
      ['--config=/app/app-config.production.yaml'],
      ['--config', '../../app-config.production.local.yaml'],
    ]) {
      expect(isProductionRun({ env: {}, argv })).toBe(true);
    }
  });

  it('is not a production run for the local portal', () => {
    expect(
      isProductionRun({
        env: { NODE_ENV: 'development' },
        argv: ['--config', 'app-config.yaml'],
      }),
    ).toBe(false);
  });
});
