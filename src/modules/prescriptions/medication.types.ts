// The medicine catalogue as the graph shows it.
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../graphql/connection.js';
import { Node } from '../../graphql/node.js';
import { MedicationRoute } from './prescription.types.js';

export enum ReproductiveRisk {
  CONTRAINDICATED = 'contraindicated',
  AVOID = 'avoid',
  CAUTION = 'caution',
  COMPATIBLE = 'compatible',
  UNKNOWN = 'unknown',
}
registerEnumType(ReproductiveRisk, {
  name: 'ReproductiveRisk',
  description: 'What is known of its use in pregnancy or while breastfeeding.',
});

@ObjectType({
  implements: Node,
  description: 'A medicine of the catalogue (a starter set to be reviewed by a pharmacist: see medicationCatalogue).',
})
export class Medication implements Node {
  dbId!: string;
  @Field(() => ID) id!: string;
  @Field({ description: 'A stable code, e.g. "amoxicillin".' }) code!: string;
  @Field({ description: 'INN / generic name.' }) genericName!: string;
  @Field(() => [String]) brandNames!: string[];
  @Field({ description: 'WHO ATC code.' }) atcCode!: string;
  @Field(() => [String]) forms!: string[];
  @Field(() => [String]) strengths!: string[];
  @Field(() => [MedicationRoute]) routes!: MedicationRoute[];
  @Field(() => [String]) indications!: string[];
  @Field(() => [String], { description: 'Active ingredients (codes).' }) ingredients!: string[];
  @Field(() => ReproductiveRisk) pregnancyRisk!: ReproductiveRisk;
  @Field(() => ReproductiveRisk) lactationRisk!: ReproductiveRisk;
  @Field(() => Int) minAgeMonths!: number;
  @Field(() => Int, { nullable: true }) maxAgeYears!: number | null;
  @Field({ description: 'A controlled substance (no refills).' }) controlled!: boolean;
  @Field() prescriptionOnly!: boolean;
  @Field() active!: boolean;
  @Field({ description: 'The public reference its facts come from.' }) source!: string;
}

export const MedicationConnection = Connection(Medication, 'Medication');
export type MedicationConnection = InstanceType<typeof MedicationConnection>;

@ObjectType({ description: 'Which knowledge base the safety checks use.' })
export class MedicationCatalogue {
  @Field() version!: string;
  @Field({ description: 'What it is (a starter set, to be reviewed by a pharmacist before clinical use).' }) notice!: string;
  @Field(() => Int) medications!: number;
}
