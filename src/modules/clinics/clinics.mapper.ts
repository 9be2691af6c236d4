// Rows to graph objects.
import { toAddress } from '../../graphql/common-types.js';
import { toGlobalId } from '../../graphql/global-id.js';
import type { Clinic, OpeningHours } from './clinic.types.js';
import type { ClinicRow } from './clinics.repository.js';

function toOpeningHours(value: unknown): OpeningHours[] {
  if (!Array.isArray(value)) return [];
  return value.filter((day): day is OpeningHours => typeof day === 'object' && day !== null && 'dayOfWeek' in day);
}

export function toClinic(row: ClinicRow): Clinic {
  return {
    dbId: row.id,
    id: toGlobalId('Clinic', row.id),
    name: row.name,
    description: row.description,
    phone: row.phone,
    email: row.email,
    address: toAddress(row.address) ?? { street: null, city: row.city, region: null, country: '', postalCode: null },
    city: row.city,
    coordinates: row.latitude !== null && row.longitude !== null ? { latitude: row.latitude, longitude: row.longitude } : null,
    timeZone: row.timeZone,
    operatingHours: toOpeningHours(row.operatingHours),
    services: row.services,
  };
}
