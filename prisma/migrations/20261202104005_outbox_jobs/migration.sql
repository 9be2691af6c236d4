-- The relay hands each event to the job queue (pg-boss) as a job of its own: when it did, the
-- subject whose events are applied in order, and when one was dead-lettered after its last attempt.
ALTER TABLE "outbox" ADD COLUMN     "dead_lettered_at" TIMESTAMPTZ(3),
ADD COLUMN     "dispatched_at" TIMESTAMPTZ(3),
ADD COLUMN     "seq" BIGSERIAL NOT NULL,
ADD COLUMN     "subject" VARCHAR(200);

-- Events processed before are not handed over again.
UPDATE "outbox" SET "dispatched_at" = "processed_at" WHERE "processed_at" IS NOT NULL;

-- Hand-written (partial indexes): the pending events of each subject in order, and those the relay
-- has not labelled with their subject yet.
CREATE INDEX "outbox_pending_subject_seq_idx" ON "outbox"("subject", "seq") WHERE "processed_at" IS NULL;
CREATE INDEX "outbox_unlabelled_seq_idx" ON "outbox"("seq") WHERE "subject" IS NULL AND "processed_at" IS NULL;
