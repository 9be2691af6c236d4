// npm run jobs                                 the job queues (waiting, running, failed) and the dead letters
// npm run jobs -- retry-outbox [event id...]   dead-lettered outbox events (all, or these) get a new round
//                                              of attempts; a running server hands them over within a minute
import 'reflect-metadata'; // before type-graphql's decorators run (the imports below load them)
import { createLogger } from '../platform/logger.js';
import { JobQueue } from '../platform/jobs.js';
import { OutboxRelay } from '../platform/outbox.js';
import { runWithStores } from './run-with-stores.js';

const USAGE = 'usage: npm run jobs\n       npm run jobs -- retry-outbox [event id...]';
const [command, ...args] = process.argv.slice(2);

await runWithStores(async (stores, config) => {
  const jobs = await JobQueue.open(stores.database.target, createLogger(config.logLevel), { background: false });
  try {
    // No handlers: this relay only reads and resets dead letters (it never hands events over).
    const relay = new OutboxRelay(stores.database.prisma, jobs, {});
    if (command === undefined) {
      console.log('Queues (counts as of the last monitoring pass, at most a minute old):');
      console.table(await jobs.status());
      const letters = await jobs.deadLetters();
      console.log(`Dead letters kept (${letters.length}): jobs that failed every attempt`);
      if (letters.length > 0)
        console.table(
          letters.map(({ queue, jobId, attempts, error, deadSince }) => ({
            queue,
            jobId,
            attempts,
            error: JSON.stringify(error),
            deadSince,
          })),
        );
      const events = await relay.deadLetters();
      console.log(`Outbox events dead-lettered and not applied (${events.length}); each holds back the later events of its subject:`);
      if (events.length > 0) console.table(events);
    } else if (command === 'retry-outbox') {
      const retried = await relay.retryDeadLetters(args.length > 0 ? args : undefined);
      console.log(`${retried.length} outbox event(s) will be attempted again: ${retried.join(', ') || 'none'}`);
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await jobs.stop();
  }
});
