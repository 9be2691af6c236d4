// Typed outbox topics. A topic names its payload's shape once (a zod schema): the producer's
// payload is type-checked where the event is written and checked again against the schema, and
// the consumer's handler gets the payload validated against the same schema when it is applied.
// A payload that does not match fails its event (retried, then dead-lettered), it never reaches a
// handler half-formed. Payloads are JSON: dates travel as ISO strings.
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { inSystemWrite } from '../authz/patient-writes.js';
import type { OutboxEvent, OutboxHandler } from './outbox.js';

export interface OutboxTopic<Payload> {
  readonly name: string;
  readonly schema: z.ZodType<Payload>;
}

const definedTopics = new Set<string>();

/** A topic; its name is unique (a second definition of a name is an error at load). */
export function defineTopic<Schema extends z.ZodType>(name: string, schema: Schema): OutboxTopic<z.infer<Schema>> {
  if (definedTopics.has(name)) throw new Error(`outbox topic '${name}' is defined twice`);
  definedTopics.add(name);
  return { name, schema: schema as z.ZodType<z.infer<Schema>> };
}

/** The names of every topic defined so far (all of them once the registry is loaded). */
export function definedTopicNames(): ReadonlySet<string> {
  return definedTopics;
}

/** An event ready to be written to the outbox in a business transaction. */
export interface OutboxEventInput {
  topic: string;
  payload: Prisma.InputJsonValue;
}

/** The event of `topic` carrying `payload` (checked against the topic's schema). */
export function outboxEvent<Payload>(topic: OutboxTopic<Payload>, payload: Payload): OutboxEventInput {
  return { topic: topic.name, payload: topic.schema.parse(payload) as Prisma.InputJsonValue };
}

/** What a module does with the events of one topic. */
export interface TopicHandler {
  readonly topic: OutboxTopic<unknown>;
  readonly handle: OutboxHandler;
}

/** A handler of `topic` that receives the payload validated against the topic's schema. */
export function onTopic<Payload>(topic: OutboxTopic<Payload>, handle: (payload: Payload, event: OutboxEvent) => Promise<void>): TopicHandler {
  return {
    topic: topic as OutboxTopic<unknown>,
    handle: (event) => handle(topic.schema.parse(event.payload), event),
  };
}

/** One handler per topic for the relay: a topic several modules handle runs their handlers in turn. */
export function relayHandlers(handlers: readonly TopicHandler[]): Record<string, OutboxHandler> {
  const byTopic = new Map<string, OutboxHandler[]>();
  for (const { topic, handle } of handlers) byTopic.set(topic.name, [...(byTopic.get(topic.name) ?? []), handle]);
  return Object.fromEntries(
    [...byTopic].map(([name, list]) => [
      name,
      async (event: OutboxEvent) => {
        // Applying an event is the system's write of what was audited when the event was written.
        for (const handle of list) await inSystemWrite(`outbox:${name}`, () => handle(event));
      },
    ]),
  );
}
