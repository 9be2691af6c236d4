// The visit's record on an appointment, vitals taken during the visit, and the record's links to
// its appointment, doctor and clinic (here, not in the encounters module, which scheduling uses).
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Clinic } from '../clinics/index.js';
import { Doctor } from '../doctors/index.js';
import { Encounter, VitalsInput } from '../encounters/index.js';
import { Appointment } from './scheduling.types.js';

@Resolver(() => Encounter)
export class EncounterLinksResolver {
  @FieldResolver(() => Appointment, { nullable: true, description: 'The visit this records.' })
  appointment(@Root() encounter: Encounter, @Ctx() context: RequestContext): Promise<Appointment | null> {
    return context.loaders.appointmentById.load(encounter.appointmentDbId);
  }

  @FieldResolver(() => Doctor, { nullable: true, description: 'The doctor of the visit (null when no longer listed).' })
  doctor(@Root() encounter: Encounter, @Ctx() context: RequestContext): Promise<Doctor | null> {
    return context.loaders.doctorById.load(encounter.doctorDbId);
  }

  @FieldResolver(() => Clinic, { nullable: true, description: 'Where the visit took place.' })
  clinic(@Root() encounter: Encounter, @Ctx() context: RequestContext): Promise<Clinic | null> {
    return context.loaders.clinicById.load(encounter.clinicDbId);
  }
}

@Resolver(() => Appointment)
export class AppointmentEncounterResolver {
  @FieldResolver(() => Encounter, { nullable: true, description: 'The consultation record (clinical: the patient and their care team).' })
  encounter(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<Encounter | null> {
    return context.loaders.encounterByAppointmentId.load(appointment.dbId);
  }

  @Mutation(() => Encounter, { description: 'Records vitals during a visit (nurses and doctors caring for the patient).' })
  recordVitals(
    @Arg('appointmentId', () => ID) appointmentId: string,
    @Arg('vitals', () => VitalsInput) vitals: VitalsInput,
    @Ctx() context: RequestContext,
  ): Promise<Encounter> {
    return context.services.encounters.recordVitals(context, appointmentId, vitals);
  }
}
