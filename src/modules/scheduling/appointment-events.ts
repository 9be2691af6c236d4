// The outbox events an appointment's booking, cancellation or new time writes for its reminders.
import type { RequestContext } from '../../context/context.js';
import { reminderChannelOf } from '../notifications/index.js';
import type { OutboxEventInput } from './appointments.repository.js';

/** What reminders need to know about an appointment (no health data). */
export async function appointmentEvent(context: RequestContext, topic: string, row: { id: string; patientId: string; startsAt: Date }): Promise<OutboxEventInput> {
  const patient = await context.loaders.patientById.load(row.patientId);
  return { topic, payload: { appointmentId: row.id, patientId: row.patientId, startsAt: row.startsAt.toISOString(), language: patient?.preferredLanguage ?? 'fr', channel: patient ? reminderChannelOf(patient) : 'email' } };
}
