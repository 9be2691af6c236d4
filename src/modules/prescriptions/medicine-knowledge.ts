// What the safety checks need to know about medicines, behind one interface: the bundled starter
// set stored in PostgreSQL answers today (knowledge.repository.ts); a licensed drug database can
// answer tomorrow by implementing the same interface, with nothing else changing.
import type { InteractionSeverity, ReproductiveRisk } from './knowledge/catalogue-schema.js';
import { fold } from './safety-checks.js';

export interface MedicineFacts {
  id: string;
  code: string;
  genericName: string;
  brandNames: readonly string[];
  forms: readonly string[];
  strengths: readonly string[];
  routes: readonly string[];
  /** Empty: the knowledge base has no entry for it, and the checks cannot run. */
  ingredientCodes: readonly string[];
  contraindications: ReadonlyArray<{ icd10: readonly string[]; severity: 'high' | 'moderate' | 'low'; reason: { en: string; fr: string } }>;
  pregnancyRisk: ReproductiveRisk;
  lactationRisk: ReproductiveRisk;
  minAgeMonths: number;
  maxAgeYears: number | null;
  controlled: boolean;
  active: boolean;
}

export interface IngredientFacts {
  code: string;
  name: string;
  synonyms: readonly string[];
  allergyClasses: readonly string[];
  therapeuticClasses: readonly string[];
}

export interface AllergyClassFacts {
  code: string;
  nameEn: string;
  nameFr: string;
  synonyms: readonly string[];
  crossReactsWith: ReadonlyArray<{ class: string; severity: 'high' | 'moderate' | 'low'; note: { en: string; fr: string } }>;
}

export interface InteractionFacts {
  ingredientA: string;
  ingredientB: string;
  severity: InteractionSeverity;
  explanationEn: string;
  explanationFr: string;
}

/** Everything the knowledge base holds, at one version. */
export interface KnowledgeSnapshot {
  version: string;
  notice: string;
  medicines: ReadonlyMap<string, MedicineFacts>;
  ingredients: ReadonlyMap<string, IngredientFacts>;
  allergyClasses: ReadonlyMap<string, AllergyClassFacts>;
  interactions: readonly InteractionFacts[];
}

export interface MedicineKnowledge {
  /** The knowledge at its current version; throws when it cannot be read (the checks then cannot run). */
  snapshot(): Promise<KnowledgeSnapshot>;
}

/**
 * What a recorded allergy's free text names, as the knowledge base knows it: ingredients (by INN,
 * synonym, or a medicine's generic or brand name) and allergy classes (by name or synonym, en or fr).
 * "Penicillin", "pénicilline" and "Clamoxyl" all resolve; an unknown word resolves to nothing.
 */
export function recognise(substance: string, knowledge: KnowledgeSnapshot): { ingredients: string[]; classes: string[] } {
  const folded = fold(substance);
  if (folded.length < 3) return { ingredients: [], classes: [] };
  const names = (term: string) => {
    const candidate = fold(term);
    if (candidate.length < 3) return false;
    return (
      candidate === folded || ` ${folded} `.includes(` ${candidate} `) || (folded.length >= 5 && ` ${candidate} `.includes(` ${folded} `))
    );
  };
  const ingredients = new Set<string>();
  const classes = new Set<string>();
  for (const ingredient of knowledge.ingredients.values())
    if ([ingredient.code, ingredient.name, ...ingredient.synonyms].some(names)) ingredients.add(ingredient.code);
  for (const medicine of knowledge.medicines.values())
    if ([medicine.code, medicine.genericName, ...medicine.brandNames].some(names))
      medicine.ingredientCodes.forEach((code) => ingredients.add(code));
  for (const allergyClass of knowledge.allergyClasses.values())
    if ([allergyClass.code, allergyClass.nameEn, allergyClass.nameFr, ...allergyClass.synonyms].some(names)) classes.add(allergyClass.code);
  return { ingredients: [...ingredients].sort(), classes: [...classes].sort() };
}
