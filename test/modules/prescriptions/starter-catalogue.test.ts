// The bundled starter medicine knowledge base: it must parse against the catalogue schema, be
// internally consistent, cover the medicines Cameroonian clinics prescribe every day, and carry a
// few clinical facts that the safety checks depend on (spot checks that fail if the data is wrong).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type Catalogue,
  type CatalogueInteraction,
  catalogueProblems,
  catalogueSchema,
} from '../../../src/modules/prescriptions/knowledge/catalogue-schema.js';

const raw: unknown = JSON.parse(
  readFileSync(new URL('../../../src/modules/prescriptions/knowledge/starter-catalogue.json', import.meta.url), 'utf8'),
);
const catalogue: Catalogue = catalogueSchema.parse(raw);

const medicine = (code: string) => {
  const found = catalogue.medicines.find((entry) => entry.code === code);
  if (!found) throw new Error(`medicine '${code}' is missing`);
  return found;
};
const ingredient = (code: string) => {
  const found = catalogue.ingredients.find((entry) => entry.code === code);
  if (!found) throw new Error(`ingredient '${code}' is missing`);
  return found;
};
const allergyClass = (code: string) => {
  const found = catalogue.allergyClasses.find((entry) => entry.code === code);
  if (!found) throw new Error(`allergy class '${code}' is missing`);
  return found;
};

/** Whether one side of an interaction ("ingredient" or "class:<therapeutic class>") covers an ingredient. */
const covers = (side: string, ingredientCode: string) =>
  side.startsWith('class:') ? ingredient(ingredientCode).therapeuticClasses.includes(side.slice(6)) : side === ingredientCode;
/** The interactions listed between two ingredients, directly or through their therapeutic classes. */
const interactionsBetween = (x: string, y: string): CatalogueInteraction[] =>
  catalogue.interactions.filter((entry) => (covers(entry.a, x) && covers(entry.b, y)) || (covers(entry.a, y) && covers(entry.b, x)));
const severityBetween = (x: string, y: string) => interactionsBetween(x, y).map((entry) => entry.severity);

