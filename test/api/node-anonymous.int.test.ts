// Anonymous node(id:) tells nothing about private objects: an existing and a made-up id of any
// non-directory type get the same answer (UNAUTHENTICATED, no data), while directory objects stay
// public and a malformed id is still BAD_USER_INPUT.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/graphql/global-id.js';
import { useTestApi } from '../harness/api.js';
import { createAppointment, createAppointmentType, createClinic, createDoctor, createPatient } from '../factories.js';

const api = useTestApi();
const NODE = 'query($id: ID!) { node(id: $id) { id ... on Appointment { startsAt } ... on Patient { firstName } } }';

/** The answer with what legitimately differs between two requests (nothing) left in. */
async function anonymous(id: string) {
  const response = await api.graphql(NODE, { id });
  return {
    status: response.status,
    data: response.data,
    errors: response.errors?.map(({ message, extensions }) => ({ message, code: extensions?.code })),
  };
}

describe('anonymous node(id:)', () => {
  it('answers the same for existing and missing private objects', async () => {
    const clinic = await createClinic(api.database.prisma);
    const doctor = await createDoctor(api.database.prisma, { clinicIds: [clinic.id] });
    const patient = await createPatient(api.database.prisma, { clinicId: clinic.id });
    const type = await createAppointmentType(api.database.prisma);
    const appointment = await createAppointment(api.database.prisma, {
      patientId: patient.userId,
      doctorId: doctor.doctorId,
      clinicId: clinic.id,
      appointmentTypeId: type.id,
      startsAt: new Date(Date.now() + 86_400_000),
    });
    for (const [existing, missing] of [
      [appointment.globalId, toGlobalId('Appointment', randomUUID())],
      [patient.globalId, toGlobalId('Patient', randomUUID())],
    ]) {
      const [seen, unseen] = [await anonymous(existing), await anonymous(missing)];
      expect(seen).toEqual(unseen);
      expect(seen.data).toEqual({ node: null });
      expect(seen.errors).toEqual([{ message: expect.any(String), code: 'UNAUTHENTICATED' }]);
    }
  });

  it('still serves the public directory and refuses malformed ids', async () => {
    const clinic = await createClinic(api.database.prisma, { name: 'Clinique Publique' });
    const found = await api.graphql<{ node: { id: string; name: string } }>(
      'query($id: ID!) { node(id: $id) { id ... on Clinic { name } } }',
      { id: toGlobalId('Clinic', clinic.id) },
    );
    expect(found.data?.node.name).toBe('Clinique Publique');
    expect((await api.graphql(NODE, { id: 'not-an-id' })).errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});
