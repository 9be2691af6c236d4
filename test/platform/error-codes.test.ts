// Every error code the API can send is listed in the README, with when it is sent and its HTTP
// status: our codes (the errors module), the request errors we let through (client-error.ts), and
// any `code: '...'` written elsewhere in the source (the HTTP edge's own answers). A code in the
// README that the API no longer sends fails too.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REQUEST_ERROR_CODES } from '../../src/errors/client-error.js';
import { ERROR_CODES } from '../../src/errors/errors.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

/** `code: 'X'` and `code = 'X'` in the source: codes sent without going through the errors module. */
function codesInSource(): Set<string> {
  const found = new Set<string>();
  for (const file of sourceFiles('src')) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bcode:\s*'([A-Z][A-Z0-9_]+)'/g)) found.add(match[1]);
  }
  return found;
}

/** The codes of the README's table of error codes: rows starting with a code in backticks. */
function codesInReadme(): Set<string> {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('| code | HTTP status | sent when |'));
  const table = section.slice(0, section.search(/\n(?!\|)/));
  return new Set([...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]));
}

describe('error codes', () => {
  it('are each listed in the README with their HTTP status and when they are sent, and the README lists no other', () => {
    const sent = new Set([...ERROR_CODES, ...REQUEST_ERROR_CODES, ...codesInSource()]);
    const listed = codesInReadme();
    expect(sent.size).toBeGreaterThan(10);
    expect([...sent].filter((code) => !listed.has(code)).sort(), 'sent but not in the README').toEqual([]);
    expect([...listed].filter((code) => !sent.has(code)).sort(), 'in the README but never sent').toEqual([]);
  });
});
