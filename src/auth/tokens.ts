// Short-lived signed access tokens (HS256 JWT) naming the user, their session, role and clinics.
// A valid signature only says who the bearer claims to be: the request's principal is loaded from
// the database (session not revoked, user active), so suspension and sign-out take effect at once.
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES, type Role } from './principal.js';

const claims = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
  role: z.enum(ROLES),
  clinics: z.array(z.uuid()).max(100),
  exp: z.number(),
});

export interface TokenSettings {
  secret: string;
  issuer: string;
  ttlSeconds: number;
}

export interface TokenSubject {
  userId: string;
  sessionId: string;
  role: Role;
  clinicIds: readonly string[];
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  async issue(subject: TokenSubject): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.settings.ttlSeconds * 1000);
    const token = await new SignJWT({ sid: subject.sessionId, role: subject.role, clinics: [...subject.clinicIds] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject.userId)
      .setIssuer(this.settings.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The subject of a well-signed, unexpired token of ours, or null. */
  async verify(token: string): Promise<{ userId: string; sessionId: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: this.settings.issuer, algorithms: ['HS256'] });
      const parsed = claims.safeParse(payload);
      return parsed.success ? { userId: parsed.data.sub, sessionId: parsed.data.sid } : null;
    } catch {
      return null;
    }
  }
}
