// Per request: the caller's ties to each patient the response touches, in two queries whatever
// the number of patients. Built for one principal, so one user's ties never serve another.
import DataLoader from 'dataloader';
import type { Principal } from '../../auth/principal.js';
import type { PatientTies } from '../../authz/patient-access.js';
import { groupByKey } from '../../context/batch.js';
import type { CareRepository } from './care.repository.js';

export function createCareLoaders(repository: CareRepository, principal: Principal | null) {
  return {
    clinicIdsOfStaff: new DataLoader<string, string[]>(async (userIds) =>
      groupByKey(userIds, await repository.memberships(userIds), (row) => row.userId).map((rows) => rows.map((row) => row.clinicId)),
    ),
    tiesToPatient: new DataLoader<string, PatientTies>(async (patientIds) => {
      if (!principal) return patientIds.map(() => ({ self: false, clinicCare: false, personalCare: false, emergency: false }));
      const [relationships, emergency] = await Promise.all([
        repository.relationships(patientIds, principal.clinicIds),
        principal.role === 'doctor' || principal.role === 'nurse'
          ? repository.emergencyGrants(principal.userId, patientIds)
          : Promise.resolve(new Set<string>()),
      ]);
      const tiesOf = groupByKey(patientIds, relationships, (row) => row.patientId);
      return patientIds.map((patientId, index) => ({
        self: principal.patientId === patientId,
        clinicCare: tiesOf[index].length > 0,
        personalCare: tiesOf[index].some((row) => row.staffUserId === principal.userId),
        emergency: emergency.has(patientId),
      }));
    }),
  };
}

export type CareLoaders = ReturnType<typeof createCareLoaders>;
