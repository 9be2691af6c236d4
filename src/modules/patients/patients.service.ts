// Patients: registration and updates (all or nothing, audited first), lookup, and the front
// desk's search.
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import { patientCapabilities } from '../../authz/patient-access.js';
import type { RequestContext } from '../../context/context.js';
import {
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
  type FieldProblem,
} from '../../errors/errors.js';
import { cursorShape, decodeCursor, encodeCursor, part, toPage, type Page } from '../../graphql/connection.js';
import { idOf } from '../../graphql/global-id.js';
import { toE164 } from '../../graphql/phone.js';
import { fromLocalDate } from '../../graphql/scalars.js';
import { normaliseEmail } from '../accounts/index.js';
import type { Patient, PatientSearchInput, RegisterPatientInput, UpdatePatientInput } from './patient.types.js';
import { toPatient } from './patients.mapper.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import { EmailLocked, type PatientChanges, type PatientsRepository } from './patients.repository.js';

/**
 * One letter would match most names. (Trigrams need three: a search whose words are all two letters
 * long is answered without the index's help, within the clinic's patients.)
 */
const MIN_WORD = 2;
const MAX_WORDS = 5;

/** A search cursor holds the last patient's id only: no name travels in it. */
const PATIENT_CURSOR = cursorShape(part.uuid);

/** The clinic named, or the caller's only clinic; FORBIDDEN unless they work there. */
function callersClinic(principal: Principal, clinicGlobalId: string | null | undefined, path: string[], action: string): string {
  const clinicId = clinicGlobalId
    ? idOf('Clinic', clinicGlobalId, path)
    : principal.clinicIds.length === 1
      ? principal.clinicIds[0]
      : undefined;
  if (!clinicId) throw new BadUserInputError([{ path, message: 'clinicId is required when you work in several clinics' }]);
  if (!principal.clinicIds.includes(clinicId)) throw new ForbiddenError(`You can only ${action} at a clinic you work in.`);
  return clinicId;
}

export class PatientsService {
  constructor(private readonly repository: PatientsRepository) {}

  async get(context: RequestContext, id: string): Promise<Patient> {
    const patient = await context.loaders.patientById.load(id);
    if (!patient) throw new NotFoundError('Patient');
    return patient;
  }

