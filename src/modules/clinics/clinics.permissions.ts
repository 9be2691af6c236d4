// The clinic directory is public (the staff list, from accounts, has its own rule).
import { allow } from '../../authz/shield.js';
import type { ModulePermissions } from '../../platform/module.js';

export const clinicsPermissions: ModulePermissions = {
  Query: {
    clinics: allow,
    clinic: allow,
  },
  Clinic: { '*': allow },
  Coordinates: allow,
  OpeningHours: allow,
};
