// The one way to a patient's data within a request: the scope decides what the caller may do with
// a patient (patient-access.ts over the caller's ties, loaded once per patient per request) and
// records the audit, for reads and writes alike. Rules, the read audit and services all go through
// it; a write goes through `write`, which audits the attempt before it runs the work inside an
// audited write (the only place the guarded stores accept a patient's data: patient-writes.ts).
import type DataLoader from 'dataloader';
import type { Principal } from '../auth/principal.js';
import { ForbiddenError } from '../errors/errors.js';
import type { AuditAction, AuditPurpose, RequestAudit } from '../modules/audit/index.js';
import { patientCapabilities, type PatientCapabilities, type PatientTies } from './patient-access.js';

export type PatientCapability = Exclude<keyof PatientCapabilities, 'purpose'>;

export interface PatientWrite {
  /** Whose data it is. */
  patientId: string;
  /** What the audit calls the thing written (Patient, Appointment, Vitals, ...). */
  resource: string;
  /** The names of the fields written (never their values). */
  fields: Iterable<string>;
  action: AuditAction;
  /**
   * What the caller must be allowed to do with the patient; FORBIDDEN otherwise. Left out where
   * the module's own rule decided (an appointment's steps, a patient's registration) and said so.
   */
  requires?: PatientCapability;
  /** Why, when the access itself does not say (break-the-glass). */
  purpose?: AuditPurpose;
}

export class PatientScope {
  constructor(
    private readonly principal: Principal | null,
    private readonly tiesLoader: DataLoader<string, PatientTies>,
    private readonly audit: RequestAudit,
  ) {}

  /** What the caller may do with the patient, and why (batched per request). */
  async capabilities(patientId: string): Promise<PatientCapabilities> {
    return patientCapabilities(this.principal, await this.tiesLoader.load(patientId));
  }

  /** The caller's ties to the patient, for the rules a module keeps on top (who may book for whom). */
  ties(patientId: string): Promise<PatientTies> {
    return this.tiesLoader.load(patientId);
  }

  async can(patientId: string, capability: PatientCapability): Promise<boolean> {
    return (await this.capabilities(patientId))[capability];
  }

  /** The caller's own ties changed (a booking, a grant): decide again on the next question. */
  forget(patientId: string): void {
    this.tiesLoader.clear(patientId);
  }

  /** A field of the patient's data that the request resolved, audited with the access's purpose. */
  async read(patientId: string, resource: string, field: string): Promise<void> {
    const { purpose } = await this.capabilities(patientId);
    this.audit.read(patientId, resource, field, purpose);
  }

  /** A patient the request found by `criterion` (a search hit: the match is a read of it). */
  matched(patientId: string, criterion: string): void {
    this.audit.read(patientId, 'PatientSearch', criterion, 'normal');
  }

  /** A refused look at the patient's data. */
  denied(patientId: string, resource: string, field: string): void {
    this.audit.read(patientId, resource, field, 'normal', 'denied');
  }

  /**
   * Writes the patient's data: FORBIDDEN unless the caller may (`requires`), then the attempt is
   * audited (no audit, no write), `work` runs as an audited write, and its outcome is recorded
   * (whatever it throws, a refusal included, is a failure: throw refusals from inside `work`).
   */
  async write<T>(write: PatientWrite, work: () => Promise<T>): Promise<T> {
    let purpose = write.purpose;
    if (write.requires || !purpose) {
      const access = await this.capabilities(write.patientId);
      if (write.requires && !access[write.requires]) throw new ForbiddenError();
      purpose ??= access.purpose;
    }
    return this.audit.around(write.patientId, write.resource, write.fields, write.action, purpose, work);
  }
}
