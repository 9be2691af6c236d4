// The safety checks over the bundled starter knowledge base, without a database: each check finds
// what it must, stays silent where it must, and a gap in the knowledge throws instead of passing.
import { describe, expect, it } from 'vitest';
import { starterCatalogue } from '../../../src/modules/prescriptions/index.js';
import { interactionPairs } from '../../../src/modules/prescriptions/knowledge/interaction-pairs.js';
import { recognise, type KnowledgeSnapshot, type MedicineFacts } from '../../../src/modules/prescriptions/medicine-knowledge.js';
import { ChecksUnavailable, runSafetyChecks, type PatientFacts } from '../../../src/modules/prescriptions/safety-checks.js';

/** The catalogue as the stored knowledge base would answer it (medicines keyed by code here). */
function snapshot(): KnowledgeSnapshot {
  const catalogue = starterCatalogue();
  return {
    version: catalogue.version,
    notice: catalogue.notice,
    medicines: new Map(
      catalogue.medicines.map((medicine): [string, MedicineFacts] => [
        medicine.code,
        {
          id: medicine.code,
          code: medicine.code,
          genericName: medicine.genericName,
          brandNames: medicine.brandNames,
          forms: medicine.forms,
          strengths: medicine.strengths,
          routes: medicine.routes,
          ingredientCodes: medicine.ingredients,
          contraindications: medicine.contraindications,
          pregnancyRisk: medicine.pregnancy,
          lactationRisk: medicine.lactation,
          minAgeMonths: medicine.minAgeMonths,
          maxAgeYears: medicine.maxAgeYears,
          controlled: medicine.controlled,
          active: true,
        },
      ]),
    ),
    ingredients: new Map(catalogue.ingredients.map((ingredient) => [ingredient.code, ingredient])),
    allergyClasses: new Map(
      catalogue.allergyClasses.map((entry) => [
        entry.code,
        {
          code: entry.code,
          nameEn: entry.name.en,
          nameFr: entry.name.fr,
          synonyms: entry.synonyms,
          crossReactsWith: entry.crossReactsWith,
        },
      ]),
    ),
    interactions: interactionPairs(catalogue),
  };
}

const knowledge = snapshot();
const medicine = (code: string) => {
  const found = knowledge.medicines.get(code);
  if (!found) throw new Error(`no ${code} in the starter catalogue`);
  return found;
};
const adult: PatientFacts = {
  ageMonths: 35 * 12,
  allergies: [],
  conditionCodes: [],
  pregnant: null,
  breastfeeding: null,
  ofChildbearingAge: false,
};
const allergic = (...substances: string[]) => substances.map((substance) => ({ substance, ...recognise(substance, knowledge) }));

function check(codes: string[], patient: Partial<PatientFacts> = {}, others: string[] = []) {
  return runSafetyChecks({
    items: codes.map((code, index) => ({ position: index + 1, medicine: medicine(code) })),
    others: others.map((code) => ({ prescriptionNumber: 'RX-2026-000001', medicine: medicine(code) })),
    patient: { ...adult, ...patient },
    knowledge,
  });
}

describe('allergies', () => {
  it('recognises an allergy written as a class, in French, or as a brand, and flags the medicine by ingredient', () => {
    for (const substance of ['Penicillin', 'pénicilline', 'PENICILLINES', 'Clamoxyl']) {
      const findings = check(['amoxicillin'], { allergies: allergic(substance) });
      expect([substance, findings.map((finding) => [finding.kind, finding.severity])]).toEqual([substance, [['allergy', 'high']]]);
    }
    // Amoxicillin inside a combination product is caught too.
    expect(check(['amoxicillin-clavulanate'], { allergies: allergic('penicillin') }).map((finding) => finding.kind)).toEqual(['allergy']);
  });

  it('warns of cross-reactivity (penicillin allergy, a cephalosporin) with the severity the knowledge base gives', () => {
    const [finding] = check(['ceftriaxone'], { allergies: allergic('penicillin') });
    expect(finding.kind).toBe('allergy');
    expect(finding.severity).not.toBe('high');
    expect(finding.messageEn).toMatch(/cross-react/);
    expect(finding.messageFr).toMatch(/réaction croisée/);
  });

  it('says so when an allergy cannot be read, and stays quiet for an unrelated one', () => {
    expect(check(['paracetamol'], { allergies: allergic('Latex') }).map((finding) => [finding.kind, finding.severity])).toEqual([
      ['unmatched_allergy', 'moderate'],
    ]);
    expect(check(['paracetamol'], { allergies: allergic('penicillin') })).toEqual([]);
  });
});

describe('interactions and duplicates', () => {
  it('finds warfarin with ibuprofen within a prescription and against an active one', () => {
    expect(check(['warfarin', 'ibuprofen']).find((finding) => finding.kind === 'interaction')).toMatchObject({
      severity: 'high',
      itemPositions: [1, 2],
    });
    expect(check(['ibuprofen'], {}, ['warfarin']).find((finding) => finding.kind === 'interaction')).toMatchObject({
      severity: 'high',
      itemPositions: [1],
    });
    expect(check(['metformin'], {}, ['warfarin']).filter((finding) => finding.kind === 'interaction')).toEqual([]);
  });

  it('finds two medicines of one therapeutic class', () => {
    expect(check(['ibuprofen', 'diclofenac']).find((finding) => finding.kind === 'duplicate_therapy')).toMatchObject({
      severity: 'moderate',
    });
  });
});

describe('the patient', () => {
  it('flags a contraindicated condition by ICD-10 prefix', () => {
    const findings = check(['ibuprofen'], { conditionCodes: ['K25.9'] });
    expect(findings.find((finding) => finding.kind === 'contraindication')).toBeDefined();
  });

  it('flags a medicine contraindicated in pregnancy, and asks when pregnancy is not recorded for a woman of childbearing age', () => {
    expect(check(['warfarin'], { pregnant: true }).find((finding) => finding.kind === 'pregnancy')).toMatchObject({ severity: 'high' });
    expect(check(['warfarin'], { pregnant: null, ofChildbearingAge: true }).find((finding) => finding.kind === 'pregnancy')).toMatchObject({
      severity: 'moderate',
    });
    expect(check(['warfarin'], { pregnant: false, ofChildbearingAge: true }).filter((finding) => finding.kind === 'pregnancy')).toEqual([]);
  });

  it('flags a medicine below its minimum age, and not above it', () => {
    expect(check(['doxycycline'], { ageMonths: 5 * 12 }).find((finding) => finding.kind === 'age')).toMatchObject({ severity: 'high' });
    expect(check(['doxycycline'], { ageMonths: 30 * 12 }).filter((finding) => finding.kind === 'age')).toEqual([]);
  });
});

describe('a gap in the knowledge', () => {
  it('throws instead of passing when a medicine has no ingredients or an unknown one', () => {
    const unknown: MedicineFacts = { ...medicine('paracetamol'), code: 'new-thing', ingredientCodes: [] };
    expect(() => runSafetyChecks({ items: [{ position: 1, medicine: unknown }], others: [], patient: adult, knowledge })).toThrow(
      ChecksUnavailable,
    );
    const strange: MedicineFacts = { ...medicine('paracetamol'), ingredientCodes: ['unobtainium'] };
    expect(() => runSafetyChecks({ items: [{ position: 1, medicine: strange }], others: [], patient: adult, knowledge })).toThrow(
      ChecksUnavailable,
    );
  });
});
