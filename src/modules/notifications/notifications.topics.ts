// The outbox topics that reminders follow: what they need to know about an appointment (no
// health data), written by scheduling in the appointment's transaction.
import { z } from 'zod';
import { defineTopic } from '../../platform/outbox-topics.js';

const appointmentEvent = z.object({
  appointmentId: z.uuid(),
  patientId: z.uuid(),
  startsAt: z.iso.datetime(),
  language: z.enum(['en', 'fr']).optional(),
  channel: z.enum(['sms', 'email']).optional(),
});

export type AppointmentEventPayload = z.infer<typeof appointmentEvent>;

// Applied in order per appointment: a cancellation applied before its booking would leave the
// booking's reminders scheduled.
const ofAppointment = { subjectOf: (payload: AppointmentEventPayload) => `appointment:${payload.appointmentId}` };

export const appointmentBooked = defineTopic('appointment.booked', appointmentEvent, ofAppointment);
export const appointmentRescheduled = defineTopic('appointment.rescheduled', appointmentEvent, ofAppointment);
export const appointmentCancelled = defineTopic('appointment.cancelled', appointmentEvent, ofAppointment);
