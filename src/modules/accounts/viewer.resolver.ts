// What the signed-in user is to the rest of the graph: their patient record, their doctor profile,
// their clinics and roles. viewer.patient is an ordinary Patient: each of its fields goes through
// the patient rules and the read audit like patient(id:).
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { Doctor } from '../doctors/index.js';
import { Patient } from '../patients/index.js';
import { ClinicMembership, Viewer } from './accounts.types.js';

@Resolver(() => Viewer)
export class ViewerResolver {
  @FieldResolver(() => String, { description: 'First and last name (the email when the account has no name).' })
  async displayName(@Root() viewer: Viewer, @Ctx() context: RequestContext): Promise<string> {
    return (await context.services.viewer.details(context, viewer)).displayName;
  }

  @FieldResolver(() => Patient, { nullable: true, description: 'Your patient record (patients).' })
  patient(@Root() viewer: Viewer, @Ctx() context: RequestContext): Promise<Patient | null> {
    return viewer.patientDbId ? context.loaders.patientById.load(viewer.patientDbId) : Promise.resolve(null);
  }

  @FieldResolver(() => Doctor, {
    nullable: true,
    description: 'Your doctor profile (doctors; null while the profile is not in the directory).',
  })
  async doctor(@Root() viewer: Viewer, @Ctx() context: RequestContext): Promise<Doctor | null> {
    const { doctorDbId } = await context.services.viewer.details(context, viewer);
    return doctorDbId ? context.loaders.doctorById.load(doctorDbId) : null;
  }

  @FieldResolver(() => [ClinicMembership], { description: 'The clinics you work in, with your role in each.' })
  async memberships(@Root() viewer: Viewer, @Ctx() context: RequestContext): Promise<ClinicMembership[]> {
    const clinics = await Promise.all(viewer.memberships.map((membership) => context.loaders.clinicById.load(membership.clinicId)));
    return viewer.memberships.flatMap((membership, index) => {
      const clinic = clinics[index];
      return clinic ? [{ clinic, role: membership.role }] : [];
    });
  }
}
