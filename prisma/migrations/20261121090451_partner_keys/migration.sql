-- CreateTable
CREATE TABLE "partner_keys" (
    "id" UUID NOT NULL,
    "clinic_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "key_hash" CHAR(64) NOT NULL,
    "cost_budget" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "partner_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "partner_keys_key_hash_key" ON "partner_keys"("key_hash");

-- CreateIndex
CREATE INDEX "partner_keys_clinic_id_idx" ON "partner_keys"("clinic_id");

-- AddForeignKey
ALTER TABLE "partner_keys" ADD CONSTRAINT "partner_keys_clinic_id_fkey" FOREIGN KEY ("clinic_id") REFERENCES "clinics"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A budget of zero or less would refuse every operation: refuse the key instead.
ALTER TABLE "partner_keys" ADD CONSTRAINT "partner_keys_cost_budget_positive" CHECK ("cost_budget" > 0);
