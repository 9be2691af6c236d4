// Assembles the API over opened data stores: schema, Apollo, context, HTTP. Used by main.ts and by
// the tests, so both run exactly the same server.
import type http from 'node:http';
import type { Logger } from 'pino';
import { AccessTokens } from './auth/tokens.js';
import { isLoopbackHost, type Config } from './config/config.js';
import { AuditLog, PostgresAuditSpool } from './modules/audit/index.js';
import { OutboxRelay } from './platform/outbox.js';
import { buildContext } from './context/build-context.js';
import { createRepositories, createServices, outboxHandlers, type Services } from './context/services.js';
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
  /** Applies pending outbox events to MongoDB now (the relay also runs every half second). */
  relayOutbox(): Promise<number>;
  /** Sends the reminders due by `now` (also done every 30 seconds). */
  sendDueReminders(now?: Date): Promise<number>;
  stop(): Promise<void>;
}

export interface ApiOptions {
  /** Where emails and SMS go (a provider behind the Notifier interface); simulated by default. */
  notifier?: Notifier;
  /** Where video consultations happen (a provider behind the VideoRooms interface); VIDEO_BASE_URL's server by default. */
  videoRooms?: VideoRooms;
  /** Tests: the outbox relay and the reminder sweep run only when relayOutbox() / sendDueReminders() are called. */
  manualJobs?: boolean;
}

export async function createApi(config: Config, stores: Stores, log: Logger, options: ApiOptions = {}): Promise<Api> {
  const notifier = options.notifier ?? new SimulatedNotifier(logNotifications(log, config.env === 'development'));
  const auditLog = new AuditLog(stores.mongo.db, {
    retentionSeconds: config.audit.retentionSeconds, alert: (message, details) => log.error({ audit: details }, message), spool: new PostgresAuditSpool(stores.database.prisma),
  });
  // What a previous process left in the spool (killed during an outage) goes first, before any
  // request of ours can queue behind it; MongoDB away costs this at most its timeout.
  await auditLog.flushSpool().catch((error: unknown) => log.error({ err: error }, 'audit spool not drained at start'));
  const stopSpool = auditLog.startSpoolTimer(5_000);
  const repositories = createRepositories(stores.database.prisma, stores.mongo.db, stores.cache);
  let relay: OutboxRelay | undefined;
  const services = createServices(repositories, {
    tokens: new AccessTokens(config.tokens), notifier, rateLimiter: stores.rateLimiter, auditLog,
    videoRooms: options.videoRooms ?? new SelfHostedVideoRooms(config.video.baseUrl), afterOutboxWrite: options.manualJobs ? undefined : () => void relay?.kick(),
    settings: { appUrl: config.appUrl, checkInWindowMinutes: config.scheduling.checkInWindowMinutes },
  });
  relay = new OutboxRelay(stores.database.prisma, outboxHandlers(services), {
    onError: (event, error) => log.error({ topic: event.topic, eventId: event.id, err: error }, 'outbox event not applied yet'),
    onRunError: (error) => log.error({ err: error }, 'outbox relay run failed'),
  });
  if (!options.manualJobs) relay.start(500);
  const sendDueReminders = (now?: Date) => services.reminders.sendDue(notifier, (patientId) => repositories.patients.contact(patientId), now);
  const reminderTimer = options.manualJobs ? undefined : setInterval(() => void sendDueReminders().catch((error) => log.error({ err: error }, 'reminders not sent')), 30_000);
  reminderTimer?.unref();
  // Development only: the explorer lists the demo accounts and issues fresh tokens for them.
  const demoRoutes = config.env === 'development' && isLoopbackHost(config.http.host);
  const demoAccounts: DemoAccounts = {
    list: () => DEMO_ACCOUNTS.map(([who, email]) => ({ who, email })),
    password: DEMO_PASSWORD,
    token: (email) => tokenFor(stores.database.prisma, services.sessions, email),
  };
  const manifest = PersistedOperations.load();
  const apollo = createApolloServer(await buildAppSchema(), { production: config.isProduction, sandbox: config.explorer === 'sandbox', log, persistedDocuments: apqStore(stores.cache, manifest) });
  await apollo.start();
  const server = createHttpServer({
    apollo,
    context: maskContextFailures((request) => buildContext({ repositories, services }, request), log),
    admission: new OperationAdmission(manifest, services.partnerKeys, { production: config.isProduction, firstPartyClients: config.firstPartyClients }),
    readiness: [
      { name: 'postgres', critical: true, check: async () => (await stores.database.ping(), true) },
      { name: 'mongodb', critical: true, check: async () => (await stores.mongo.ping(), true) },
      { name: 'redis', critical: false, check: () => stores.cache.ping() },
    ],
    maxBodyBytes: config.http.maxBodyBytes,
    loadShedding: new ConcurrencyLimit(config.http.loadShedding),
    log,
    cors: createCorsPolicy(config.cors.origins),
    // Tokens for the demo accounts, for anyone who asks: only on a development server of this machine.
    routes: config.explorer === 'graphiql' ? [createExplorerRoute({ endpoint: '/graphql', demoAccounts: demoRoutes ? demoAccounts : undefined })] : [],
  });
  return {
    server,
    services,
    relayOutbox: () => relay.runOnce(),
    sendDueReminders,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      clearInterval(reminderTimer);
      await relay.stop();
      await services.passwordReset.idle();
      stopSpool();
      await auditLog.flushSpool().catch(() => 0);
    },
  };
}
