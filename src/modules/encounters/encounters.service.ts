// Consultation records: vitals (nurses and doctors, during the visit) and the doctor's record
// written when the visit is completed (through the outbox, with the appointment's change).
import type { RequestContext } from '../../context/context.js';
import { ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { onTopic, type TopicHandler } from '../../platform/outbox-topics.js';
import type { Encounter, EncounterInput, Vitals, VitalsInput } from './encounter.types.js';
import type { EncounterDocument, EncountersRepository, VisitKeys } from './encounters.repository.js';
import { encounterCompleted, type EncounterCompletion } from './encounters.topics.js';

export function toEncounter(document: EncounterDocument): Encounter {
  const vitals = document.vitals as (Vitals & { recordedAt: Date }) | null | undefined;
  return {
    patientDbId: document.patientId,
    appointmentDbId: document._id,
    doctorDbId: document.doctorId,
    clinicDbId: document.clinicId,
    // One record per visit, stored under its appointment's key; its global id is its own.
    id: toGlobalId('Encounter', document._id),
    chiefComplaint: document.chiefComplaint ?? null,
    vitals: vitals
      ? {
          temperatureC: vitals.temperatureC ?? null,
          systolicMmHg: vitals.systolicMmHg ?? null,
          diastolicMmHg: vitals.diastolicMmHg ?? null,
          heartRateBpm: vitals.heartRateBpm ?? null,
          respiratoryRatePerMin: vitals.respiratoryRatePerMin ?? null,
          oxygenSaturationPct: vitals.oxygenSaturationPct ?? null,
          weightKg: vitals.weightKg ?? null,
          heightCm: vitals.heightCm ?? null,
          recordedAt: vitals.recordedAt,
        }
      : null,
    subjective: document.subjective ?? null,
    objective: document.objective ?? null,
    assessment: document.assessment ?? null,
    plan: document.plan ?? null,
    diagnoses: document.diagnoses ?? [],
    treatmentPlan: document.treatmentPlan ?? null,
    followUpInDays: document.followUpInDays ?? null,
    completedAt: document.completedAt ?? null,
  };
}

/** The encounter fields of a completion, as the outbox carries them. */
export function completionFields(input: EncounterInput, completedBy: string, completedAt: Date): EncounterCompletion {
  return {
    chiefComplaint: input.chiefComplaint ?? null,
    subjective: input.subjective ?? null,
    objective: input.objective ?? null,
    assessment: input.assessment ?? null,
    plan: input.plan ?? null,
    diagnoses: input.diagnoses.map((d) => ({ icd10Code: d.icd10Code, description: d.description.trim(), primary: d.primary })),
    treatmentPlan: input.treatmentPlan ?? null,
    followUpInDays: input.followUpInDays ?? null,
    completedBy,
    completedAt: completedAt.toISOString(),
    ...(input.vitals ? { vitals: { ...input.vitals, recordedBy: completedBy, recordedAt: completedAt.toISOString() } } : {}),
  };
}

export class EncountersService {
  constructor(private readonly repository: EncountersRepository) {}

  /** Applies `encounter.completed` from the outbox (idempotent: keyed by the appointment). */
  handlers(): TopicHandler[] {
    return [
      onTopic(encounterCompleted, async ({ keys, fields }) => {
        const { completedAt, vitals, ...rest } = fields;
        const at = new Date(completedAt);
        await this.repository.upsert(
          keys,
          { ...rest, completedAt: at, ...(vitals ? { vitals: { ...vitals, recordedAt: new Date(vitals.recordedAt) } } : {}) },
          at,
        );
      }),
    ];
  }

  async recordVitals(context: RequestContext, appointmentGlobalId: string, input: VitalsInput): Promise<Encounter> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const appointment = await context.loaders.appointmentById.load(idOf('Appointment', appointmentGlobalId, ['appointmentId']));
    if (!appointment) throw new NotFoundError('Appointment');
    if (!principal.clinicIds.includes(appointment.clinicDbId)) throw new ForbiddenError();
    const keys: VisitKeys = {
      appointmentId: appointment.dbId,
      patientId: appointment.patientDbId,
      doctorId: appointment.doctorDbId,
      clinicId: appointment.clinicDbId,
    };
    const at = new Date();
    const vitals = {
      ...Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)),
      recordedBy: principal.userId,
      recordedAt: at,
    };
    // The refusal is thrown inside the audited work, so that the audit records it as a failure.
    await context.patients.write(
      { patientId: appointment.patientDbId, resource: 'Vitals', fields: Object.keys(input), action: 'create', requires: 'clinicalWrite' },
      async () => {
        if (!['checked_in', 'in_consultation'].includes(appointment.status)) {
          throw new ConflictError(
            `Vitals are taken during the visit (CHECKED_IN or IN_CONSULTATION), not when it is ${appointment.statusName}.`,
            [],
            { status: appointment.statusName },
          );
        }
        await this.repository.upsert(keys, { vitals }, at);
      },
    );
    context.loaders.encounterByAppointmentId.clear(appointment.dbId);
    const stored = await context.loaders.encounterByAppointmentId.load(appointment.dbId);
    if (!stored) throw new NotFoundError('Encounter');
    return stored;
  }

  async ofPatient(context: RequestContext, patientId: string, first: number, after: string | null | undefined): Promise<Page<Encounter>> {
    const key = after ? decodeCursor(after, cursorShape(part.instant, part.uuid)) : undefined;
    const documents = await this.repository.byPatient(patientId, key, first + 1);
    return toPage(
      documents,
      first,
      Boolean(after),
      (d) => encodeCursor([d.createdAt.toISOString(), d._id]),
      toEncounter,
      () => this.repository.countByPatient(patientId),
    );
  }
}
