// node(id:): refetch any object by its global id.
import type DataLoader from 'dataloader';
import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../context/context.js';
import { BadUserInputError } from '../errors/errors.js';
import { parseGlobalId, type NodeType } from './global-id.js';
import { Node } from './node.js';

/** The loader of each type that implements Node; a type left out (User: ids that only name) is null. */
const NODE_LOADERS: Partial<Record<NodeType, (loaders: RequestContext['loaders']) => DataLoader<string, Node | null>>> = {
  Clinic: (loaders) => loaders.clinicById,
  Doctor: (loaders) => loaders.doctorById,
  Patient: (loaders) => loaders.patientById,
  Appointment: (loaders) => loaders.appointmentById,
  Specialty: (loaders) => loaders.specialtyById,
  AppointmentType: (loaders) => loaders.appointmentTypeById,
  Encounter: (loaders) => loaders.encounterByAppointmentId,
};

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when there is none.' })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Node | null> {
    const parsed = parseGlobalId(id);
    if (!parsed) throw new BadUserInputError([{ path: ['id'], message: 'is not an id from this API' }]);
    return NODE_LOADERS[parsed.type]?.(context.loaders).load(parsed.id) ?? null;
  }
}
