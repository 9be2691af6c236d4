// Typed outbox topics. A topic names its payload's shape once (a zod schema): the producer's
// payload is type-checked where the event is written and checked again against the schema, and
// the consumer's handler gets the payload validated against the same schema when it is applied.
// A payload that does not match fails its event (retried, then dead-lettered), it never reaches a
// handler half-formed. Payloads are JSON: dates travel as ISO strings.
import type { z } from 'zod';
import type { Prisma } from '../generated/prisma/client.js';
import { randomUUID } from 'node:crypto';
import { inSystemWrite } from '../authz/patient-writes.js';
import type { OrderedOutboxHandler, OutboxEvent, OutboxHandler, OutboxHandlers } from './outbox.js';

export interface OutboxTopic<Payload> {
  readonly name: string;
  readonly schema: z.ZodType<Payload>;
  /**
   * The subject an event is about (e.g. `appointment:<id>`, the same for every topic about it): a
   * subject's events are applied in the order they were written (see outbox.ts). Without it, the
   * topic's events are independent of each other.
   */
  subjectOf?(payload: Payload): string;
}

const definedTopics = new Set<string>();

/** A topic; its name is unique (a second definition of a name is an error at load). */
export function defineTopic<Schema extends z.ZodType>(
  name: string,
  schema: Schema,
  options: { subjectOf?: (payload: z.infer<Schema>) => string } = {},
): OutboxTopic<z.infer<Schema>> {
  if (definedTopics.has(name)) throw new Error(`outbox topic '${name}' is defined twice`);
  definedTopics.add(name);
  return { name, schema: schema as z.ZodType<z.infer<Schema>>, subjectOf: options.subjectOf };
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
export function onTopic<Payload>(
  topic: OutboxTopic<Payload>,
  handle: (payload: Payload, event: OutboxEvent) => Promise<void>,
): TopicHandler {
  return {
    topic: topic as OutboxTopic<unknown>,
    handle: (event) => handle(topic.schema.parse(event.payload), event),
  };
}

/**
 * One handler per topic for the relay: a topic several modules handle runs their handlers in turn;
 * a topic with a subject is applied in order per subject. A payload the topic's schema refuses gets
 * a subject of its own (it fails when applied, and is dead-lettered without holding up others).
 */
export function relayHandlers(handlers: readonly TopicHandler[]): OutboxHandlers {
  const byTopic = new Map<string, { topic: OutboxTopic<unknown>; handles: OutboxHandler[] }>();
  for (const { topic, handle } of handlers) {
    const entry = byTopic.get(topic.name) ?? { topic, handles: [] };
    entry.handles.push(handle);
    byTopic.set(topic.name, entry);
  }
  return Object.fromEntries(
    [...byTopic].map(([name, { topic, handles }]) => {
      const apply = async (event: OutboxEvent) => {
        // Applying an event is the system's write of what was audited when the event was written.
        for (const handle of handles) await inSystemWrite(`outbox:${name}`, () => handle(event));
      };
      if (!topic.subjectOf) return [name, apply];
      const ordered: OrderedOutboxHandler = {
        apply,
        subjectOf: (payload) => {
          const parsed = topic.schema.safeParse(payload);
          return parsed.success ? topic.subjectOf!(parsed.data) : `invalid:${name}:${randomUUID()}`;
        },
      };
      return [name, ordered];
    }),
  );
}
