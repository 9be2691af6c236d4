// The hand-written floor: node:http, `pg` and the MongoDB driver, no GraphQL. It reads the same
// request bodies the API gets, picks the operation by operationName (or by persisted id from the
// manifest), verifies the same access token, and answers with the statements in ../floor/sql.ts.
import { existsSync } from 'node:fs';
import http from 'node:http';
import { MongoClient } from 'mongodb';
import pg from 'pg';
import { AccessTokens } from '../../src/auth/tokens.js';
import { MANIFEST_FILE, PersistedOperations } from '../../src/graphql/persisted/manifest.js';
import { FloorHandlers, Unsupported, type Answer, type Caller } from '../floor/handlers.js';
import { host } from './host.js';

const settings = JSON.parse(process.env.BENCH_SERVER ?? '{}') as {
  postgresUrl: string;
  mongoUrl: string;
  mongoDatabase: string;
  tokenSecret: string;
};
/** Persisted ids to operation names and documents, when the manifest exists. */
function persistedOperations(): Map<string, { name: string; body: string }> {
  if (!existsSync(MANIFEST_FILE)) return new Map();
  return new Map(PersistedOperations.load().operations.map((operation) => [operation.id, operation]));
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

await host(async () => {
  const pool = new pg.Pool({ connectionString: settings.postgresUrl, max: 10 });
  const mongo = await MongoClient.connect(settings.mongoUrl, { monitorCommands: true });
  let sql = 0;
  let mongoCommands = 0;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      sql += 1;
      return query(...args);
    };
  });
  mongo.on('commandStarted', () => void (mongoCommands += 1));
  const handlers = new FloorHandlers(pool, mongo.db(settings.mongoDatabase));
  const tokens = new AccessTokens({ secret: settings.tokenSecret, issuer: 'clinic-graph', ttlSeconds: 900 });
  const persisted = persistedOperations();
  const byName: Record<string, (caller: Caller, variables: Record<string, unknown>, document: string) => Promise<Answer>> = {
    PatientChart: (c, v, document) => handlers.chart(c, v, document.includes('__typename')),
    DoctorDay: (c, v) => handlers.doctorDay(c, v),
    ClinicPage: (c, v) => handlers.clinicPage(c, v),
    Book: (c, v) => handlers.book(c, v),
    PatientPrescriptionPage: (c, v) => handlers.patientPrescriptions(c, v),
    MedicationSearch: (c, v) => handlers.medications(c, v),
  };

  async function answer(request: http.IncomingMessage): Promise<Answer> {
    const body = JSON.parse(await readBody(request)) as {
      operationName?: string;
      query?: string;
      variables?: Record<string, unknown>;
      extensions?: { persistedQuery?: { sha256Hash?: string } };
    };
    const stored = persisted.get(body.extensions?.persistedQuery?.sha256Hash ?? '');
    const name = body.operationName ?? stored?.name;
    if (name === 'Typename') return { status: 200, body: { data: { __typename: 'Query' } } };
    const handler = name ? byName[name] : undefined;
    if (!handler) throw new Unsupported(`operation ${name ?? '(none)'}`);
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    const subject = match ? await tokens.verify(match[1]) : null;
    if (!subject)
      return {
        status: 401,
        body: { errors: [{ message: 'The access token is invalid or has expired.', extensions: { code: 'UNAUTHENTICATED' } }] },
      };
    const caller: Caller = {
      ...subject,
      ip: request.socket.remoteAddress || null,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 256) || null,
    };
    return handler(caller, body.variables ?? {}, body.query ?? stored?.body ?? '');
  }

  const server = http.createServer((request, response) => {
    answer(request).then(
      ({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(body));
      },
      (error: Error) => {
        response.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
        response.end(
          JSON.stringify({
            errors: [
              {
                message: `floor: ${error.message}`,
                extensions: { code: error instanceof Unsupported ? 'FLOOR_UNSUPPORTED' : 'INTERNAL_SERVER_ERROR' },
              },
            ],
          }),
        );
      },
    );
  });
  return {
    server,
    counts: () => ({ sql, mongo: mongoCommands }),
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
      await mongo.close();
    },
  };
});
