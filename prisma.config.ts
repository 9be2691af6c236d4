// Prisma CLI configuration. The URL matters only to commands that talk to a database
// (migrate dev / status); generate needs none. The API itself finds its database at run time.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/clinic_dev' },
});
