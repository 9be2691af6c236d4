#!/usr/bin/env node
// Runs the Prisma CLI with a schema engine that works on this machine, so no one sets anything by
// hand: PRISMA_SCHEMA_ENGINE_BINARY if set; else the offline shim in ../shared/tools when it is
// there; else Prisma's own engine (downloaded by the CLI on a machine with internet).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const shim = path.resolve(root, '..', 'shared', 'tools', 'prisma-schema-engine-shim.mjs');
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(shim)) env.PRISMA_SCHEMA_ENGINE_BINARY = shim;
env.PRISMA_HIDE_UPDATE_MESSAGE = '1';

const cli = path.join(root, 'node_modules', 'prisma', 'build', 'index.js');
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
