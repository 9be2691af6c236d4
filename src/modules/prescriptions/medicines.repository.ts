// The medicine catalogue in PostgreSQL: loaded from a knowledge base file (once per version, across
// processes), searched by prescribers (cached as directory data), and read whole by the safety
// checks as a snapshot (MedicineKnowledge).
import { Prisma, type PrismaClient } from '../../generated/prisma/client.js';
import type { ReadThrough } from '../../platform/cache-aside.js';
import { hashedKey } from '../../platform/cache-aside.js';
import type { Catalogue } from './knowledge/catalogue-schema.js';
import { interactionPairs } from './knowledge/interaction-pairs.js';
import type { AllergyClassFacts, KnowledgeSnapshot, MedicineFacts, MedicineKnowledge } from './medicine-knowledge.js';

export type MedicineRow = Prisma.MedicineGetPayload<object>;

/** Bumped when the catalogue is reloaded: cached searches and medicines go stale. */
export const CATALOGUE_VERSION_KEY = 'medicines:catalogue';
const CACHE_SECONDS = 3600;
/** How long a process keeps a knowledge snapshot before asking which version is stored. */
const SNAPSHOT_SECONDS = 30;
/** Bumped when load() stores a catalogue differently: the same version is then loaded again. */
const LOADER_REVISION = 2;

export interface MedicineSearch {
  /** Words of a name (generic or brand), accents and case ignored; empty lists every medicine. */
  words: string[];
  /** After this (generic name, id), in that order. */
  after?: { name: string; id: string };
  take: number;
  includeInactive?: boolean;
}

