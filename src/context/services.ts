// The application's services and repositories, built once by the composition root.
import type { Db } from 'mongodb';
import type { PrismaClient } from '../generated/prisma/client.js';
import { ClinicsRepository, ClinicsService } from '../modules/clinics/index.js';
import { DoctorsRepository, DoctorsService } from '../modules/doctors/index.js';
import { PatientsRepository, PatientsService } from '../modules/patients/index.js';
import { RecordsRepository, RecordsService } from '../modules/records/index.js';

export function createRepositories(prisma: PrismaClient, mongo: Db) {
  return {
    clinics: new ClinicsRepository(prisma),
    doctors: new DoctorsRepository(prisma),
    patients: new PatientsRepository(prisma),
    records: new RecordsRepository(mongo),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;

export function createServices(repositories: Repositories) {
  return {
    clinics: new ClinicsService(repositories.clinics),
    doctors: new DoctorsService(repositories.doctors),
    patients: new PatientsService(repositories.patients),
    records: new RecordsService(repositories.records),
  };
}

export type Services = ReturnType<typeof createServices>;
