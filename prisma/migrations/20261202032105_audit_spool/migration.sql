-- CreateTable
CREATE TABLE "audit_spool" (
    "id" BIGSERIAL NOT NULL,
    "event" JSONB NOT NULL,
    "spooled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_spool_pkey" PRIMARY KEY ("id")
);
