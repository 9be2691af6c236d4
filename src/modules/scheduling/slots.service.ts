// Free slots: searched for an appointment type (one doctor, a specialty at a clinic, or clinics
// near a point), and checked when a booking or a new time claims one.
import { BadUserInputError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import { toSlot } from './scheduling.mapper.js';
import type { AppointmentTypeRow, AppointmentTypesRepository } from './appointment-types.repository.js';
import type { SlotsRepository } from './slots.repository.js';
import { MAX_SEARCH_DAYS, type Slot, type SlotSearchInput } from './scheduling.types.js';

const DAY = 24 * 60 * 60 * 1000;

export class SlotsService {
  constructor(
    private readonly types: AppointmentTypesRepository,
    private readonly repository: SlotsRepository,
  ) {}

  async available(input: SlotSearchInput): Promise<Slot[]> {
    const { from, to } = input;
    if (!(to > from)) throw new BadUserInputError([{ path: ['input', 'to'], message: 'to must be after from' }]);
    if (to.getTime() - from.getTime() > MAX_SEARCH_DAYS * DAY)
      throw new BadUserInputError([{ path: ['input', 'to'], message: `the range may cover at most ${MAX_SEARCH_DAYS} days` }]);
    const chosen = [input.doctorId, input.specialty, input.near].filter((criterion) => criterion != null).length;
    if (chosen !== 1)
      throw new BadUserInputError([{ path: ['input'], message: 'give exactly one of doctorId, specialty (with clinicId) or near' }]);
    if (input.specialty && !input.clinicId)
      throw new BadUserInputError([{ path: ['input', 'clinicId'], message: 'clinicId is required with specialty' }]);
    const type = await this.bookableType(input.appointmentTypeId, ['input', 'appointmentTypeId']);
    const { near } = input;
    const scope = await this.repository.searchScope({
      doctorId: input.doctorId ? idOf('Doctor', input.doctorId, ['input', 'doctorId']) : undefined,
      specialtyCode: input.specialty ?? undefined,
      clinicId: input.clinicId ? idOf('Clinic', input.clinicId, ['input', 'clinicId']) : undefined,
      near: near ? { latitude: near.latitude, longitude: near.longitude, radiusKm: near.radiusKm } : undefined,
    });
    // A clinic's own type is booked at that clinic only.
    const clinicIds = type.clinicId ? (scope.clinicIds ?? [type.clinicId]).filter((id) => id === type.clinicId) : scope.clinicIds;
    const rows = await this.repository.free({ ...scope, clinicIds, from, to, durationMinutes: type.durationMinutes });
    return rows.map(toSlot);
  }

  /** The appointment type `globalId` names; BAD_USER_INPUT at `path` unless it can be booked. */
  async bookableType(globalId: string, path: Array<string | number>): Promise<AppointmentTypeRow> {
    const [row] = await this.types.byIds([idOf('AppointmentType', globalId, path)]);
    if (!row || !row.isActive) throw new BadUserInputError([{ path, message: 'is not an appointment type that can be booked' }]);
    return row;
  }

  /** When a slot starting at `startsAt` ends; BAD_USER_INPUT at `path` unless it is a future slot in the doctor's hours at the clinic. */
  async slotEnd(doctorId: string, clinicId: string, startsAt: Date, type: AppointmentTypeRow, path: Array<string | number>): Promise<Date> {
    const endsAt = new Date(startsAt.getTime() + type.durationMinutes * 60_000);
    if (startsAt.getTime() <= Date.now()) throw new BadUserInputError([{ path, message: 'startsAt must be in the future' }]);
    // Booked times count as slots here: a clash is for the exclusion constraints to report, with what it clashes with.
    const [slot] = await this.repository.slots({
      doctorIds: [doctorId],
      clinicIds: [clinicId],
      from: startsAt,
      to: endsAt,
      durationMinutes: type.durationMinutes,
      includeBooked: true,
      limit: 1,
    });
    if (!slot || slot.startsAt.getTime() !== startsAt.getTime())
      throw new BadUserInputError([{ path, message: "startsAt is not a slot in the doctor's hours at this clinic" }]);
    return endsAt;
  }
}
