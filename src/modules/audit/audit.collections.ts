// MongoDB `audit_logs`: one document per audited event, hash-chained per stream. The validator
// refuses any field it does not know (additionalProperties: false), so no value can ride along;
// the unique {stream, seq} index is what keeps each chain linear under concurrent appenders.
// MongoDB `audit_heads`: one document per stream, {_id: stream, seq, hash, at} of an entry of
// that stream that is stored (its newest, or one before it for a while: see audit-writer.ts), so
// that a request's streams are found with one read however many they are.
import type { CollectionSpec } from '../../platform/mongo.js';
import { AUDIT_ACTIONS, AUDIT_PURPOSES, AUDIT_RESULTS } from './audit.types.js';

export const AUDIT_LOGS = 'audit_logs';
export const AUDIT_HEADS = 'audit_heads';

/** Six years (HIPAA keeps audit documentation six years); Cameroon's rules may ask for more. */
export const DEFAULT_AUDIT_RETENTION_SECONDS = 6 * 365 * 24 * 3600;

/** Index names the code relies on (the repository recognises chain conflicts by this one). */
export const STREAM_SEQ_INDEX = 'stream_seq';
export const AT_TTL_INDEX = 'at_ttl';

export const MAX_FIELDS = 200;
export const FIELD_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$';
export const RESOURCE_PATTERN = '^[A-Z][A-Za-z0-9]*$';

const id = { bsonType: 'string', minLength: 1, maxLength: 128 };
const optionalId = { bsonType: ['string', 'null'], minLength: 1, maxLength: 128 };
const hash = { bsonType: 'string', pattern: '^[0-9a-f]{64}$' };
// The driver sends integers past 2^31 as doubles; allow them rather than refuse an audit write.
const seq = { bsonType: ['int', 'long', 'double'], minimum: 1 };

export function auditLogsSpec(retentionSeconds: number = DEFAULT_AUDIT_RETENTION_SECONDS): CollectionSpec {
  if (!Number.isInteger(retentionSeconds) || retentionSeconds < 1)
    throw new RangeError('audit retention must be a positive whole number of seconds');
  return {
    name: AUDIT_LOGS,
    validator: {
      $jsonSchema: {
        bsonType: 'object',
        required: [
          '_id',
          'v',
          'stream',
          'seq',
          'prevHash',
          'prevAt',
          'hash',
          'at',
          'actor',
          'onBehalfOf',
          'patientId',
          'resource',
          'fields',
          'action',
          'purpose',
          'requestId',
          'ip',
          'userAgent',
          'result',
        ],
        additionalProperties: false,
        properties: {
          _id: id,
          v: { enum: [1] },
          stream: id,
          seq,
          prevHash: hash,
          prevAt: { bsonType: ['date', 'null'] },
          hash,
          at: { bsonType: 'date' },
          actor: {
            bsonType: ['object', 'null'],
            required: ['userId', 'role'],
            additionalProperties: false,
            properties: { userId: id, role: { bsonType: 'string', pattern: '^[a-z_]{1,32}$' } },
          },
          onBehalfOf: optionalId,
          patientId: optionalId,
          resource: { bsonType: 'string', pattern: RESOURCE_PATTERN, maxLength: 64 },
          fields: { bsonType: 'array', maxItems: MAX_FIELDS, items: { bsonType: 'string', pattern: FIELD_NAME_PATTERN, maxLength: 128 } },
          action: { enum: [...AUDIT_ACTIONS] },
          purpose: { enum: [...AUDIT_PURPOSES] },
          requestId: optionalId,
          ip: { bsonType: ['string', 'null'], maxLength: 64 },
          userAgent: { bsonType: ['string', 'null'], maxLength: 512 },
          result: { enum: [...AUDIT_RESULTS] },
        },
      },
    },
    indexes: [
      { key: { stream: 1, seq: 1 }, name: STREAM_SEQ_INDEX, unique: true },
      { key: { patientId: 1, at: -1 }, name: 'patient_at' },
      { key: { 'actor.userId': 1, at: -1 }, name: 'actor_at' },
      { key: { at: 1 }, name: AT_TTL_INDEX, expireAfterSeconds: retentionSeconds },
    ],
  };
}

/** No index beyond `_id` (the stream): heads are only ever read and written by stream. No TTL: a head outlives its entries. */
export const auditHeadsSpec: CollectionSpec = {
  name: AUDIT_HEADS,
  validator: {
    $jsonSchema: {
      bsonType: 'object',
      required: ['_id', 'seq', 'hash', 'at'],
      additionalProperties: false,
      properties: { _id: id, seq, hash, at: { bsonType: 'date' } },
    },
  },
  indexes: [],
};
