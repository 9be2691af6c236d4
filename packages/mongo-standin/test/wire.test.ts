// The wire protocol below the driver: legacy OP_QUERY, OP_MSG document sequences, moreToCome,
// checksums, and what happens to a connection that sends garbage.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize, serialize, type Document } from 'bson';
import { startMongoStandin, type RunningStandin } from '../src/server.js';

let server: RunningStandin;
let nextId = 100;

beforeAll(async () => {
  server = await startMongoStandin({ log: () => {} });
});
afterAll(() => server.close());

function header(length: number, requestId: number, opCode: number): Buffer {
  const head = Buffer.alloc(16);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

function opQuery(namespace: string, query: Document): { id: number; bytes: Buffer } {
  const id = nextId++;
  const body = Buffer.concat([
    Buffer.alloc(4),
    Buffer.from(`${namespace}\0`),
    Buffer.from([0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]),
    serialize(query),
  ]);
  return { id, bytes: Buffer.concat([header(16 + body.length, id, 2004), body]) };
}

function opMsg(
  command: Document,
  options: { flags?: number; sequence?: [string, Document[]]; checksum?: boolean } = {},
): { id: number; bytes: Buffer } {
  const id = nextId++;
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((options.flags ?? 0) | (options.checksum ? 1 : 0));
  const parts = [flags, Buffer.from([0]), serialize(command)];
  if (options.sequence) {
    const [identifier, docs] = options.sequence;
    const payload = Buffer.concat([Buffer.from(`${identifier}\0`), ...docs.map((doc) => serialize(doc))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length);
    parts.push(Buffer.from([1]), size, payload);
  }
  if (options.checksum) parts.push(Buffer.alloc(4));
  const body = Buffer.concat(parts);
  return { id, bytes: Buffer.concat([header(16 + body.length, id, 2013), body]) };
}

interface Reply {
  opCode: number;
  responseTo: number;
  doc: Document;
}

class RawConnection {
  private readonly socket: net.Socket;
  private buffered = Buffer.alloc(0);
  private waiting: Array<(reply: Reply) => void> = [];
  readonly closed: Promise<void>;

  constructor(port: number) {
    this.socket = net.connect({ port, host: '127.0.0.1' });
    this.socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      while (this.buffered.length >= 4 && this.buffered.length >= this.buffered.readInt32LE(0)) {
        const message = this.buffered.subarray(0, this.buffered.readInt32LE(0));
        this.buffered = this.buffered.subarray(message.length);
        const opCode = message.readInt32LE(12);
        const docStart = opCode === 1 ? 36 : 21;
        this.waiting.shift()?.({ opCode, responseTo: message.readInt32LE(8), doc: deserialize(message.subarray(docStart)) });
      }
    });
    this.closed = new Promise((resolve) => this.socket.once('close', () => resolve()));
    this.socket.on('error', () => {});
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  reply(timeoutMs = 2000): Promise<Reply | 'timeout'> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((waiter) => waiter !== done);
        resolve('timeout');
      }, timeoutMs);
      const done = (reply: Reply) => {
        clearTimeout(timer);
        resolve(reply);
      };
      this.waiting.push(done);
    });
  }

  async request(message: { id: number; bytes: Buffer }): Promise<Reply> {
    this.send(message.bytes);
    const reply = await this.reply();
    if (reply === 'timeout') throw new Error('no reply');
    expect(reply.responseTo).toBe(message.id);
    return reply;
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('wire protocol', () => {
  it('answers a legacy isMaster over OP_QUERY with an OP_REPLY', async () => {
    const connection = new RawConnection(server.port);
    const reply = await connection.request(opQuery('admin.$cmd', { isMaster: 1 }));
    expect(reply.opCode).toBe(1);
    expect(reply.doc).toMatchObject({ ismaster: true, maxWireVersion: 21, ok: 1 });
    connection.close();
  });

  it('refuses other commands over OP_QUERY with 352, as MongoDB 7.0 does', async () => {
    const connection = new RawConnection(server.port);
    const reply = await connection.request(opQuery('wire.$cmd', { find: 'c' }));
    expect(reply.doc).toMatchObject({ ok: 0, code: 352, codeName: 'UnsupportedOpQueryCommand' });
    connection.close();
  });

  it('refuses a legacy OP_QUERY find on a collection', async () => {
    const connection = new RawConnection(server.port);
    const reply = await connection.request(opQuery('wire.c', { a: 1 }));
    expect(reply.doc).toMatchObject({ ok: 0, code: 5739101 });
    connection.close();
  });

  it('reads OP_MSG document sequences (kind 1 sections) as command arrays', async () => {
    const connection = new RawConnection(server.port);
    const reply = await connection.request(opMsg({ insert: 'seq', $db: 'wire' }, { sequence: ['documents', [{ _id: 1 }, { _id: 2 }]] }));
    expect(reply.opCode).toBe(2013);
    expect(reply.doc).toMatchObject({ n: 2, ok: 1 });
    connection.close();
  });

  it('sends no reply to a moreToCome message but still applies it', async () => {
    const connection = new RawConnection(server.port);
    connection.send(opMsg({ insert: 'quiet', documents: [{ _id: 'w0' }], $db: 'wire' }, { flags: 2 }).bytes);
    expect(await connection.reply(300)).toBe('timeout');
    const found = await connection.request(opMsg({ find: 'quiet', filter: {}, $db: 'wire' }));
    expect(found.doc.cursor.firstBatch).toEqual([{ _id: 'w0' }]);
    connection.close();
  });

  it('accepts a message that carries a checksum', async () => {
    const connection = new RawConnection(server.port);
    const reply = await connection.request(opMsg({ ping: 1, $db: 'admin' }, { checksum: true }));
    expect(reply.doc).toMatchObject({ ok: 1 });
    connection.close();
  });

  it('closes a connection that sends an impossible message length, and keeps serving others', async () => {
    const bad = new RawConnection(server.port);
    const length = Buffer.alloc(16);
    length.writeInt32LE(3, 0);
    bad.send(length);
    await bad.closed;
    const good = new RawConnection(server.port);
    expect((await good.request(opMsg({ ping: 1, $db: 'admin' }))).doc).toMatchObject({ ok: 1 });
    good.close();
  });
});
