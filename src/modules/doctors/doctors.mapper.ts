// Rows to graph objects.
import type { Language } from '../../graphql/common-types.js';
import { toGlobalId } from '../../graphql/global-id.js';
import { Specialty, type Doctor } from './doctor.types.js';
import type { DoctorRow, SpecialtyRow } from './doctors.repository.js';

export function toDoctor(row: DoctorRow): Doctor {
  const firstName = row.user.profile?.firstName ?? '';
  const lastName = row.user.profile?.lastName ?? '';
  return {
    dbId: row.id,
    userId: row.userId,
    id: toGlobalId('Doctor', row.id),
    firstName,
    lastName,
    displayName: `Dr ${firstName} ${lastName}`.trim(),
    licenseNumber: row.licenseNumber,
    medicalDegree: row.medicalDegree,
    yearsOfExperience: row.yearsOfExperience,
    consultationFee: { amountMinor: row.consultationFeeMinor, currency: row.currency },
    consultationDurationMinutes: row.consultationDurationMinutes,
    rating: row.rating,
    reviewCount: row.reviewCount,
    bio: row.bio,
    languages: row.languages as Language[],
    acceptingPatients: row.acceptingPatients,
  };
}

export function toSpecialty(row: SpecialtyRow): Specialty {
  // An instance, because `name(language)` is a method on the class.
  return Object.assign(new Specialty(), {
    dbId: row.id,
    id: toGlobalId('Specialty', row.id),
    code: row.code,
    nameEn: row.nameEn,
    nameFr: row.nameFr,
  });
}
