// Partner API keys in PostgreSQL: only the SHA-256 of a key is stored, so a key is looked up by its
// hash in one indexed statement and a leaked table does not leak keys.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Partner } from './partner.js';

export class PartnerKeysRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The partner holding the key with this hash, unless the key was revoked. */
  async activeByHash(keyHash: string): Promise<Partner | null> {
    const row = await this.prisma.partnerKey.findFirst({
      where: { keyHash, revokedAt: null },
      select: { id: true, name: true, clinicId: true, costBudget: true },
    });
    return row && { keyId: row.id, name: row.name, clinicId: row.clinicId, costBudget: row.costBudget };
  }

  async create(data: { clinicId: string; name: string; keyHash: string; costBudget: number }): Promise<string> {
    return (await this.prisma.partnerKey.create({ data, select: { id: true } })).id;
  }

  async revoke(keyId: string): Promise<boolean> {
    const { count } = await this.prisma.partnerKey.updateMany({ where: { id: keyId, revokedAt: null }, data: { revokedAt: new Date() } });
    return count === 1;
  }
}
