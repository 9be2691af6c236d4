// The shape of a medicine knowledge base: what the safety checks read, as codes rather than prose.
// The bundled starter set (starter-catalogue.json) is validated against it when it is loaded; a
// licensed drug database would be mapped into the same shape (see medicine-knowledge.ts).
import { z } from 'zod';

/** A machine code: lower-case letters, digits and hyphens (e.g. "amoxicillin", "penicillins"). */
const code = z.string().regex(/^[a-z][a-z0-9-]{1,63}$/, 'a code is lower-case letters, digits and hyphens');
/** Where a fact comes from: a public reference a pharmacist can open (URL or citation). */
const source = z.string().min(8).max(300);
const bilingual = z.object({ en: z.string().min(3).max(300), fr: z.string().min(3).max(300) });
/** An ICD-10 code or a prefix of one (e.g. "O", "N18", "K72.9"). */
const icd10Prefix = z.string().regex(/^[A-TV-Z]([0-9]{1,2}([0-9AB](\.[0-9A-TV-Z]{1,4})?)?)?$/, 'an ICD-10 code or prefix');

export const INTERACTION_SEVERITIES = ['contraindicated', 'major', 'moderate', 'minor'] as const;
/** What is known of a medicine's use in pregnancy or while breastfeeding. */
export const REPRODUCTIVE_RISKS = ['contraindicated', 'avoid', 'caution', 'compatible', 'unknown'] as const;
export const ROUTES = [
  'oral',
  'iv',
  'im',
  'sc',
  'topical',
  'inhaled',
  'rectal',
  'vaginal',
  'ophthalmic',
  'otic',
  'nasal',
  'sublingual',
  'transdermal',
] as const;

export const allergyClassSchema = z.object({
  code,
  name: bilingual,
  /** Words a recorded allergy may use for this class, in en and fr (matched accent- and case-insensitively). */
  synonyms: z.array(z.string().min(3).max(60)).min(1),
  /** Classes an allergy to this one may cross-react with, and how seriously. */
  crossReactsWith: z.array(z.object({ class: code, severity: z.enum(['high', 'moderate', 'low']), note: bilingual })).default([]),
  source,
});

export const ingredientSchema = z.object({
  code,
  /** The INN. */
  name: z.string().min(3).max(100),
  /** Other names a recorded allergy may use (brand names are matched from the medicines). */
  synonyms: z.array(z.string().min(3).max(60)).default([]),
  allergyClasses: z.array(code).default([]),
  /** Therapeutic classes for duplicate-therapy checks (two active medicines of one class). */
  therapeuticClasses: z.array(code).default([]),
});

export const contraindicationSchema = z.object({
  /** The condition, as ICD-10 code prefixes (any match counts). */
  icd10: z.array(icd10Prefix).min(1),
  severity: z.enum(['high', 'moderate', 'low']),
  reason: bilingual,
});

