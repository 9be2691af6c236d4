// The HTTP edge on node:http: /graphql through Apollo (after the admission of persisted and
// partner operations), /healthz (alive, touches nothing), /readyz (PostgreSQL and MongoDB
// reachable; Redis down is "degraded" but still ready), a body limit (413), and a request id on
// every response.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { RequestContext } from '../context/context.js';
import type { IncomingRequestInfo } from '../context/build-context.js';
import type { OperationAdmission } from '../graphql/persisted/index.js';
import type { CorsPolicy } from './cors.js';
import type { ConcurrencyLimit } from './load-shedding.js';
import { readOperationRequest, withDocument } from './operation-request.js';
import type { HttpRoute } from './route.js';

export interface ReadinessCheck {
  name: string;
  /** A non-critical check failing makes the service "degraded", not unready. */
  critical: boolean;
  check(): Promise<boolean>;
}

export interface HttpOptions {
  apollo: ApolloServer<RequestContext>;
  context: (request: IncomingRequestInfo) => Promise<RequestContext>;
  admission: OperationAdmission;
  readiness: ReadinessCheck[];
  maxBodyBytes: number;
  /** How many GraphQL requests may run and wait at once (see load-shedding.ts). */
  loadShedding: ConcurrencyLimit;
  log: Logger;
  /** Cross-origin access (answers preflights); none when absent. */
  cors?: CorsPolicy;
  /** Routes tried before /graphql (the explorer). */
  routes?: HttpRoute[];
}

class PayloadTooLarge extends Error {}
class ClientGone extends Error {}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

function readBody(request: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new PayloadTooLarge());
    // A client that went away before or while its body was read: no 'end' or 'error' will come.
    if (request.destroyed) return reject(new ClientGone());
    request.once('close', () => {
      if (!request.complete) reject(new ClientGone());
    });
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      // Stop keeping the body but let it drain, so that the 413 reaches the client.
      request.off('data', onData);
      request.resume();
      reject(new PayloadTooLarge());
    };
    request.on('data', onData);
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.statusCode = status;
  response.setHeader('cache-control', 'no-store');
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.end(JSON.stringify(body));
}

export async function readiness(checks: ReadinessCheck[]): Promise<{ status: number; body: unknown }> {
  const withinASecond = (check: () => Promise<boolean>) =>
    Promise.race([check().catch(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000).unref())]);
  const results = await Promise.all(checks.map(async (c) => ({ ...c, ok: await withinASecond(c.check) })));
  const unready = results.some((r) => r.critical && !r.ok);
  const degraded = results.some((r) => !r.critical && !r.ok);
  return {
    status: unready ? 503 : 200,
    body: {
      status: unready ? 'unready' : degraded ? 'degraded' : 'ready',
      checks: Object.fromEntries(results.map((r) => [r.name, r.ok ? 'up' : 'down'])),
    },
  };
}

const singleHeader = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

async function graphql(
  options: HttpOptions,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  url: URL,
): Promise<void> {
  const method = request.method ?? 'GET';
  let body: unknown;
  if (method === 'POST') {
    const raw = await readBody(request, options.maxBodyBytes);
    const isJson = (request.headers['content-type'] ?? '').includes('application/json');
    try {
      body = isJson ? JSON.parse(raw) : raw;
    } catch {
      return sendJson(response, 400, { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
    }
  }
  const admission = await options.admission.admit(
    { apiKey: singleHeader(request.headers['x-api-key']), clientName: singleHeader(request.headers['apollographql-client-name']) },
    readOperationRequest(method, body, url.searchParams),
  );
  if (!admission.admitted)
    return sendJson(response, admission.status, { errors: [{ message: admission.message, extensions: { code: admission.code } }] });
  let search = url.search;
  if (admission.document !== undefined) ({ body, search } = withDocument(method, body, url, admission.document));
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, singleHeader(value)!);
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: () =>
      options.context({
        requestId,
        authorization: request.headers.authorization,
        partner: admission.partner,
        ip: request.socket.remoteAddress ?? '',
        userAgent: String(request.headers['user-agent'] ?? '').slice(0, 256),
      }),
  });
  response.statusCode = result.status ?? 200;
  for (const [name, value] of result.headers) response.setHeader(name, value);
  if (result.body.kind === 'complete') {
    response.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

export function createHttpServer(options: HttpOptions): http.Server {
  const server = http.createServer(async (request, response) => {
    const incoming = request.headers['x-request-id'];
    const requestId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    response.setHeader('x-request-id', requestId);
    const url = new URL(request.url ?? '/', 'http://localhost');
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      options.log.info(
        {
          requestId,
          method: request.method,
          path: url.pathname,
          status: response.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'request',
      );
    });
    try {
      if (options.cors?.(request, response)) return;
      if (url.pathname === '/healthz') return sendJson(response, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        const { status, body } = await readiness(options.readiness);
        return sendJson(response, status, body);
      }
      for (const route of options.routes ?? []) if (await route(request, response, url)) return;
      if (url.pathname === '/graphql' || url.pathname === '/')
        return await options.loadShedding.run(response, () => graphql(options, request, response, requestId, url));
      return sendJson(response, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof ClientGone) return;
      if (error instanceof PayloadTooLarge) {
        response.setHeader('connection', 'close');
        return sendJson(response, 413, {
          errors: [
            { message: `The request body is larger than ${options.maxBodyBytes} bytes.`, extensions: { code: 'PAYLOAD_TOO_LARGE' } },
          ],
        });
      }
      options.log.error({ requestId, err: error }, 'request failed');
      if (!response.headersSent)
        sendJson(response, 500, {
          errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }],
        });
      else response.end();
    }
  });
  // A client that trickles its headers or body would hold a place under the concurrency bound for
  // Node's default five minutes: bodies are at most MAX_BODY_BYTES, so these are ample.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return server;
}
