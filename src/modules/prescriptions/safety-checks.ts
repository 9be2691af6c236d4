// The prescribing safety checks, as a pure function of what is known: the patient's facts, the
// prescription's medicines, the patient's other active medicines and the knowledge base. Each
// finding is a FHIR DetectedIssue in spirit: a kind, a severity, the items implicated and a message
// in both languages. A gap in the knowledge (a medicine without an entry) is not a pass: it throws.
import type { AllergyClassFacts, IngredientFacts, InteractionFacts, MedicineFacts } from './medicine-knowledge.js';

export type FindingKind =
  'allergy' | 'interaction' | 'duplicate_therapy' | 'contraindication' | 'pregnancy' | 'lactation' | 'age' | 'unmatched_allergy';
export type FindingSeverity = 'high' | 'moderate' | 'low';

export interface Finding {
  /** The same finding across re-checks (kind, what is implicated): an override or acknowledgement holds while it does. */
  fingerprint: string;
  kind: FindingKind;
  severity: FindingSeverity;
  /** Positions of the prescription's items implicated (empty when none is, e.g. an allergy the catalogue cannot read). */
  itemPositions: number[];
  messageEn: string;
  messageFr: string;
}

/** A recorded allergy with what the knowledge base recognised in it. */
export interface ResolvedAllergy {
  substance: string;
  ingredients: readonly string[];
  classes: readonly string[];
}

export interface PatientFacts {
  /** Age in whole months on the day of the check; null when the date of birth is not known. */
  ageMonths: number | null;
  allergies: readonly ResolvedAllergy[];
  /** ICD-10 codes of the conditions in force and of the prescription's diagnoses. */
  conditionCodes: readonly string[];
  pregnant: boolean | null;
  breastfeeding: boolean | null;
  /** Whether the patient could be pregnant when nothing is recorded (female, 12 to 50 years). */
  ofChildbearingAge: boolean;
}

export interface CheckedItem {
  position: number;
  medicine: MedicineFacts;
}

/** A medicine of another active prescription of the patient. */
export interface ActiveMedicine {
  prescriptionNumber: string;
  medicine: MedicineFacts;
}

export interface Knowledge {
  ingredients: ReadonlyMap<string, IngredientFacts>;
  allergyClasses: ReadonlyMap<string, AllergyClassFacts>;
  /** The interactions among the ingredients involved (either order). */
  interactions: readonly InteractionFacts[];
}

/** The checks could not run: nothing may be signed on their silence. */
export class ChecksUnavailable extends Error {
  constructor(
    readonly reason: 'knowledge' | 'record',
    message: string,
  ) {
    super(message);
  }
}

const INTERACTION_SEVERITY: Record<InteractionFacts['severity'], FindingSeverity> = {
  contraindicated: 'high',
  major: 'high',
  moderate: 'moderate',
  minor: 'low',
};

const PREGNANCY: Partial<Record<MedicineFacts['pregnancyRisk'], { severity: FindingSeverity; en: string; fr: string }>> = {
  contraindicated: { severity: 'high', en: 'is contraindicated in pregnancy', fr: 'est contre-indiqué pendant la grossesse' },
  avoid: { severity: 'moderate', en: 'should be avoided in pregnancy', fr: 'est à éviter pendant la grossesse' },
  caution: { severity: 'low', en: 'needs caution in pregnancy', fr: 'demande de la prudence pendant la grossesse' },
};
const LACTATION: Partial<Record<MedicineFacts['lactationRisk'], { severity: FindingSeverity; en: string; fr: string }>> = {
  contraindicated: { severity: 'high', en: 'is contraindicated while breastfeeding', fr: "est contre-indiqué pendant l'allaitement" },
  avoid: { severity: 'moderate', en: 'should be avoided while breastfeeding', fr: "est à éviter pendant l'allaitement" },
  caution: { severity: 'low', en: 'needs caution while breastfeeding', fr: "demande de la prudence pendant l'allaitement" },
};

const RANK: Record<FindingSeverity, number> = { high: 0, moderate: 1, low: 2 };

