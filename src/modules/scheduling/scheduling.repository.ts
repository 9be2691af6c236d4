// The scheduling module's store access, by concern: appointment types, doctors' hours, free slots
// and appointments.
import type { PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { AppointmentTypesRepository } from './appointment-types.repository.js';
import { AppointmentsRepository } from './appointments.repository.js';
import { AvailabilityRepository } from './availability.repository.js';
import { SlotsRepository } from './slots.repository.js';

export class SchedulingRepository {
  readonly appointmentTypes: AppointmentTypesRepository;
  readonly availability: AvailabilityRepository;
  readonly slots: SlotsRepository;
  readonly appointments: AppointmentsRepository;

  constructor(prisma: PrismaClient, cache: ReadThrough) {
    this.appointmentTypes = new AppointmentTypesRepository(prisma, cache);
    this.availability = new AvailabilityRepository(prisma, cache);
    this.slots = new SlotsRepository(prisma, cache);
    this.appointments = new AppointmentsRepository(prisma, cache);
  }
}