describe('starter medicine catalogue', () => {
  it('parses against the catalogue schema and has no consistency problems', () => {
    expect(catalogueSchema.safeParse(raw).success).toBe(true);
    expect(catalogueProblems(catalogue)).toEqual([]);
  });

  it('says what it is: a versioned starter set for pharmacist review, not a licensed database', () => {
    expect(catalogue.version).toBe('starter-2026.12-1');
    expect(catalogue.notice).toMatch(/STARTER SET/);
    expect(catalogue.notice).toMatch(/not a licensed drug database/i);
    expect(catalogue.notice).toMatch(/pharmacist/i);
    expect(catalogue.notice).toMatch(/miss interactions/i);
  });

  it('holds at least 80 medicines and 40 interactions, each with a source', () => {
    expect(catalogue.medicines.length).toBeGreaterThanOrEqual(80);
    expect(catalogue.interactions.length).toBeGreaterThanOrEqual(40);
    for (const entry of [...catalogue.medicines, ...catalogue.interactions, ...catalogue.allergyClasses])
      expect(entry.source.trim().length).toBeGreaterThanOrEqual(8);
  });

  it('uses level-5 ATC codes except where WHO defines none (oral rehydration salts)', () => {
    const notLevel5 = catalogue.medicines.filter((entry) => entry.atcCode.length !== 7).map((entry) => entry.code);
    expect(notLevel5).toEqual(['oral-rehydration-salts']);
  });

  it.each([
    ['antimalarials', 'P01B', 7],
    ['antibacterials', 'J01', 18],
    ['antihypertensives and diuretics', 'C0', 12],
    ['antidiabetics', 'A10', 7],
    ['analgesics and NSAIDs', 'N02', 5],
    ['NSAIDs', 'M01A', 2],
    ['antiretrovirals', 'J05A', 7],
    ['tuberculosis medicines', 'J04A', 6],
    ['anticoagulants and antiplatelets', 'B01', 6],
    ['antifungals', 'J02', 2],
    ['systemic corticosteroids', 'H02', 3],
    ['anthelminthics', 'P02', 3],
    ['antiepileptics', 'N03', 4],
    ['antipsychotics and anxiolytics', 'N05', 3],
    ['antidepressants', 'N06', 2],
  ])('covers %s (ATC %s)', (_group, prefix, atLeast) => {
    expect(catalogue.medicines.filter((entry) => entry.atcCode.startsWith(prefix)).length).toBeGreaterThanOrEqual(atLeast);
  });

  it.each([
    'artemether-lumefantrine',
    'artesunate-injection',
    'artesunate-amodiaquine',
    'dihydroartemisinin-piperaquine',
    'quinine',
    'sulfadoxine-pyrimethamine',
    'primaquine',
    'amoxicillin',
    'amoxicillin-clavulanate',
    'benzathine-benzylpenicillin',
    'ceftriaxone',
    'ciprofloxacin',
    'cotrimoxazole',
    'gentamicin',
    'metformin',
    'glibenclamide',
    'insulin-nph',
    'paracetamol',
    'ibuprofen',
    'tenofovir-lamivudine-dolutegravir',
    'rhze',
    'warfarin',
    'enoxaparin',
    'oral-rehydration-salts',
    'oxytocin',
    'magnesium-sulfate',
  ])('lists the everyday medicine %s', (code) => {
    expect(medicine(code).ingredients.length).toBeGreaterThan(0);
  });

  it('knows the common brand names', () => {
    expect(medicine('artemether-lumefantrine').brandNames).toContain('Coartem');
    expect(medicine('amoxicillin-clavulanate').brandNames).toContain('Augmentin');
    expect(medicine('paracetamol').brandNames).toEqual(expect.arrayContaining(['Doliprane', 'Efferalgan']));
    expect(medicine('ceftriaxone').brandNames).toContain('Rocéphine');
    expect(medicine('metronidazole').brandNames).toContain('Flagyl');
    expect(medicine('cotrimoxazole').brandNames).toContain('Bactrim');
    expect(medicine('metformin').brandNames).toContain('Glucophage');
    expect(medicine('enoxaparin').brandNames).toContain('Lovenox');
  });

  describe('allergies', () => {
    it('puts amoxicillin, alone and with clavulanate, in the penicillins class', () => {
      for (const code of ['amoxicillin', 'amoxicillin-clavulanate'])
        expect(medicine(code).ingredients.some((entry) => ingredient(entry).allergyClasses.includes('penicillins'))).toBe(true);
    });

    it('records penicillin-cephalosporin cross-reactivity both ways, with a note', () => {
      const toCephalosporins = allergyClass('penicillins').crossReactsWith.find((entry) => entry.class === 'cephalosporins');
      expect(toCephalosporins?.severity).toMatch(/^(moderate|low)$/);
      expect(toCephalosporins?.note.fr.length).toBeGreaterThan(10);
      expect(allergyClass('cephalosporins').crossReactsWith.map((entry) => entry.class)).toContain('penicillins');
      expect(ingredient('ceftriaxone').allergyClasses).toContain('cephalosporins');
    });

    it('treats aspirin and the other NSAIDs as cross-reacting', () => {
      expect(ingredient('acetylsalicylic-acid').allergyClasses).toEqual(expect.arrayContaining(['salicylates', 'nsaids']));
      expect(ingredient('ibuprofen').allergyClasses).toContain('nsaids');
      expect(allergyClass('nsaids').crossReactsWith.map((entry) => entry.class)).toContain('salicylates');
    });

    it('puts both sulfonamide antibacterials (cotrimoxazole and SP) in the sulfonamides class', () => {
      for (const code of ['cotrimoxazole', 'sulfadoxine-pyrimethamine'])
        expect(medicine(code).ingredients.some((entry) => ingredient(entry).allergyClasses.includes('sulfonamides'))).toBe(true);
      expect(ingredient('furosemide').allergyClasses).not.toContain('sulfonamides');
    });

    it('matches allergies recorded in English or French', () => {
      expect(allergyClass('penicillins').synonyms).toEqual(expect.arrayContaining(['penicillin', 'pénicilline']));
      expect(allergyClass('sulfonamides').synonyms).toEqual(expect.arrayContaining(['sulfa', 'sulfamides']));
      expect(allergyClass('nsaids').synonyms).toEqual(expect.arrayContaining(['NSAID', 'AINS']));
      expect(allergyClass('salicylates').synonyms).toContain('aspirine');
    });
  });

  describe('interactions', () => {
    it('flags warfarin with ibuprofen and with low-dose aspirin as major', () => {
      expect(severityBetween('warfarin', 'ibuprofen')).toContain('major');
      expect(severityBetween('warfarin', 'acetylsalicylic-acid')).toContain('major');
    });

    it.each(['metronidazole', 'sulfamethoxazole', 'fluconazole', 'ciprofloxacin', 'rifampicin'])(
      'flags warfarin with %s as major',
      (other) => {
        expect(severityBetween('warfarin', other)).toContain('major');
      },
    );

    it('covers the other vitamin K antagonists through their class', () => {
      expect(severityBetween('acenocoumarol', 'diclofenac')).toContain('major');
    });

    it('flags the rifampicin interactions of HIV and contraceptive medicines', () => {
      expect(severityBetween('rifampicin', 'dolutegravir')).toContain('major');
      expect(severityBetween('rifampicin', 'nevirapine')).toContain('contraindicated');
      expect(severityBetween('rifampicin', 'lopinavir')).toContain('contraindicated');
      expect(severityBetween('rifampicin', 'ethinylestradiol')).toContain('major');
    });

    it('flags simvastatin with clarithromycin, ketoconazole and boosted protease inhibitors as contraindicated', () => {
      for (const other of ['clarithromycin', 'ketoconazole', 'ritonavir'])
        expect(severityBetween('simvastatin', other)).toContain('contraindicated');
    });

    it('flags hyperkalaemia with an ACE inhibitor and spironolactone', () => {
      expect(severityBetween('enalapril', 'spironolactone')).toContain('major');
      expect(severityBetween('lisinopril', 'ibuprofen')).toContain('moderate');
    });

    it('flags QT and enzyme-induction risks of artemether-lumefantrine', () => {
      expect(interactionsBetween('lumefantrine', 'efavirenz')).toHaveLength(1);
      expect(severityBetween('lumefantrine', 'carbamazepine')).toContain('contraindicated');
      expect(severityBetween('lumefantrine', 'azithromycin')).toContain('major');
    });

    it('flags opioids with benzodiazepines and tramadol with serotonergic antidepressants', () => {
      expect(severityBetween('morphine', 'diazepam')).toContain('major');
      expect(severityBetween('tramadol', 'fluoxetine')).toContain('major');
      expect(severityBetween('tramadol', 'amitriptyline')).toContain('major');
    });

    it('does not give SP for IPTp to women taking cotrimoxazole', () => {
      expect(severityBetween('sulfadoxine', 'sulfamethoxazole')).toContain('contraindicated');
    });

    it('explains every interaction in English and French', () => {
      for (const entry of catalogue.interactions) {
        expect(entry.explanation.en).not.toBe(entry.explanation.fr);
        expect(entry.a).not.toBe(entry.b);
      }
    });
  });

  describe('contraindications, ages, pregnancy and control', () => {
    const contraindicated = (code: string, icd10: string) =>
      medicine(code).contraindications.filter((entry) => entry.icd10.some((prefix) => icd10.startsWith(prefix)));

    it('records the key condition contraindications', () => {
      expect(contraindicated('ibuprofen', 'K25.4').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('ibuprofen', 'N18.3').length).toBeGreaterThan(0);
      expect(contraindicated('metformin', 'N18.5').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('enalapril', 'T78.3').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('atenolol', 'J45.9').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('methyldopa', 'K72.9').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('ciprofloxacin', 'G70.0').map((entry) => entry.severity)).toContain('high');
      expect(contraindicated('primaquine', 'D55.0').map((entry) => entry.severity)).toContain('high');
    });

    it('records the label age limits', () => {
      expect(medicine('doxycycline').minAgeMonths).toBe(96);
      expect(medicine('aspirin').minAgeMonths).toBe(192);
      expect(medicine('tramadol').minAgeMonths).toBe(144);
      expect(medicine('paracetamol-codeine').minAgeMonths).toBe(144);
      expect(medicine('ciprofloxacin').minAgeMonths).toBe(216);
      expect(medicine('artemether-lumefantrine').minAgeMonths).toBe(0);
      expect(medicine('primaquine').minAgeMonths).toBe(6);
      expect(medicine('promethazine').minAgeMonths).toBe(24);
      expect(medicine('amoxicillin').maxAgeYears).toBeNull();
    });

    it('records pregnancy and breastfeeding risks', () => {
      for (const code of ['warfarin', 'lisinopril', 'losartan', 'doxycycline', 'simvastatin', 'sodium-valproate', 'primaquine'])
        expect(medicine(code).pregnancy).toBe('contraindicated');
      for (const code of ['methyldopa', 'artesunate-injection', 'amoxicillin', 'tenofovir-lamivudine-dolutegravir'])
        expect(medicine(code).pregnancy).toBe('compatible');
      expect(medicine('paracetamol-codeine').lactation).toBe('contraindicated');
    });

    it('marks controlled medicines', () => {
      for (const code of ['morphine', 'tramadol', 'paracetamol-codeine', 'diazepam', 'phenobarbital'])
        expect(medicine(code).controlled).toBe(true);
      expect(medicine('paracetamol').controlled).toBe(false);
      expect(medicine('paracetamol').prescriptionOnly).toBe(false);
    });
  });
});