export const medicineSchema = z.object({
  code,
  /** The INN / generic name as prescribed, e.g. "Amoxicillin". */
  genericName: z.string().min(3).max(120),
  brandNames: z.array(z.string().min(2).max(60)).default([]),
  /** WHO ATC code (level 5 where one exists, e.g. J01CA04). */
  atcCode: z.string().regex(/^[A-Z][0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?$/),
  forms: z.array(z.string().min(3).max(40)).min(1),
  strengths: z.array(z.string().min(1).max(60)).min(1),
  routes: z.array(z.enum(ROUTES)).min(1),
  indications: z.array(z.string().min(3).max(120)).min(1),
  /** Its active ingredients (codes of `ingredients`). */
  ingredients: z.array(code).min(1),
  contraindications: z.array(contraindicationSchema).default([]),
  pregnancy: z.enum(REPRODUCTIVE_RISKS),
  lactation: z.enum(REPRODUCTIVE_RISKS),
  /** Youngest age it may be prescribed at, in months (0: from birth). */
  minAgeMonths: z.number().int().min(0).max(1200),
  /** Oldest age, in years, where a limit exists (null: none). */
  maxAgeYears: z.number().int().min(1).max(130).nullable().default(null),
  controlled: z.boolean(),
  prescriptionOnly: z.boolean(),
  /** The public reference its facts come from. */
  source,
});

/** A pair that interacts; either side is an ingredient code or "class:<therapeutic class>". */
export const interactionSchema = z.object({
  a: z.string().regex(/^(class:)?[a-z][a-z0-9-]{1,63}$/),
  b: z.string().regex(/^(class:)?[a-z][a-z0-9-]{1,63}$/),
  severity: z.enum(INTERACTION_SEVERITIES),
  explanation: bilingual,
  source,
});

export const catalogueSchema = z.object({
  /** Bumped with every change: the stored catalogue is reloaded when it differs. */
  version: z.string().min(1).max(40),
  /** Says what this data is (a starter set to be reviewed by a pharmacist before clinical use). */
  notice: z.string().min(20),
  allergyClasses: z.array(allergyClassSchema),
  ingredients: z.array(ingredientSchema),
  medicines: z.array(medicineSchema),
  interactions: z.array(interactionSchema),
});

export type Catalogue = z.output<typeof catalogueSchema>;
export type CatalogueMedicine = z.output<typeof medicineSchema>;
export type CatalogueIngredient = z.output<typeof ingredientSchema>;
export type CatalogueAllergyClass = z.output<typeof allergyClassSchema>;
export type CatalogueInteraction = z.output<typeof interactionSchema>;
export type InteractionSeverity = (typeof INTERACTION_SEVERITIES)[number];
export type ReproductiveRisk = (typeof REPRODUCTIVE_RISKS)[number];

/**
 * What is wrong with a catalogue beyond its shape: duplicate codes, references to ingredients,
 * classes or medicines it does not define. Empty when it is consistent.
 */
export function catalogueProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  const duplicates = (what: string, codes: string[]) => {
    const seen = new Set<string>();
    for (const c of codes) {
      if (seen.has(c)) problems.push(`${what} '${c}' is defined twice`);
      seen.add(c);
    }
    return seen;
  };
  const classes = duplicates(
    'allergy class',
    catalogue.allergyClasses.map((entry) => entry.code),
  );
  const ingredients = duplicates(
    'ingredient',
    catalogue.ingredients.map((entry) => entry.code),
  );
  duplicates(
    'medicine',
    catalogue.medicines.map((entry) => entry.code),
  );
  const therapeutic = new Set(catalogue.ingredients.flatMap((entry) => entry.therapeuticClasses));
  for (const allergyClass of catalogue.allergyClasses)
    for (const cross of allergyClass.crossReactsWith)
      if (!classes.has(cross.class)) problems.push(`allergy class '${allergyClass.code}' cross-reacts with unknown class '${cross.class}'`);
  for (const ingredient of catalogue.ingredients)
    for (const allergyClass of ingredient.allergyClasses)
      if (!classes.has(allergyClass)) problems.push(`ingredient '${ingredient.code}' names unknown allergy class '${allergyClass}'`);
  for (const medicine of catalogue.medicines)
    for (const ingredient of medicine.ingredients)
      if (!ingredients.has(ingredient)) problems.push(`medicine '${medicine.code}' names unknown ingredient '${ingredient}'`);
  const pairs = new Set<string>();
  for (const interaction of catalogue.interactions) {
    for (const side of [interaction.a, interaction.b]) {
      const known = side.startsWith('class:') ? therapeutic.has(side.slice(6)) : ingredients.has(side);
      if (!known) problems.push(`interaction names unknown ${side.startsWith('class:') ? 'therapeutic class' : 'ingredient'} '${side}'`);
    }
    const pair = [interaction.a, interaction.b].sort().join(' + ');
    if (pairs.has(pair)) problems.push(`interaction ${pair} is defined twice`);
    pairs.add(pair);
  }
  return problems;
}
