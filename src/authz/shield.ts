// graphql-shield 7.6.5 is its last release. Its ES module build imports `isUndefined` from
// node:util, which Node 23 removed, so on our Node LTS importing it fails before any code runs.
// Its CommonJS build calls that function only inside `chain` and `race`, which we do not use
// (and do not re-export here): load that build. graphql-middleware must then come from its
// CommonJS build too, or it would not recognise shield's middleware generator (an instanceof check).
// Everything else imports both from here.
import { createRequire } from 'node:module';
import type * as GraphqlMiddleware from 'graphql-middleware';
import type * as GraphqlShield from 'graphql-shield';

const load = createRequire(import.meta.url);
const graphqlShield = load('graphql-shield') as typeof GraphqlShield;
const graphqlMiddleware = load('graphql-middleware') as typeof GraphqlMiddleware;

export const { allow, and, deny, or, rule, shield } = graphqlShield;
export const { applyMiddleware } = graphqlMiddleware;
export type { IMiddlewareFunction } from 'graphql-middleware';
export type { IRules } from 'graphql-shield';
