// MongoDB's wire protocol: framing, OP_MSG and OP_QUERY requests, OP_MSG and OP_REPLY replies.
import { deserialize, serialize, Long } from 'bson';
import type { Doc } from './bson-values.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_BYTES = 48_000_000;
const HEADER_BYTES = 16;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;

/** How documents are read off the wire: numbers as JS numbers, longs too where they fit. */
const READ_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false, bsonRegExp: false } as const;

export interface MsgRequest {
  kind: 'msg';
  requestId: number;
  /** The command, with document sequences (e.g. `documents` of an insert) folded in as arrays. */
  command: Doc;
  /** The client asked for no reply (unacknowledged write). */
  moreToCome: boolean;
}

export interface QueryRequest {
  kind: 'query';
  requestId: number;
  fullCollectionName: string;
  query: Doc;
}

export type Request = MsgRequest | QueryRequest;

export class WireProtocolError extends Error {}

/**
 * Splits a byte stream into whole messages; keeps the partial tail for the next chunk. The chunks
 * of a message still arriving are kept apart and joined once it is whole: joining at every chunk
 * copied a 48 MB message over and over (seconds of a large insertMany, profiled).
 */
export class MessageFramer {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < 4) return [];
    if (this.pending[0].length < 4) this.pending = [Buffer.concat(this.pending, this.pendingBytes)]; // once: the length is whole
    const length = this.pending[0].readInt32LE(0);
    const valid = length >= HEADER_BYTES && length <= MAX_MESSAGE_BYTES;
    if (valid && this.pendingBytes < length) return []; // an invalid length is refused below
    let buffered = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const messages: Buffer[] = [];
    while (buffered.length >= 4) {
      const size = buffered.readInt32LE(0);
      if (size < HEADER_BYTES || size > MAX_MESSAGE_BYTES) {
        throw new WireProtocolError(`invalid message length ${size}`);
      }
      if (buffered.length < size) break;
      messages.push(buffered.subarray(0, size));
      buffered = buffered.subarray(size);
    }
    if (buffered.length > 0) {
      this.pending = [buffered];
      this.pendingBytes = buffered.length;
    }
    return messages;
  }
}

function readCString(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new WireProtocolError('unterminated C string');
  return [buffer.toString('utf8', offset, end), end + 1];
}

function readDocument(buffer: Buffer, offset: number): [Doc, number] {
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new WireProtocolError('invalid BSON document size');
  return [deserialize(buffer.subarray(offset, offset + size), READ_OPTIONS) as Doc, offset + size];
}

function parseMsg(message: Buffer, requestId: number): MsgRequest {
  const flags = message.readUInt32LE(HEADER_BYTES);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let command: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      [command, offset] = readDocument(message, offset);
    } else if (kind === 1) {
      const sectionEnd = offset + message.readInt32LE(offset);
      let identifier: string;
      [identifier, offset] = readCString(message, offset + 4);
      const docs: Doc[] = [];
      while (offset < sectionEnd) {
        let doc: Doc;
        [doc, offset] = readDocument(message, offset);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
    } else {
      throw new WireProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new WireProtocolError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) command[identifier] = docs;
  return { kind: 'msg', requestId, command, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function parseQuery(message: Buffer, requestId: number): QueryRequest {
  const [fullCollectionName, afterName] = readCString(message, HEADER_BYTES + 4);
  const [query] = readDocument(message, afterName + 8);
  return { kind: 'query', requestId, fullCollectionName, query };
}

export function parseRequest(message: Buffer): Request {
  const requestId = message.readInt32LE(4);
  const opCode = message.readInt32LE(12);
  if (opCode === OP_MSG) return parseMsg(message, requestId);
  if (opCode === OP_QUERY) return parseQuery(message, requestId);
  throw new WireProtocolError(opCode === OP_COMPRESSED ? 'OP_COMPRESSED was not negotiated' : `unsupported opCode ${opCode}`);
}

const WRITE_OPTIONS = { ignoreUndefined: true, checkKeys: false } as const;

function header(length: number, requestId: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.allocUnsafe(HEADER_BYTES);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

export function encodeMsgReply(reply: Doc, requestId: number, responseTo: number): Buffer {
  const body = serialize(reply, WRITE_OPTIONS);
  const length = HEADER_BYTES + 4 + 1 + body.length;
  const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([header(length, requestId, responseTo, OP_MSG), prefix, body], length);
}

export function encodeQueryReply(reply: Doc, requestId: number, responseTo: number): Buffer {
  const body = serialize(reply, WRITE_OPTIONS);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  const length = HEADER_BYTES + fields.length + body.length;
  return Buffer.concat([header(length, requestId, responseTo, OP_REPLY), fields, body], length);
}

export const ZERO_CURSOR_ID = Long.ZERO;
