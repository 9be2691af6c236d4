// An unexpected failure reaches the client as INTERNAL_SERVER_ERROR with the request id only:
// no driver message, no stack, no data.
import { describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '../../src/graphql/apollo.js';
import { useTestApi } from '../harness/api.js';
import { createClinic, createPatient, createStaff } from '../factories.js';

const api = useTestApi();

describe('masked errors', () => {
  it('masks a database failure and keeps the request id', async () => {
    const clinic = await createClinic(api.database.prisma);
    const doctor = await createStaff(api.database.prisma, 'doctor', clinic.id);
    const token = await api.token(doctor);
    const patient = await createPatient(api.database.prisma, { firstName: 'Masked', clinicId: clinic.id, clinicianIds: [doctor.userId] });
    await api.mongo.client.close(); // MongoDB is now unreachable for this API
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': 'trace-me-0001' },
      body: JSON.stringify({
        query: 'query($id: ID!) { patient(id: $id) { firstName medicalHistory { bloodType } } }',
        variables: { id: patient.globalId },
      }),
    });
    const body = (await response.json()) as { data: unknown; errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].message).toBe(MASKED_MESSAGE);
    expect(body.errors[0].extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'trace-me-0001' });
    expect(JSON.stringify(body)).not.toMatch(/Mongo|stack|at .*\.js/);
  });
});
