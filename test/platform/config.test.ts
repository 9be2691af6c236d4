// The configuration stops the process at start with a message naming each bad variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', isProduction: false, http: { host: '127.0.0.1', port: 4000 }, mongo: { database: 'clinic' } });
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
    [{ FIRST_PARTY_CLIENTS: 'web, mobile app' }, 'FIRST_PARTY_CLIENTS'],
    [{ CHECK_IN_WINDOW_MINUTES: '-5' }, 'CHECK_IN_WINDOW_MINUTES'],
    [{ CHECK_IN_WINDOW_MINUTES: 'an hour' }, 'CHECK_IN_WINDOW_MINUTES'],
  ])('refuses %j naming %s', (environment, variable) => {
    expect(() => loadConfig(environment)).toThrow(ConfigError);
    expect(() => loadConfig(environment)).toThrow(new RegExp(`^Invalid configuration:\\n  ${variable}: `));
  });

  it('reads the first-party client names as a comma-separated list', () => {
    expect(loadConfig({ FIRST_PARTY_CLIENTS: 'clinic-web, clinic-mobile,' }).firstPartyClients).toEqual(['clinic-web', 'clinic-mobile']);
    expect(loadConfig({}).firstPartyClients).toEqual([]);
  });

  it('never prints the value it refuses', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://admin:hunter2@db/x' })).toThrow(/^(?![\s\S]*hunter2)/);
  });
});
