// The executable schema: every module's resolvers, our input validation, and the permission
// rules on top (deny by default).
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { applyMiddleware } from '../authz/shield.js';
import { buildSchema } from 'type-graphql';
import { permissionsMiddleware } from '../authz/permissions.js';
import { AccountsResolver, ClinicStaffResolver, ViewerResolver } from '../modules/accounts/index.js';
import { AuditEntryResolver, AuditResolver } from '../modules/audit/index.js';
import { CareResolver } from '../modules/care/index.js';
import { ClinicsResolver } from '../modules/clinics/index.js';
import { ClinicDoctorsResolver, DoctorProfilesResolver, DoctorsResolver } from '../modules/doctors/index.js';
import { PatientsResolver } from '../modules/patients/index.js';
import { MedicalHistoryListsResolver, MedicalHistoryResolver, RecordsMutationsResolver } from '../modules/records/index.js';
import { auditReadsMiddleware } from './audit-reads.js';
import { NodeResolver } from './node.resolver.js';
import {
  AppointmentEncounterResolver, AppointmentResolver, AppointmentTypesResolver, AvailabilityExceptionResolver, DoctorAvailabilityResolver, EncounterLinksResolver, SlotResolver,
  WeeklyWindowResolver,
} from '../modules/scheduling/index.js';
import { PatientEncountersResolver } from '../modules/encounters/index.js';
import { PreferencesResolver } from '../modules/notifications/index.js';
import { validateInput } from './validation.js';

/** The schema as declared in code, before permissions (what schema.graphql records). */
export function buildBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [
      NodeResolver, AccountsResolver, ViewerResolver, ClinicStaffResolver, AuditResolver, AuditEntryResolver, CareResolver, ClinicsResolver, DoctorsResolver, DoctorProfilesResolver,
      ClinicDoctorsResolver, PatientsResolver, MedicalHistoryResolver, MedicalHistoryListsResolver, RecordsMutationsResolver, SlotResolver, AppointmentResolver, AppointmentTypesResolver,
      AppointmentEncounterResolver, EncounterLinksResolver, DoctorAvailabilityResolver, WeeklyWindowResolver, AvailabilityExceptionResolver, PatientEncountersResolver, PreferencesResolver,
    ],
    validateFn: validateInput,
    emitSchemaFile: false,
  });
}

export async function buildAppSchema(): Promise<GraphQLSchema> {
  // Permissions outermost: a refused field never reaches the audit of reads.
  return applyMiddleware(await buildBareSchema(), permissionsMiddleware, auditReadsMiddleware);
}

/** The SDL committed as schema.graphql: sorted, so that diffs show real changes only. */
export function printSchemaFile(schema: GraphQLSchema): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
