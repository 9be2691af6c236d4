// The README's commands as a user runs them, compiled (`npm run db:seed` and `npm run token` run
// these files): they once crashed with ReflectMetadataMissingError before doing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokens } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config/config.js';
import { DEMO_PASSWORD } from '../../src/seed/demo-data.js';
import { compiledEnvironment, hasServers, runCompiled, sql, type CompiledEnvironment } from '../harness/compiled.js';

const NURSE = 'nurse.akwa@demo.clinic-graph.test';

describe.skipIf(!hasServers())('compiled commands', () => {
  let development: CompiledEnvironment;
  beforeAll(async () => {
    development = await compiledEnvironment();
  });
  afterAll(async () => {
    await development?.drop();
  });

  it('db:seed loads the demo data once, with the development password, and token prints a working token', async () => {
    const first = await runCompiled('seed', [], development.env);
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Demo data loaded: \{.*"clinics":4.*"passwords":\d+/m);
    expect(first.stdout).toContain(`password ${DEMO_PASSWORD} (development only)`);
    const [{ withPassword }] = await sql<{ withPassword: number }>(
      development.databaseUrl,
      `SELECT count(*)::int AS "withPassword" FROM users WHERE email LIKE '%@demo.clinic-graph.test' AND password_hash IS NOT NULL`,
    );
    expect(withPassword).toBeGreaterThanOrEqual(5);

    const again = await runCompiled('seed', [], development.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Demo data already present; nothing changed.');

    const token = await runCompiled('token', [NURSE], development.env);
    expect(token.stderr).toBe('');
    expect(token.code).toBe(0);
    const subject = await new AccessTokens(loadConfig({}).tokens).verify(printed(token.stdout).join(''));
    expect(subject).not.toBeNull();
    const [user] = await sql<{ email: string }>(development.databaseUrl, 'SELECT email FROM users WHERE id = $1', [subject!.userId]);
    expect(user.email).toBe(NURSE);

    const unknown = await runCompiled('token', ['nobody@demo.clinic-graph.test'], development.env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no active account for nobody@demo.clinic-graph.test');
    expect(printed(unknown.stdout)).toEqual([]);
  }, 120_000);

  it('db:seed in production gives the demo accounts no password, and token refuses to run', async () => {
    const production = await compiledEnvironment({
      NODE_ENV: 'production',
      TOKEN_SECRET: 'p'.repeat(40),
      APP_URL: 'https://app.example.org',
      PRESCRIPTION_SIGNING_KEY: 'rx-test-1:BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc',
    });
    try {
      const seeded = await runCompiled('seed', [], production.env);
      expect(seeded.code).toBe(0);
      expect(seeded.stdout).not.toContain(DEMO_PASSWORD);
      const [{ withPassword }] = await sql<{ withPassword: number }>(
        production.databaseUrl,
        'SELECT count(*)::int AS "withPassword" FROM users WHERE password_hash IS NOT NULL',
      );
      expect(withPassword).toBe(0);
      const token = await runCompiled('token', [NURSE], production.env);
      expect(token.code).not.toBe(0);
      expect(token.stdout).toBe('');
      expect(token.stderr).toContain('npm run token is for development only');
    } finally {
      await production.drop();
    }
  }, 120_000);
});

/**
 * What a command printed for its user: its output less the log's JSON lines (a slow Redis on a
 * loaded machine makes the command log a warning there, which is not what it prints).
 */
function printed(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('{"level":'));
}
