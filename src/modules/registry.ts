// The modules of the API, one line each. Everything that assembles the API (schema, permissions,
// context, node(id:), read audit, cache policy, MongoDB setup, outbox relay) reads this list.
import type { ModuleManifest } from '../platform/module.js';
import { accountsModule } from './accounts/module.js';
import { auditModule } from './audit/module.js';
import { billingModule } from './billing/module.js';
import { careModule } from './care/module.js';
import { clinicsModule } from './clinics/module.js';
import { doctorsModule } from './doctors/module.js';
import { encountersModule } from './encounters/module.js';
import { notificationsModule } from './notifications/module.js';
import { partnersModule } from './partners/module.js';
import { patientsModule } from './patients/module.js';
import { pharmacyModule } from './pharmacy/module.js';
import { prescriptionsModule } from './prescriptions/module.js';
import { recordsModule } from './records/module.js';
import { schedulingModule } from './scheduling/module.js';

export const modules = [
  accountsModule,
  auditModule,
  careModule,
  clinicsModule,
  doctorsModule,
  patientsModule,
  recordsModule,
  schedulingModule,
  encountersModule,
  prescriptionsModule,
  pharmacyModule,
  billingModule,
  notificationsModule,
  partnersModule,
] as const;

/** The same modules with their own types erased, for the code that walks them all. */
export const allModules = modules as readonly ModuleManifest[];
