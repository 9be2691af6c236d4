-- CreateEnum
CREATE TYPE "reproductive_risk" AS ENUM ('contraindicated', 'avoid', 'caution', 'compatible', 'unknown');

-- CreateEnum
CREATE TYPE "interaction_severity" AS ENUM ('contraindicated', 'major', 'moderate', 'minor');

-- CreateEnum
CREATE TYPE "prescription_status" AS ENUM ('draft', 'active', 'on_hold', 'completed', 'cancelled', 'expired', 'entered_in_error');

-- CreateEnum
CREATE TYPE "finding_severity" AS ENUM ('high', 'moderate', 'low');

-- CreateEnum
CREATE TYPE "finding_kind" AS ENUM ('allergy', 'interaction', 'duplicate_therapy', 'contraindication', 'pregnancy', 'lactation', 'age', 'unmatched_allergy');

-- CreateTable
CREATE TABLE "medicine_catalogue" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "version" VARCHAR(40) NOT NULL,
    "loader_revision" INTEGER NOT NULL DEFAULT 1,
    "notice" TEXT NOT NULL,
    "loaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "medicine_catalogue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allergy_classes" (
    "code" VARCHAR(64) NOT NULL,
    "name_en" VARCHAR(120) NOT NULL,
    "name_fr" VARCHAR(120) NOT NULL,
    "synonyms" TEXT[],
    "cross_reacts_with" JSONB NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "allergy_classes_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "drug_ingredients" (
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "synonyms" TEXT[],
    "allergy_classes" TEXT[],
    "therapeutic_classes" TEXT[],

    CONSTRAINT "drug_ingredients_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "drug_interactions" (
    "id" UUID NOT NULL,
    "ingredient_a" VARCHAR(64) NOT NULL,
    "ingredient_b" VARCHAR(64) NOT NULL,
    "severity" "interaction_severity" NOT NULL,
    "explanation_en" VARCHAR(300) NOT NULL,
    "explanation_fr" VARCHAR(300) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "drug_interactions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "medicines" (
    "id" UUID NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "generic_name" VARCHAR(120) NOT NULL,
    "brand_names" TEXT[],
    "atc_code" VARCHAR(8) NOT NULL,
    "forms" TEXT[],
    "strengths" TEXT[],
    "routes" TEXT[],
    "indications" TEXT[],
    "ingredient_codes" TEXT[],
    "contraindications" JSONB NOT NULL,
    "pregnancy_risk" "reproductive_risk" NOT NULL,
    "lactation_risk" "reproductive_risk" NOT NULL,
    "min_age_months" INTEGER NOT NULL,
    "max_age_years" INTEGER,
    "controlled" BOOLEAN NOT NULL,
    "prescription_only" BOOLEAN NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "search_text" TEXT NOT NULL DEFAULT '',
    "source" TEXT NOT NULL,

    CONSTRAINT "medicines_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prescription_counters" (
    "clinic_id" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "last_number" INTEGER NOT NULL,

    CONSTRAINT "prescription_counters_pkey" PRIMARY KEY ("clinic_id","year")
);

