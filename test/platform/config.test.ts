// The configuration stops the process at start with a message naming each bad variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  TOKEN_SECRET: 'x'.repeat(32),
  DATABASE_URL: 'postgresql://db/x',
  MONGODB_URL: 'mongodb://db',
  REDIS_URL: 'redis://r',
  APP_URL: 'https://app.example.org',
  PRESCRIPTION_SIGNING_KEY: 'rx-test-1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
};

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      isProduction: false,
      http: { host: '127.0.0.1', port: 4000 },
      mongo: { database: 'clinic' },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.scheduling).toEqual({ checkInWindowMinutes: 60 });
    expect(loadConfig({ CHECK_IN_WINDOW_MINUTES: '90' }).scheduling).toEqual({ checkInWindowMinutes: 90 });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://localhost/x' }, 'DATABASE_URL'],
    [{ MONGODB_URL: 'not a url' }, 'MONGODB_URL'],
    [{ REDIS_URL: 'http://localhost' }, 'REDIS_URL'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ TOKEN_SECRET: 'short' }, 'TOKEN_SECRET'],
    [{ NODE_ENV: 'production' }, 'TOKEN_SECRET'],
    [{ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32), MONGODB_URL: 'mongodb://db', REDIS_URL: 'redis://r' }, 'DATABASE_URL'],
    [{ NODE_ENV: 'production', TOKEN_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgresql://db/x', REDIS_URL: 'redis://r' }, 'MONGODB_URL'],
    [{ HOST: '0.0.0.0' }, 'TOKEN_SECRET'],
    [{ HOST: '0.0.0.0', TOKEN_SECRET: 'x'.repeat(32) }, 'PRESCRIPTION_SIGNING_KEY'],
    [{ FIRST_PARTY_CLIENTS: 'web, mobile app' }, 'FIRST_PARTY_CLIENTS'],
    [{ CHECK_IN_WINDOW_MINUTES: '-5' }, 'CHECK_IN_WINDOW_MINUTES'],
    [{ CHECK_IN_WINDOW_MINUTES: 'an hour' }, 'CHECK_IN_WINDOW_MINUTES'],
    [{ CORS_ORIGINS: 'https://app.example.org/' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: 'https://app.example.org, ftp://files.example.org' }, 'CORS_ORIGINS'],
    [{ EXPLORER: 'playground' }, 'EXPLORER'],
    [{ APP_URL: 'javascript:alert(1)' }, 'APP_URL'],
    [{ APP_URL: 'https://app.example.org/?next=1' }, 'APP_URL'],
    [{ ...PRODUCTION, APP_URL: undefined }, 'APP_URL'],
    [{ ...PRODUCTION, EXPLORER: 'graphiql' }, 'EXPLORER'],
    [{ ...PRODUCTION, PRESCRIPTION_SIGNING_KEY: undefined }, 'PRESCRIPTION_SIGNING_KEY'],
    [{ PRESCRIPTION_SIGNING_KEY: 'no-seed' }, 'PRESCRIPTION_SIGNING_KEY'],
    [{ PRESCRIPTION_SIGNING_KEY: 'k1:short' }, 'PRESCRIPTION_SIGNING_KEY'],
    [{ PRESCRIPTION_RETIRED_KEYS: 'k0:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc, nonsense' }, 'PRESCRIPTION_RETIRED_KEYS'],
  ])('refuses %j naming %s', (environment, variable) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}: `));
  });

  it('reads the prescription signing key and the retired keys', () => {
    const config = loadConfig({
      PRESCRIPTION_SIGNING_KEY: 'rx-2027:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
      PRESCRIPTION_RETIRED_KEYS: 'rx-2026:CAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg',
    });
    expect(config.prescriptionSigning.keyId).toBe('rx-2027');
    expect(config.prescriptionSigning.seed).toEqual(Buffer.alloc(32, 7));
    expect(config.prescriptionSigning.retired).toEqual([{ keyId: 'rx-2026', publicKey: Buffer.alloc(32, 8) }]);
  });

  it('reads the first-party client names as a comma-separated list', () => {
    expect(loadConfig({ FIRST_PARTY_CLIENTS: 'clinic-web, clinic-mobile,' }).firstPartyClients).toEqual(['clinic-web', 'clinic-mobile']);
    expect(loadConfig({}).firstPartyClients).toEqual([]);
  });

  it('allows localhost origins, the offline explorer and a local frontend by default in development only', () => {
    expect(loadConfig({})).toMatchObject({ cors: { origins: 'loopback' }, explorer: 'graphiql', appUrl: 'http://localhost:3000/' });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ cors: { origins: 'loopback' }, explorer: 'off' });
    expect(loadConfig(PRODUCTION)).toMatchObject({ cors: { origins: [] }, explorer: 'off', appUrl: 'https://app.example.org/' });
  });

  it('reads CORS_ORIGINS, EXPLORER and APP_URL', () => {
    const config = loadConfig({
      ...PRODUCTION,
      CORS_ORIGINS: 'https://app.example.org, http://localhost:5173',
      EXPLORER: 'off',
      APP_URL: 'https://example.org/clinic',
    });
    expect(config.cors.origins).toEqual(['https://app.example.org', 'http://localhost:5173']);
    expect(config.appUrl).toBe('https://example.org/clinic/');
    expect(loadConfig({ EXPLORER: 'sandbox' }).explorer).toBe('sandbox');
  });

  it('never prints the value it refuses', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' })).toThrow(/^(?![\s\S]*hunter2)/);
  });
});
