// Every MongoDB collection the modules declare, for setup.
import type { CollectionSpec } from '../platform/mongo.js';
import { allModules } from './registry.js';

/** The collections, with the audit trail kept for `auditRetentionSeconds` (6 years by default). */
export function collectionSpecsFor(options: { auditRetentionSeconds?: number } = {}): CollectionSpec[] {
  return allModules.flatMap((module) => module.collections?.(options) ?? []);
}

export const collectionSpecs: CollectionSpec[] = collectionSpecsFor();
