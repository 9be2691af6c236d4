// Apollo Server with the production defaults set on purpose: introspection only outside production,
// Apollo's Sandbox landing page only when asked for (EXPLORER=sandbox; our offline explorer is
// src/http/explorer/), no schema hints in errors in production, and every unexpected
// error masked to INTERNAL_SERVER_ERROR with the request id (logged in full on our side).
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { RequestContext } from '../context/context.js';
import { AppError } from '../errors/errors.js';
import {
  isSafeRequestError,
  isVariableErrorLimit,
  toClientError,
  TOO_MANY_VARIABLE_ERRORS,
  withoutSuggestions,
  withoutValues,
} from '../errors/client-error.js';
import { cachePolicyPlugin } from './cache-policy.js';
import { controlCharactersPlugin } from './control-characters.js';
import type { DocumentStore } from './persisted/apq-store.js';
import { armorProtection, DEFAULT_LIMITS, queryLimitError, queryLimitsPlugin } from './limits/index.js';

export const MASKED_MESSAGE = 'Something went wrong on our side. Quote the request id if you report it.';

function formatError(production: boolean) {
  const clean = production ? (message: string) => withoutSuggestions(withoutValues(message)) : withoutValues;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const client = toClientError(unwrapResolverError(error)) ?? queryLimitError(error);
    if (client) {
      const { http: _status, ...extensions } = client.extensions; // `http` only sets the status code
      return { message: client.message, locations: formatted.locations, path: formatted.path, extensions };
    }
    if (isVariableErrorLimit(error)) return { message: TOO_MANY_VARIABLE_ERRORS, extensions: { code: 'BAD_USER_INPUT' } };
    if (isSafeRequestError(formatted.extensions))
      return { message: clean(formatted.message), locations: formatted.locations, extensions: { code: formatted.extensions?.code } };
    return { message: MASKED_MESSAGE, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}

/**
 * A failure while a request's context is built (the session lookup, say) happens before Apollo's
 * request plugins run, so neither the log nor the request id would reach it: it is logged here
 * with its cause and turned into the masked error, request id included.
 */
export function maskContextFailures<R extends { requestId: string }, C>(
  build: (request: R) => Promise<C>,
  log: Logger,
): (request: R) => Promise<C> {
  return async (request) => {
    try {
      return await build(request);
    } catch (error) {
      if (toClientError(error)) throw error;
      log.error({ requestId: request.requestId, err: error }, 'request context not built (masked for the client)');
      throw new AppError('INTERNAL_SERVER_ERROR', MASKED_MESSAGE, { requestId: request.requestId });
    }
  };
}

/** Logs what was masked, and puts the request id on masked errors so support can find the log. */
function maskedErrorsPlugin(log: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (toClientError(original) || isSafeRequestError(error.extensions) || isVariableErrorLimit(original)) continue;
            log.error({ requestId: contextValue.requestId, path: error.path, err: original }, 'unexpected error (masked for the client)');
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            if (error.extensions?.code === 'INTERNAL_SERVER_ERROR')
              (error.extensions as Record<string, unknown>).requestId = contextValue.requestId;
          }
        },
      };
    },
  };
}

/** Writes each request's audit of reads once, before its response goes out. */
const auditFlushPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue }) {
        await contextValue?.audit?.flush();
      },
    };
  },
};

export interface ApolloOptions {
  production: boolean;
  /** Apollo Sandbox as the landing page (it loads from Apollo's CDN: online only). */
  sandbox?: boolean;
  log: Logger;
  /** Where automatic persisted queries keep documents (admission.ts decides who may use them). */
  persistedDocuments: DocumentStore;
}

export function createApolloServer(schema: GraphQLSchema, options: ApolloOptions): ApolloServer<RequestContext> {
  const limits = { ...DEFAULT_LIMITS, introspection: !options.production };
  // Depth, aliases, directives and (in production) field suggestions: GraphQL Armor.
  const armor = armorProtection(limits, { production: options.production });
  return new ApolloServer<RequestContext>({
    schema,
    introspection: !options.production,
    hideSchemaDetailsFromClientErrors: options.production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown: Apollo's own signal handlers would stop it first and leave ours waiting.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // Automatic persisted queries for first-party clients; partners' safelist is the manifest,
    // enforced before Apollo (src/graphql/persisted/admission.ts).
    persistedQueries: { cache: options.persistedDocuments, ttl: 24 * 60 * 60 },
    allowBatchedHttpRequests: false, // one operation per request: the limits below apply to each request
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: limits.maxTokens },
    formatError: formatError(options.production),
    plugins: [
      options.sandbox && !options.production
        ? ApolloServerPluginLandingPageLocalDefault({ footer: false })
        : ApolloServerPluginLandingPageDisabled(),
      maskedErrorsPlugin(options.log),
      auditFlushPlugin,
      controlCharactersPlugin,
      ...(armor.plugins as Array<ApolloServerPlugin<RequestContext>>),
      queryLimitsPlugin(limits),
      // One place decides Cache-Control (Apollo's per-field hints would be needed on every object field).
      ApolloServerPluginCacheControlDisabled(),
      cachePolicyPlugin,
    ],
  });
}
