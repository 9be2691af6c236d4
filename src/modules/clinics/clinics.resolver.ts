import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { idOf } from '../../graphql/global-id.js';
import { Clinic } from './clinic.types.js';

@Resolver(() => Clinic)
export class ClinicsResolver {
  @Query(() => [Clinic], { description: 'Active clinics, by city then name.' })
  clinics(@Ctx() context: RequestContext): Promise<Clinic[]> {
    return context.services.clinics.list();
  }

  @Query(() => Clinic)
  clinic(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Clinic> {
    return context.services.clinics.get(context, idOf('Clinic', id, ['id']));
  }
}