/** Runs every check; findings most severe first. Throws ChecksUnavailable when an item's medicine has no knowledge entry. */
export function runSafetyChecks(input: {
  items: readonly CheckedItem[];
  others: readonly ActiveMedicine[];
  patient: PatientFacts;
  knowledge: Knowledge;
}): Finding[] {
  const { items, others, patient, knowledge } = input;
  for (const { medicine } of [...items, ...others]) {
    const unknown = medicine.ingredientCodes.length === 0 || medicine.ingredientCodes.some((code) => !knowledge.ingredients.has(code));
    if (unknown) throw new ChecksUnavailable('knowledge', `the knowledge base has no complete entry for ${medicine.genericName}`);
  }
  const found = new Map<string, Finding>();
  const add = (finding: Finding) => {
    const earlier = found.get(finding.fingerprint);
    if (!earlier || RANK[finding.severity] < RANK[earlier.severity]) found.set(finding.fingerprint, finding);
  };
  allergyFindings(items, patient, knowledge).forEach(add);
  interactionFindings(items, others, knowledge).forEach(add);
  duplicateFindings(items, others, knowledge).forEach(add);
  for (const item of items) {
    contraindicationFindings(item, patient).forEach(add);
    reproductiveFindings(item, patient).forEach(add);
    ageFindings(item, patient).forEach(add);
  }
  return [...found.values()].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.fingerprint.localeCompare(b.fingerprint));
}

const classesOf = (medicine: MedicineFacts, knowledge: Knowledge, kind: 'allergyClasses' | 'therapeuticClasses') =>
  new Set(medicine.ingredientCodes.flatMap((code) => knowledge.ingredients.get(code)?.[kind] ?? []));

function allergyFindings(items: readonly CheckedItem[], patient: PatientFacts, knowledge: Knowledge): Finding[] {
  const findings: Finding[] = [];
  for (const allergy of patient.allergies) {
    if (allergy.ingredients.length === 0 && allergy.classes.length === 0) {
      findings.push({
        fingerprint: `unmatched_allergy:${fold(allergy.substance).slice(0, 120)}`,
        kind: 'unmatched_allergy',
        severity: 'moderate',
        itemPositions: [],
        messageEn: `The recorded allergy "${allergy.substance}" is not in the knowledge base: check it against this prescription yourself.`,
        messageFr: `L'allergie enregistrée « ${allergy.substance} » est inconnue de la base : vérifiez-la vous-même pour cette ordonnance.`,
      });
      continue;
    }
    // The allergy's own classes: those named, and those of the ingredients named.
    const allergyClasses = new Set([
      ...allergy.classes,
      ...allergy.ingredients.flatMap((code) => knowledge.ingredients.get(code)?.allergyClasses ?? []),
    ]);
    for (const item of items) {
      const itemClasses = classesOf(item.medicine, knowledge, 'allergyClasses');
      const sameIngredient = item.medicine.ingredientCodes.find((code) => allergy.ingredients.includes(code));
      const sameClass = [...itemClasses].find((code) => allergyClasses.has(code));
      const name = item.medicine.genericName;
      if (sameIngredient || sameClass) {
        const ingredientName = sameIngredient ? knowledge.ingredients.get(sameIngredient)!.name : undefined;
        const what = ingredientName ? { en: ingredientName, fr: ingredientName } : classLabel(knowledge, sameClass!);
        findings.push({
          fingerprint: `allergy:${sameIngredient ?? sameClass}:${item.medicine.code}`,
          kind: 'allergy',
          severity: 'high',
          itemPositions: [item.position],
          messageEn: `${name} contains ${what.en}, to which the patient has a recorded allergy ("${allergy.substance}").`,
          messageFr: `${name} contient ${what.fr} : le patient a une allergie enregistrée à ce produit (« ${allergy.substance} »).`,
        });
        continue;
      }
      for (const allergyClass of allergyClasses) {
        const cross = knowledge.allergyClasses.get(allergyClass)?.crossReactsWith.find((entry) => itemClasses.has(entry.class));
        if (!cross) continue;
        findings.push({
          fingerprint: `allergy:${allergyClass}>${cross.class}:${item.medicine.code}`,
          kind: 'allergy',
          severity: cross.severity,
          itemPositions: [item.position],
          messageEn: `${name} (${classLabel(knowledge, cross.class).en}) may cross-react with the recorded allergy "${allergy.substance}": ${cross.note.en}`,
          messageFr: `${name} (${classLabel(knowledge, cross.class).fr}) peut donner une réaction croisée avec l'allergie enregistrée « ${allergy.substance} » : ${cross.note.fr}`,
        });
        break;
      }
    }
  }
  return findings;
}

function classLabel(knowledge: Knowledge, code: string): { en: string; fr: string } {
  const known = knowledge.allergyClasses.get(code);
  return known ? { en: known.nameEn, fr: known.nameFr } : { en: code, fr: code };
}

