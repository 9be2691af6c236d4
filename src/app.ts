// Assembles the API over opened data stores: schema, Apollo, context, HTTP. Used by main.ts and by
// the tests, so both run exactly the same server.
import type http from 'node:http';
import type { Logger } from 'pino';
import { AccessTokens } from './auth/tokens.js';
import { isLoopbackHost, type Config } from './config/config.js';
import { AuditLog, PostgresAuditSpool } from './modules/audit/index.js';
import { JobQueue } from './platform/jobs.js';
import { OutboxRelay } from './platform/outbox.js';
import { buildContext } from './context/build-context.js';
import { backgroundWork, createRepositories, createServices, moduleRoutes, startModules, type Services } from './context/services.js';
import { createApolloServer, maskContextFailures } from './graphql/apollo.js';
import { apqStore, OperationAdmission, PersistedOperations } from './graphql/persisted/index.js';
import { buildAppSchema } from './graphql/schema.js';
import { createCorsPolicy } from './http/cors.js';
import { createExplorerRoute, type DemoAccounts } from './http/explorer/explorer.js';
import { ConcurrencyLimit } from './http/load-shedding.js';
import { createHttpServer } from './http/server.js';
import { logNotifications, SimulatedNotifier, type Notifier } from './platform/notifier.js';
import { SelfHostedVideoRooms, type VideoRooms } from './platform/video-rooms.js';
import type { Stores } from './platform/stores.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, tokenFor } from './seed/demo-data.js';

export interface Api {
  server: http.Server;
  services: Services;
  /** The job queue (pg-boss): background work, its state and dead letters. */
  jobs: JobQueue;
  /** Applies pending outbox events to MongoDB now (in the background, jobs do as soon as they are written). */
  relayOutbox(): Promise<number>;
  /** Sends the reminders due by `now` (in the background, a job does every minute). */
  sendDueReminders(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

export interface ApiOptions {
  /** Where emails and SMS go (a provider behind the Notifier interface); simulated by default. */
  notifier?: Notifier;
  /** Where video consultations happen (a provider behind the VideoRooms interface); VIDEO_BASE_URL's server by default. */
  videoRooms?: VideoRooms;
  /** Tests: no workers and no schedules; the outbox relay and the reminder sweep run only when relayOutbox() / sendDueReminders() are called. */
  manualJobs?: boolean;
}

export async function createApi(config: Config, stores: Stores, log: Logger, options: ApiOptions = {}): Promise<Api> {
  const notifier = options.notifier ?? new SimulatedNotifier(logNotifications(log, config.env === 'development'));
  const auditLog = new AuditLog(stores.mongo.db, {
    retentionSeconds: config.audit.retentionSeconds,
    alert: (message, details) => log.error({ audit: details }, message),
    spool: new PostgresAuditSpool(stores.database.prisma),
  });
  // What a previous process left in the spool (killed during an outage) goes first, before any
  // request of ours can queue behind it; MongoDB away costs this at most its timeout.
  await auditLog.flushSpool().catch((error: unknown) => log.error({ err: error }, 'audit spool not drained at start'));
  const stopSpool = auditLog.startSpoolTimer(5_000);
  const repositories = createRepositories(stores.database.prisma, stores.mongo.db, stores.cache);
  // Assigned once the services it serves exist; their writes wake it through this binding.
  // eslint-disable-next-line prefer-const
  let relay: OutboxRelay | undefined;
  const services = createServices(repositories, {
    tokens: new AccessTokens(config.tokens),
    notifier,
    rateLimiter: stores.rateLimiter,
    auditLog,
    videoRooms: options.videoRooms ?? new SelfHostedVideoRooms(config.video.baseUrl),
    afterOutboxWrite: options.manualJobs ? undefined : () => void relay?.kick(),
    settings: {
      appUrl: config.appUrl,
      checkInWindowMinutes: config.scheduling.checkInWindowMinutes,
      prescriptionSigning: config.prescriptionSigning,
    },
  });
  await startModules(services);
  // Background work: jobs in PostgreSQL (see src/platform/jobs.ts), each run once across processes.
  const jobs = await JobQueue.open(stores.database.target, log, { background: !options.manualJobs });
  const background = backgroundWork(services);
  relay = new OutboxRelay(stores.database.prisma, jobs, background.handlers, {
    onRunError: (error) => log.error({ err: error }, 'outbox events not handed to the job queue (the next round retries)'),
  });
  await jobs.define([...relay.jobDefinitions(), ...background.jobs]);
  // Events a previous process wrote and did not hand over go now.
  if (jobs.background) void relay.kick();
  // Development only: the explorer lists the demo accounts and issues fresh tokens for them.
  const demoRoutes = config.env === 'development' && isLoopbackHost(config.http.host);
  const demoAccounts: DemoAccounts = {
    list: () => DEMO_ACCOUNTS.map(([who, email]) => ({ who, email })),
    password: DEMO_PASSWORD,
    token: (email) => tokenFor(stores.database.prisma, services.sessions, email),
  };
  const manifest = PersistedOperations.load();
  const apollo = createApolloServer(await buildAppSchema(), {
    production: config.isProduction,
    sandbox: config.explorer === 'sandbox',
    log,
    persistedDocuments: apqStore(stores.cache, manifest),
  });
  await apollo.start();
  const server = createHttpServer({
    apollo,
    context: maskContextFailures((request) => buildContext({ repositories, services }, request), log),
    admission: new OperationAdmission(manifest, services.partnerKeys, {
      production: config.isProduction,
      firstPartyClients: config.firstPartyClients,
    }),
    readiness: [
      { name: 'postgres', critical: true, check: async () => (await stores.database.ping(), true) },
      { name: 'mongodb', critical: true, check: async () => (await stores.mongo.ping(), true) },
      { name: 'redis', critical: false, check: () => stores.cache.ping() },
    ],
    maxBodyBytes: config.http.maxBodyBytes,
    loadShedding: new ConcurrencyLimit(config.http.loadShedding),
    log,
    cors: createCorsPolicy(config.cors.origins),
    // The modules' routes (provider callbacks, file transfers), then the explorer; tokens for the demo
    // accounts, for anyone who asks: only on a development server of this machine.
    routes: [
      ...moduleRoutes(),
      ...(config.explorer === 'graphiql'
        ? [createExplorerRoute({ endpoint: '/graphql', demoAccounts: demoRoutes ? demoAccounts : undefined })]
        : []),
    ],
  });
  return {
    server,
    services,
    jobs,
    relayOutbox: () => relay.runOnce(),
    sendDueReminders: (now) => services.reminders.sendDue(now),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await relay.stop();
      await jobs.stop();
      await services.passwordReset.idle();
      stopSpool();
      await auditLog.flushSpool().catch(() => 0);
    },
  };
}
