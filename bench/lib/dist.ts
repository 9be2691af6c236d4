// The compiled server (dist/, from `npx tsc -p tsconfig.build.json`): type-graphql needs the
// decorator metadata that tsc emits and tsx does not, so anything that loads a resolver is imported
// from there. Types come from src/ (`typeof import(...)` at the call site).
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../src/platform/paths.js';

/** `fromDist<typeof import('../../src/app.js')>('src/app.js')`. */
export async function fromDist<T>(modulePath: string): Promise<T> {
  const file = path.join(PROJECT_ROOT, 'dist', modulePath);
  if (!existsSync(file)) throw new Error(`${path.relative(PROJECT_ROOT, file)} is missing: run npx tsc -p tsconfig.build.json first`);
  return (await import(pathToFileURL(file).href)) as T;
}
