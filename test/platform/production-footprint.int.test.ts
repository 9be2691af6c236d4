// Production holds no development tool. The compiled server (dist/, built by npm test) reaches the
// MongoDB stand-in, mingo, testcontainers and mongodb-memory-server only through import() in
// discovery, after the explicit choices production always makes; the image's dependencies (the
// Dockerfile's `deps` stage, run here as a dry run: there is no Docker engine) do not include them;
// and a production process, started and stopped, loads none of them.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../src/platform/paths.js';
import { hasServers, productionEnvironment, startProductionServer } from '../harness/compiled.js';

const DEVELOPMENT_TOOLS = ['@clinic-graph/mongo-standin', 'mingo', 'testcontainers', 'mongodb-memory-server'];
/**
 * Packages a production dependency loads only if they happen to be installed (debug's colours, in
 * a try/catch): here the development install has them, the image does not, and nothing misses them.
 */
const OPTIONAL_WHEN_PRESENT = new Set(['supports-color', 'has-flag']);
const DIST = path.join(PROJECT_ROOT, 'dist', 'src');
const rootPackage = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** A compiled file's static imports and re-exports, and its import() calls with a literal specifier. */
function importsOf(file: string): { fixed: string[]; dynamic: string[] } {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found = { fixed: [] as string[], dynamic: [] as string[] };
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.fixed.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.dynamic.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The files and packages reached from `entry` by static imports alone: what loading it loads. */
function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    for (const specifier of importsOf(file).fixed) {
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else if (!isBuiltin(specifier)) packages.add(packageOf(specifier));
    }
  }
  return { files: [...files], packages: [...packages].sort() };
}

/** The instructions of one stage of the Dockerfile (`FROM ... AS <name>`; the last stage: ''). */
function dockerStage(name: string): string[] {
  const stages = readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8')
    .split(/^(?=FROM )/m)
    .slice(1);
  const stage = name ? stages.find((text) => new RegExp(`^FROM \\S+ AS ${name}\\s`, 'i').test(text)) : stages.at(-1);
  if (!stage) throw new Error(`the Dockerfile has no stage ${name}`);
  return stage
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

let installed: Set<string> | undefined;

/**
 * The packages the image's `deps` stage installs, by name: its `npm ci` as a dry run, from the same
 * two files, with the workspaces' package.json beside them as well (without them npm could not
 * install a workspace anyway: the command itself must leave them out).
 */
function productionInstall(): Set<string> {
  if (installed) return installed;
  const stage = dockerStage('deps');
  expect(stage.filter((line) => line.startsWith('COPY'))).toEqual(['COPY package.json package-lock.json ./']);
  const run = stage.find((line) => line.startsWith('RUN npm ci'));
  if (!run) throw new Error('the deps stage runs no npm ci');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clinic-image-deps-'));
  try {
    const workspaces = readdirSync(path.join(PROJECT_ROOT, 'packages')).map((name) => path.join('packages', name, 'package.json'));
    for (const file of ['package.json', 'package-lock.json', ...workspaces]) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      copyFileSync(path.join(PROJECT_ROOT, file), path.join(dir, file));
    }
    const result = spawnSync('npm', [...run.split(/\s+/).slice(2), '--dry-run', '--json', '--ignore-scripts'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.status !== 0) throw new Error(`${run} --dry-run failed: ${result.stderr}`);
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { add: Array<{ name: string }> };
    installed = new Set(report.add.map((entry) => entry.name));
    return installed;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the production build and image hold no development tool', () => {
  it('compiles none of them into dist/, and the server statically imports only production dependencies', () => {
    expect(existsSync(path.join(PROJECT_ROOT, 'dist', 'src', 'main.js'))).toBe(true);
    expect(readdirSync(path.join(PROJECT_ROOT, 'dist'))).toEqual(['src']);
    const graph = staticGraph(path.join(DIST, 'main.js'));
    expect(graph.files.filter((file) => !file.startsWith(DIST + path.sep))).toEqual([]);
    expect(graph.packages.filter((name) => !(name in rootPackage.dependencies))).toEqual([]);
    expect(DEVELOPMENT_TOOLS.filter((name) => name in rootPackage.dependencies)).toEqual([]);
  });

  it('reaches them, anywhere in dist/, only by import() in discovery', () => {
    const reached: string[] = [];
    for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const { fixed, dynamic } = importsOf(file);
      expect(
        fixed.map(packageOf).filter((name) => DEVELOPMENT_TOOLS.includes(name)),
        file,
      ).toEqual([]);
      for (const name of dynamic.map(packageOf).filter((name) => DEVELOPMENT_TOOLS.includes(name)))
        reached.push(`${path.relative(DIST, path.dirname(file))} ${name}`);
    }
    expect(new Set(reached)).toEqual(
      new Set([
        'platform/discovery @clinic-graph/mongo-standin',
        'platform/discovery mongodb-memory-server',
        'platform/discovery testcontainers',
      ]),
    );
  });

  it("leaves them out of the image's dependencies, which hold every package the server imports", () => {
    const final = dockerStage('');
    expect(final).toContain('COPY --from=deps /app/node_modules ./node_modules');
    expect(final.filter((line) => /\bpackages\b|node_modules/.test(line))).toEqual(['COPY --from=deps /app/node_modules ./node_modules']);
    const image = productionInstall();
    expect(DEVELOPMENT_TOOLS.filter((name) => image.has(name))).toEqual([]);
    expect(staticGraph(path.join(DIST, 'main.js')).packages.filter((name) => !image.has(name))).toEqual([]);
  }, 60_000);

  it.skipIf(!hasServers())(
    'loads none of them in a production process, only packages the image has',
    async () => {
      const record = path.join(mkdtempSync(path.join(os.tmpdir(), 'clinic-loaded-')), 'modules.txt');
      const recorder = [
        "import { registerHooks } from 'node:module';",
        "import { writeFileSync } from 'node:fs';",
        'const loaded = new Set();',
        'registerHooks({ load(url, context, nextLoad) { loaded.add(url); return nextLoad(url, context); } });',
        `process.on('exit', () => writeFileSync(${JSON.stringify(record)}, [...loaded].join('\\n')));`,
      ].join('\n');
      const environment = await productionEnvironment();
      try {
        const server = await startProductionServer(environment.env, ['--import', `data:text/javascript,${encodeURIComponent(recorder)}`]);
        try {
          server.child.kill('SIGTERM');
          expect(await server.exited).toBe(0);
        } finally {
          server.kill();
        }
      } finally {
        await environment.drop();
      }
      const files = readFileSync(record, 'utf8')
        .split('\n')
        .filter((url) => url.startsWith('file:'))
        .map((url) => fileURLToPath(url));
      rmSync(path.dirname(record), { recursive: true, force: true });
      const outsideDist = files.filter((file) => !file.startsWith(path.join(PROJECT_ROOT, 'dist') + path.sep));
      expect(outsideDist.filter((file) => !file.includes(`${path.sep}node_modules${path.sep}`))).toEqual([]);
      const packages = new Set(
        outsideDist.map((file) => packageOf(file.split(`${path.sep}node_modules${path.sep}`).at(-1)!.split(path.sep).join('/'))),
      );
      expect(packages.size).toBeGreaterThan(10);
      expect(DEVELOPMENT_TOOLS.filter((name) => packages.has(name))).toEqual([]);
      expect([...packages].filter((name) => !productionInstall().has(name) && !OPTIONAL_WHEN_PRESENT.has(name))).toEqual([]);
    },
    90_000,
  );
});
