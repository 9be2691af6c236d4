// Runs once per test run: finds the MongoDB every test file talks to and says which one and why.
import type { TestProject } from 'vitest/node';
import { findMongo } from './find-mongo.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const mongo = await findMongo();
  console.log(`[test harness] MongoDB: ${mongo.label} (${mongo.reason})`);
  project.provide('mongoUri', mongo.uri);
  project.provide('mongoLabel', mongo.label);
  return () => mongo.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
    mongoLabel: string;
  }
}
