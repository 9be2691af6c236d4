// The outbox events an appointment's booking, cancellation or new time writes for its reminders.
import type { RequestContext } from '../../context/context.js';
import { outboxEvent, type OutboxEventInput, type OutboxTopic } from '../../platform/outbox-topics.js';
import { reminderChannelOf, type AppointmentEventPayload } from '../notifications/index.js';

/** What reminders need to know about an appointment (no health data), as an event of `topic`. */
export async function appointmentEvent(
  context: RequestContext,
  topic: OutboxTopic<AppointmentEventPayload>,
  row: { id: string; patientId: string; startsAt: Date },
): Promise<OutboxEventInput> {
  const patient = await context.loaders.patientById.load(row.patientId);
  return outboxEvent(topic, {
    appointmentId: row.id,
    patientId: row.patientId,
    startsAt: row.startsAt.toISOString(),
    language: patient?.preferredLanguage ?? 'fr',
    channel: patient ? reminderChannelOf(patient) : 'email',
  });
}
