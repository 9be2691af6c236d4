// Short-lived signed access tokens (HS256 JWT): user id, role and clinic ids. Verification checks
// signature, issuer, expiry and shape; anything else is treated as no token at all.
import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { Principal, Role } from './principal.js';

const claims = z.object({
  sub: z.uuid(),
  role: z.enum(['admin', 'doctor', 'nurse', 'receptionist', 'pharmacist', 'lab_technician', 'patient']),
  clinics: z.array(z.uuid()).max(100),
});

export interface TokenSettings {
  secret: string;
  issuer: string;
  ttlSeconds: number;
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(private readonly settings: TokenSettings) {
    this.key = new TextEncoder().encode(settings.secret);
  }

  issue(principal: { userId: string; role: Role; clinicIds: readonly string[] }): Promise<string> {
    return new SignJWT({ role: principal.role, clinics: [...principal.clinicIds] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(principal.userId)
      .setIssuer(this.settings.issuer)
      .setIssuedAt()
      .setExpirationTime(`${this.settings.ttlSeconds}s`)
      .sign(this.key);
  }

  /** The principal of a valid token, or null for a missing, malformed, expired or forged one. */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: this.settings.issuer, algorithms: ['HS256'] });
      const parsed = claims.safeParse(payload);
      if (!parsed.success) return null;
      const { sub, role, clinics } = parsed.data;
      return { userId: sub, role, clinicIds: clinics, ...(role === 'patient' ? { patientId: sub } : {}) };
    } catch {
      return null;
    }
  }
}
