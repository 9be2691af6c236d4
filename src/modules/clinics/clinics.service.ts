// Reading the clinic directory.
import { NotFoundError } from '../../errors/errors.js';
import type { RequestContext } from '../../context/context.js';
import type { Clinic } from './clinic.types.js';
import { toClinic } from './clinics.mapper.js';
import type { ClinicsRepository } from './clinics.repository.js';

export class ClinicsService {
  constructor(private readonly repository: ClinicsRepository) {}

  async list(): Promise<Clinic[]> {
    return (await this.repository.listActive()).map(toClinic);
  }

  async get(context: RequestContext, id: string): Promise<Clinic> {
    const clinic = await context.loaders.clinicById.load(id);
    if (!clinic) throw new NotFoundError('Clinic');
    return clinic;
  }
}
