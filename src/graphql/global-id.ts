// Opaque global ids ("Doctor:<uuid>" in base64url) so that node(id:) can refetch any object and
// clients never build ids themselves. A malformed id is BAD_USER_INPUT at the argument's path.
import { BadUserInputError } from '../errors/errors.js';

/**
 * The kinds of global id, one entry per type: each module adds its own from its manifest file
 * (`declare module '../../graphql/global-id.js' { interface NodeTypes { Clinic: true } }`), so
 * that an id of a kind nobody declared does not compile.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NodeTypes {}

export type NodeType = keyof NodeTypes & string;

const TYPE_NAME = /^[A-Z][A-Za-z]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function toGlobalId(type: NodeType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/**
 * The type and database id inside a global id, or null when it is not shaped like one of ours
 * (whether a module declares the type is for node(id:) and idOf to say).
 */
export function parseGlobalId(globalId: string): { type: NodeType; id: string } | null {
  if (globalId.length > 128) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const separator = decoded.indexOf(':');
  const type = decoded.slice(0, separator);
  const id = decoded.slice(separator + 1);
  return separator > 0 && TYPE_NAME.test(type) && UUID.test(id) ? { type: type as NodeType, id } : null;
}

/** The database id of a global id of `type`; BAD_USER_INPUT naming `path` otherwise. */
export function idOf(type: NodeType, globalId: string, path: Array<string | number>): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== type) throw new BadUserInputError([{ path, message: `must be a ${type} id` }]);
  return parsed.id;
}
