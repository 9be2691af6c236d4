// The application's services and repositories, built once by the composition root.
import type { Db } from 'mongodb';
import type { AccessTokens } from '../auth/tokens.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { AccountsRepository, createAccountsServices, type AccountSettings } from '../modules/accounts/index.js';
import type { AuditLog } from '../modules/audit/index.js';
import { CareRepository, CareService } from '../modules/care/index.js';
import { ClinicsRepository, ClinicsService } from '../modules/clinics/index.js';
import { EncountersRepository, EncountersService } from '../modules/encounters/index.js';
import type { Cache } from '../platform/cache.js';
import { ReadThrough } from '../platform/cache-aside.js';
import type { Notifier } from '../platform/notifier.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import type { VideoRooms } from '../platform/video-rooms.js';
import { DoctorProfilesService, DoctorsRepository, DoctorsService } from '../modules/doctors/index.js';
import { PreferencesRepository, PreferencesService } from '../modules/notifications/index.js';
import { PartnerKeysRepository, PartnerKeysService } from '../modules/partners/index.js';
import { PatientsRepository, PatientsService } from '../modules/patients/index.js';
import { RecordsRepository, RecordsService } from '../modules/records/index.js';
import { createSchedulingServices, SchedulingRepository, type SchedulingSettings } from '../modules/scheduling/index.js';

export function createRepositories(prisma: PrismaClient, mongo: Db, cache: Cache) {
  const readThrough = new ReadThrough(cache);
  return {
    accounts: new AccountsRepository(prisma, readThrough),
    care: new CareRepository(prisma),
    clinics: new ClinicsRepository(prisma, readThrough),
    doctors: new DoctorsRepository(prisma, readThrough),
    partnerKeys: new PartnerKeysRepository(prisma),
    patients: new PatientsRepository(prisma),
    records: new RecordsRepository(mongo),
    scheduling: new SchedulingRepository(prisma, readThrough),
    encounters: new EncountersRepository(mongo),
    preferences: new PreferencesRepository(prisma),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export interface ServiceDependencies {
  tokens: AccessTokens;
  auditLog: AuditLog;
  /** Wakes the outbox relay after a transaction that wrote events commits. */
  afterOutboxWrite?: () => void;
  notifier: Notifier;
  videoRooms: VideoRooms;
  rateLimiter: RateLimiter;
  accountSettings?: Partial<AccountSettings>;
  schedulingSettings?: SchedulingSettings;
}

export function createServices(repositories: Repositories, dependencies: ServiceDependencies) {
  return {
    ...createAccountsServices(repositories.accounts, dependencies),
    care: new CareService(repositories.care, dependencies.notifier),
    audit: dependencies.auditLog,
    clinics: new ClinicsService(repositories.clinics),
    doctors: new DoctorsService(repositories.doctors),
    doctorProfiles: new DoctorProfilesService(repositories.doctors),
    partnerKeys: new PartnerKeysService(repositories.partnerKeys),
    patients: new PatientsService(repositories.patients),
    records: new RecordsService(repositories.records),
    ...createSchedulingServices(repositories.scheduling, dependencies),
    encounters: new EncountersService(repositories.encounters),
    preferences: new PreferencesService(repositories.preferences),
  };
}

export type Services = ReturnType<typeof createServices>;
