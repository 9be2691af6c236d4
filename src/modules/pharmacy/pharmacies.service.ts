// The pharmacies: listed for anyone choosing where to present a prescription; partners registered
// and pharmacists added by the admins of the clinic concerned.
import type { RequestContext } from '../../context/context.js';
import { BadUserInputError, ForbiddenError, NotFoundError, UnauthenticatedError } from '../../errors/errors.js';
import { idOf } from '../../graphql/global-id.js';
import type { PharmaciesRepository } from './pharmacies.repository.js';
import { toPharmacy } from './pharmacy.mapper.js';
import type { PartnerPharmacyInput, Pharmacy } from './pharmacy.types.js';

export class PharmaciesService {
  constructor(private readonly pharmacies: PharmaciesRepository) {}

  async list(_context: RequestContext, clinicId: string | null): Promise<Pharmacy[]> {
    const rows = clinicId ? await this.pharmacies.ofClinics([idOf('Clinic', clinicId, ['clinicId'])]) : await this.pharmacies.allActive();
    return rows.map(toPharmacy);
  }

  async byDbId(context: RequestContext, id: string): Promise<Pharmacy | null> {
    const row = await context.loaders.pharmacyRowById.load(id);
    return row ? toPharmacy(row) : null;
  }

  async registerPartner(context: RequestContext, input: PartnerPharmacyInput): Promise<Pharmacy> {
    const clinicId = this.administered(context, input.clinicId, ['input', 'clinicId']);
    const row = await this.pharmacies.registerPartner({
      clinicId,
      name: input.name.trim(),
      address: { street: input.street.trim(), city: input.city.trim(), region: null, country: 'CM', postalCode: null },
      phone: input.phone?.trim() || null,
      hours: input.hours.map((day) => ({ dayOfWeek: day.dayOfWeek, opens: day.opens, closes: day.closes })),
      licence: input.licence.trim(),
    });
    return toPharmacy(row);
  }

  async addPharmacist(context: RequestContext, pharmacyId: string, userId: string): Promise<Pharmacy> {
    const pharmacy = await context.loaders.pharmacyRowById.load(idOf('Pharmacy', pharmacyId, ['pharmacyId']));
    if (!pharmacy) throw new NotFoundError('The pharmacy');
    this.administered(context, pharmacy.clinicId, ['pharmacyId'], true);
    const user = await context.loaders.accountById.load(idOf('User', userId, ['userId']));
    if (!user || user.role !== 'pharmacist') throw new BadUserInputError([{ path: ['userId'], message: "must be a pharmacist's account" }]);
    await this.pharmacies.addMember(pharmacy.id, user.id);
    return toPharmacy(pharmacy);
  }

  /** The clinic (database id) if the caller administers it. */
  private administered(context: RequestContext, clinicId: string, path: Array<string | number>, databaseId = false): string {
    const principal = context.principal;
    if (!principal) throw new UnauthenticatedError();
    const id = databaseId ? clinicId : idOf('Clinic', clinicId, path);
    if (principal.role !== 'admin' || !principal.clinicIds.includes(id)) throw new ForbiddenError();
    return id;
  }
}
