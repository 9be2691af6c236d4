// Where the benchmark's data lives, shared by the generator and the benchmark: flags first, then
// environment variables, then defaults on 127.0.0.1.
import path from 'node:path';
import { loadConfig } from '../src/config/config.js';
import { PROJECT_ROOT } from '../src/platform/paths.js';

/** The one password of every generated account (its argon2 hash is computed once). */
export const BENCH_PASSWORD = 'bench-password-not-secret';

/** The name the benchmark's requests give as a first-party client (the API's FIRST_PARTY_CLIENTS lists it). */
export const BENCH_CLIENT = 'clinic-graph-bench';

/**
 * The key that signs the generated prescriptions and that the benchmarked API (in production mode,
 * where the key is required) verifies them with: the development key, public like the development
 * token secret, so that `verifyPrescription` says VALID for the generated ones.
 */
export function benchSigningKey(): { keyId: string; seed: Buffer; retired: []; setting: string } {
  const { keyId, seed } = loadConfig({ NODE_ENV: 'development' }).prescriptionSigning;
  return { keyId, seed, retired: [], setting: `${keyId}:${seed.toString('base64url')}` };
}

export interface BenchSettings {
  scale: number;
  database: string;
  /** The generated database. */
  postgresUrl: string;
  /** The server's maintenance database, where the generated one is dropped and created. */
  postgresAdminUrl: string;
  /** Undefined: the MongoDB stand-in, as a process of our own, over `standinDataDir`. */
  mongoUrl?: string;
  mongoDatabase: string;
  standinDataDir: string;
}

export function benchSettings(flags: { scale?: string; database?: string; 'mongo-url'?: string }): BenchSettings {
  const database = flags.database ?? process.env.BENCH_DATABASE ?? 'clinic_bench';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error('--database must be a plain lower-case identifier');
  const server = new URL(process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/');
  const at = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  return {
    scale: Number(flags.scale ?? process.env.BENCH_SCALE ?? 0.1),
    database,
    postgresUrl: at(database),
    postgresAdminUrl: at('postgres'),
    mongoUrl: flags['mongo-url'] ?? process.env.MONGODB_URL,
    mongoDatabase: database,
    standinDataDir: path.join(PROJECT_ROOT, '.data', 'bench-mongo'),
  };
}
