// node(id:): refetch any object by its global id.
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context/context.js';
import { BadUserInputError } from '../errors/errors.js';
import { parseGlobalId } from './global-id.js';
import { Node } from './node.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when there is none.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (!parsed) throw new BadUserInputError([{ path: ['id'], message: 'is not an id from this API' }]);
    switch (parsed.type) {
      case 'Clinic':
        return context.loaders.clinicById.load(parsed.id);
      case 'Doctor':
        return context.loaders.doctorById.load(parsed.id);
      case 'Patient':
        return context.loaders.patientById.load(parsed.id);
      case 'Appointment':
        return context.loaders.appointmentById.load(parsed.id);
      case 'Specialty':
        return context.loaders.specialtyById.load(parsed.id);
      case 'AppointmentType':
        return context.loaders.appointmentTypeById.load(parsed.id);
      case 'Encounter':
        return context.loaders.encounterByAppointmentId.load(parsed.id);
      // Not a Node type: ids that only name (users) or that no type implements yet.
      default:
        return null;
    }
  }
}
