// What a GraphQL-over-HTTP request asks to run (a document, a persisted-operation id), read from a
// POST body or GET parameters as Apollo reads them, and the request rewritten to run a manifest
// document in place of its id. Anything malformed is left for Apollo to refuse (BAD_REQUEST).
import type { OperationRequest } from '../graphql/persisted/index.js';

type Params = Record<string, unknown>;

const isRecord = (value: unknown): value is Params => typeof value === 'object' && value !== null && !Array.isArray(value);

function parsedJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function hashIn(extensions: unknown): string | undefined {
  const persisted = isRecord(extensions) ? extensions.persistedQuery : undefined;
  return isRecord(persisted) && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : undefined;
}

export function readOperationRequest(method: string, body: unknown, search: URLSearchParams): OperationRequest {
  if (method === 'GET')
    return {
      hasDocument: search.has('query'),
      hash: hashIn(parsedJson(search.get('extensions'))),
      document: search.get('query') ?? undefined,
    };
  // A body that is not a JSON object (a batch, a string) carries no operation Apollo would run.
  if (!isRecord(body)) return { hasDocument: false, hash: undefined };
  return {
    hasDocument: body.query !== undefined && body.query !== null,
    hash: hashIn(body.extensions),
    document: typeof body.query === 'string' ? body.query : undefined,
  };
}

function withoutPersistedQuery(extensions: unknown): Params | undefined {
  if (!isRecord(extensions)) return undefined;
  const { persistedQuery: _id, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

/** The request with `document` as its query and no persisted-query id (so nothing is registered). */
export function withDocument(method: string, body: unknown, url: URL, document: string): { body: unknown; search: string } {
  if (method === 'GET') {
    const params = new URLSearchParams(url.searchParams);
    params.set('query', document);
    const extensions = withoutPersistedQuery(parsedJson(params.get('extensions')));
    if (extensions) params.set('extensions', JSON.stringify(extensions));
    else params.delete('extensions');
    return { body, search: `?${params.toString()}` };
  }
  const { extensions, ...rest } = body as Params; // a POST only gets here with a JSON object body
  const kept = withoutPersistedQuery(extensions);
  return { body: { ...rest, query: document, ...(kept ? { extensions: kept } : {}) }, search: url.search };
}
