// Issuing, checking and revoking partner API keys. A key is `ck_` and 32 random bytes (base64url):
// high entropy, so one SHA-256 is a safe thing to store (a slow hash is for guessable passwords).
import { z } from 'zod';
import { newSecret, sha256 } from '../../auth/secrets.js';
import type { Partner } from './partner.js';
import type { PartnerKeysRepository } from './partner-keys.repository.js';

const KEY_FORMAT = /^ck_[A-Za-z0-9_-]{43}$/;
const KEY_ID = z.uuid();

export class PartnerKeysService {
  constructor(private readonly repository: PartnerKeysRepository) {}

  /** A new key for `clinicId`; the key itself is returned once and never stored. */
  async issue(input: { clinicId: string; name: string; costBudget: number }): Promise<{ keyId: string; key: string }> {
    if (!Number.isInteger(input.costBudget) || input.costBudget <= 0) throw new RangeError('costBudget must be a positive integer');
    const key = `ck_${newSecret(32)}`;
    const keyId = await this.repository.create({ ...input, keyHash: sha256(key) });
    return { keyId, key };
  }

  /** The partner a presented key belongs to, or null for a malformed, unknown or revoked key. */
  async partnerFor(key: string): Promise<Partner | null> {
    return KEY_FORMAT.test(key) ? this.repository.activeByHash(sha256(key)) : null;
  }

  async revoke(keyId: string): Promise<boolean> {
    return KEY_ID.safeParse(keyId).success && this.repository.revoke(keyId);
  }
}
