// The scheduling module's services, built once by the composition root over the module's repository.
import type { VideoRooms } from '../../platform/video-rooms.js';
import { AppointmentStepsService, DEFAULT_SCHEDULING_SETTINGS, type SchedulingSettings } from './appointment-steps.service.js';
import { AppointmentTypesService } from './appointment-types.service.js';
import { AppointmentViewsService } from './appointment-views.service.js';
import { AvailabilityViewService } from './availability-view.service.js';
import { AvailabilityService } from './availability.service.js';
import { BookingService } from './booking.service.js';
import type { SchedulingRepository } from './scheduling.repository.js';
import { SlotsService } from './slots.service.js';

export interface SchedulingDependencies {
  videoRooms: VideoRooms;
  /** Wakes the outbox relay after a transaction that wrote events commits. */
  afterOutboxWrite?: () => void;
  schedulingSettings?: SchedulingSettings;
}

export function createSchedulingServices(repository: SchedulingRepository, dependencies: SchedulingDependencies) {
  const afterCommit = dependencies.afterOutboxWrite ?? (() => {});
  const { appointmentTypes, appointments, availability } = repository;
  const slots = new SlotsService(appointmentTypes, repository.slots);
  return {
    slots,
    booking: new BookingService(appointments, slots, dependencies.videoRooms, afterCommit),
    appointmentSteps: new AppointmentStepsService(
      appointments,
      appointmentTypes,
      slots,
      afterCommit,
      dependencies.schedulingSettings ?? DEFAULT_SCHEDULING_SETTINGS,
    ),
    appointmentViews: new AppointmentViewsService(appointments),
    appointmentTypes: new AppointmentTypesService(appointmentTypes),
    availability: new AvailabilityService(availability),
    availabilityView: new AvailabilityViewService(),
  };
}