export class MedicinesRepository implements MedicineKnowledge {
  private cached: { snapshot: KnowledgeSnapshot; until: number } | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly readThrough: ReadThrough,
  ) {}

  /** The version stored, or null before any catalogue was loaded. */
  async storedVersion(): Promise<{ version: string; notice: string } | null> {
    return this.prisma.medicineCatalogue.findUnique({ where: { id: 1 }, select: { version: true, notice: true } });
  }

  /**
   * Makes the tables hold `catalogue`, unless they hold its version already: one transaction under
   * an advisory lock, so that processes starting together load it once (again when the loader
   * itself changed: LOADER_REVISION). Medicines are upserted by
   * code (prescriptions refer to them) and those it no longer lists are made inactive; the rest is
   * replaced. Returns whether anything was loaded.
   */
  async load(catalogue: Catalogue): Promise<boolean> {
    const loaded = await this.prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('medicine_catalogue'))`;
        const stored = await tx.medicineCatalogue.findUnique({ where: { id: 1 } });
        if (stored?.version === catalogue.version && stored.loaderRevision === LOADER_REVISION) return false;
        await tx.drugInteraction.deleteMany();
        await tx.drugIngredient.deleteMany();
        await tx.allergyClass.deleteMany();
        await tx.allergyClass.createMany({
          data: catalogue.allergyClasses.map((entry) => ({
            code: entry.code,
            nameEn: entry.name.en,
            nameFr: entry.name.fr,
            synonyms: entry.synonyms,
            crossReactsWith: entry.crossReactsWith,
            source: entry.source,
          })),
        });
        await tx.drugIngredient.createMany({ data: catalogue.ingredients });
        await tx.drugInteraction.createMany({ data: interactionPairs(catalogue) });
        for (const medicine of catalogue.medicines) {
          const data = {
            genericName: medicine.genericName,
            brandNames: medicine.brandNames,
            atcCode: medicine.atcCode,
            forms: medicine.forms,
            strengths: medicine.strengths,
            routes: medicine.routes,
            indications: medicine.indications,
            ingredientCodes: medicine.ingredients,
            contraindications: medicine.contraindications,
            pregnancyRisk: medicine.pregnancy,
            lactationRisk: medicine.lactation,
            minAgeMonths: medicine.minAgeMonths,
            maxAgeYears: medicine.maxAgeYears,
            controlled: medicine.controlled,
            prescriptionOnly: medicine.prescriptionOnly,
            active: true,
            source: medicine.source,
          };
          await tx.medicine.upsert({ where: { code: medicine.code }, create: { code: medicine.code, ...data }, update: data });
        }
        await tx.medicine.updateMany({
          where: { code: { notIn: catalogue.medicines.map((entry) => entry.code) } },
          data: { active: false },
        });
        // Searchable by generic and brand names, and by its ingredients' names in en and fr ("amoxicilline").
        await tx.$executeRaw`UPDATE medicines m SET search_text = patient_search_fold(
          m.generic_name || ' ' || m.code || ' ' || coalesce(array_to_string(m.brand_names, ' '), '') || ' ' || coalesce((
            SELECT string_agg(i.name || ' ' || coalesce(array_to_string(i.synonyms, ' '), ''), ' ')
            FROM drug_ingredients i WHERE i.code = ANY (m.ingredient_codes)), ''))`;
        await tx.medicineCatalogue.upsert({
          where: { id: 1 },
          create: { id: 1, version: catalogue.version, loaderRevision: LOADER_REVISION, notice: catalogue.notice },
          update: { version: catalogue.version, loaderRevision: LOADER_REVISION, notice: catalogue.notice, loadedAt: new Date() },
        });
        return true;
      },
      { timeout: 60_000 },
    );
    if (loaded) {
      this.cached = undefined;
      await this.readThrough.bump([CATALOGUE_VERSION_KEY]);
    }
    return loaded;
  }

  /** One page of medicines by name, generic or brand (accent- and case-insensitive), cached. */
  search(search: MedicineSearch): Promise<MedicineRow[]> {
    return this.readThrough.one(hashedKey('medicines:search', search), CACHE_SECONDS, () => this.searchStore(search), [
      CATALOGUE_VERSION_KEY,
    ]);
  }

  /** How many medicines a search finds, across its pages (cached like the pages). */
  async countSearch(words: string[]): Promise<number> {
    return this.readThrough.one(
      hashedKey('medicines:count', words),
      CACHE_SECONDS,
      async () => {
        const [{ count }] = await this.prisma.$queryRaw<Array<{ count: number }>>`
          SELECT count(*)::int AS count FROM medicines m ${searchWhere({ words, take: 0 })}`;
        return count;
      },
      [CATALOGUE_VERSION_KEY],
    );
  }

  private searchStore(search: MedicineSearch): Promise<MedicineRow[]> {
    const where = searchWhere(search);
    return this.prisma.$queryRaw<MedicineRow[]>`
      SELECT m.id, m.code, m.generic_name AS "genericName", m.brand_names AS "brandNames", m.atc_code AS "atcCode", m.forms,
             m.strengths, m.routes, m.indications, m.ingredient_codes AS "ingredientCodes", m.contraindications,
             m.pregnancy_risk::text AS "pregnancyRisk", m.lactation_risk::text AS "lactationRisk", m.min_age_months AS "minAgeMonths",
             m.max_age_years AS "maxAgeYears", m.controlled, m.prescription_only AS "prescriptionOnly", m.active,
             m.search_text AS "searchText", m.source
      FROM medicines m ${where}
      ORDER BY m.generic_name, m.id
      LIMIT ${search.take}`;
  }

  /** Medicines by id (cached; a reload of the catalogue makes them stale). */
  byIds(ids: readonly string[]): Promise<MedicineRow[]> {
    return this.readThrough.many(
      ids,
      (id) => `medicines:id:${id}`,
      CACHE_SECONDS,
      (row) => row.id,
      (missing) => this.prisma.medicine.findMany({ where: { id: { in: missing } } }),
      [CATALOGUE_VERSION_KEY],
    );
  }

  /** The whole knowledge base, kept for a few seconds per process (a reload elsewhere is seen within them). */
  async snapshot(): Promise<KnowledgeSnapshot> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.snapshot;
    const [stored, medicines, ingredients, classes, interactions] = await Promise.all([
      this.storedVersion(),
      this.prisma.medicine.findMany(),
      this.prisma.drugIngredient.findMany(),
      this.prisma.allergyClass.findMany(),
      this.prisma.drugInteraction.findMany(),
    ]);
    if (!stored) throw new Error('no medicine catalogue is loaded');
    const snapshot: KnowledgeSnapshot = {
      version: stored.version,
      notice: stored.notice,
      medicines: new Map(medicines.map((row) => [row.id, toMedicineFacts(row)])),
      ingredients: new Map(ingredients.map((row) => [row.code, row])),
      allergyClasses: new Map(
        classes.map((row) => [
          row.code,
          { ...row, crossReactsWith: row.crossReactsWith as unknown as AllergyClassFacts['crossReactsWith'] },
        ]),
      ),
      interactions,
    };
    this.cached = { snapshot, until: Date.now() + SNAPSHOT_SECONDS * 1000 };
    return snapshot;
  }
}

/** The WHERE of a search: active medicines (unless asked), every word in the folded names, after the cursor. */
function searchWhere(search: MedicineSearch): Prisma.Sql {
  const conditions = [
    ...(search.includeInactive ? [] : [Prisma.sql`m.active`]),
    ...search.words.map(
      (word) =>
        Prisma.sql`m.search_text LIKE '%' || replace(replace(replace(patient_search_fold(${word}), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'`,
    ),
    ...(search.after ? [Prisma.sql`(m.generic_name, m.id) > (${search.after.name}, ${search.after.id}::uuid)`] : []),
  ];
  return conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;
}

export function toMedicineFacts(row: MedicineRow): MedicineFacts {
  return {
    id: row.id,
    code: row.code,
    genericName: row.genericName,
    brandNames: row.brandNames,
    forms: row.forms,
    strengths: row.strengths,
    routes: row.routes,
    ingredientCodes: row.ingredientCodes,
    contraindications: row.contraindications as unknown as MedicineFacts['contraindications'],
    pregnancyRisk: row.pregnancyRisk,
    lactationRisk: row.lactationRisk,
    minAgeMonths: row.minAgeMonths,
    maxAgeYears: row.maxAgeYears,
    controlled: row.controlled,
    active: row.active,
  };
}
