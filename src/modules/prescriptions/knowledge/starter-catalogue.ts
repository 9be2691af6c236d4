// The bundled starter knowledge base (starter-catalogue.json): a starter set compiled from public
// sources, to be reviewed by a pharmacist; validated whole before anything reads it.
import data from './starter-catalogue.json' with { type: 'json' };
import { catalogueProblems, catalogueSchema, type Catalogue } from './catalogue-schema.js';

let parsed: Catalogue | undefined;

/** The starter catalogue, validated (throws, naming every problem, when the file is inconsistent). */
export function starterCatalogue(): Catalogue {
  if (parsed) return parsed;
  const catalogue = catalogueSchema.parse(data);
  const problems = catalogueProblems(catalogue);
  if (problems.length > 0) throw new Error(`the starter medicine catalogue is inconsistent: ${problems.join('; ')}`);
  return (parsed = catalogue);
}
