// Every DataLoader of one request, from every module in the registry. Loader names are unique
// across modules (test/platform/module-registry.test.ts): a request only puts them together.
import type { Principal } from '../auth/principal.js';
import { allModules, type modules } from '../modules/registry.js';
import type { ModuleManifest } from '../platform/module.js';
import type { Intersect, Repositories } from './services.js';

type LoadersOf<M> = M extends ModuleManifest<infer _Repositories, infer _Services, infer Loaders> ? Loaders : never;

export type Loaders = Intersect<LoadersOf<(typeof modules)[number]>>;

/** Each module's loaders for one request, by module. */
export function loadersByModule(repositories: Repositories, principal: Principal | null): Array<[module: string, loaders: object]> {
  return allModules.map((module) => [module.name, module.loaders?.(repositories, principal) ?? {}]);
}

export function createLoaders(repositories: Repositories, principal: Principal | null): Loaders {
  return Object.assign({}, ...loadersByModule(repositories, principal).map(([, loaders]) => loaders)) as Loaders;
}
