// The shape of the imports (`npm run lint`): no cycles but type-only ones, and each domain module
// used through its public face (its index.ts; the registry alone reads its module.ts manifest).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment: 'An import cycle makes load order matter; a cycle made only of type imports vanishes at run time and is allowed.',
      severity: 'error',
      from: { path: '^(src|bench|tools|packages)/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-module-internals',
      comment: 'A module uses another module through its index.ts, never its files.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'no-core-into-module-internals',
      comment: 'The core reaches a module through its index.ts, or through the registry and the manifests it lists.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/modules/[^/]+/', '^src/modules/registry\\.ts$'] },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'registry-reads-manifests',
      comment: 'The registry lists manifests, nothing else of a module.',
      severity: 'error',
      from: { path: '^src/modules/registry\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: ['^src/modules/[^/]+/module\\.ts$'] },
    },
    {
      name: 'no-dev-tools-in-product',
      comment: 'The product never statically imports development-only tools (the stand-in, test containers).',
      severity: 'error',
      from: { path: '^src/' },
      to: {
        path: [
          'node_modules/(testcontainers|mongodb-memory-server|mingo)/',
          '^packages/mongo-standin/',
          'node_modules/@clinic-graph/mongo-standin/',
        ],
        dependencyTypesNot: ['dynamic-import'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^src/generated/', '^dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
  },
};
