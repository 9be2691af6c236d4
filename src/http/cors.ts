// Cross-origin access for browser applications, through the `cors` package (it works on node:http's
// request and response). Only the configured origins get CORS headers; every other origin gets none,
// so its browser refuses to hand it the response. Apollo's CSRF prevention stays on behind this:
// a request a browser sends without a preflight still needs a JSON content type or an Apollo header.
import type { IncomingMessage, ServerResponse } from 'node:http';
import corsMiddleware from 'cors';

/** The headers our clients send: Apollo Client's, partners' key, idempotency and tracing. */
export const ALLOWED_REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-api-key',
  'idempotency-key',
  'x-request-id',
];

/** 'loopback': http(s)://localhost, 127.0.0.1 or [::1] on any port (development's default). */
export type AllowedOrigins = readonly string[] | 'loopback';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isAllowedOrigin(origin: string, allowed: AllowedOrigins): boolean {
  if (allowed !== 'loopback') return allowed.includes(origin);
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname) && url.origin === origin;
  } catch {
    return false;
  }
}

/**
 * Applies the CORS policy to a request; returns true when it has answered it (a preflight), false
 * when the request goes on to its route. Synchronous: `cors` decides at once with our origin check.
 */
export type CorsPolicy = (request: IncomingMessage, response: ServerResponse) => boolean;

export function createCorsPolicy(allowed: AllowedOrigins): CorsPolicy {
  const handle = corsMiddleware({
    origin: (origin, callback) => callback(null, origin !== undefined && isAllowedOrigin(origin, allowed)),
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ALLOWED_REQUEST_HEADERS,
    exposedHeaders: ['x-request-id', 'retry-after', 'www-authenticate'],
    // Bearer tokens, not cookies: browsers need not send credentials.
    credentials: false,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (request, response) => {
    // Every answer depends on the origin (even one without CORS headers): shared caches must keep them apart.
    response.setHeader('vary', 'Origin');
    let passed = false;
    handle(request, response, (error?: unknown) => {
      if (error) throw error;
      passed = true;
    });
    if (!passed || request.method !== 'OPTIONS') return !passed;
    // A preflight from an origin that is not allowed: answered without CORS headers (the browser then refuses the request).
    response.statusCode = 204;
    response.setHeader('allow', 'GET, POST, OPTIONS');
    response.end();
    return true;
  };
}
