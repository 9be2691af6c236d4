import type { IncomingMessage, ServerResponse } from 'node:http';

/** An HTTP route beside /graphql: answers the request and resolves true when it is its own. */
export type HttpRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;
