export { SchedulingRepository } from './scheduling.repository.js';
export { SchedulingService, type SchedulingSettings } from './scheduling.service.js';
export { AvailabilityService } from './availability.service.js';
export { SlotResolver, AppointmentResolver } from './scheduling.resolver.js';
export { createSchedulingLoaders, type SchedulingLoaders } from './scheduling.loaders.js';
export { Appointment } from './scheduling.types.js';
export { AppointmentEncounterResolver, EncounterLinksResolver } from './encounter.resolver.js';
