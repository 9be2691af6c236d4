// The scheduling module: appointment types, doctors' availability, slots, booking and the
// appointment's life (check-in, consultation, completion, cancellation, no-show).
import { defineModule } from '../../platform/module.js';
import { AppointmentTypesResolver } from './appointment-types.resolver.js';
import { AvailabilityExceptionResolver, DoctorAvailabilityResolver, WeeklyWindowResolver } from './availability-view.resolver.js';
import { AppointmentEncounterResolver, EncounterLinksResolver } from './encounter.resolver.js';
import { createSchedulingLoaders } from './scheduling.loaders.js';
import { schedulingPermissions } from './scheduling.permissions.js';
import { SchedulingRepository } from './scheduling.repository.js';
import { AppointmentResolver, SlotResolver } from './scheduling.resolver.js';
import { createSchedulingServices } from './scheduling.services.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Appointment: true;
    AppointmentType: true;
  }
}

export const schedulingModule = defineModule({
  name: 'scheduling',
  resolvers: [
    SlotResolver,
    AppointmentResolver,
    AppointmentTypesResolver,
    AppointmentEncounterResolver,
    EncounterLinksResolver,
    DoctorAvailabilityResolver,
    WeeklyWindowResolver,
    AvailabilityExceptionResolver,
  ],
  permissions: schedulingPermissions,
  repositories: ({ prisma, readThrough }) => ({ scheduling: new SchedulingRepository(prisma, readThrough) }),
  services: (repositories, { videoRooms, afterOutboxWrite, settings }) =>
    createSchedulingServices(repositories.scheduling, {
      videoRooms,
      afterOutboxWrite,
      schedulingSettings: settings.checkInWindowMinutes === undefined ? undefined : { checkInWindowMinutes: settings.checkInWindowMinutes },
    }),
  loaders: (repositories) => createSchedulingLoaders(repositories.scheduling),
  nodes: {
    Appointment: { load: (loaders) => loaders.appointmentById },
    AppointmentType: { load: (loaders) => loaders.appointmentTypeById, public: true },
  },
  patientStores: { models: ['Appointment'] },
  // Slots change with every booking: a short life.
  publicFields: { appointmentTypes: 300, availableSlots: 30 },
});