  /** Registers a patient at one of the caller's clinics (the one named, or their only one). */
  async register(context: RequestContext, input: RegisterPatientInput): Promise<Patient> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const clinicId = callersClinic(principal, input.clinicId, ['input', 'clinicId'], 'register patients');
    const id = randomUUID();
    const fields = Object.keys(input).filter((field) => input[field as keyof RegisterPatientInput] != null && field !== 'clinicId');
    try {
      const row = await context.patients.write({ patientId: id, resource: 'Patient', fields, action: 'create', purpose: 'normal' }, () =>
        this.repository.create({
          id,
          email: normaliseEmail(input.email),
          phone: input.phone ?? null,
          profile: {
            firstName: input.firstName.trim(),
            lastName: input.lastName.trim(),
            dateOfBirth: fromLocalDate(input.dateOfBirth),
            gender: input.gender ?? null,
            nationalId: input.nationalId ?? null,
            preferredLanguage: input.preferredLanguage,
            address: input.address ? { ...input.address } : undefined,
            emergencyContact: input.emergencyContact ? { ...input.emergencyContact } : undefined,
          },
          registeredAt: { clinicId, by: principal.userId },
        }),
      );
      return toPatient(row);
    } catch (error) {
      // Which detail clashed (email, phone, national id) would tell the registrar about a person
      // registered elsewhere: one answer for all.
      if (error instanceof UniqueViolation)
        throw new ConflictError('A person with some of these details is already registered. Ask them to sign in, or check the details.');
      throw error;
    }
  }

  /**
   * The front desk's search among a clinic's patients, in name order. Phone and national id are
   * search keys only for roles that may see them at the clinic (the access policy decides). Each
   * search is audited: every patient returned gets an entry naming the criteria used (never their
   * values); a search that finds no one is noted in the system stream.
   */
  async search(
    context: RequestContext,
    input: PatientSearchInput,
    clinicGlobalId: string | null | undefined,
    first: number,
    after: string | null | undefined,
  ): Promise<Page<Patient>> {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const clinicId = callersClinic(principal, clinicGlobalId, ['clinicId'], 'search patients');
    const criteria = (['text', 'phone', 'nationalId', 'dateOfBirth'] as const).filter((name) => input[name] != null);
    if (criteria.length === 0)
      throw new BadUserInputError([{ path: ['search'], message: 'give at least one of text, phone, nationalId, dateOfBirth' }]);
    const seesContact = patientCapabilities(principal, { self: false, clinicCare: true, personalCare: false, emergency: false }).contact;
    if (!seesContact && (input.phone != null || input.nationalId != null))
      throw new ForbiddenError('Searching by phone or national id is for those who may see them (front desk, nurses).');
    const problems: FieldProblem[] = [];
    const words = (input.text ?? '').split(/\s+/).filter(Boolean);
    if (input.text != null && (words.length === 0 || words.length > MAX_WORDS || words.some((word) => [...word].length < MIN_WORD))) {
      problems.push({ path: ['search', 'text'], message: `text must be 1 to ${MAX_WORDS} words of ${MIN_WORD} or more characters` });
    }
    const phone = input.phone != null ? toE164(input.phone) : null;
    if (input.phone != null && !phone)
      problems.push({ path: ['search', 'phone'], message: 'phone must be a phone number, e.g. +237670123456 or 670123456' });
    if (problems.length > 0) throw new BadUserInputError(problems);
    const criteriaValues = {
      clinicId,
      words,
      phone,
      nationalId: input.nationalId != null ? input.nationalId.trim().toUpperCase() : null,
      dateOfBirth: input.dateOfBirth != null ? fromLocalDate(input.dateOfBirth) : null,
    };
    const rows = await this.repository.search({
      ...criteriaValues,
      after: after ? decodeCursor(after, PATIENT_CURSOR)[0] : undefined,
      take: first + 1,
    });
    const page = toPage(
      rows,
      first,
      Boolean(after),
      (row) => encodeCursor([row.id]),
      toPatient,
      () => this.repository.countSearch(criteriaValues),
    );
    for (const { node } of page.edges) for (const criterion of criteria) context.patients.matched(node.dbId, criterion);
    if (page.edges.length === 0) context.audit.note('PatientSearch', 'read', 'success');
    return page;
  }

  /**
   * A partial update of contact details, insurance and language (the rule on updatePatient has
   * checked the caller may): an omitted field stays, null clears it; objects are replaced whole.
   */
  async update(context: RequestContext, globalId: string, input: UpdatePatientInput): Promise<Patient> {
    const id = idOf('Patient', globalId, ['id']);
    const problems: FieldProblem[] = [];
    if (input.email === null) problems.push({ path: ['input', 'email'], message: 'email cannot be removed' });
    if (input.preferredLanguage === null)
      problems.push({ path: ['input', 'preferredLanguage'], message: 'preferredLanguage cannot be removed' });
    const changes: PatientChanges = {
      email: input.email != null ? normaliseEmail(input.email) : undefined,
      phone: input.phone,
      preferredLanguage: input.preferredLanguage ?? undefined,
      address: input.address === undefined ? undefined : input.address && { ...input.address },
      emergencyContact: input.emergencyContact === undefined ? undefined : input.emergencyContact && { ...input.emergencyContact },
      insurance:
        input.insurance === undefined
          ? undefined
          : input.insurance && { ...input.insurance, holderName: input.insurance.holderName ?? null },
    };
    const changed = () => Object.keys(changes).filter((field) => changes[field as keyof PatientChanges] !== undefined);
    if (changed().length === 0 && problems.length === 0) problems.push({ path: ['input'], message: 'give at least one field to change' });
    if (problems.length > 0) throw new BadUserInputError(problems);
    const current = await context.loaders.patientById.load(id);
    if (!current) throw new NotFoundError('Patient');
    // The same phone or email again keeps its verification.
    if (changes.phone === current.phone) changes.phone = undefined;
    if (changes.email === current.email) changes.email = undefined;
    const fields = changed();
    if (fields.length === 0) return current;
    try {
      const row = toPatient(
        await context.patients.write({ patientId: id, resource: 'Patient', fields, action: 'update', requires: 'contactWrite' }, () =>
          this.repository.update(id, changes),
        ),
      );
      context.loaders.patientById.clear(id).prime(id, row);
      return row;
    } catch (error) {
      if (error instanceof UniqueViolation) throw new ConflictError('Another person is registered with this email or phone number.');
      // The email is how a person who has set a password signs in and recovers the account: someone
      // else changing it would take the account over.
      if (error instanceof EmailLocked)
        throw new ConflictError('The email cannot be changed once the person signs in with it.', [
          { path: ['input', 'email'], message: 'email is the sign-in of an active account' },
        ]);
      throw error;
    }
  }
}