/** The interaction between two medicines, if any (the most severe among their ingredients). */
function interactionBetween(a: MedicineFacts, b: MedicineFacts, knowledge: Knowledge): InteractionFacts | undefined {
  let worst: InteractionFacts | undefined;
  for (const interaction of knowledge.interactions) {
    const pairs =
      (a.ingredientCodes.includes(interaction.ingredientA) && b.ingredientCodes.includes(interaction.ingredientB)) ||
      (a.ingredientCodes.includes(interaction.ingredientB) && b.ingredientCodes.includes(interaction.ingredientA));
    if (pairs && (!worst || RANK[INTERACTION_SEVERITY[interaction.severity]] < RANK[INTERACTION_SEVERITY[worst.severity]]))
      worst = interaction;
  }
  return worst;
}

function interactionFindings(items: readonly CheckedItem[], others: readonly ActiveMedicine[], knowledge: Knowledge): Finding[] {
  const findings: Finding[] = [];
  const label = (severity: InteractionFacts['severity']) =>
    ({
      contraindicated: { en: 'contraindicated combination', fr: 'association contre-indiquée' },
      major: { en: 'major interaction', fr: 'interaction majeure' },
      moderate: { en: 'moderate interaction', fr: 'interaction modérée' },
      minor: { en: 'minor interaction', fr: 'interaction mineure' },
    })[severity];
  items.forEach((item, index) => {
    for (const other of items.slice(index + 1)) {
      const interaction = interactionBetween(item.medicine, other.medicine, knowledge);
      if (!interaction) continue;
      const pair = [item.medicine.code, other.medicine.code].sort().join('+');
      findings.push({
        fingerprint: `interaction:${pair}`,
        kind: 'interaction',
        severity: INTERACTION_SEVERITY[interaction.severity],
        itemPositions: [item.position, other.position].sort((a, b) => a - b),
        messageEn: `${item.medicine.genericName} and ${other.medicine.genericName}: ${label(interaction.severity).en}. ${interaction.explanationEn}`,
        messageFr: `${item.medicine.genericName} et ${other.medicine.genericName} : ${label(interaction.severity).fr}. ${interaction.explanationFr}`,
      });
    }
    for (const other of others) {
      const interaction = interactionBetween(item.medicine, other.medicine, knowledge);
      if (!interaction) continue;
      findings.push({
        fingerprint: `interaction:${item.medicine.code}+active:${other.medicine.code}`,
        kind: 'interaction',
        severity: INTERACTION_SEVERITY[interaction.severity],
        itemPositions: [item.position],
        messageEn: `${item.medicine.genericName} and ${other.medicine.genericName} (active prescription ${other.prescriptionNumber}): ${label(interaction.severity).en}. ${interaction.explanationEn}`,
        messageFr: `${item.medicine.genericName} et ${other.medicine.genericName} (ordonnance active ${other.prescriptionNumber}) : ${label(interaction.severity).fr}. ${interaction.explanationFr}`,
      });
    }
  });
  return findings;
}

function duplicateFindings(items: readonly CheckedItem[], others: readonly ActiveMedicine[], knowledge: Knowledge): Finding[] {
  const findings: Finding[] = [];
  const shared = (a: MedicineFacts, b: MedicineFacts) => {
    if (a.code === b.code) return 'the same medicine';
    const classes = classesOf(b, knowledge, 'therapeuticClasses');
    return [...classesOf(a, knowledge, 'therapeuticClasses')].find((code) => classes.has(code));
  };
  items.forEach((item, index) => {
    for (const other of items.slice(index + 1)) {
      const common = shared(item.medicine, other.medicine);
      if (!common) continue;
      const pair = [item.medicine.code, other.medicine.code].sort().join('+');
      findings.push({
        fingerprint: `duplicate_therapy:${pair}`,
        kind: 'duplicate_therapy',
        severity: 'moderate',
        itemPositions: [item.position, other.position].sort((a, b) => a - b),
        messageEn: `${item.medicine.genericName} and ${other.medicine.genericName} duplicate one therapy (${common}).`,
        messageFr: `${item.medicine.genericName} et ${other.medicine.genericName} font double emploi (${common === 'the same medicine' ? 'même médicament' : common}).`,
      });
    }
    for (const other of others) {
      const common = shared(item.medicine, other.medicine);
      if (!common) continue;
      findings.push({
        fingerprint: `duplicate_therapy:${item.medicine.code}+active:${other.medicine.code}`,
        kind: 'duplicate_therapy',
        severity: 'moderate',
        itemPositions: [item.position],
        messageEn: `${item.medicine.genericName} duplicates ${other.medicine.genericName} of active prescription ${other.prescriptionNumber} (${common}).`,
        messageFr: `${item.medicine.genericName} fait double emploi avec ${other.medicine.genericName} de l'ordonnance active ${other.prescriptionNumber} (${common === 'the same medicine' ? 'même médicament' : common}).`,
      });
    }
  });
  return findings;
}

