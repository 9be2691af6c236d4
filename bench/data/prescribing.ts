// What the generated doctors prescribe, from the starter catalogue: acute regimens by diagnosis
// (malaria first, then respiratory and gastro-intestinal infections, pain), with children's forms
// under 12, and each chronic condition's own regimen, chosen once per patient and renewed. Items
// name catalogue medicines by code (the loader maps codes to the ids the catalogue got in
// PostgreSQL); findings come from the module's own safety checks (runSafetyChecks).
import type { Catalogue } from '../../src/modules/prescriptions/knowledge/catalogue-schema.js';
import { interactionPairs } from '../../src/modules/prescriptions/knowledge/interaction-pairs.js';
import type { IngredientFacts, MedicineFacts } from '../../src/modules/prescriptions/medicine-knowledge.js';
import { runSafetyChecks, type ActiveMedicine, type Finding, type Knowledge } from '../../src/modules/prescriptions/safety-checks.js';
import type { Random } from '../lib/random.js';

/** [medicine code, strength, form, route, dose, dose unit, frequency, days]; quantity follows from them. */
export type Line = readonly [string, string, string, string, number, string, string, number];
/** Lines given together, with the chance that each optional one is added. */
interface Regimen {
  icd10: string;
  description: string;
  /** Share of acute prescriptions. */
  weight: number;
  /** One of these is the core (weighted). */
  adult: ReadonlyArray<readonly [Line[], number]>;
  child?: ReadonlyArray<readonly [Line[], number]>;
  /** Added with their chance (adults and children alike when given for both). */
  extras?: ReadonlyArray<readonly [Line, number, 'adult' | 'child' | 'any']>;
  /** Who it is for: women of 15 to 45, adults only. */
  who?: 'pregnant-age-women' | 'adult-women' | 'adults';
}

const PARACETAMOL: Line = ['paracetamol', '500 mg', 'tablet', 'oral', 2, 'tablet', 'TID', 3];
const PARACETAMOL_SYRUP: Line = ['paracetamol', '120 mg/5 mL', 'syrup', 'oral', 5, 'mL', 'QID', 3];

