// The zero-setup path: embedded PostgreSQL (PGlite through Prisma's adapter) migrated from
// prisma/migrations, the demo data loaded into it and MongoDB, idempotently, store by store.
import { loadConfig } from '../../src/config/config.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { collectionSpecs } from '../../src/modules/collections.js';
import { PATIENT_RECORDS } from '../../src/modules/records/index.js';
import { migrate } from '../../src/platform/migrations.js';
import { createPGlite } from '../../src/platform/pglite.js';
import { applyCollectionSpecs, connectMongo } from '../../src/platform/mongo.js';
import { openDatabase } from '../../src/platform/postgres.js';
import { seedDemoData } from '../../src/seed/demo-data.js';

describe('embedded PostgreSQL and the demo data', () => {
  it('migrates PGlite, loads the demo data once, and refills a MongoDB that lost it', async () => {
    const pglite = await createPGlite();
    const target = { kind: 'embedded' as const, pglite };
    const mongo = await connectMongo(inject('mongoUri'), `seed_${randomBytes(6).toString('hex')}`);
    const database = openDatabase(target);
    try {
      expect((await migrate(target)).length).toBeGreaterThan(0);
      expect(await migrate(target)).toEqual([]);
      await applyCollectionSpecs(mongo.db, collectionSpecs);
      await applyCollectionSpecs(mongo.db, collectionSpecs); // idempotent

      const signing = { prescriptionSigning: loadConfig({ NODE_ENV: 'test' }).prescriptionSigning };
      const first = await seedDemoData(database.prisma, mongo.db, signing);
      expect(first).toEqual({
        clinics: 4,
        specialties: 10,
        doctors: 24,
        staff: 12,
        patients: 8,
        appointmentTypes: 5,
        clinicAppointmentTypes: 1,
        availabilityWindows: 144,
        medicalHistories: 8,
        pharmacists: 4,
        prescriptions: 3,
        pharmacyItems: 6,
        lots: 9,
        queued: 1,
      });
      // Received through the ledger: every lot's balance is its movements' sum.
      expect(await database.prisma.stockMovement.count({ where: { kind: 'receipt' } })).toBe(9);
      // Signed over the findings the checks found: Aïcha's amoxicillin waits on her penicillin allergy.
      const prescriptions = await database.prisma.prescription.findMany({ include: { findings: true }, orderBy: { number: 'asc' } });
      expect(prescriptions.map((row) => row.status)).toEqual(['active', 'draft', 'active']);
      expect(prescriptions[1].findings.map((finding) => [finding.kind, finding.severity, finding.resolvedAt])).toContainEqual([
        'allergy',
        'high',
        null,
      ]);
      expect(prescriptions[2].findings.find((finding) => finding.kind === 'interaction')?.overrideReason).toMatch(/gout/);
      expect(await database.prisma.careRelationship.count()).toBe(8 + 4); // 8 registrations, the 4 Douala patients assigned
      expect(await database.prisma.doctorProfile.count()).toBe(24);
      // Six weekly windows per doctor (a doctor of two clinics splits them), a lunch break on weekdays.
      expect(await database.prisma.availabilityBreak.count()).toBe(24 * 5);
      expect(
        await database.prisma.availabilityWindow
          .groupBy({ by: ['doctorId', 'dayOfWeek'], _count: true })
          .then((rows) => rows.every((row) => row._count === 1)),
      ).toBe(true);
      expect(await database.prisma.clinic.findMany({ select: { city: true }, distinct: ['city'], orderBy: { city: 'asc' } })).toEqual([
        { city: 'Douala' },
        { city: 'Yaoundé' },
      ]);

      expect(await seedDemoData(database.prisma, mongo.db, signing)).toBeNull();

      // The patient search's folded names and trigram index work in PGlite too (pg_trgm loaded).
      const found = await database.prisma.$queryRawUnsafe<Array<{ first_name: string }>>(
        `SELECT first_name FROM user_profiles WHERE search_name LIKE '%' || patient_search_fold('AICHA bello') || '%'`,
      );
      expect(found).toEqual([{ first_name: 'Aïcha' }]);
      const plan = await database.prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
        `EXPLAIN SELECT 1 FROM user_profiles WHERE search_name LIKE '%helene%'`,
      );
      expect(plan.length).toBeGreaterThan(0);
      expect(
        await database.prisma.$queryRawUnsafe(`SELECT indexname FROM pg_indexes WHERE indexname = 'user_profiles_search_name_trgm_idx'`),
      ).toHaveLength(1);

      await mongo.db.collection(PATIENT_RECORDS).deleteMany({});
      await database.prisma.careRelationship.deleteMany({});
      expect(await seedDemoData(database.prisma, mongo.db, signing)).toEqual({ careRelationships: 12, medicalHistories: 8 });
      expect(await database.prisma.clinic.count()).toBe(4);
    } finally {
      await mongo.db.dropDatabase();
      await mongo.close();
      await database.close();
      await pglite.close();
    }
  });
});
