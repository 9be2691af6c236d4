// Rows to graph objects.
import { toAddress, type Gender, type Language } from '../../graphql/common-types.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { toLocalDate } from '../../graphql/scalars.js';
import type { EmergencyContact, Insurance, Patient } from './patient.types.js';
import type { PatientRow } from './patients.repository.js';

function toEmergencyContact(value: unknown): EmergencyContact | null {
  if (!value || typeof value !== 'object') return null;
  const { name, relationship, phone } = value as Record<string, unknown>;
  return typeof name === 'string' && typeof relationship === 'string' && typeof phone === 'string' ? { name, relationship, phone } : null;
}

function toInsurance(value: unknown): Insurance | null {
  if (!value || typeof value !== 'object') return null;
  const { provider, policyNumber, holderName } = value as Record<string, unknown>;
  return typeof provider === 'string' && typeof policyNumber === 'string'
    ? { provider, policyNumber, holderName: typeof holderName === 'string' ? holderName : null }
    : null;
}

export function toPatient(row: PatientRow): Patient {
  const profile = row.profile;
  return {
    dbId: row.id,
    id: toGlobalId('Patient', row.id),
    firstName: profile?.firstName ?? '',
    lastName: profile?.lastName ?? '',
    dateOfBirth: toLocalDate(profile?.dateOfBirth),
    gender: (profile?.gender ?? null) as Gender | null,
    preferredLanguage: (profile?.preferredLanguage ?? 'fr') as Language,
    email: row.email,
    phone: row.phone,
    nationalId: profile?.nationalId ?? null,
    address: toAddress(profile?.address),
    emergencyContact: toEmergencyContact(profile?.emergencyContact),
    insurance: toInsurance(profile?.insurance),
    registeredAt: row.createdAt,
    reminderChannel: profile?.reminderChannel ?? null,
  };
}