/** Outpatient diagnoses in Cameroonian clinics, roughly by how often they end in a prescription. */
export const ACUTE: readonly Regimen[] = [
  {
    icd10: 'B54',
    description: 'Malaria, unspecified',
    weight: 30,
    adult: [
      [[['artemether-lumefantrine', '20 mg/120 mg', 'tablet', 'oral', 4, 'tablet', 'BID', 3]], 60],
      [[['artesunate-amodiaquine', '100 mg/270 mg', 'tablet', 'oral', 2, 'tablet', 'QD', 3]], 25],
      [[['dihydroartemisinin-piperaquine', '40 mg/320 mg', 'tablet', 'oral', 3, 'tablet', 'QD', 3]], 15],
    ],
    child: [
      [[['artemether-lumefantrine', '20 mg/120 mg', 'dispersible tablet', 'oral', 2, 'tablet', 'BID', 3]], 70],
      [[['artesunate-amodiaquine', '50 mg/135 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 3]], 30],
    ],
    extras: [
      [PARACETAMOL, 0.8, 'adult'],
      [PARACETAMOL_SYRUP, 0.8, 'child'],
    ],
  },
  {
    icd10: 'B50.9',
    description: 'Plasmodium falciparum malaria, severe',
    weight: 2,
    adult: [
      [
        [
          ['artesunate-injection', '60 mg vial', 'powder for injection', 'iv', 2, 'vial', 'Q12H', 1],
          ['artemether-lumefantrine', '20 mg/120 mg', 'tablet', 'oral', 4, 'tablet', 'BID', 3],
        ],
        1,
      ],
    ],
    child: [[[['artesunate-injection', '60 mg vial', 'powder for injection', 'im', 1, 'vial', 'Q12H', 1]], 1]],
    extras: [[['paracetamol', '10 mg/mL infusion', 'solution for infusion', 'iv', 50, 'mL', 'Q6H', 1], 0.4, 'adult']],
  },
  {
    icd10: 'J06.9',
    description: 'Acute upper respiratory infection',
    weight: 14,
    adult: [
      [[['amoxicillin', '500 mg', 'capsule', 'oral', 1, 'capsule', 'TID', 7]], 50],
      [[['azithromycin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 3]], 20],
      [[PARACETAMOL], 30],
    ],
    child: [
      [[['amoxicillin', '250 mg/5 mL', 'powder for oral suspension', 'oral', 5, 'mL', 'TID', 7]], 60],
      [[PARACETAMOL_SYRUP], 40],
    ],
    extras: [
      [PARACETAMOL, 0.5, 'adult'],
      [['cetirizine', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 5], 0.3, 'adult'],
      [['chlorphenamine', '2 mg/5 mL', 'syrup', 'oral', 5, 'mL', 'BID', 5], 0.25, 'child'],
    ],
  },
  {
    icd10: 'J18.9',
    description: 'Pneumonia, unspecified organism',
    weight: 4,
    adult: [
      [[['amoxicillin-clavulanate', '1 g/125 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 7]], 60],
      [[['ceftriaxone', '1 g', 'powder for injection', 'im', 1, 'vial', 'QD', 5]], 25],
      [[['azithromycin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 3]], 15],
    ],
    child: [[[['amoxicillin', '250 mg/5 mL', 'powder for oral suspension', 'oral', 7.5, 'mL', 'TID', 5]], 1]],
    extras: [
      [PARACETAMOL, 0.6, 'adult'],
      [PARACETAMOL_SYRUP, 0.6, 'child'],
    ],
  },
  {
    icd10: 'A09',
    description: 'Gastroenteritis',
    weight: 9,
    adult: [
      [[['metronidazole', '500 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 5]], 45],
      [[['ciprofloxacin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 3]], 25],
      [[['oral-rehydration-salts', 'sachet for 1 litre (245 mOsm/L)', 'powder for oral solution', 'oral', 1, 'sachet', 'PRN', 3]], 30],
    ],
    child: [
      [
        [
          ['oral-rehydration-salts', 'sachet for 1 litre (245 mOsm/L)', 'powder for oral solution', 'oral', 1, 'sachet', 'PRN', 3],
          ['zinc-sulfate', '20 mg', 'dispersible tablet', 'oral', 1, 'tablet', 'QD', 10],
        ],
        1,
      ],
    ],
    extras: [
      [
        ['oral-rehydration-salts', 'sachet for 1 litre (245 mOsm/L)', 'powder for oral solution', 'oral', 1, 'sachet', 'PRN', 3],
        0.4,
        'adult',
      ],
      [['hyoscine-butylbromide', '10 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 3], 0.2, 'adult'],
    ],
  },
  {
    icd10: 'A01.0',
    description: 'Typhoid fever',
    weight: 5,
    adult: [
      [[['ciprofloxacin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 10]], 50],
      [[['cefixime', '200 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 10]], 35],
      [[['ceftriaxone', '1 g', 'powder for injection', 'iv', 2, 'vial', 'QD', 5]], 15],
    ],
    child: [[[['cefixime', '100 mg/5 mL', 'powder for oral suspension', 'oral', 5, 'mL', 'BID', 10]], 1]],
    extras: [
      [PARACETAMOL, 0.7, 'adult'],
      [PARACETAMOL_SYRUP, 0.7, 'child'],
    ],
  },
  {
    icd10: 'N39.0',
    description: 'Urinary tract infection',
    weight: 6,
    adult: [
      [[['nitrofurantoin', '100 mg', 'capsule', 'oral', 1, 'capsule', 'BID', 5]], 40],
      [[['ciprofloxacin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 3]], 35],
      [[['cefixime', '400 mg', 'capsule', 'oral', 1, 'capsule', 'QD', 5]], 25],
    ],
    child: [[[['cotrimoxazole', '200 mg/40 mg per 5 mL', 'oral suspension', 'oral', 5, 'mL', 'BID', 5]], 1]],
    extras: [[PARACETAMOL, 0.3, 'adult']],
  },
  {
    icd10: 'R51',
    description: 'Headache',
    weight: 5,
    adult: [
      [[['paracetamol', '1 g', 'tablet', 'oral', 1, 'tablet', 'TID', 3]], 60],
      [[['ibuprofen', '400 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 3]], 40],
    ],
    child: [[[PARACETAMOL_SYRUP], 1]],
  },
  {
    icd10: 'M54.5',
    description: 'Low back pain',
    weight: 4,
    who: 'adults',
    adult: [
      [[['diclofenac', '50 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 5]], 50],
      [[['ibuprofen', '400 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 5]], 40],
      [[['tramadol', '50 mg', 'capsule', 'oral', 1, 'capsule', 'BID', 3]], 10],
    ],
    extras: [
      [PARACETAMOL, 0.5, 'adult'],
      [['omeprazole', '20 mg', 'gastro-resistant capsule', 'oral', 1, 'capsule', 'QD', 5], 0.3, 'adult'],
    ],
  },
  {
    icd10: 'L30.9',
    description: 'Dermatitis',
    weight: 3,
    adult: [
      [[['cetirizine', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 7]], 70],
      [[['prednisolone', '20 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 5]], 30],
    ],
    child: [[[['cetirizine', '1 mg/mL', 'oral solution', 'oral', 5, 'mL', 'QD', 7]], 1]],
  },
  {
    icd10: 'K29.7',
    description: 'Gastritis',
    weight: 5,
    who: 'adults',
    adult: [
      [[['omeprazole', '20 mg', 'gastro-resistant capsule', 'oral', 1, 'capsule', 'QD', 28]], 70],
      [[['aluminium-magnesium-hydroxide', '400 mg/400 mg per tablet', 'chewable tablet', 'oral', 1, 'tablet', 'TID', 14]], 30],
    ],
    extras: [[['metoclopramide', '10 mg', 'tablet', 'oral', 1, 'tablet', 'TID', 3], 0.2, 'adult']],
  },
  {
    icd10: 'Z34.9',
    description: 'Supervision of normal pregnancy',
    weight: 5,
    who: 'pregnant-age-women',
    adult: [
      [[['ferrous-sulfate-folic-acid', '60 mg elemental iron + 0.4 mg folic acid', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 60],
      [
        [
          ['sulfadoxine-pyrimethamine', '500 mg/25 mg', 'tablet', 'oral', 3, 'tablet', 'STAT', 1],
          ['ferrous-sulfate-folic-acid', '60 mg elemental iron + 0.4 mg folic acid', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ],
        40,
      ],
    ],
  },
  {
    icd10: 'B82.9',
    description: 'Intestinal parasitism',
    weight: 4,
    adult: [
      [[['albendazole', '400 mg', 'chewable tablet', 'oral', 1, 'tablet', 'STAT', 1]], 60],
      [[['mebendazole', '100 mg', 'chewable tablet', 'oral', 1, 'tablet', 'BID', 3]], 40],
    ],
    child: [[[['albendazole', '200 mg/5 mL', 'oral suspension', 'oral', 10, 'mL', 'STAT', 1]], 1]],
  },
  {
    icd10: 'D64.9',
    description: 'Anaemia',
    weight: 2,
    adult: [
      [
        [
          ['ferrous-sulfate', '200 mg (about 65 mg elemental iron)', 'tablet', 'oral', 1, 'tablet', 'BID', 30],
          ['folic-acid', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ],
        1,
      ],
    ],
    child: [[[['folic-acid', '0.4 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 1]],
  },
  {
    icd10: 'B37.3',
    description: 'Vaginal candidiasis',
    weight: 2,
    who: 'adult-women',
    adult: [
      [[['clotrimazole-vaginal', '500 mg', 'vaginal tablet', 'vaginal', 1, 'tablet', 'STAT', 1]], 60],
      [[['fluconazole', '150 mg', 'capsule', 'oral', 1, 'capsule', 'STAT', 1]], 40],
    ],
  },
  {
    icd10: 'A15.0',
    description: 'Pulmonary tuberculosis',
    weight: 0.5,
    who: 'adults',
    adult: [
      [
        [
          ['rhze', '150 mg/75 mg/400 mg/275 mg', 'tablet', 'oral', 4, 'tablet', 'QD', 30],
          ['pyridoxine', '25 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ],
        1,
      ],
    ],
  },
];

/** Each chronic condition's regimens (indexed as CHRONIC_CONDITIONS in names.ts), adults only; empty: followed, not medicated here. */
export const CHRONIC: ReadonlyArray<ReadonlyArray<readonly [Line[], number]>> = [
  // Essential hypertension (I10)
  [
    [[['amlodipine', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 30],
    [[['amlodipine', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 10],
    [
      [
        ['amlodipine', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ['hydrochlorothiazide', '25 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
      ],
      15,
    ],
    [[['lisinopril', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 12],
    [
      [
        ['lisinopril', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ['amlodipine', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
      ],
      10,
    ],
    [[['enalapril', '10 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 8],
    [[['nifedipine', '20 mg', 'prolonged-release tablet', 'oral', 1, 'tablet', 'BID', 30]], 8],
    [[['losartan', '50 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 5],
    [[['atenolol', '50 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 2],
  ],
  // Type 2 diabetes (E11.9)
  [
    [[['metformin', '500 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30]], 25],
    [[['metformin', '850 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30]], 20],
    [
      [
        ['metformin', '850 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30],
        ['glibenclamide', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
      ],
      20,
    ],
    [
      [
        ['metformin', '1000 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30],
        ['gliclazide', '80 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30],
      ],
      15,
    ],
    [
      [
        ['insulin-nph', '100 IU/mL', 'suspension for injection', 'sc', 20, 'IU', 'QD', 30],
        ['metformin', '850 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30],
      ],
      10,
    ],
    [[['insulin-biphasic-30-70', '100 IU/mL', 'suspension for injection', 'sc', 16, 'IU', 'BID', 30]], 10],
  ],
  // Asthma (J45.9)
  [
    [[['salbutamol', '100 micrograms/dose', 'pressurised inhaler', 'inhaled', 2, 'puff', 'PRN', 30]], 50],
    [
      [
        ['salbutamol', '100 micrograms/dose', 'pressurised inhaler', 'inhaled', 2, 'puff', 'PRN', 30],
        ['beclometasone-inhaler', '100 micrograms/dose', 'pressurised inhaler', 'inhaled', 2, 'puff', 'BID', 30],
      ],
      50,
    ],
  ],
  // Sickle cell disease (D57.1)
  [
    [[['folic-acid', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 55],
    [
      [
        ['folic-acid', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ['hydroxycarbamide', '500 mg', 'capsule', 'oral', 1, 'capsule', 'QD', 30],
      ],
      45,
    ],
  ],
  // HIV disease (B24)
  [
    [[['tenofovir-lamivudine-dolutegravir', '300 mg/300 mg/50 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 40],
    [
      [
        ['tenofovir-lamivudine-dolutegravir', '300 mg/300 mg/50 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
        ['cotrimoxazole', '800 mg/160 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30],
      ],
      50,
    ],
    [[['tenofovir-lamivudine-efavirenz', '300 mg/300 mg/400 mg', 'tablet', 'oral', 1, 'tablet', 'QHS', 30]], 10],
  ],
  // Chronic hepatitis B (B18.1): the catalogue has no tenofovir alone; followed without a prescription here.
  [],
  // Chronic kidney disease (N18.9)
  [
    [[['furosemide', '40 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 50],
    [[['amlodipine', '5 mg', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 30],
    [[['ferrous-sulfate', '200 mg (about 65 mg elemental iron)', 'tablet', 'oral', 1, 'tablet', 'QD', 30]], 20],
  ],
  // Epilepsy (G40.9)
  [
    [[['carbamazepine', '200 mg', 'tablet', 'oral', 1, 'tablet', 'BID', 30]], 40],
    [[['sodium-valproate', '500 mg', 'gastro-resistant tablet', 'oral', 1, 'tablet', 'BID', 30]], 30],
    [[['phenobarbital', '100 mg', 'tablet', 'oral', 1, 'tablet', 'QHS', 30]], 30],
  ],
];

const PER_DAY: Record<string, number> = {
  QD: 1,
  BID: 2,
  TID: 3,
  QID: 4,
  Q4H: 6,
  Q6H: 4,
  Q8H: 3,
  Q12H: 2,
  QHS: 1,
  QW: 1 / 7,
  STAT: 1,
  PRN: 3,
};
/** Units dispensed one by one; anything else (mL, IU, puffs) is dispensed as bottles, vials or inhalers. */
const COUNTED = new Set(['tablet', 'capsule', 'sachet', 'vial']);
/** How much a bottle, vial or inhaler holds, in the dose's unit. */
const PACK: Record<string, number> = { mL: 100, IU: 1000, puff: 200 };

const INSTRUCTIONS = {
  fr: ['À prendre après les repas.', 'À prendre avec un grand verre d’eau.', 'Terminer le traitement même en cas d’amélioration.'],
  en: ['Take after meals.', 'Take with a full glass of water.', 'Finish the course even if you feel better.'],
};

export interface ItemModel {
  code: string;
  strength: string;
  form: string;
  route: string;
  dose: number;
  unit: string;
  frequency: string;
  days: number;
  quantity: number;
  refills: number;
  substitution: boolean;
  instructions: string | null;
}

/** The catalogue as the checks read it (medicine ids are codes here), and the lines checked against it. */
export class Prescribing {
  readonly medicines: ReadonlyMap<string, MedicineFacts>;
  private readonly ingredients: ReadonlyMap<string, IngredientFacts>;
  private readonly allergyClasses: Knowledge['allergyClasses'];
  private readonly interactionsOf = new Map<string, Knowledge['interactions'][number][]>();

  constructor(catalogue: Catalogue) {
    this.medicines = new Map(
      catalogue.medicines.map((m) => [
        m.code,
        {
          id: m.code,
          code: m.code,
          genericName: m.genericName,
          brandNames: m.brandNames,
          forms: m.forms,
          strengths: m.strengths,
          routes: m.routes,
          ingredientCodes: m.ingredients,
          contraindications: m.contraindications,
          pregnancyRisk: m.pregnancy,
          lactationRisk: m.lactation,
          minAgeMonths: m.minAgeMonths,
          maxAgeYears: m.maxAgeYears,
          controlled: m.controlled,
          active: true,
        },
      ]),
    );
    this.ingredients = new Map(catalogue.ingredients.map((ingredient) => [ingredient.code, ingredient]));
    this.allergyClasses = new Map(
      catalogue.allergyClasses.map((c) => [
        c.code,
        { code: c.code, nameEn: c.name.en, nameFr: c.name.fr, synonyms: c.synonyms, crossReactsWith: c.crossReactsWith },
      ]),
    );
    for (const pair of interactionPairs(catalogue))
      for (const code of [pair.ingredientA, pair.ingredientB])
        this.interactionsOf.set(code, [...(this.interactionsOf.get(code) ?? []), pair]);
    const lines = [
      ...ACUTE.flatMap((r) => [...r.adult, ...(r.child ?? [])].flatMap(([group]) => group).concat((r.extras ?? []).map(([line]) => line))),
      ...CHRONIC.flatMap((options) => options.flatMap(([group]) => group)),
    ];
    for (const [code, strength, form, route] of lines) {
      const medicine = this.medicines.get(code);
      if (!medicine || !medicine.strengths.includes(strength) || !medicine.forms.includes(form) || !medicine.routes.includes(route))
        throw new Error(`bench prescribing: ${code} ${strength} ${form} ${route} is not in the starter catalogue`);
    }
  }

  /** A prescription item from a line, as a doctor writes it for a patient speaking `language`. */
  item(
    random: Random,
    [code, strength, form, route, dose, unit, frequency, days]: Line,
    chronic: boolean,
    language: 'fr' | 'en',
  ): ItemModel {
    const medicine = this.medicines.get(code)!;
    const units = dose * PER_DAY[frequency] * (frequency === 'STAT' ? 1 : days);
    const quantity = COUNTED.has(unit) ? Math.ceil(units) : Math.max(1, Math.ceil(units / (PACK[unit] ?? 100)));
    return {
      code,
      strength,
      form,
      route,
      dose,
      unit,
      frequency,
      days,
      quantity,
      refills:
        chronic && !medicine.controlled
          ? random.weighted([
              [0, 50],
              [1, 30],
              [2, 20],
            ])
          : 0,
      substitution: random.chance(0.9),
      instructions: random.chance(0.55) ? random.pick(INSTRUCTIONS[language]) : null,
    };
  }

  /** The module's safety checks over items (by position from 1) and the patient's medicines in force. */
  check(
    items: readonly ItemModel[],
    others: ReadonlyArray<{ number: string; code: string }>,
    patient: { ageMonths: number; conditionCodes: string[]; female: boolean },
  ): Finding[] {
    const checked = items.map((item, index) => ({ position: index + 1, medicine: this.medicines.get(item.code)! }));
    const active: ActiveMedicine[] = others.map((other) => ({
      prescriptionNumber: other.number,
      medicine: this.medicines.get(other.code)!,
    }));
    const involved = new Set([...checked, ...active].flatMap(({ medicine }) => medicine.ingredientCodes));
    const interactions = [...new Set([...involved].flatMap((code) => this.interactionsOf.get(code) ?? []))].filter(
      (pair) => involved.has(pair.ingredientA) && involved.has(pair.ingredientB),
    );
    return runSafetyChecks({
      items: checked,
      others: active,
      // The records' allergies are drawn when MongoDB is loaded, after this: the checks see none; no pregnancy
      // status is recorded in the generated records either (unknown, as the API reads them).
      patient: {
        ageMonths: patient.ageMonths,
        allergies: [],
        conditionCodes: patient.conditionCodes,
        pregnant: null,
        breastfeeding: null,
        ofChildbearingAge: patient.female && patient.ageMonths >= 144 && patient.ageMonths < 612,
      },
      knowledge: { ingredients: this.ingredients, allergyClasses: this.allergyClasses, interactions },
    });
  }
}
