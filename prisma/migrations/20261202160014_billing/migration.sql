-- CreateEnum
CREATE TYPE "invoice_status" AS ENUM ('draft', 'issued', 'partially_paid', 'paid', 'cancelled');

-- CreateEnum
CREATE TYPE "payment_method" AS ENUM ('cash', 'mtn_momo', 'orange_money', 'insurance');

-- CreateEnum
CREATE TYPE "payment_status" AS ENUM ('pending', 'successful', 'failed', 'expired');

-- CreateEnum
CREATE TYPE "ledger_account" AS ENUM ('receivable', 'insurer_receivable', 'cash', 'mobile_money_clearing', 'revenue', 'refunds');

-- CreateTable
CREATE TABLE "insurance_coverages" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "insurer" VARCHAR(120) NOT NULL,
    "policy_number" VARCHAR(64) NOT NULL,
    "percentage" INTEGER NOT NULL,
    "expires_on" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "insurance_coverages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "billing_counters" (
    "clinic_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "series" VARCHAR(8) NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "billing_counters_pkey" PRIMARY KEY ("clinic_id","year","series")
);

-- CreateTable
CREATE TABLE "invoices" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "number" VARCHAR(20),
    "status" "invoice_status" NOT NULL DEFAULT 'draft',
    "total_xaf" INTEGER NOT NULL,
    "insurer_share_xaf" INTEGER NOT NULL,
    "patient_share_xaf" INTEGER NOT NULL,
    "paid_xaf" INTEGER NOT NULL DEFAULT 0,
    "credited_xaf" INTEGER NOT NULL DEFAULT 0,
    "coverage_id" UUID,
    "insurer" VARCHAR(120),
    "insurer_percentage" INTEGER NOT NULL DEFAULT 0,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issued_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),

    CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "invoice_lines" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "charge_item_id" UUID NOT NULL,
    "description" VARCHAR(200) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_xaf" INTEGER NOT NULL,
    "total_xaf" INTEGER NOT NULL,

    CONSTRAINT "invoice_lines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credit_notes" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "amount_xaf" INTEGER NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_notes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "invoice_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "method" "payment_method" NOT NULL,
    "amount_xaf" INTEGER NOT NULL,
    "status" "payment_status" NOT NULL DEFAULT 'pending',
    "receipt_number" VARCHAR(20),
    "recorded_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settled_at" TIMESTAMPTZ(3),

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entries" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "event_kind" VARCHAR(30) NOT NULL,
    "clinic_id" UUID NOT NULL,
    "account" "ledger_account" NOT NULL,
    "debit_xaf" INTEGER NOT NULL DEFAULT 0,
    "credit_xaf" INTEGER NOT NULL DEFAULT 0,
    "invoice_id" UUID,
    "payment_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_keys" (
    "user_id" UUID NOT NULL,
    "key" VARCHAR(128) NOT NULL,
    "operation" VARCHAR(64) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "result" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE INDEX "insurance_coverages_patient_id_expires_on_idx" ON "insurance_coverages"("patient_id", "expires_on");

-- CreateIndex
CREATE INDEX "invoices_patient_id_created_at_idx" ON "invoices"("patient_id", "created_at");

-- CreateIndex
CREATE INDEX "invoices_clinic_id_created_at_idx" ON "invoices"("clinic_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "invoices_clinic_id_number_key" ON "invoices"("clinic_id", "number");

-- CreateIndex
CREATE UNIQUE INDEX "invoice_lines_charge_item_id_key" ON "invoice_lines"("charge_item_id");

-- CreateIndex
CREATE INDEX "invoice_lines_invoice_id_idx" ON "invoice_lines"("invoice_id");

-- CreateIndex
CREATE INDEX "credit_notes_invoice_id_idx" ON "credit_notes"("invoice_id");

-- CreateIndex
CREATE INDEX "payments_invoice_id_idx" ON "payments"("invoice_id");

-- CreateIndex
CREATE INDEX "payments_clinic_id_created_at_idx" ON "payments"("clinic_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "payments_clinic_id_receipt_number_key" ON "payments"("clinic_id", "receipt_number");

-- CreateIndex
CREATE INDEX "ledger_entries_event_id_idx" ON "ledger_entries"("event_id");

-- CreateIndex
CREATE INDEX "ledger_entries_clinic_id_at_idx" ON "ledger_entries"("clinic_id", "at");

-- AddForeignKey
ALTER TABLE "invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credit_notes" ADD CONSTRAINT "credit_notes_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payments" ADD CONSTRAINT "payments_invoice_id_fkey" FOREIGN KEY ("invoice_id") REFERENCES "invoices"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: amounts are whole XAF and consistent by construction.
ALTER TABLE "insurance_coverages" ADD CONSTRAINT "insurance_coverages_percentage" CHECK ("percentage" BETWEEN 0 AND 100);
ALTER TABLE "billing_counters"
  ADD CONSTRAINT "billing_counters_positive" CHECK ("last_number" BETWEEN 1 AND 999999),
  ADD CONSTRAINT "billing_counters_series" CHECK ("series" IN ('INV', 'CN', 'RCT'));
ALTER TABLE "invoices"
  ADD CONSTRAINT "invoices_amounts" CHECK (
    "total_xaf" >= 0 AND "insurer_share_xaf" >= 0 AND "patient_share_xaf" >= 0 AND "paid_xaf" >= 0 AND "credited_xaf" >= 0),
  ADD CONSTRAINT "invoices_shares" CHECK ("insurer_share_xaf" + "patient_share_xaf" = "total_xaf"),
  -- Never paid (net of refunds) nor credited beyond the patient's share.
  ADD CONSTRAINT "invoices_not_overpaid" CHECK ("paid_xaf" + "credited_xaf" <= "patient_share_xaf"),
  ADD CONSTRAINT "invoices_number_form" CHECK ("number" IS NULL OR "number" ~ '^INV-[0-9]{4}-[0-9]{6}$'),
  ADD CONSTRAINT "invoices_numbered_when_issued" CHECK (("status" = 'draft') = ("number" IS NULL) OR "status" = 'cancelled'),
  ADD CONSTRAINT "invoices_percentage" CHECK ("insurer_percentage" BETWEEN 0 AND 100);
ALTER TABLE "invoice_lines"
  ADD CONSTRAINT "invoice_lines_amounts" CHECK ("quantity" > 0 AND "unit_price_xaf" >= 0 AND "total_xaf" = "quantity" * "unit_price_xaf");
ALTER TABLE "credit_notes"
  ADD CONSTRAINT "credit_notes_amount" CHECK ("amount_xaf" > 0),
  ADD CONSTRAINT "credit_notes_number_form" CHECK ("number" ~ '^CN-[0-9]{4}-[0-9]{6}$');
ALTER TABLE "payments"
  ADD CONSTRAINT "payments_amount" CHECK ("amount_xaf" > 0),
  ADD CONSTRAINT "payments_receipt" CHECK (("status" = 'successful') = ("receipt_number" IS NOT NULL));
ALTER TABLE "ledger_entries"
  ADD CONSTRAINT "ledger_entries_one_side" CHECK ("debit_xaf" >= 0 AND "credit_xaf" >= 0 AND ("debit_xaf" = 0) <> ("credit_xaf" = 0));

-- An issued invoice is fixed: only what is paid, credited and its status move (SQLSTATE BL001).
CREATE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'draft' THEN RAISE EXCEPTION 'an issued invoice is never deleted' USING ERRCODE = 'BL001'; END IF;
    RETURN OLD;
  END IF;
  IF OLD."status" NOT IN ('draft') AND (
      NEW."clinic_id", NEW."patient_id", NEW."number", NEW."total_xaf", NEW."insurer_share_xaf", NEW."patient_share_xaf",
      NEW."coverage_id", NEW."insurer", NEW."insurer_percentage", NEW."issued_at", NEW."created_at"
    ) IS DISTINCT FROM (
      OLD."clinic_id", OLD."patient_id", OLD."number", OLD."total_xaf", OLD."insurer_share_xaf", OLD."patient_share_xaf",
      OLD."coverage_id", OLD."insurer", OLD."insurer_percentage", OLD."issued_at", OLD."created_at"
    ) THEN
    RAISE EXCEPTION 'invoice % is issued: correct it with a credit note', OLD."number" USING ERRCODE = 'BL001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "invoices_guard" BEFORE UPDATE OR DELETE ON "invoices" FOR EACH ROW EXECUTE FUNCTION invoices_guard();

CREATE FUNCTION invoice_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  state invoice_status;
BEGIN
  SELECT "status" INTO state FROM "invoices" WHERE "id" = CASE WHEN TG_OP = 'DELETE' THEN OLD."invoice_id" ELSE NEW."invoice_id" END;
  IF state IS NOT NULL AND state <> 'draft' THEN
    RAISE EXCEPTION 'the invoice is issued: its lines cannot change' USING ERRCODE = 'BL001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER "invoice_lines_guard" BEFORE INSERT OR UPDATE OR DELETE ON "invoice_lines" FOR EACH ROW EXECUTE FUNCTION invoice_lines_guard();

-- The ledger: append-only, and every money event balanced when its transaction commits.
CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger entries are append-only' USING ERRCODE = 'BL002';
END $$;
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries" FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();

CREATE FUNCTION ledger_event_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  debits bigint;
  credits bigint;
BEGIN
  SELECT coalesce(sum("debit_xaf"), 0), coalesce(sum("credit_xaf"), 0) INTO debits, credits
  FROM "ledger_entries" WHERE "event_id" = NEW."event_id";
  IF debits <> credits THEN
    RAISE EXCEPTION 'money event % does not balance: debits % and credits %', NEW."event_id", debits, credits USING ERRCODE = 'BL003';
  END IF;
  RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER "ledger_event_balanced" AFTER INSERT ON "ledger_entries"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_event_balanced();

-- A visit's charge: one per appointment, made when the consultation is completed (the outbox).
ALTER TABLE "charge_items" ADD COLUMN "appointment_id" UUID;
CREATE UNIQUE INDEX "charge_items_appointment_id_key" ON "charge_items"("appointment_id");
