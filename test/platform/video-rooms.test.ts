// Rooms on a self-hosted server: under the configured URL (its path kept), a new unguessable name each time.
import { describe, expect, it } from 'vitest';
import { SelfHostedVideoRooms, type VideoRooms } from '../../src/platform/video-rooms.js';

const appointment = { id: 'a', startsAt: new Date(), endsAt: new Date() };

describe('SelfHostedVideoRooms', () => {
  it('names a fresh 128-bit room under the base URL, with or without its trailing slash', async () => {
    for (const base of ['https://video.clinic.example/meet', 'https://video.clinic.example/meet/']) {
      const rooms: VideoRooms = new SelfHostedVideoRooms(base);
      const [first, second] = [await rooms.create(appointment), await rooms.create(appointment)];
      expect(first.url).toMatch(/^https:\/\/video\.clinic\.example\/meet\/consultation-[0-9a-f]{32}$/);
      expect(second.url).not.toBe(first.url);
    }
  });
});
