// Signing a prescription: Ed25519 over a canonical form of what was prescribed, for whom, by whom
// and when, with the key's id stored beside the signature so that keys can rotate (the current key
// signs; earlier keys still verify). Any change to a signed row, made past the database's own
// guard, no longer verifies.
import type { NewItem } from './prescriptions.repository.js';
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** What the signature covers. */
export interface SignedContent {
  id: string;
  number: string;
  clinicId: string;
  patientId: string;
  prescriberId: string;
  appointmentId: string | null;
  diagnoses: readonly string[];
  notes: string | null;
  issuedOn: string;
  validUntil: string;
  replacesId: string | null;
  signedAt: Date;
  signedBy: string;
  /** The items, their dose amount as text with three places (e.g. "1.500"). */
  items: ReadonlyArray<Omit<NewItem, 'doseAmount'> & { doseAmount: string }>;
  /** The findings and how each was resolved: an override's reason is signed with the rest. */
  findings: ReadonlyArray<{
    fingerprint: string;
    severity: string;
    resolvedBy: string | null;
    resolvedAt: Date | null;
    overrideReason: string | null;
  }>;
}

/** The bytes signed: JSON with a fixed key order, items by position, findings by fingerprint. */
export function canonicalForm(content: SignedContent): Buffer {
  const ordered = {
    v: 1,
    id: content.id,
    number: content.number,
    clinicId: content.clinicId,
    patientId: content.patientId,
    prescriberId: content.prescriberId,
    appointmentId: content.appointmentId,
    diagnoses: [...content.diagnoses],
    notes: content.notes,
    issuedOn: content.issuedOn,
    validUntil: content.validUntil,
    replacesId: content.replacesId,
    signedAt: content.signedAt.toISOString(),
    signedBy: content.signedBy,
    items: [...content.items]
      .sort((a, b) => a.position - b.position)
      .map((item) => [
        item.position,
        item.medicineId,
        item.medicineName,
        item.strength,
        item.form,
        item.route,
        item.doseAmount,
        item.doseUnit,
        item.frequency,
        item.durationDays,
        item.quantity,
        item.refillsAllowed,
        item.substitutionAllowed,
        item.instructions,
      ]),
    findings: [...content.findings]
      .sort((a, b) => a.fingerprint.localeCompare(b.fingerprint))
      .map((finding) => [
        finding.fingerprint,
        finding.severity,
        finding.resolvedBy,
        finding.resolvedAt?.toISOString() ?? null,
        finding.overrideReason,
      ]),
  };
  return Buffer.from(JSON.stringify(ordered), 'utf8');
}

export type VerificationOutcome = 'valid' | 'tampered' | 'unknown_key';

export interface SigningKeys {
  /** The key that signs now. */
  current: { keyId: string; privateKey: KeyObject };
  /** Every key that may verify, the current one's public key included, by id. */
  verifying: ReadonlyMap<string, KeyObject>;
}

// PKCS#8 and SPKI wrappers of a raw 32-byte Ed25519 key (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** An Ed25519 private key from its 32-byte seed. */
export function privateKeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** An Ed25519 public key from its 32 raw bytes. */
export function publicKeyFromBytes(bytes: Buffer): KeyObject {
  if (bytes.length !== 32) throw new Error('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, bytes]), format: 'der', type: 'spki' });
}

/** The raw 32 bytes of a public key (to publish it for verifiers). */
export function publicKeyBytes(key: KeyObject): Buffer {
  return key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
}

export class PrescriptionSigner {
  constructor(private readonly keys: SigningKeys) {}

  get keyId(): string {
    return this.keys.current.keyId;
  }

  sign(content: SignedContent): { keyId: string; signature: string } {
    const signature = sign(null, canonicalForm(content), this.keys.current.privateKey).toString('base64url');
    return { keyId: this.keys.current.keyId, signature };
  }

  verify(content: SignedContent, keyId: string, signature: string): VerificationOutcome {
    const key = this.keys.verifying.get(keyId);
    if (!key) return 'unknown_key';
    try {
      return verify(null, canonicalForm(content), key, Buffer.from(signature, 'base64url')) ? 'valid' : 'tampered';
    } catch {
      return 'tampered';
    }
  }
}

/** Signing keys from the configuration: the current key's id and seed, and earlier public keys. */
export function signingKeys(settings: {
  keyId: string;
  seed: Buffer;
  retired: ReadonlyArray<{ keyId: string; publicKey: Buffer }>;
}): SigningKeys {
  const privateKey = privateKeyFromSeed(settings.seed);
  const verifying = new Map<string, KeyObject>(settings.retired.map((key) => [key.keyId, publicKeyFromBytes(key.publicKey)]));
  verifying.set(settings.keyId, createPublicKey(privateKey));
  return { current: { keyId: settings.keyId, privateKey }, verifying };
}
