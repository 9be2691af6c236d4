// The audit trail as the graph shows it: chain verification, a patient's trail (for admins) and
// who viewed a record (for the patient: staff by role and clinic, never by name).
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection.js';
import { DateTime } from '../../graphql/scalars.js';
import { RoleName } from '../accounts/index.js';
import { AUDIT_ACTIONS, AUDIT_PURPOSES, AUDIT_RESULTS } from './audit.types.js';

const enumOf = (values: readonly string[]) => Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));

export const AuditActionName = enumOf(AUDIT_ACTIONS);
export const AuditPurposeName = enumOf(AUDIT_PURPOSES);
export const AuditResultName = enumOf(AUDIT_RESULTS);
registerEnumType(AuditActionName, { name: 'AuditAction' });
registerEnumType(AuditPurposeName, { name: 'AuditPurpose', description: 'Why the access happened: normal care, or break-the-glass.' });
registerEnumType(AuditResultName, { name: 'AuditResult' });

@ObjectType({ description: "Whether a patient's audit chain is intact (every entry hash-linked to the one before)." })
export class AuditVerification {
  @Field() ok!: boolean;
  @Field(() => Int, { description: 'Entries examined.' }) checked!: number;
  @Field(() => Int, { nullable: true, description: 'Sequence number where the chain breaks.' }) brokenAtSequence!: number | null;
  @Field(() => String, { nullable: true }) reason!: string | null;
}

@ObjectType({ description: 'One audited access: who, what (field names only, never values), why and how it ended.' })
export class AuditEntry {
  /** The acting user's database id (for `actor`); not part of the schema. */
  actorDbId!: string | null;

  @Field(() => ID) id!: string;
  @Field(() => Int) sequence!: number;
  @Field(() => DateTime) at!: Date;
  @Field(() => ID, { nullable: true, description: 'The user who acted (null: anonymous).' }) actorId!: string | null;
  @Field(() => RoleName, { nullable: true }) actorRole!: RoleName | null;
  @Field(() => AuditActionName) action!: string;
  @Field() resource!: string;
  @Field(() => [String]) fields!: string[];
  @Field(() => AuditPurposeName) purpose!: string;
  @Field(() => AuditResultName) result!: string;
  @Field(() => String, { nullable: true }) requestId!: string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
}

@ObjectType({ description: 'Someone who looked at your record.' })
export class RecordView {
  viewerUserId!: string | null;

  @Field(() => DateTime) at!: Date;
  @Field(() => RoleName, { nullable: true, description: 'Null when the viewer was not signed in.' }) viewerRole!: RoleName | null;
  @Field(() => AuditPurposeName) purpose!: string;
  @Field({ description: 'What was viewed, e.g. MedicalHistory.' }) resource!: string;
  @Field(() => [String]) fields!: string[];
}

export const AuditEntryConnection = Connection(AuditEntry, 'AuditEntry');
export const RecordViewConnection = Connection(RecordView, 'RecordView');