function contraindicationFindings(item: CheckedItem, patient: PatientFacts): Finding[] {
  const findings: Finding[] = [];
  for (const contraindication of item.medicine.contraindications) {
    const code = patient.conditionCodes.find((condition) =>
      contraindication.icd10.some((prefix) => condition.toUpperCase().startsWith(prefix)),
    );
    if (!code) continue;
    findings.push({
      fingerprint: `contraindication:${contraindication.icd10.join('|')}:${item.medicine.code}`,
      kind: 'contraindication',
      severity: contraindication.severity,
      itemPositions: [item.position],
      messageEn: `${item.medicine.genericName} with the patient's condition ${code}: ${contraindication.reason.en}`,
      messageFr: `${item.medicine.genericName} avec l'affection ${code} du patient : ${contraindication.reason.fr}`,
    });
  }
  return findings;
}

function reproductiveFindings(item: CheckedItem, patient: PatientFacts): Finding[] {
  const findings: Finding[] = [];
  const { medicine } = item;
  const pregnancy = PREGNANCY[medicine.pregnancyRisk];
  if (patient.pregnant && pregnancy) {
    findings.push({
      fingerprint: `pregnancy:${medicine.code}`,
      kind: 'pregnancy',
      severity: pregnancy.severity,
      itemPositions: [item.position],
      messageEn: `The patient is pregnant: ${medicine.genericName} ${pregnancy.en}.`,
      messageFr: `La patiente est enceinte : ${medicine.genericName} ${pregnancy.fr}.`,
    });
  } else if (patient.pregnant === null && patient.ofChildbearingAge && medicine.pregnancyRisk === 'contraindicated') {
    findings.push({
      fingerprint: `pregnancy-unknown:${medicine.code}`,
      kind: 'pregnancy',
      severity: 'moderate',
      itemPositions: [item.position],
      messageEn: `${medicine.genericName} is contraindicated in pregnancy and no pregnancy status is recorded: confirm the patient is not pregnant.`,
      messageFr: `${medicine.genericName} est contre-indiqué pendant la grossesse et aucun statut de grossesse n'est enregistré : confirmez que la patiente n'est pas enceinte.`,
    });
  }
  const lactation = LACTATION[medicine.lactationRisk];
  if (patient.breastfeeding && lactation) {
    findings.push({
      fingerprint: `lactation:${medicine.code}`,
      kind: 'lactation',
      severity: lactation.severity,
      itemPositions: [item.position],
      messageEn: `The patient is breastfeeding: ${medicine.genericName} ${lactation.en}.`,
      messageFr: `La patiente allaite : ${medicine.genericName} ${lactation.fr}.`,
    });
  }
  return findings;
}

function ageFindings(item: CheckedItem, patient: PatientFacts): Finding[] {
  const { medicine } = item;
  const fingerprint = `age:${medicine.code}`;
  const months = (count: number) =>
    count % 12 === 0 ? { en: `${count / 12} years`, fr: `${count / 12} ans` } : { en: `${count} months`, fr: `${count} mois` };
  if (patient.ageMonths === null) {
    if (medicine.minAgeMonths === 0 && medicine.maxAgeYears === null) return [];
    return [
      {
        fingerprint,
        kind: 'age',
        severity: 'low',
        itemPositions: [item.position],
        messageEn: `${medicine.genericName} has age limits and the patient's date of birth is not recorded.`,
        messageFr: `${medicine.genericName} a des limites d'âge et la date de naissance du patient n'est pas enregistrée.`,
      },
    ];
  }
  if (patient.ageMonths < medicine.minAgeMonths) {
    const limit = months(medicine.minAgeMonths);
    return [
      {
        fingerprint,
        kind: 'age',
        severity: 'high',
        itemPositions: [item.position],
        messageEn: `${medicine.genericName} is not for patients younger than ${limit.en}.`,
        messageFr: `${medicine.genericName} n'est pas indiqué avant ${limit.fr}.`,
      },
    ];
  }
  if (medicine.maxAgeYears !== null && patient.ageMonths >= medicine.maxAgeYears * 12) {
    return [
      {
        fingerprint,
        kind: 'age',
        severity: 'moderate',
        itemPositions: [item.position],
        messageEn: `${medicine.genericName} is not recommended from ${medicine.maxAgeYears} years of age.`,
        messageFr: `${medicine.genericName} n'est pas recommandé à partir de ${medicine.maxAgeYears} ans.`,
      },
    ];
  }
  return [];
}

/** Accents and case folded, ligatures spelled out, spaces single: how names are compared. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/œ/gi, 'oe')
    .replace(/æ/gi, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
