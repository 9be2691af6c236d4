// Every DataLoader of one request, from every module in the registry.
import type { Principal } from '../auth/principal.js';
import { allModules, type modules } from '../modules/registry.js';
import type { ModuleManifest } from '../platform/module.js';
import { mergeByName, type Intersect, type Repositories } from './services.js';

type LoadersOf<M> = M extends ModuleManifest<infer _Repositories, infer _Services, infer Loaders> ? Loaders : never;

export type Loaders = Intersect<LoadersOf<(typeof modules)[number]>>;

export function createLoaders(repositories: Repositories, principal: Principal | null): Loaders {
  return mergeByName(
    'loader',
    allModules.map((module) => [module.name, module.loaders?.(repositories, principal)]),
  ) as Loaders;
}
