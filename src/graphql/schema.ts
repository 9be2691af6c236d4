// The executable schema: every module's resolvers (from the registry), our input validation, and the permission
// rules on top (deny by default).
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from '../authz/shield.js';
import { buildSchema } from 'type-graphql';
import { permissionsMiddleware } from '../authz/permissions.js';
import { allModules } from '../modules/registry.js';
import { auditReadsMiddleware } from './audit-reads.js';
import { NodeResolver } from './node.resolver.js';
import { validateInput } from './validation.js';

/** The schema as declared in code, before permissions (what schema.graphql records). */
export function buildBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [NodeResolver, ...allModules.flatMap((module) => module.resolvers ?? [])] as [NewableFunction, ...NewableFunction[]],
    validateFn: validateInput,
    emitSchemaFile: false,
  });
}

export async function buildAppSchema(): Promise<GraphQLSchema> {
  // Permissions outermost: a refused field never reaches the audit of reads.
  return applyMiddleware(await buildBareSchema(), permissionsMiddleware, auditReadsMiddleware);
}

/** The SDL committed as schema.graphql: sorted, so that diffs show real changes only. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
