// Short-lived signed access tokens (HS256 JWT) naming the user and their session, nothing more.
// A valid signature only says who the bearer claims to be: the request's principal (role, clinics)
// is loaded from the database (session not revoked, user active), so suspension, sign-out and a
// change of clinics take effect at once.
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

// Tokens issued before role and clinics were dropped still carry them: unknown claims are ignored.
const claims = z.object({
  sub: z.uuid(),
  sid: z.uuid(),
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
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  async issue(subject: TokenSubject): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.settings.ttlSeconds * 1000);
    const token = await new SignJWT({ sid: subject.sessionId })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject.userId)
      .setIssuer(this.settings.issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** The subject of a well-signed, unexpired token of ours, or null. */
  async verify(token: string): Promise<TokenSubject | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: this.settings.issuer, algorithms: ['HS256'] });
      const parsed = claims.safeParse(payload);
      return parsed.success ? { userId: parsed.data.sub, sessionId: parsed.data.sid } : null;
    } catch {
      return null;
    }
  }
}
