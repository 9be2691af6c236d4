// Video consultations happen in a room from a provider (a third party, or a self-hosted Jitsi-like
// server) behind this interface. The default needs no provider API: such servers open a room
// when someone joins its URL, so a room is a random, unguessable name under VIDEO_BASE_URL.
import { randomBytes } from 'node:crypto';

export interface VideoRoom {
  /** The link the patient and the clinician open to join. */
  url: string;
}

export interface VideoRooms {
  /** A new room for one appointment (called once, when it is booked). */
  create(appointment: { id: string; startsAt: Date; endsAt: Date }): Promise<VideoRoom>;
}

/** Rooms on a self-hosted server that creates them on first join (Jitsi Meet and the like). */
export class SelfHostedVideoRooms implements VideoRooms {
  private readonly base: string;

  constructor(baseUrl: string) {
    this.base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  }

  async create(): Promise<VideoRoom> {
    // 128 random bits: the name is the room's only secret, and names no one (not the appointment,
    // patient or clinic), since anyone who learns it could try to join.
    return { url: new URL(`consultation-${randomBytes(16).toString('hex')}`, this.base).toString() };
  }
}
