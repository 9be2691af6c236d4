// Data generated before chain heads existed gets them as an upgrade would: rebuilt from the newest
// entry of every stream (AuditLog.rebuildHeads). Without them the API would still be right, each
// stream paying for one read of the log at its first audit, which would blur the figures.
import type { Db } from 'mongodb';
import { fromDist } from '../lib/dist.js';

/** Rebuilds the heads when `audit_heads` holds none; resolves with the streams done (0: there were heads already). */
export async function ensureAuditHeads(db: Db): Promise<number> {
  if ((await db.collection('audit_heads').estimatedDocumentCount()) > 0) return 0;
  const { AuditLog } = await fromDist<typeof import('../../src/modules/audit/audit.service.js')>('src/modules/audit/audit.service.js');
  return new AuditLog(db).rebuildHeads();
}
