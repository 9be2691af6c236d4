// A patient's data is written only inside an audited write: the stores the repositories get refuse
// a write outside one (a service that forgot the patient scope), PostgreSQL and MongoDB alike,
// while the same write inside one, or the outbox relay's own, goes through.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { inAuditedWrite, inSystemWrite, UnauditedPatientWrite } from '../../src/authz/patient-writes.js';
import { createRepositories, type Repositories } from '../../src/context/services.js';
import { memoryCache } from '../../src/platform/cache.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

const api = useTestApi();
let repositories: Repositories;
let patientId = '';
let clinicId = '';
let nurseId = '';

beforeAll(async () => {
  repositories = createRepositories(api.database.prisma, api.mongo.db, memoryCache());
  clinicId = (await createClinic(api.database.prisma)).id;
  patientId = (await createPatient(api.database.prisma, { clinicId })).userId;
  nurseId = (await createStaff(api.database.prisma, 'nurse', clinicId)).userId;
});

const relationship = () => ({ patientId, clinicId, staffUserId: nurseId, kind: 'assignment' as const, createdBy: nurseId });
const allergy = () => ({
  id: randomUUID(),
  substance: 'Penicillin',
  substanceKey: 'penicillin',
  severity: 'severe',
  recordedAt: new Date(),
  recordedBy: nurseId,
});
const relationships = () => api.database.prisma.careRelationship.count({ where: { patientId, staffUserId: nurseId } });

describe("writes of a patient's data", () => {
  it('are refused outside an audited write, in PostgreSQL and in MongoDB, and nothing is written', async () => {
    await expect(repositories.care.addRelationship(relationship())).rejects.toBeInstanceOf(UnauditedPatientWrite);
    expect(await relationships()).toBe(0);
    await expect(repositories.records.append(patientId, 'allergies', allergy())).rejects.toBeInstanceOf(UnauditedPatientWrite);
    expect(await api.mongo.db.collection('patient_records').countDocuments({ _id: patientId as never })).toBe(0);
  });

  it('are refused for a user created with their patient record (a nested write) outside one', async () => {
    const id = randomUUID();
    const newPatient = {
      id,
      email: `${id}@example.cm`,
      phone: null,
      profile: { firstName: 'A', lastName: 'B', dateOfBirth: new Date('1990-01-01'), preferredLanguage: 'fr' as const },
      registeredAt: { clinicId, by: nurseId },
    };
    await expect(repositories.patients.create(newPatient as never)).rejects.toBeInstanceOf(UnauditedPatientWrite);
    expect(await api.database.prisma.user.count({ where: { id } })).toBe(0);
  });

  it("go through inside an audited write, or as the system's own (the outbox relay)", async () => {
    await inAuditedWrite(patientId, () => repositories.care.addRelationship(relationship()));
    expect(await relationships()).toBe(1);
    await inSystemWrite('test', () => repositories.records.append(patientId, 'allergies', allergy()));
    expect(await api.mongo.db.collection('patient_records').countDocuments({ _id: patientId as never })).toBe(1);
  });

  it('leave other tables and reads alone', async () => {
    await expect(repositories.care.relationships([patientId], [clinicId])).resolves.toEqual(expect.any(Array));
    await expect(repositories.clinics.findByIds([clinicId])).resolves.toHaveLength(1);
  });
});
