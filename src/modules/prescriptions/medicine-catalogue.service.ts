// Keeps the stored catalogue at the bundled knowledge base's version: loaded at start (once across
// processes), so that the checks and the search never run against an empty or older catalogue.
import type { Catalogue } from './knowledge/catalogue-schema.js';
import { starterCatalogue } from './knowledge/starter-catalogue.js';
import type { MedicinesRepository } from './medicines.repository.js';

export class MedicineCatalogueService {
  constructor(
    private readonly medicines: MedicinesRepository,
    private readonly source: () => Catalogue = starterCatalogue,
  ) {}

  /** Loads the bundled catalogue unless the stored one is its version; whether it loaded. */
  ensureLoaded(): Promise<boolean> {
    return this.medicines.load(this.source());
  }
}
