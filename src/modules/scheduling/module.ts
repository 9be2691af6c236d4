// The scheduling module: appointment types, doctors' availability, slots, booking and the
// appointment's life (check-in, consultation, completion, cancellation, no-show).
import { defineModule } from '../../platform/module.js';
import { AppointmentTypesResolver } from './appointment-types.resolver.js';
import { AppointmentTypesService } from './appointment-types.service.js';
import { AvailabilityExceptionResolver, DoctorAvailabilityResolver, WeeklyWindowResolver } from './availability-view.resolver.js';
import { AvailabilityViewService } from './availability-view.service.js';
import { AvailabilityService } from './availability.service.js';
import { AppointmentEncounterResolver, EncounterLinksResolver } from './encounter.resolver.js';
import { createSchedulingLoaders } from './scheduling.loaders.js';
import { schedulingPermissions } from './scheduling.permissions.js';
import { SchedulingRepository } from './scheduling.repository.js';
import { AppointmentResolver, SlotResolver } from './scheduling.resolver.js';
import { SchedulingService } from './scheduling.service.js';

declare module '../../graphql/global-id.js' {
  interface NodeTypes {
    Appointment: true;
    AppointmentType: true;
  }
}

export const schedulingModule = defineModule({
  name: 'scheduling',
  resolvers: [
    SlotResolver, AppointmentResolver, AppointmentTypesResolver, AppointmentEncounterResolver, EncounterLinksResolver, DoctorAvailabilityResolver, WeeklyWindowResolver,
    AvailabilityExceptionResolver,
  ],
  permissions: schedulingPermissions,
  repositories: ({ prisma, readThrough }) => ({ scheduling: new SchedulingRepository(prisma, readThrough) }),
  services: (repositories, dependencies) => {
    const { checkInWindowMinutes } = dependencies.settings;
    return {
      scheduling: new SchedulingService(repositories.scheduling, dependencies.videoRooms, dependencies.afterOutboxWrite, checkInWindowMinutes === undefined ? undefined : { checkInWindowMinutes }),
      appointmentTypes: new AppointmentTypesService(repositories.scheduling),
      availability: new AvailabilityService(repositories.scheduling),
      availabilityView: new AvailabilityViewService(),
    };
  },
  loaders: (repositories) => createSchedulingLoaders(repositories.scheduling),
  nodes: {
    Appointment: { load: (loaders) => loaders.appointmentById },
    AppointmentType: { load: (loaders) => loaders.appointmentTypeById, public: true },
  },
  // Slots change with every booking: a short life.
  publicFields: { appointmentTypes: 300, availableSlots: 30 },
});
