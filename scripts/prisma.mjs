#!/usr/bin/env node
// Runs the Prisma CLI with a schema engine that works on this machine, so no one sets anything by
// hand: PRISMA_SCHEMA_ENGINE_BINARY if set; else the offline shim in ../shared/tools when it is
// there; else, for `generate`, which never runs the engine, scripts/no-schema-engine.mjs (the CLI
// would otherwise insist on downloading one first, and fail offline); else Prisma's own engine
// (downloaded by the CLI on a machine with internet).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shim = path.resolve(root, '..', 'shared', 'tools', 'prisma-schema-engine-shim.mjs');
const args = process.argv.slice(2);
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(shim)) env.PRISMA_SCHEMA_ENGINE_BINARY = shim;
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && args[0] === 'generate')
  env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, 'scripts', 'no-schema-engine.mjs');
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
