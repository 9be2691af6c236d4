// A catalogue's interactions as ingredient pairs: a side naming a therapeutic class ("class:nsaids")
// stands for each ingredient of that class; a pair listed twice keeps its most severe entry.
import type { Catalogue, InteractionSeverity } from './catalogue-schema.js';

export interface InteractionPair {
  /** The two ingredient codes, ordered (a < b). */
  ingredientA: string;
  ingredientB: string;
  severity: InteractionSeverity;
  explanationEn: string;
  explanationFr: string;
  source: string;
}

const SEVERITY_RANK: Record<InteractionSeverity, number> = { contraindicated: 0, major: 1, moderate: 2, minor: 3 };

export function interactionPairs(catalogue: Catalogue): InteractionPair[] {
  const members = (side: string) =>
    side.startsWith('class:')
      ? catalogue.ingredients
          .filter((ingredient) => ingredient.therapeuticClasses.includes(side.slice(6)))
          .map((ingredient) => ingredient.code)
      : [side];
  const pairs = new Map<string, InteractionPair>();
  for (const interaction of catalogue.interactions) {
    for (const a of members(interaction.a)) {
      for (const b of members(interaction.b)) {
        if (a === b) continue;
        const [first, second] = a < b ? [a, b] : [b, a];
        const key = `${first}+${second}`;
        const earlier = pairs.get(key);
        if (earlier && SEVERITY_RANK[earlier.severity] <= SEVERITY_RANK[interaction.severity]) continue;
        pairs.set(key, {
          ingredientA: first,
          ingredientB: second,
          severity: interaction.severity,
          explanationEn: interaction.explanation.en,
          explanationFr: interaction.explanation.fr,
          source: interaction.source,
        });
      }
    }
  }
  return [...pairs.values()];
}