-- CreateTable
CREATE TABLE "prescriptions" (
    "id" UUID NOT NULL,
    "number" VARCHAR(20) NOT NULL,
    "patient_id" UUID NOT NULL,
    "prescriber_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "appointment_id" UUID,
    "diagnoses" TEXT[],
    "notes" VARCHAR(2000),
    "status" "prescription_status" NOT NULL DEFAULT 'draft',
    "issued_on" DATE,
    "valid_until" DATE,
    "validity_days" INTEGER NOT NULL DEFAULT 30,
    "replaces_id" UUID,
    "checked_at" TIMESTAMPTZ(3),
    "signed_at" TIMESTAMPTZ(3),
    "signed_by" UUID,
    "signature_key_id" VARCHAR(64),
    "signature" VARCHAR(200),
    "status_reason" VARCHAR(500),
    "status_changed_at" TIMESTAMPTZ(3),
    "status_changed_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "prescriptions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prescription_items" (
    "id" UUID NOT NULL,
    "prescription_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "medicine_id" UUID NOT NULL,
    "medicine_name" VARCHAR(120) NOT NULL,
    "strength" VARCHAR(60) NOT NULL,
    "form" VARCHAR(40) NOT NULL,
    "route" VARCHAR(20) NOT NULL,
    "dose_amount" DECIMAL(10,3) NOT NULL,
    "dose_unit" VARCHAR(20) NOT NULL,
    "frequency" VARCHAR(8) NOT NULL,
    "duration_days" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "refills_allowed" INTEGER NOT NULL DEFAULT 0,
    "substitution_allowed" BOOLEAN NOT NULL DEFAULT true,
    "instructions" VARCHAR(500),

    CONSTRAINT "prescription_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prescription_findings" (
    "id" UUID NOT NULL,
    "prescription_id" UUID NOT NULL,
    "fingerprint" VARCHAR(200) NOT NULL,
    "kind" "finding_kind" NOT NULL,
    "severity" "finding_severity" NOT NULL,
    "item_positions" INTEGER[],
    "message_en" VARCHAR(500) NOT NULL,
    "message_fr" VARCHAR(500) NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_by" UUID,
    "resolved_at" TIMESTAMPTZ(3),
    "override_reason" VARCHAR(500),

    CONSTRAINT "prescription_findings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "drug_interactions_ingredient_b_idx" ON "drug_interactions"("ingredient_b");

-- CreateIndex
CREATE UNIQUE INDEX "drug_interactions_ingredient_a_ingredient_b_key" ON "drug_interactions"("ingredient_a", "ingredient_b");

-- CreateIndex
CREATE UNIQUE INDEX "medicines_code_key" ON "medicines"("code");

-- CreateIndex
CREATE INDEX "medicines_generic_name_idx" ON "medicines"("generic_name");

-- CreateIndex
CREATE UNIQUE INDEX "prescriptions_replaces_id_key" ON "prescriptions"("replaces_id");

-- CreateIndex
CREATE INDEX "prescriptions_patient_id_created_at_idx" ON "prescriptions"("patient_id", "created_at");

-- CreateIndex
CREATE INDEX "prescriptions_prescriber_id_created_at_idx" ON "prescriptions"("prescriber_id", "created_at");

-- CreateIndex
CREATE INDEX "prescriptions_appointment_id_idx" ON "prescriptions"("appointment_id");

-- CreateIndex
CREATE INDEX "prescriptions_status_valid_until_idx" ON "prescriptions"("status", "valid_until");

-- CreateIndex
CREATE UNIQUE INDEX "prescriptions_clinic_id_number_key" ON "prescriptions"("clinic_id", "number");

-- CreateIndex
CREATE INDEX "prescription_items_medicine_id_idx" ON "prescription_items"("medicine_id");

-- CreateIndex
CREATE UNIQUE INDEX "prescription_items_prescription_id_position_key" ON "prescription_items"("prescription_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "prescription_findings_prescription_id_fingerprint_key" ON "prescription_findings"("prescription_id", "fingerprint");

-- AddForeignKey
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_prescriber_id_fkey" FOREIGN KEY ("prescriber_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_appointment_id_fkey" FOREIGN KEY ("appointment_id") REFERENCES "appointments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescriptions" ADD CONSTRAINT "prescriptions_replaces_id_fkey" FOREIGN KEY ("replaces_id") REFERENCES "prescriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescription_items" ADD CONSTRAINT "prescription_items_prescription_id_fkey" FOREIGN KEY ("prescription_id") REFERENCES "prescriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescription_items" ADD CONSTRAINT "prescription_items_medicine_id_fkey" FOREIGN KEY ("medicine_id") REFERENCES "medicines"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescription_findings" ADD CONSTRAINT "prescription_findings_prescription_id_fkey" FOREIGN KEY ("prescription_id") REFERENCES "prescriptions"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: the catalogue's search folds accents and case like the patient search.
CREATE INDEX "medicines_search_text_trgm_idx" ON "medicines" USING GIN ("search_text" gin_trgm_ops);
ALTER TABLE "medicine_catalogue" ADD CONSTRAINT "medicine_catalogue_one_row" CHECK ("id" = 1);
ALTER TABLE "drug_interactions" ADD CONSTRAINT "drug_interactions_ordered_pair" CHECK ("ingredient_a" < "ingredient_b");
ALTER TABLE "medicines"
  ADD CONSTRAINT "medicines_ages" CHECK ("min_age_months" >= 0 AND ("max_age_years" IS NULL OR "max_age_years" * 12 > "min_age_months"));

-- Hand-written: what a prescription may hold.
ALTER TABLE "prescriptions"
  ADD CONSTRAINT "prescriptions_number_form" CHECK ("number" ~ '^RX-[0-9]{4}-[0-9]{6}$'),
  ADD CONSTRAINT "prescriptions_validity_days" CHECK ("validity_days" BETWEEN 1 AND 365),
  ADD CONSTRAINT "prescriptions_validity_order" CHECK ("valid_until" IS NULL OR "valid_until" >= "issued_on"),
  -- Active, on hold, completed or expired: only ever reached by signing, so signed.
  ADD CONSTRAINT "prescriptions_signed_when_issued" CHECK (
    "status" IN ('draft', 'cancelled', 'entered_in_error')
    OR ("signed_at" IS NOT NULL AND "signed_by" IS NOT NULL AND "signature" IS NOT NULL AND "signature_key_id" IS NOT NULL
        AND "issued_on" IS NOT NULL AND "valid_until" IS NOT NULL)
  );
ALTER TABLE "prescription_counters" ADD CONSTRAINT "prescription_counters_positive" CHECK ("last_number" BETWEEN 1 AND 999999);
ALTER TABLE "prescription_items"
  ADD CONSTRAINT "prescription_items_dose" CHECK ("dose_amount" > 0),
  ADD CONSTRAINT "prescription_items_quantity" CHECK ("quantity" > 0),
  ADD CONSTRAINT "prescription_items_duration" CHECK ("duration_days" BETWEEN 1 AND 365),
  ADD CONSTRAINT "prescription_items_refills" CHECK ("refills_allowed" BETWEEN 0 AND 5),
  ADD CONSTRAINT "prescription_items_position" CHECK ("position" BETWEEN 1 AND 20),
  ADD CONSTRAINT "prescription_items_frequency" CHECK (
    "frequency" IN ('QD', 'BID', 'TID', 'QID', 'Q4H', 'Q6H', 'Q8H', 'Q12H', 'QHS', 'QW', 'STAT', 'PRN')
  );
ALTER TABLE "prescription_findings"
  ADD CONSTRAINT "prescription_findings_override_reason" CHECK ("override_reason" IS NULL OR char_length("override_reason") BETWEEN 10 AND 500),
  ADD CONSTRAINT "prescription_findings_resolution" CHECK (("resolved_at" IS NULL) = ("resolved_by" IS NULL));

-- Hand-written: PostgreSQL itself keeps a signed prescription as it was signed. Only its status
-- moves on, and only along the legal transitions (FHIR MedicationRequest); its items and its
-- findings, with their overrides, are fixed from signing on. SQLSTATE RX001: a change refused;
-- RX002: a transition refused.
CREATE FUNCTION prescriptions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD."status" <> 'draft' THEN
      RAISE EXCEPTION 'prescription % is no longer a draft and cannot be deleted', OLD."number" USING ERRCODE = 'RX001';
    END IF;
    RETURN OLD;
  END IF;
  IF NEW."status" IS DISTINCT FROM OLD."status" AND NOT (OLD."status"::text || '>' || NEW."status"::text) = ANY (ARRAY[
      'draft>active', 'draft>cancelled', 'draft>entered_in_error',
      'active>on_hold', 'active>completed', 'active>cancelled', 'active>expired', 'active>entered_in_error',
      'on_hold>active', 'on_hold>cancelled', 'on_hold>expired', 'on_hold>entered_in_error']) THEN
    RAISE EXCEPTION 'prescription % cannot go from % to %', OLD."number", OLD."status", NEW."status" USING ERRCODE = 'RX002';
  END IF;
  IF OLD."status" <> 'draft' AND (
      NEW."id", NEW."number", NEW."patient_id", NEW."prescriber_id", NEW."clinic_id", NEW."appointment_id", NEW."diagnoses",
      NEW."notes", NEW."issued_on", NEW."valid_until", NEW."validity_days", NEW."replaces_id", NEW."checked_at", NEW."signed_at",
      NEW."signed_by", NEW."signature_key_id", NEW."signature", NEW."created_at"
    ) IS DISTINCT FROM (
      OLD."id", OLD."number", OLD."patient_id", OLD."prescriber_id", OLD."clinic_id", OLD."appointment_id", OLD."diagnoses",
      OLD."notes", OLD."issued_on", OLD."valid_until", OLD."validity_days", OLD."replaces_id", OLD."checked_at", OLD."signed_at",
      OLD."signed_by", OLD."signature_key_id", OLD."signature", OLD."created_at"
    ) THEN
    RAISE EXCEPTION 'prescription % is signed or closed: only its status may change', OLD."number" USING ERRCODE = 'RX001';
  END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER "prescriptions_guard" BEFORE UPDATE OR DELETE ON "prescriptions"
  FOR EACH ROW EXECUTE FUNCTION prescriptions_guard();

-- Items and findings of a prescription that is no longer a draft: never added, changed or removed.
CREATE FUNCTION prescription_parts_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD."prescription_id" ELSE NEW."prescription_id" END;
  state prescription_status;
BEGIN
  SELECT "status" INTO state FROM "prescriptions" WHERE "id" = owner;
  -- A cascade from a draft's deletion finds no row any more: allowed, drafts only are deletable.
  IF state IS NOT NULL AND state <> 'draft' THEN
    RAISE EXCEPTION 'the prescription is no longer a draft: its % cannot change', TG_TABLE_NAME USING ERRCODE = 'RX001';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."prescription_id" <> OLD."prescription_id" THEN
    RAISE EXCEPTION 'a % row cannot move to another prescription', TG_TABLE_NAME USING ERRCODE = 'RX001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;

CREATE TRIGGER "prescription_items_guard" BEFORE INSERT OR UPDATE OR DELETE ON "prescription_items"
  FOR EACH ROW EXECUTE FUNCTION prescription_parts_guard();
CREATE TRIGGER "prescription_findings_guard" BEFORE INSERT OR UPDATE OR DELETE ON "prescription_findings"
  FOR EACH ROW EXECUTE FUNCTION prescription_parts_guard();
