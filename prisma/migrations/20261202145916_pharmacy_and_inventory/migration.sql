-- CreateEnum
CREATE TYPE "pharmacy_kind" AS ENUM ('dispensary', 'partner');

-- CreateEnum
CREATE TYPE "fulfillment_status" AS ENUM ('queued', 'in_preparation', 'ready', 'partially_dispensed', 'dispensed', 'declined', 'on_hold');

-- CreateEnum
CREATE TYPE "supply_type" AS ENUM ('first_fill', 'partial', 'refill', 'emergency');

-- CreateEnum
CREATE TYPE "movement_kind" AS ENUM ('receipt', 'dispense', 'adjustment', 'transfer_out', 'transfer_in', 'return', 'write_off');

-- CreateTable
CREATE TABLE "pharmacies" (
    "id" UUID NOT NULL,
    "kind" "pharmacy_kind" NOT NULL,
    "clinic_id" UUID NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "address" JSONB NOT NULL,
    "phone" VARCHAR(16),
    "hours" JSONB NOT NULL,
    "licence" VARCHAR(64),
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pharmacies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pharmacy_members" (
    "pharmacy_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pharmacy_members_pkey" PRIMARY KEY ("pharmacy_id","user_id")
);

-- CreateTable
CREATE TABLE "prescription_fulfillments" (
    "id" UUID NOT NULL,
    "prescription_id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "status" "fulfillment_status" NOT NULL DEFAULT 'queued',
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "presented_by" UUID NOT NULL,
    "presented_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status_reason" VARCHAR(500),
    "status_changed_at" TIMESTAMPTZ(3),
    "status_changed_by" UUID,

    CONSTRAINT "prescription_fulfillments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "override_acknowledgments" (
    "fulfillment_id" UUID NOT NULL,
    "finding_id" UUID NOT NULL,
    "acknowledged_by" UUID NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "override_acknowledgments_pkey" PRIMARY KEY ("fulfillment_id","finding_id")
);

