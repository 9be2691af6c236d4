// GridFS through the driver's GridFSBucket: chunked upload, download by id and by name, find, delete.
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import { mongoLabel, useTestMongo } from '../../harness/mongo.js';
import { sleep, type Doc } from './helpers.js';

const CHUNK = 255 * 1024;
const SIZE = Math.floor(1.5 * 1024 * 1024) + 12_345;

const mongo = useTestMongo();
let db: Db;
let bucket: GridFSBucket;

/** Deterministic, non-repeating-looking bytes. */
function makeData(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

async function upload(name: string, data: Buffer, metadata?: Record<string, unknown>): Promise<ObjectId> {
  const stream = bucket.openUploadStream(name, metadata ? { metadata } : {});
  // Uneven pieces so chunk boundaries do not line up with writes.
  await pipeline(Readable.from([data.subarray(0, 100_000), data.subarray(100_000, 700_001), data.subarray(700_001)]), stream);
  return stream.id as ObjectId;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.from(part as Buffer));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  db = mongo.db;
  bucket = new GridFSBucket(db, { bucketName: 'files' });
});

describe(`GridFS [${mongoLabel()}]`, () => {
  it('upload stores a files document and ceil(length / 255 KiB) chunks numbered from 0', async () => {
    const data = makeData(SIZE, 1);
    const id = await upload('report.bin', data, { owner: 'ann', kind: 'report' });
    const file = await db.collection<Doc>('files.files').findOne({ _id: id });
    expect(file).toMatchObject({ filename: 'report.bin', length: SIZE, chunkSize: CHUNK, metadata: { owner: 'ann', kind: 'report' } });
    expect(file?.uploadDate).toBeInstanceOf(Date);
    const chunks = await db.collection<Doc>('files.chunks').find({ files_id: id }).sort({ n: 1 }).toArray();
    expect(chunks.map((c) => c.n)).toEqual(Array.from({ length: Math.ceil(SIZE / CHUNK) }, (_, n) => n));
    expect(chunks.length).toBeGreaterThanOrEqual(6);
    expect(chunks[0].data.length()).toBe(CHUNK);
    expect(chunks[chunks.length - 1].data.length()).toBe(SIZE - CHUNK * (chunks.length - 1));
  });

  it('openDownloadStream returns exactly the uploaded bytes', async () => {
    const data = makeData(SIZE, 2);
    const id = await upload('by-id.bin', data);
    const back = await collect(bucket.openDownloadStream(id));
    expect(back.length).toBe(SIZE);
    expect(sha256(back)).toBe(sha256(data));
  });

  it('openDownloadStreamByName returns the bytes of the newest revision', async () => {
    const older = makeData(300_000, 3);
    const newer = makeData(SIZE, 4);
    await upload('by-name.bin', older);
    await sleep(20);
    await upload('by-name.bin', newer);
    const latest = await collect(bucket.openDownloadStreamByName('by-name.bin'));
    expect(sha256(latest)).toBe(sha256(newer));
    const first = await collect(bucket.openDownloadStreamByName('by-name.bin', { revision: 0 }));
    expect(sha256(first)).toBe(sha256(older));
  });

  it('a ranged download returns the requested byte range across chunk boundaries', async () => {
    const data = makeData(SIZE, 5);
    const id = await upload('ranged.bin', data);
    const part = await collect(bucket.openDownloadStream(id, { start: 250_000, end: 800_000 }));
    expect(sha256(part)).toBe(sha256(data.subarray(250_000, 800_000)));
  });

  it('find locates files by filename and metadata', async () => {
    const id = await upload('findme.txt', makeData(1000, 6), { owner: 'zed' });
    const byName = await bucket.find({ filename: 'findme.txt' }).toArray();
    expect(byName.map((f) => f._id.toHexString())).toEqual([id.toHexString()]);
    const byMeta = await bucket.find({ 'metadata.owner': 'zed' }).toArray();
    expect(byMeta.map((f) => f.filename)).toEqual(['findme.txt']);
  });

  it('an empty file uploads with length 0 and no chunks, and downloads as empty', async () => {
    const stream = bucket.openUploadStream('empty.bin');
    await pipeline(Readable.from([]), stream);
    const id = stream.id as ObjectId;
    await expect(db.collection<Doc>('files.files').findOne({ _id: id })).resolves.toMatchObject({ length: 0 });
    await expect(db.collection<Doc>('files.chunks').countDocuments({ files_id: id })).resolves.toBe(0);
    expect((await collect(bucket.openDownloadStream(id))).length).toBe(0);
  });

  it('the driver-created GridFS indexes exist (chunks files_id+n is unique)', async () => {
    await upload('index-check.bin', makeData(10, 7));
    const chunkIndexes = await db.collection<Doc>('files.chunks').listIndexes().toArray();
    expect(chunkIndexes.find((i) => i.unique === true)?.key).toEqual({ files_id: 1, n: 1 });
    const fileIndexes = await db.collection<Doc>('files.files').listIndexes().toArray();
    expect(fileIndexes.map((i) => i.key)).toContainEqual({ filename: 1, uploadDate: 1 });
  });

  it('delete removes the files document and all its chunks', async () => {
    const id = await upload('doomed.bin', makeData(SIZE, 8));
    await expect(db.collection<Doc>('files.chunks').countDocuments({ files_id: id })).resolves.toBeGreaterThan(1);
    await bucket.delete(id);
    await expect(db.collection<Doc>('files.files').countDocuments({ _id: id })).resolves.toBe(0);
    await expect(db.collection<Doc>('files.chunks').countDocuments({ files_id: id })).resolves.toBe(0);
    await expect(bucket.find({ _id: id }).toArray()).resolves.toEqual([]);
  });

  it('downloading a missing id fails with a FileNotFound error', async () => {
    await expect(collect(bucket.openDownloadStream(new ObjectId()))).rejects.toThrow(/FileNotFound/);
  });

  it('downloading a missing name fails with a FileNotFound error', async () => {
    await expect(collect(bucket.openDownloadStreamByName('no-such-file.bin'))).rejects.toThrow(/FileNotFound/);
  });

  it('deleting a missing id fails', async () => {
    await expect(bucket.delete(new ObjectId())).rejects.toThrow(/not found/i);
  });
});
