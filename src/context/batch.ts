// Helpers for DataLoader batch functions: results in the order of the keys asked for.

/** One item (or null) per key, matched by `keyOf`. */
export function byKey<K, T>(keys: readonly K[], items: T[], keyOf: (item: T) => K): Array<T | null> {
  const found = new Map(items.map((item) => [keyOf(item), item]));
  return keys.map((key) => found.get(key) ?? null);
}

/** All items per key (an empty list when none), matched by `keyOf`. */
export function groupByKey<K, T>(keys: readonly K[], items: T[], keyOf: (item: T) => K): T[][] {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
