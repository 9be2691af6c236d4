// Appointment types: what can be booked (every clinic's, and each clinic's own), and a clinic's
// own types, managed by its admins: created, changed, deactivated (never deleted: appointments
// refer to them). Platform-wide types are not theirs to change.
import type { RequestContext } from '../../context/context.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { sentFields } from '../../graphql/partial-update.js';
import { UniqueViolation } from '../../platform/prisma-errors.js';
import type { AppointmentTypeRow, AppointmentTypesRepository } from './appointment-types.repository.js';
import { toAppointmentType } from './scheduling.mapper.js';
import type { AppointmentType } from './scheduling.types.js';
import type { CreateAppointmentTypeInput, UpdateAppointmentTypeInput } from './appointment-types.types.js';

const CODE_TAKEN = 'This code is already used by another appointment type.';

export class AppointmentTypesService {
  constructor(private readonly repository: AppointmentTypesRepository) {}

  /** Bookable types: every clinic's, and a clinic's own when `clinicId` is given (else every clinic's own too). */
  async bookable(clinicGlobalId: string | null | undefined): Promise<AppointmentType[]> {
    const clinicId = clinicGlobalId ? idOf('Clinic', clinicGlobalId, ['clinicId']) : undefined;
    const rows = await this.repository.active();
    return rows.filter((row) => !clinicId || row.clinicId === null || row.clinicId === clinicId).map(toAppointmentType);
  }

  /** FORBIDDEN unless the caller administers `clinicId`. */
  private administers(context: RequestContext, clinicId: string): void {
    const principal = context.principal;
    if (principal?.role !== 'admin' || !principal.clinicIds.includes(clinicId))
      throw new ForbiddenError('Appointment types are managed by the admins of their clinic.');
  }

  async create(context: RequestContext, input: CreateAppointmentTypeInput): Promise<AppointmentType> {
    const clinicId = idOf('Clinic', input.clinicId, ['input', 'clinicId']);
    this.administers(context, clinicId);
    const row = await this.codeChecked(() =>
      this.repository.create(clinicId, {
        code: input.code,
        nameEn: input.nameEn.trim(),
        nameFr: input.nameFr.trim(),
        durationMinutes: input.durationMinutes,
        priceMinor: input.priceXaf,
        currency: 'XAF',
        modes: input.modes,
      }),
    );
    return toAppointmentType(row);
  }

  async update(context: RequestContext, typeGlobalId: string, input: UpdateAppointmentTypeInput): Promise<AppointmentType> {
    const current = await this.ownType(context, typeGlobalId);
    const sent = sentFields(input, ['code', 'nameEn', 'nameFr', 'durationMinutes', 'priceXaf', 'modes', 'active'], ['input']);
    const row = await this.codeChecked(() =>
      this.repository.update(current.id, current.clinicId!, {
        ...(sent.code != null ? { code: sent.code } : {}),
        ...(sent.nameEn != null ? { nameEn: sent.nameEn.trim() } : {}),
        ...(sent.nameFr != null ? { nameFr: sent.nameFr.trim() } : {}),
        ...(sent.durationMinutes != null ? { durationMinutes: sent.durationMinutes } : {}),
        ...(sent.priceXaf != null ? { priceMinor: sent.priceXaf } : {}),
        ...(sent.modes != null ? { modes: sent.modes } : {}),
        ...(sent.active != null ? { isActive: sent.active } : {}),
      }),
    );
    if (!row) throw new NotFoundError('Appointment type');
    return toAppointmentType(row);
  }

  deactivate(context: RequestContext, typeGlobalId: string): Promise<AppointmentType> {
    return this.update(context, typeGlobalId, { active: false });
  }

  /** The type, if it is a clinic's own and the caller administers that clinic. */
  private async ownType(context: RequestContext, typeGlobalId: string): Promise<AppointmentTypeRow> {
    const [row] = await this.repository.byIds([idOf('AppointmentType', typeGlobalId, ['id'])]);
    if (!row) throw new NotFoundError('Appointment type');
    if (!row.clinicId) throw new ForbiddenError('Platform-wide appointment types are not managed by clinics.');
    this.administers(context, row.clinicId);
    return row;
  }

  private async codeChecked<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueViolation) throw new ConflictError(CODE_TAKEN, [{ path: ['input', 'code'], message: 'is taken' }]);
      throw error;
    }
  }
}
