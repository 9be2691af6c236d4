// The one configuration: read once from the environment, validated, frozen. A bad value stops the
// process at start with a message that names the variable.
import { z } from 'zod';

const DEV_TOKEN_SECRET = 'development-only-secret-not-for-production-use';
/** Development and tests only (public, like the token secret): "<key id>:<base64url 32-byte Ed25519 seed>". */
const DEV_SIGNING_KEY = 'dev-2026-1:ZGV2LW9ubHktcHJlc2NyaXB0aW9uLXNpZ25pbmctayE';
const SIGNING_KEY = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9_-]{43})$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** Whether a listening host is this machine only. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK.has(host);

/** An origin as a browser sends it: scheme, host and port only. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value;
  } catch {
    return false;
  }
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    MONGODB_URL: z.url({ protocol: /^mongodb(\+srv)?$/ }).optional(),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,63}$/)
      .default('clinic'),
    /** The longest a request waits on MongoDB (server selection, connecting, each reply). */
    MONGODB_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(2000),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    /** Where embedded databases keep their files in development. */
    DATA_DIR: z.string().min(1).default('.data'),
    TOKEN_SECRET: z.string().min(32).optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024),
    /** GraphQL requests running at once (0: no bound), and how many more may wait, for how long, before 503. */
    MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(16),
    MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(100_000).default(16),
    MAX_QUEUE_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
    /** How long audit entries are kept (a TTL index); 6 years by default. */
    AUDIT_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(1)
      .max(36_500)
      .default(6 * 365),
    /** Where video consultations happen: a self-hosted Jitsi-like server (rooms are created on first join). */
    VIDEO_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://meet.jit.si/'),
    /** How long before its start an appointment may be checked in. */
    CHECK_IN_WINDOW_MINUTES: z.coerce
      .number()
      .int()
      .min(0)
      .max(24 * 60)
      .default(60),
    /** Client names (`apollographql-client-name`) that may send free-form documents in production. */
    FIRST_PARTY_CLIENTS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name.length > 0),
      )
      .refine(
        (names) => names.every((name) => /^[A-Za-z0-9._-]{1,64}$/.test(name)),
        'client names are letters, digits, ".", "_" or "-", separated by commas',
      ),
    /** Browser origins that may call the API (e.g. https://app.example.org); outside production, localhost on any port when unset. */
    CORS_ORIGINS: z
      .string()
      .optional()
      .transform((list) =>
        list
          ?.split(',')
          .map((origin) => origin.trim())
          .filter((origin) => origin.length > 0),
      )
      .refine(
        (origins) => origins === undefined || origins.every(isOrigin),
        'origins are scheme://host[:port] with nothing after, separated by commas',
      ),
    /** The in-browser explorer served at GET /graphql: our offline GraphiQL, Apollo Sandbox (needs the internet), or none. */
    EXPLORER: z.enum(['graphiql', 'sandbox', 'off']).optional(),
    /** The key that signs prescriptions: "<key id>:<base64url of a 32-byte Ed25519 seed>" (required in production). */
    PRESCRIPTION_SIGNING_KEY: z.string().regex(SIGNING_KEY, 'is "<key id>:<base64url of 32 bytes>"').optional(),
    /** Earlier prescription keys that still verify: "<key id>:<base64url of the 32-byte public key>", separated by commas. */
    PRESCRIPTION_RETIRED_KEYS: z
      .string()
      .default('')
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter((entry) => entry.length > 0),
      )
      .refine((entries) => entries.every((entry) => SIGNING_KEY.test(entry)), 'entries are "<key id>:<base64url of 32 bytes>"'),
    /** The frontend that links in emails lead to (verify-email, reset-password, sign-in). */
    APP_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .refine((url) => url === undefined || (!url.includes('?') && !url.includes('#')), 'has no query or fragment'),
  })
  .transform((env, ctx) => {
    if (env.NODE_ENV === 'production') {
      // Production never falls back to a local, container or embedded store: say where the data lives.
      for (const name of ['TOKEN_SECRET', 'DATABASE_URL', 'MONGODB_URL', 'REDIS_URL', 'APP_URL', 'PRESCRIPTION_SIGNING_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'is required in production' });
      }
      if (env.EXPLORER !== undefined && env.EXPLORER !== 'off')
        ctx.addIssue({ code: 'custom', path: ['EXPLORER'], message: 'production serves no explorer' });
    } else if (!LOOPBACK.has(env.HOST)) {
      for (const name of ['TOKEN_SECRET', 'PRESCRIPTION_SIGNING_KEY'] as const) {
        if (!env[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: `is required when listening beyond this machine (HOST ${env.HOST}); the development one is public`,
          });
      }
    }
    if (ctx.issues.length > 0) return z.NEVER;
    return {
      env: env.NODE_ENV,
      isProduction: env.NODE_ENV === 'production',
      http: {
        host: env.HOST,
        port: env.PORT,
        maxBodyBytes: env.MAX_BODY_BYTES,
        loadShedding: { maxConcurrent: env.MAX_CONCURRENT_REQUESTS, maxQueued: env.MAX_QUEUED_REQUESTS, maxWaitMs: env.MAX_QUEUE_WAIT_MS },
      },
      postgres: { url: env.DATABASE_URL },
      mongo: { url: env.MONGODB_URL, database: env.MONGODB_DB, timeoutMs: env.MONGODB_TIMEOUT_MS },
      redis: { url: env.REDIS_URL },
      dataDir: env.DATA_DIR,
      tokens: { secret: env.TOKEN_SECRET ?? DEV_TOKEN_SECRET, issuer: 'clinic-graph', ttlSeconds: 15 * 60 },
      logLevel: env.LOG_LEVEL,
      audit: { retentionSeconds: env.AUDIT_RETENTION_DAYS * 24 * 60 * 60 },
      firstPartyClients: env.FIRST_PARTY_CLIENTS,
      video: { baseUrl: env.VIDEO_BASE_URL },
      scheduling: { checkInWindowMinutes: env.CHECK_IN_WINDOW_MINUTES },
      // Unset outside production: any localhost or 127.0.0.1 origin, whatever its port (frontends' dev servers).
      cors: { origins: env.CORS_ORIGINS ?? (env.NODE_ENV === 'production' ? [] : ('loopback' as const)) },
      explorer: env.EXPLORER ?? (env.NODE_ENV === 'development' ? 'graphiql' : 'off'),
      // Always with a trailing slash: links are `${appUrl}verify-email?token=…` (accounts/emailed-links.ts).
      prescriptionSigning: signingSettings(env.PRESCRIPTION_SIGNING_KEY ?? DEV_SIGNING_KEY, env.PRESCRIPTION_RETIRED_KEYS),
      appUrl: (env.APP_URL ?? 'http://localhost:3000/').replace(/\/?$/, '/'),
    };
  });

/** The current signing key (id and seed) and the retired public keys, decoded. */
function signingSettings(current: string, retired: string[]) {
  const decode = (entry: string) => {
    const [, keyId, bytes] = SIGNING_KEY.exec(entry)!;
    return { keyId, bytes: Buffer.from(bytes, 'base64url') };
  };
  const { keyId, bytes } = decode(current);
  return { keyId, seed: bytes, retired: retired.map(decode).map((key) => ({ keyId: key.keyId, publicKey: key.bytes })) };
}

export type Config = Readonly<z.output<typeof schema>>;

export class ConfigError extends Error {}

/** Validates `source` (the environment by default); throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || 'environment'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}
