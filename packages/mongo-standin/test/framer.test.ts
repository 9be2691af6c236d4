// The framer hands out whole messages however the bytes arrive: one byte at a time, a large
// message in many chunks, several messages and a partial one in a chunk.
import { describe, expect, it } from 'vitest';
import { MessageFramer } from '../src/wire.js';

function message(size: number, fill: number): Buffer {
  const buffer = Buffer.alloc(size, fill);
  buffer.writeInt32LE(size, 0);
  return buffer;
}

describe('MessageFramer', () => {
  it('joins chunks of any size into whole messages, in order', () => {
    const messages = [message(20, 1), message(256 * 1024, 2), message(17, 3), message(40, 4)];
    const stream = Buffer.concat(messages);
    for (const chunkSize of [1, 3, 7, 64 * 1024, stream.length]) {
      const framer = new MessageFramer();
      const out: Buffer[] = [];
      for (let offset = 0; offset < stream.length; offset += chunkSize)
        out.push(...framer.push(stream.subarray(offset, offset + chunkSize)));
      expect(out.map((part) => Buffer.compare(part, messages[out.indexOf(part)]))).toEqual([0, 0, 0, 0]);
    }
  });

  it('refuses an impossible length as soon as it is known', () => {
    const framer = new MessageFramer();
    const bad = Buffer.alloc(8);
    bad.writeInt32LE(3, 0);
    expect(() => framer.push(bad.subarray(0, 2))).not.toThrow();
    expect(() => framer.push(bad.subarray(2))).toThrow(/invalid message length 3/);
  });
});
