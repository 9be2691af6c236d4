// Cache-Control: public only for anonymous queries made entirely of directory fields; no-store for
// anything asked with a token, anything about a patient, mutations and errors.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient } from '../factories.js';

const api = useTestApi({ manualJobs: true });
let clinicId = '';
let patient: Awaited<ReturnType<typeof createPatient>>;
let patientToken = '';

beforeAll(async () => {
  const clinic = await createClinic(api.database.prisma);
  clinicId = clinic.globalId;
  patient = await createPatient(api.database.prisma, { clinicId: clinic.id });
  patientToken = await api.token(patient);
});

const cacheControl = async (query: string, variables: Record<string, unknown> = {}, token?: string) =>
  (await api.graphql(query, variables, token)).headers.get('cache-control');

describe('Cache-Control', () => {
  it('lets shared caches keep anonymous directory queries, for the shortest life among their fields', async () => {
    expect(await cacheControl(`query($id: ID!) { clinics { name } clinic(id: $id) { name } }`, { id: clinicId })).toBe(
      'public, max-age=300',
    );
    expect(
      await cacheControl(
        `query($id: ID!) { clinics { name } clinic(id: $id) { name } first: doctors(first: 5) { edges { node { displayName } } } }`,
        { id: clinicId },
      ),
    ).toBe('public, max-age=60');
    expect(await cacheControl(`{ __typename }`)).toBe('public, max-age=3600');
    const slots = `query($t: ID!) { appointmentTypes { code } availableSlots(input: { near: { latitude: 0, longitude: 0, radiusKm: 1 }, appointmentTypeId: $t, from: "2030-01-01T00:00:00Z", to: "2030-01-02T00:00:00Z" }) { startsAt } }`;
    const type = await api.database.prisma.appointmentType.create({
      data: { code: `cc_${Date.now()}`, nameEn: 'Consultation', nameFr: 'Consultation', durationMinutes: 30, priceMinor: 1 },
    });
    expect(await cacheControl(slots, { t: Buffer.from(`AppointmentType:${type.id}`).toString('base64url') })).toBe('public, max-age=30');
  });

  it('stores nothing asked with a token, about a patient, with an error, or a mutation', async () => {
    expect(await cacheControl(`{ clinics { name } }`, {}, patientToken)).toBe('private, no-store');
    expect(
      await cacheControl(`query($id: ID!) { clinics { name } patient(id: $id) { firstName } }`, { id: patient.globalId }, patientToken),
    ).toBe('private, no-store');
    expect(await cacheControl(`query($id: ID!) { node(id: $id) { id } }`, { id: clinicId })).toBe('private, no-store');
    expect(await cacheControl(`{ ... on Query { clinics { name } } }`)).toBe('private, no-store');
    expect(await cacheControl(`{ clinic(id: "not-an-id") { name } }`)).toBe('private, no-store');
    expect(await cacheControl(`mutation { requestPasswordReset(email: "nobody@example.test") }`)).toBe('private, no-store');
  });
});
