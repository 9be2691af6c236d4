// The visit's record on an appointment, and vitals taken during the visit.
import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Encounter, VitalsInput } from '../encounters/index.js';
import { Appointment } from './scheduling.types.js';

@Resolver(() => Appointment)
export class AppointmentEncounterResolver {
  @FieldResolver(() => Encounter, { nullable: true, description: 'The consultation record (clinical: the patient and their care team).' })
  encounter(@Root() appointment: Appointment, @Ctx() context: RequestContext): Promise<Encounter | null> {
    return context.loaders.encounterByAppointmentId.load(appointment.dbId);
  }

  @Mutation(() => Encounter, { description: 'Records vitals during a visit (nurses and doctors caring for the patient).' })
  recordVitals(@Arg('appointmentId', () => ID) appointmentId: string, @Arg('vitals', () => VitalsInput) vitals: VitalsInput, @Ctx() context: RequestContext): Promise<Encounter> {
    return context.services.encounters.recordVitals(context, appointmentId, vitals);
  }
}

