import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../context/context.js';
import { UnauthenticatedError } from '../../errors/errors.js';
import { mapPage, PageArgs, type Page } from '../../graphql/connection.js';
import { idOf, toGlobalId } from '../../graphql/global-id.js';
import { Clinic, loadClinics } from '../clinics/index.js';
import { Actor } from '../accounts/index.js';
import { AuditEntry, AuditEntryConnection, AuditVerification, RecordView, RecordViewConnection } from './audit.graphql.js';

@Resolver(() => RecordView)
export class AuditResolver {
  @Query(() => AuditVerification, { description: "Recomputes the hash chain of a patient's audit trail (admins of the patient's clinic)." })
  async verifyAuditChain(@Arg('patientId', () => ID) patientId: string, @Ctx() context: RequestContext): Promise<AuditVerification> {
    const result = await context.services.audit.verify(idOf('Patient', patientId, ['patientId']));
    return { ok: result.ok, checked: result.checked, brokenAtSequence: result.brokenAt ?? null, reason: result.reason ?? null };
  }

  @Query(() => AuditEntryConnection, {
    description: "Every audited access to a patient's data, newest first (admins of the patient's clinic).",
  })
  async auditTrail(
    @Arg('patientId', () => ID) patientId: string,
    @Args(() => PageArgs) { first, after }: PageArgs,
    @Ctx() context: RequestContext,
  ): Promise<Page<AuditEntry>> {
    const page = await context.services.audit.trail(idOf('Patient', patientId, ['patientId']), { first, after });
    return mapPage(page, (node) => ({
      id: node.id,
      sequence: node.seq,
      at: node.at,
      actorDbId: node.actor?.userId ?? null,
      actorId: node.actor ? toGlobalId('User', node.actor.userId) : null,
      actorRole: node.actor?.role ?? null,
      action: node.action,
      resource: node.resource,
      fields: node.fields,
      purpose: node.purpose,
      result: node.result,
      requestId: node.requestId,
      ip: node.ip,
    }));
  }

  @Query(() => RecordViewConnection, { description: 'Who looked at your record, when and why, newest first (patients).' })
  async whoViewedMyRecord(@Args(() => PageArgs) { first, after }: PageArgs, @Ctx() context: RequestContext): Promise<Page<RecordView>> {
    const patientId = context.principal?.patientId;
    if (!patientId) throw new UnauthenticatedError();
    const page = await context.services.audit.viewers(patientId, { first, after });
    return mapPage(page, (node) => ({
      viewerUserId: node.viewer?.userId ?? null,
      at: node.at,
      viewerRole: node.viewer?.role ?? null,
      purpose: node.purpose,
      resource: node.resource,
      fields: node.fields,
    }));
  }

  @FieldResolver(() => [Clinic], { description: 'The clinics the viewer works in.' })
  async viewerClinics(@Root() view: RecordView, @Ctx() context: RequestContext): Promise<Clinic[]> {
    if (!view.viewerUserId) return [];
    return loadClinics(context.loaders.clinicById, await context.loaders.clinicIdsOfStaff.load(view.viewerUserId));
  }
}

@Resolver(() => AuditEntry)
export class AuditEntryResolver {
  @FieldResolver(() => Actor, { nullable: true, description: 'Who acted: name and role (null: anonymous, or an account since removed).' })
  actor(@Root() entry: AuditEntry, @Ctx() context: RequestContext): Promise<Actor | null> {
    return entry.actorDbId ? context.loaders.actorById.load(entry.actorDbId) : Promise.resolve(null);
  }
}
