// npm run schema: writes schema.graphql from the code (a test fails when the file is stale).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildBareSchema, printSchemaFile } from '../graphql/schema.js';
import { PROJECT_ROOT } from '../platform/paths.js';

const file = path.join(PROJECT_ROOT, 'schema.graphql');
writeFileSync(file, printSchemaFile(await buildBareSchema()));
console.log(`wrote ${path.relative(process.cwd(), file)}`);
