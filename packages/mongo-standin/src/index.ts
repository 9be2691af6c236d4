// The package's entry point: start a stand-in in-process. The command line is src/cli.ts.
export { startMongoStandin, type RunningStandin, type StandinOptions } from './server.js';
export { EMULATED_VERSION } from './commands/context.js';
