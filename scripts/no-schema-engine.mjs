#!/usr/bin/env node
// Stands where Prisma's schema engine would be for `prisma generate`, which does not run it. If a
// Prisma version ever does, this says what to do instead of failing somewhere inside the CLI.
process.stderr.write(
  'This Prisma command needs its schema engine: set PRISMA_SCHEMA_ENGINE_BINARY, or put ../shared/tools beside the project.\n',
);
process.exit(1);
