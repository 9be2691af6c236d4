import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { PageArgs, type Page } from '../../graphql/connection.js';
import { Patient } from '../patients/index.js';
import { EncounterConnection, type Encounter } from './encounter.types.js';

@Resolver(() => Patient)
export class PatientEncountersResolver {
  @FieldResolver(() => EncounterConnection, { nullable: true, description: 'Consultation records, newest first (clinical).' })
  encounters(
    @Root() patient: Patient,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<Encounter>> {
    return context.services.encounters.ofPatient(context, patient.dbId, first, after);
  }
}
