// Turning a caller's event into the content that gets hashed and stored: defaults applied, names
// checked, header values (ip, user agent) trimmed to size. A malformed event is a programming
// error: it is refused before anything is written, naming the field, never echoing a value.
import { randomUUID } from 'node:crypto';
import { FIELD_NAME_PATTERN, MAX_FIELDS, RESOURCE_PATTERN } from './audit.collections.js';
import { AUDIT_ACTIONS, AUDIT_PURPOSES, AUDIT_RESULTS, DEFAULT_GLOBAL_STREAM, type AuditContent, type AuditEvent } from './audit.types.js';

export class InvalidAuditEvent extends Error {
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`audit event ${field} ${problem}`);
    this.name = 'InvalidAuditEvent';
  }
}

/** Content plus the stream it belongs to. */
export interface PreparedEvent extends AuditContent {
  stream: string;
}

const ID = /^[^\s]{1,128}$/;
const ROLE = /^[a-z_]{1,32}$/;
const GLOBAL_STREAM = /^system(:[A-Za-z0-9_.-]{1,64})?$/;
const FIELD = new RegExp(FIELD_NAME_PATTERN);
const RESOURCE = new RegExp(RESOURCE_PATTERN);

/** True when the string comes back unchanged from UTF-8 (no lone surrogates), as BSON stores it. */
const wellFormed = (value: string) => Buffer.from(value, 'utf8').toString('utf8') === value;

function id(value: unknown, field: string): string {
  if (typeof value !== 'string' || !ID.test(value) || !wellFormed(value))
    throw new InvalidAuditEvent(field, 'must be an id (1 to 128 characters, no spaces)');
  return value;
}

const optionalId = (value: unknown, field: string): string | null => (value === undefined || value === null ? null : id(value, field));

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (!allowed.includes(value as T)) throw new InvalidAuditEvent(field, `must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Header values come from clients: repaired and cut to size rather than refused. */
function headerValue(value: string | null | undefined, maxCodePoints: number): string | null {
  if (value === undefined || value === null || value === '') return null;
  return Buffer.from(Array.from(String(value)).slice(0, maxCodePoints).join(''), 'utf8').toString('utf8');
}

export function prepareEvent(event: AuditEvent, now: Date): PreparedEvent {
  const at = event.at ?? now;
  if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new InvalidAuditEvent('at', 'must be a valid date');
  const actor = event.actor === null ? null : { userId: id(event.actor?.userId, 'actor.userId'), role: event.actor.role };
  if (actor && (typeof actor.role !== 'string' || !ROLE.test(actor.role))) throw new InvalidAuditEvent('actor.role', 'must be a role name');
  const patientId = optionalId(event.patientId, 'patientId');
  if (patientId !== null && event.stream !== undefined) throw new InvalidAuditEvent('stream', 'is only for events without a patient');
  if (patientId !== null && GLOBAL_STREAM.test(patientId))
    throw new InvalidAuditEvent('patientId', 'must not look like a global stream name');
  const stream = patientId ?? event.stream ?? DEFAULT_GLOBAL_STREAM;
  if (!GLOBAL_STREAM.test(stream) && stream !== patientId) throw new InvalidAuditEvent('stream', 'must be system or system:<name>');
  if (typeof event.resource !== 'string' || event.resource.length > 64 || !RESOURCE.test(event.resource)) {
    throw new InvalidAuditEvent('resource', 'must be a type name such as Patient');
  }
  const fields = [...new Set(event.fields ?? [])].sort();
  if (fields.length > MAX_FIELDS) throw new InvalidAuditEvent('fields', `must name at most ${MAX_FIELDS} fields`);
  for (const field of fields) {
    if (typeof field !== 'string' || field.length > 128 || !FIELD.test(field))
      throw new InvalidAuditEvent('fields', 'must hold field names (letters, digits, _ and dots)');
  }
  return {
    id: event.id === undefined ? randomUUID() : id(event.id, 'id'),
    stream,
    at,
    actor,
    onBehalfOf: optionalId(event.onBehalfOf, 'onBehalfOf'),
    patientId,
    resource: event.resource,
    fields,
    action: oneOf(event.action, AUDIT_ACTIONS, 'action'),
    purpose: oneOf(event.purpose ?? 'normal', AUDIT_PURPOSES, 'purpose'),
    requestId: optionalId(event.requestId, 'requestId'),
    ip: headerValue(event.ip, 64),
    userAgent: headerValue(event.userAgent, 512),
    result: oneOf(event.result, AUDIT_RESULTS, 'result'),
  };
}

/** The event again, as a caller could pass it back to `append` (for the spool). */
export function asEvent(prepared: PreparedEvent): AuditEvent {
  const { stream, ...content } = prepared;
  return content.patientId === null ? { ...content, stream: stream as AuditEvent['stream'] } : content;
}