-- CreateTable
CREATE TABLE "dispenses" (
    "id" UUID NOT NULL,
    "fulfillment_id" UUID NOT NULL,
    "prescription_item_id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "medicine_id" UUID NOT NULL,
    "substituted" BOOLEAN NOT NULL DEFAULT false,
    "quantity" INTEGER NOT NULL,
    "supply_type" "supply_type" NOT NULL,
    "supply_number" INTEGER NOT NULL,
    "unit_price_xaf" INTEGER NOT NULL,
    "dispensed_by" UUID NOT NULL,
    "dispensed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dispenses_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "charge_items" (
    "id" UUID NOT NULL,
    "patient_id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "source" VARCHAR(20) NOT NULL,
    "dispense_id" UUID,
    "description" VARCHAR(200) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_xaf" INTEGER NOT NULL,
    "total_xaf" INTEGER NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'billable',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "charge_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inventory_items" (
    "id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "medicine_id" UUID,
    "supply_name" VARCHAR(200),
    "unit" VARCHAR(30) NOT NULL,
    "reorder_point" INTEGER NOT NULL,
    "max_level" INTEGER NOT NULL,
    "selling_price_xaf" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inventory_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_lots" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "batch_number" VARCHAR(64) NOT NULL,
    "expires_on" DATE NOT NULL,
    "quantity_on_hand" INTEGER NOT NULL DEFAULT 0,
    "unit_cost_xaf" INTEGER NOT NULL,
    "supplier" VARCHAR(200),
    "received_on" DATE NOT NULL,
    "on_hold" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "stock_lots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_movements" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "lot_id" UUID NOT NULL,
    "kind" "movement_kind" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "reason" VARCHAR(500),
    "dispense_id" UUID,
    "transfer_id" UUID,
    "count_id" UUID,
    "by_user_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_movements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_counts" (
    "id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "started_by" UUID NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_counts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stock_count_lines" (
    "count_id" UUID NOT NULL,
    "lot_id" UUID NOT NULL,
    "counted" INTEGER NOT NULL,
    "expected" INTEGER NOT NULL,

    CONSTRAINT "stock_count_lines_pkey" PRIMARY KEY ("count_id","lot_id")
);

-- CreateTable
CREATE TABLE "stock_alerts" (
    "id" UUID NOT NULL,
    "pharmacy_id" UUID NOT NULL,
    "kind" VARCHAR(20) NOT NULL,
    "subject_id" UUID NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "stock_alerts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "pharmacies_clinic_id_idx" ON "pharmacies"("clinic_id");

-- CreateIndex
CREATE INDEX "pharmacy_members_user_id_idx" ON "pharmacy_members"("user_id");

-- CreateIndex
CREATE INDEX "prescription_fulfillments_pharmacy_id_status_urgent_present_idx" ON "prescription_fulfillments"("pharmacy_id", "status", "urgent", "presented_at");

-- CreateIndex
CREATE INDEX "prescription_fulfillments_prescription_id_idx" ON "prescription_fulfillments"("prescription_id");

-- CreateIndex
CREATE INDEX "dispenses_prescription_item_id_dispensed_at_idx" ON "dispenses"("prescription_item_id", "dispensed_at");

-- CreateIndex
CREATE INDEX "dispenses_pharmacy_id_dispensed_at_idx" ON "dispenses"("pharmacy_id", "dispensed_at");

-- CreateIndex
CREATE UNIQUE INDEX "charge_items_dispense_id_key" ON "charge_items"("dispense_id");

-- CreateIndex
CREATE INDEX "charge_items_patient_id_status_idx" ON "charge_items"("patient_id", "status");

-- CreateIndex
CREATE INDEX "charge_items_clinic_id_created_at_idx" ON "charge_items"("clinic_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "inventory_items_pharmacy_id_medicine_id_key" ON "inventory_items"("pharmacy_id", "medicine_id");

-- CreateIndex
CREATE UNIQUE INDEX "inventory_items_pharmacy_id_supply_name_key" ON "inventory_items"("pharmacy_id", "supply_name");

-- CreateIndex
CREATE INDEX "stock_lots_item_id_expires_on_idx" ON "stock_lots"("item_id", "expires_on");

-- CreateIndex
CREATE UNIQUE INDEX "stock_lots_item_id_batch_number_key" ON "stock_lots"("item_id", "batch_number");

-- CreateIndex
CREATE INDEX "stock_movements_lot_id_seq_idx" ON "stock_movements"("lot_id", "seq");

-- CreateIndex
CREATE INDEX "stock_movements_transfer_id_idx" ON "stock_movements"("transfer_id");

-- CreateIndex
CREATE INDEX "stock_counts_pharmacy_id_started_at_idx" ON "stock_counts"("pharmacy_id", "started_at");

-- CreateIndex
CREATE INDEX "stock_alerts_pharmacy_id_kind_idx" ON "stock_alerts"("pharmacy_id", "kind");

-- AddForeignKey
ALTER TABLE "pharmacies" ADD CONSTRAINT "pharmacies_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pharmacy_members" ADD CONSTRAINT "pharmacy_members_pharmacy_id_fkey" FOREIGN KEY ("pharmacy_id") REFERENCES "pharmacies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pharmacy_members" ADD CONSTRAINT "pharmacy_members_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescription_fulfillments" ADD CONSTRAINT "prescription_fulfillments_pharmacy_id_fkey" FOREIGN KEY ("pharmacy_id") REFERENCES "pharmacies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prescription_fulfillments" ADD CONSTRAINT "prescription_fulfillments_prescription_id_fkey" FOREIGN KEY ("prescription_id") REFERENCES "prescriptions"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "override_acknowledgments" ADD CONSTRAINT "override_acknowledgments_fulfillment_id_fkey" FOREIGN KEY ("fulfillment_id") REFERENCES "prescription_fulfillments"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dispenses" ADD CONSTRAINT "dispenses_fulfillment_id_fkey" FOREIGN KEY ("fulfillment_id") REFERENCES "prescription_fulfillments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "charge_items" ADD CONSTRAINT "charge_items_dispense_id_fkey" FOREIGN KEY ("dispense_id") REFERENCES "dispenses"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inventory_items" ADD CONSTRAINT "inventory_items_pharmacy_id_fkey" FOREIGN KEY ("pharmacy_id") REFERENCES "pharmacies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_lots" ADD CONSTRAINT "stock_lots_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "inventory_items"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_lot_id_fkey" FOREIGN KEY ("lot_id") REFERENCES "stock_lots"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_movements" ADD CONSTRAINT "stock_movements_dispense_id_fkey" FOREIGN KEY ("dispense_id") REFERENCES "dispenses"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_count_id_fkey" FOREIGN KEY ("count_id") REFERENCES "stock_counts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: every clinic has its dispensary, made with the clinic by PostgreSQL itself (those
-- that exist now get theirs here).
CREATE FUNCTION clinics_dispensary() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "pharmacies" ("id", "kind", "clinic_id", "name", "address", "phone", "hours")
  VALUES (gen_random_uuid(), 'dispensary', NEW."id", left('Dispensary, ' || NEW."name", 200), NEW."address", NEW."phone", NEW."operating_hours");
  RETURN NEW;
END $$;
CREATE TRIGGER "clinics_dispensary" AFTER INSERT ON "clinics" FOR EACH ROW EXECUTE FUNCTION clinics_dispensary();
INSERT INTO "pharmacies" ("id", "kind", "clinic_id", "name", "address", "phone", "hours")
  SELECT gen_random_uuid(), 'dispensary', c."id", left('Dispensary, ' || c."name", 200), c."address", c."phone", c."operating_hours" FROM "clinics" c;
CREATE UNIQUE INDEX "pharmacies_one_dispensary_per_clinic" ON "pharmacies" ("clinic_id") WHERE "kind" = 'dispensary';

-- One open fulfilment per prescription (declined or dispensed ones close it).
CREATE UNIQUE INDEX "prescription_fulfillments_one_open" ON "prescription_fulfillments" ("prescription_id")
  WHERE "status" NOT IN ('declined', 'dispensed');

ALTER TABLE "dispenses"
  ADD CONSTRAINT "dispenses_quantity" CHECK ("quantity" > 0),
  ADD CONSTRAINT "dispenses_supply_number" CHECK ("supply_number" >= 1),
  ADD CONSTRAINT "dispenses_price" CHECK ("unit_price_xaf" >= 0);
ALTER TABLE "charge_items"
  ADD CONSTRAINT "charge_items_quantity" CHECK ("quantity" > 0),
  ADD CONSTRAINT "charge_items_price" CHECK ("unit_price_xaf" >= 0),
  ADD CONSTRAINT "charge_items_total" CHECK ("total_xaf" = "quantity" * "unit_price_xaf"),
  ADD CONSTRAINT "charge_items_source" CHECK ("source" IN ('dispense', 'visit', 'lab_test')),
  ADD CONSTRAINT "charge_items_status" CHECK ("status" IN ('billable', 'billed', 'void'));
ALTER TABLE "inventory_items"
  ADD CONSTRAINT "inventory_items_what" CHECK (("medicine_id" IS NULL) <> ("supply_name" IS NULL)),
  ADD CONSTRAINT "inventory_items_levels" CHECK ("reorder_point" >= 0 AND "max_level" >= "reorder_point"),
  ADD CONSTRAINT "inventory_items_price" CHECK ("selling_price_xaf" >= 0);
-- The balance never goes below zero: the database refuses it, whatever the code does.
ALTER TABLE "stock_lots"
  ADD CONSTRAINT "stock_lots_never_negative" CHECK ("quantity_on_hand" >= 0),
  ADD CONSTRAINT "stock_lots_cost" CHECK ("unit_cost_xaf" >= 0);
ALTER TABLE "stock_movements"
  ADD CONSTRAINT "stock_movements_not_zero" CHECK ("quantity" <> 0),
  ADD CONSTRAINT "stock_movements_sign" CHECK (
    CASE "kind"
      WHEN 'receipt' THEN "quantity" > 0
      WHEN 'transfer_in' THEN "quantity" > 0
      WHEN 'return' THEN "quantity" > 0
      WHEN 'dispense' THEN "quantity" < 0
      WHEN 'transfer_out' THEN "quantity" < 0
      WHEN 'write_off' THEN "quantity" < 0
      ELSE TRUE
    END),
  ADD CONSTRAINT "stock_movements_reason" CHECK ("kind" NOT IN ('adjustment', 'write_off') OR "reason" IS NOT NULL),
  ADD CONSTRAINT "stock_movements_dispense" CHECK (("kind" = 'dispense') = ("dispense_id" IS NOT NULL)),
  ADD CONSTRAINT "stock_movements_transfer" CHECK (("kind" IN ('transfer_out', 'transfer_in')) = ("transfer_id" IS NOT NULL));
ALTER TABLE "stock_count_lines" ADD CONSTRAINT "stock_count_lines_counted" CHECK ("counted" >= 0 AND "expected" >= 0);

-- The ledger: rows are only ever added; each moves its lot's balance in the same statement (the
-- lot's row lock orders concurrent movements; the CHECK above refuses a negative balance). Stock
-- of an expired lot leaves only as a write-off. SQLSTATE ST001: a ledger row changed or removed;
-- ST002: an expired lot leaving otherwise than by write-off.
CREATE FUNCTION stock_movements_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  expiry date;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    RAISE EXCEPTION 'stock movements are append-only' USING ERRCODE = 'ST001';
  END IF;
  UPDATE "stock_lots" SET "quantity_on_hand" = "quantity_on_hand" + NEW."quantity" WHERE "id" = NEW."lot_id"
    RETURNING "expires_on" INTO expiry;
  IF NEW."quantity" < 0 AND NEW."kind" NOT IN ('write_off') AND expiry < (now() AT TIME ZONE 'Africa/Douala')::date THEN
    RAISE EXCEPTION 'an expired lot leaves stock only by write-off' USING ERRCODE = 'ST002';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER "stock_movements_apply" BEFORE INSERT OR UPDATE OR DELETE ON "stock_movements"
  FOR EACH ROW EXECUTE FUNCTION stock_movements_apply();
-- A lot's balance moves only with a movement: set directly, it would drift from its ledger.
CREATE FUNCTION stock_lots_balance_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW."quantity_on_hand" <> 0 THEN
    RAISE EXCEPTION 'a lot starts empty: stock arrives as a receipt' USING ERRCODE = 'ST001';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."quantity_on_hand" <> OLD."quantity_on_hand" AND pg_trigger_depth() < 2 THEN
    RAISE EXCEPTION 'a lot''s balance changes only through a stock movement' USING ERRCODE = 'ST001';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'a lot is never deleted' USING ERRCODE = 'ST001';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
CREATE TRIGGER "stock_lots_balance_guard" BEFORE INSERT OR UPDATE OR DELETE ON "stock_lots"
  FOR EACH ROW EXECUTE FUNCTION stock_lots_balance_guard();

-- One open alert per condition: raised once, until it clears.
CREATE UNIQUE INDEX "stock_alerts_one_open" ON "stock_alerts" ("pharmacy_id", "kind", "subject_id") WHERE "cleared_at" IS NULL;
ALTER TABLE "stock_alerts" ADD CONSTRAINT "stock_alerts_kind" CHECK ("kind" IN ('low_stock', 'expiring'));

-- Who was told of which alert (once per recipient and condition).
CREATE TABLE "stock_alert_deliveries" (
    "alert_id" UUID NOT NULL,
    "recipient" VARCHAR(254) NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "stock_alert_deliveries_pkey" PRIMARY KEY ("alert_id","recipient")
);
ALTER TABLE "stock_alert_deliveries" ADD CONSTRAINT "stock_alert_deliveries_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "stock_alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
